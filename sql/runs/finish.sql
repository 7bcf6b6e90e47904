-- finish: the run of $run_date ended, succeeded or failed with its error.
update runs
set finished_at = $finished_at, status = $status, error = $error
where run_date = $run_date
