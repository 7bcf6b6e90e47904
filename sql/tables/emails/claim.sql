-- claim: `queued` -> `sending`, committed BEFORE the SMTP transaction starts: a process that
-- dies during it leaves the row `sending`, which start-up turns `uncertain` (never sent
-- again automatically). Reports 0 rows when $email_key is no longer queued (changed
-- elsewhere). $sending_started_at: now, UTC.
update emails
set status = 'sending', attempts = attempts + 1, sending_started_at = $sending_started_at
where email_key = $email_key and status = 'queued'
