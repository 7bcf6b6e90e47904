-- La nuit: events applied by the run date's apply stage, by type and outcome.
with
applied_tonight as (
    select event_type, coalesce(outcome, '') as outcome
    from events
    where applied_on = $run_date
)
select event_type, outcome, count(*)::integer as events
from applied_tonight
group by all
order by event_type, outcome
