-- unfinished: nights since $cutoff that failed or were interrupted and were not redone since:
-- each is worth one `run_failed` email to the operators and a line in the report.
select
    run_date,
    kind,
    status,
    stage,
    error,
    attempts,
    started_at
from runs
where status in ('failed', 'interrupted')
    and run_date >= $cutoff
order by run_date
