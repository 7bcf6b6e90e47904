-- unfinished: nights since $cutoff that failed or were interrupted and were not redone since:
-- each is worth one `run_failed` email to the operators. $redoing is the night that is
-- starting now (it is being redone: nobody needs telling), or null.
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
    and run_date is distinct from $redoing::date
order by run_date
