-- mentor_loads: every active mentor with the places left once active relationships and
-- pending proposals (awaiting approval or an answer) are counted; full mentors included
-- (free_capacity 0 or less). available_mentors keeps those with a place; the report's
-- nearest candidates read them all.
-- reads: rules/participant_profiles
with
active_load as (
    select mentor_email as email, count(*) as n
    from relationships
    where status = 'active'
    group by all
),

pending_load as (
    select mentor_email as email, count(*) as n
    from proposals
    where status in ('pending_approval', 'proposed')
    group by all
)

select
    p.* exclude (role, goals, preferred_mentors, capacity),  -- noqa: RF02
    (
        least(p.capacity, $max_capacity) - coalesce(a.n, 0) - coalesce(q.n, 0)
    )::integer as free_capacity
from participant_profiles as p
left join active_load as a using (email)
left join pending_load as q using (email)
where p.role = 'mentor' and p.status = 'active'
