-- participant_profiles: every participant (email, role) with the profile as the rules and
-- the matching compare it: spoken languages as bits, region as its key (sql/rules/macros.sql),
-- tags without repeats. The pool, the checks of pending pairs and the reasons all read it.
select
    email,
    role,
    status,
    organization,
    meeting_mode,
    management_level,
    experience_years,
    capacity,
    first_seen_on,
    submitted_at,
    preferred_mentors,
    language_mask(language) as language_mask,
    region_key(region) as region_key,
    list_distinct(goals) as goals,
    list_distinct(competencies) as competencies,
    list_distinct(interests) as interests,
    list_distinct(availability) as availability
from participants
