-- note_unsent: messages of $keys that could not be tried in this run (no password, server
-- down) stay `queued`, with one more attempt and the error, $last_error.
update emails
set attempts = attempts + 1, last_error = $last_error
where status = 'queued' and email_key in (select unnest($keys::varchar[]))
