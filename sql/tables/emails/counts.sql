-- counts: the numbers of the daily report of $run_date (see notify.outbox.counts): messages
-- queued by that run date, sent and refused by its send stage; and the outbox now, by status.
select
    count(*) filter (where created_run_date = $run_date) as queued_tonight,
    count(*) filter (where status = 'sent' and sent_run_date = $run_date) as sent_tonight,
    count(*) filter (where status = 'failed' and sent_run_date = $run_date) as failed_tonight,
    count(*) filter (where status = 'queued') as queued,
    count(*) filter (where status = 'uncertain') as uncertain,
    count(*) filter (where status = 'failed') as failed,
    count(*) filter (where status = 'sending') as sending
from emails
