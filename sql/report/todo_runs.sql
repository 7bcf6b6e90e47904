-- À traiter: nights of the last 30 days that failed or were interrupted and were not redone
-- since (a night redone successfully is `succeeded` again).
select
    run_date,
    status,
    stage,
    error,
    attempts
from runs
where status in ('failed', 'interrupted')
    and run_date >= $run_date::date - 30
    and run_date <= $run_date
order by run_date
