-- waiting_mentees: mentees waiting for a proposal (SPEC §4), from the `mentees_waiting`
-- view (migration 007: active, no active relationship, no pending proposal), with their
-- profiles. mentee_id is dense by email (stable whatever the file order); waiting_rank 1 is
-- the mentee who entered the pool first (ties: earlier submission, then email).
-- reads: rules/participant_profiles
with
waiting as (
    select profiles.* exclude (role, competencies, capacity)  -- noqa: RF02
    from participant_profiles as profiles
    semi join mentees_waiting using (email)
    where profiles.role = 'mentee'
)

select
    (row_number() over (order by email))::integer as mentee_id,
    (row_number() over (order by first_seen_on, submitted_at, email))::integer as waiting_rank,
    *
from waiting
