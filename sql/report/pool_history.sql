-- Le bassin, chart: the pool at matching time over the last 90 run dates (last round of
-- each night's matching: a reprocess re-matches the night).
with
last_round as (
    select *
    from matching_runs
    where run_date <= $run_date
    qualify row_number() over (partition by run_date order by round desc) = 1
)

select run_date, mentees_waiting, mentors_available, free_capacity, proposals, unmatched
from last_round
order by run_date desc
limit 90
