-- night_rounds: how many matching rounds $run_date had (a reprocessing adds one), and the
-- latest round's figures (null when none).
select
    count(*) over () as rounds,
    matching_runs.*
from matching_runs
where matching_runs.run_date = $run_date
order by matching_runs.round desc
limit 1
