-- mark_event_applied: the event of that file row was applied on $run_date, with its outcome
-- ('applied', or 'already applied' for a replay).
update events
set applied_on = $run_date, outcome = $outcome
where file_name = $file_name and file_sha256 = $file_sha256 and row_number = $row_number
