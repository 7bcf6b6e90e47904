-- Le bassin: active mentors and their free capacity (capacity capped at max_capacity, minus
-- active relationships and pending proposals; as in matching/available_mentors.sql).
with
active_load as (
    select mentor_email as email, count(*)::integer as n
    from relationships
    where status = 'active'
    group by all
),

pending_load as (
    select mentor_email as email, count(*)::integer as n
    from proposals
    where status in ('pending_approval', 'proposed')
    group by all
),

active_mentors as (
    select
        p.email,
        concat_ws(' ', p.first_name, p.last_name) as name,
        p.organization,
        p.management_level,
        least(p.capacity, $max_capacity)::integer as capacity,
        coalesce(a.n, 0) as active_relationships,
        coalesce(q.n, 0) as pending_proposals
    from participants as p
    left join active_load as a using (email)
    left join pending_load as q using (email)
    where p.role = 'mentor' and p.status = 'active'
)

select
    *,
    greatest(capacity - active_relationships - pending_proposals, 0)::integer as free_capacity
from active_mentors
order by free_capacity desc, email asc
