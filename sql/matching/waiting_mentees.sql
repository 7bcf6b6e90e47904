-- Mentees waiting for a proposal (SPEC §4): active, no active relationship, no pending
-- proposal. mentee_id is dense by email (stable whatever the file order); waiting_rank 1 is
-- the mentee who entered the pool first (ties: earlier submission, then email).
with
in_relationship as (
    select distinct mentee_email as email from relationships where status = 'active'
),
with_pending_proposal as (
    select distinct mentee_email as email
    from proposals
    where status in ('pending_approval', 'proposed')
),
waiting as (
    select p.*
    from participants as p
    where p.role = 'mentee'
      and p.status = 'active'
      and p.email not in (select email from in_relationship)
      and p.email not in (select email from with_pending_proposal)
)
select
    (row_number() over (order by email))::integer as mentee_id,
    (row_number() over (order by first_seen_on, submitted_at, email))::integer as waiting_rank,
    email,
    first_seen_on,
    organization,
    lower(trim(coalesce(region, ''))) as region_key,
    meeting_mode,
    management_level,
    experience_years,
    (case when language like '%fr%' then 1 else 0 end
        + case when language like '%en%' then 2 else 0 end)::utinyint as language_mask,
    list_distinct(goals) as goals,
    list_distinct(interests) as interests,
    list_distinct(availability) as availability,
    preferred_mentors
from waiting
