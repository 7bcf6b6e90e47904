-- mark_queued: `sending` -> `queued`: nothing was handed over (server unreachable, or a
-- refusal before DATA), so the next attempt sends it. $last_error: why.
update emails
set status = 'queued', last_error = $last_error
where email_key = $email_key
