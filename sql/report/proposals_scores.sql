-- Propositions, chart: scores of the proposals made over the 90 days ending with the run date.
with
recent as (
    select score, run_date = $run_date as made_tonight
    from proposals
    where run_date > $run_date::date - 90 and run_date <= $run_date
)

select score, made_tonight
from recent
order by score
