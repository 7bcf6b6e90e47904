-- claim_batch: `queued` -> `sending` for a batch of $keys in one commit, BEFORE their SMTP
-- transactions start (the send journal, written first, says which of them did start: see
-- jumelage.notify.journal). The caller asks `claimable` first, in the same transaction: a
-- key no longer queued (changed elsewhere) is left alone. $sending_started_at: now, UTC.
update emails
set status = 'sending', attempts = attempts + 1, sending_started_at = $sending_started_at
where status = 'queued' and email_key in (select unnest($keys::varchar[]))
