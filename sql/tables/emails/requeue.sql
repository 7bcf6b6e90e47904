-- requeue: `uncertain` or `failed` -> `queued`, on a coordinator's word (jumelage emails
-- resend). Only while the message is still in $from_status, the status it was seen in.
-- $email_key; $last_error: why it is queued again.
update emails
set status = 'queued', last_error = $last_error
where email_key = $email_key and status = $from_status
