-- level_changes: management level changes announced by events override the registration
-- they follow; a newer registration wins again (see organization_changes.sql).
with latest_levels as (
    select email, try_cast(trim(value) as double)::integer as management_level, event_date
    from events
    where applied_on is not null and outcome = 'applied' and event_type = 'level_changed'
    qualify row_number() over (
            partition by email order by event_date desc, file_name desc, row_number desc
        ) = 1
)

update participants
set management_level = latest_levels.management_level
from latest_levels
where participants.email = latest_levels.email
    and latest_levels.management_level is not null
    and latest_levels.event_date >= participants.submitted_at::date
    and participants.management_level is distinct from latest_levels.management_level;
