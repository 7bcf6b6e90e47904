-- latest_round: the figures of the last matching round of $run_date (none: not matched yet;
-- a reprocessing adds a round).
select *
from matching_runs
where run_date = $run_date
order by round desc
limit 1
