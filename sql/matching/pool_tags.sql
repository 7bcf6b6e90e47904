-- pool_tags: each pool member (side, id) with its tags, one row per tag and domain (a row
-- with a null tag for a domain where it has none, so that every member keeps its masks).
-- skill: a mentee's goals and a mentor's competencies, compared with each other.
-- reads: matching/waiting_mentees, matching/available_mentors
with
pool as (
    select
        'mentee' as side, mentee_id as id,
        goals as skill, interests as interest, availability as slot
    from waiting_mentees
    union all
    select
        'mentor' as side, mentor_id as id,
        competencies as skill, interests as interest, availability as slot
    from available_mentors
),

tags_by_domain as (
    unpivot pool on skill, interest, slot into name domain value tags
)

select side, id, domain, unnest(coalesce(nullif(tags, []), [null])) as tag
from tags_by_domain
