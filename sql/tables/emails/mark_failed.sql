-- mark_failed: `sending` -> `failed`: refused for good (5xx), or it could not be made into a
-- message. $last_error: why; $run_date: the run date whose send stage tried it.
update emails
set status = 'failed', last_error = $last_error, sent_run_date = $run_date::date
where email_key = $email_key
