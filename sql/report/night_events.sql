-- La nuit: events the run date's apply stage went through, by type and outcome ('applied',
-- or 'already applied' when the state already said so; rejected ones go to quarantine).
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
