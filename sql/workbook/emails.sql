-- Courriels, in the night's workbook: the messages queued or sent by the run date's night,
-- and every message not sent yet, whatever night queued it.
with
night_or_unsent as (
    select *
    from emails
    where
        created_run_date = $run_date
        or sent_run_date = $run_date
        or status in ('queued', 'sending', 'uncertain', 'failed')
)

select
    email_key, kind, recipient, language, status, attempts, created_run_date, sent_at,
    last_error
from night_or_unsent
order by created_at, email_key
