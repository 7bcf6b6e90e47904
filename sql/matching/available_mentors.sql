-- available_mentors: mentors who can take a mentee tonight (SPEC §4): active, and free capacity
-- left once active relationships and pending proposals (awaiting approval or an answer) are
-- counted. mentor_id is dense by email so that the solver sees the same graph whatever the input
-- order.
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
        p.*,
        least(p.capacity, $max_capacity)
        - coalesce(a.n, 0) - coalesce(q.n, 0) as free_capacity
    from participants as p
    left join active_load as a using (email)
    left join pending_load as q using (email)
    where p.role = 'mentor' and p.status = 'active'
)

select
    (row_number() over (order by email))::integer as mentor_id,
    email,
    status,
    free_capacity::integer as free_capacity,
    organization,
    region_key(region) as region_key,
    meeting_mode,
    management_level,
    experience_years,
    language_mask(language) as language_mask,
    list_distinct(competencies) as competencies,
    list_distinct(interests) as interests,
    list_distinct(availability) as availability
from with_free_capacity
where free_capacity > 0
