-- waiting_mentees: mentees waiting for a proposal (SPEC §4), from the `mentees_waiting`
-- view (migration 007: active, no active relationship, no pending proposal). mentee_id is
-- dense by email (stable whatever the file order); waiting_rank 1 is the mentee who entered
-- the pool first (ties: earlier submission, then email). Language and region are given in
-- the forms the rules compare (sql/rules/macros.sql).
with
waiting as (
    select * from mentees_waiting
)

select
    (row_number() over (order by email))::integer as mentee_id,
    (row_number() over (order by first_seen_on, submitted_at, email))::integer as waiting_rank,
    email,
    status,
    first_seen_on,
    organization,
    region_key(region) as region_key,
    meeting_mode,
    management_level,
    experience_years,
    language_mask(language) as language_mask,
    list_distinct(goals) as goals,
    list_distinct(interests) as interests,
    list_distinct(availability) as availability,
    preferred_mentors
from waiting
