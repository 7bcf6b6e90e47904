-- finish: the run of $run_date ended: succeeded, failed or interrupted, with the stage it was
-- in and its error.
update runs
set finished_at = $finished_at, status = $status, stage = $stage, error = $error
where run_date = $run_date
