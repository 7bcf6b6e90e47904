-- available_mentors: mentors who can take a mentee tonight (SPEC §4): active, and free capacity
-- left once active relationships and pending proposals (awaiting approval or an answer) are
-- counted. mentor_id is dense by email so that the solver sees the same graph whatever the input
-- order.
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
),

with_free_capacity as (
    select
        p.* exclude (role, goals, preferred_mentors, capacity),  -- noqa: RF02
        (
            least(p.capacity, $max_capacity) - coalesce(a.n, 0) - coalesce(q.n, 0)
        )::integer as free_capacity
    from participant_profiles as p
    left join active_load as a using (email)
    left join pending_load as q using (email)
    where p.role = 'mentor' and p.status = 'active'
)

select
    (row_number() over (order by email))::integer as mentor_id,
    *
from with_free_capacity
where free_capacity > 0
