-- latest_matched_night: the last run date the matching ran for (null: never).
select max(run_date) as run_date
from matching_runs
