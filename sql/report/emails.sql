-- Courriels: by kind, messages queued by the run date, sent and refused by its send stage, and
-- the outbox now (as in jumelage.notify.outbox.counts).
with
by_kind as (
    select
        kind,
        count(*) filter (where created_run_date = $run_date)::integer as queued_tonight,
        count(*) filter (where status = 'sent' and sent_run_date = $run_date)::integer
            as sent_tonight,
        count(*) filter (where status = 'failed' and sent_run_date = $run_date)::integer
            as failed_tonight,
        count(*) filter (where status = 'queued')::integer as queued,
        count(*) filter (where status = 'sending')::integer as sending,
        count(*) filter (where status = 'uncertain')::integer as uncertain,
        count(*) filter (where status = 'failed')::integer as failed,
        count(*) filter (where status = 'sent')::integer as sent
    from emails
    group by all
)

select *
from by_kind
order by kind
