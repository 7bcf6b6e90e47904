-- organization_changes: organization changes announced by events override the
-- registration they follow; a newer registration wins again. Re-applied every night after
-- participants are derived from registrations, so the result never depends on run order.
with latest_changes as (
    select email, event_type, value, event_date
    from events
    where applied_on is not null
        and outcome = 'applied'
        and event_type in ('organization_changed', 'level_changed')
    qualify row_number() over (
            partition by email, event_type order by event_date desc, file_name desc, row_number desc
        ) = 1
),

organization_changes as (
    select email, value as organization, event_date
    from latest_changes
    where event_type = 'organization_changed'
)

update participants
set organization = organization_changes.organization
from organization_changes
where participants.email = organization_changes.email
    and organization_changes.event_date >= participants.submitted_at::date
    and participants.organization is distinct from organization_changes.organization;
