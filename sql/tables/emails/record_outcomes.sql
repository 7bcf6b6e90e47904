-- record_outcomes: a batch's outcomes in one commit (`send_outcomes`, given by the send stage
-- or read back from its journal after a crash: email_key, outcome, detail, at, retries), for rows
-- still `sending` only, so that recording twice changes nothing:
-- sent (the server said 250: `sent_at`, the reply), failed (refused for good), queued (nothing
-- was handed over: the next attempt sends it), uncertain (the server may have it).
-- $run_date: the run date whose send stage tried them (null outside a run).
update emails
set
    status = o.outcome,
    attempts = emails.attempts + o.retries,
    sent_at = case when o.outcome = 'sent' then o.at else emails.sent_at end,
    sent_run_date = case
        when o.outcome in ('sent', 'failed') then $run_date::date else emails.sent_run_date
    end,
    smtp_response = case when o.outcome = 'sent' then o.detail else emails.smtp_response end,
    last_error = case when o.outcome = 'sent' then null else o.detail end
from send_outcomes as o
where emails.email_key = o.email_key and emails.status = 'sending'
