-- tag_bits: one bit per distinct tag of tonight's pool, per domain, so that overlaps are computed
-- as bit_count(a & b) on bitmasks instead of list intersections (10x faster in DuckDB). skill:
-- mentee goals and mentor competencies share one numbering so they can be compared.
-- reads: matching/waiting_mentees, matching/available_mentors
with
skill_tags as (
    select unnest(goals) as tag from waiting_mentees
    union
    select unnest(competencies) as tag from available_mentors
),

interest_tags as (
    select unnest(interests) as tag from waiting_mentees
    union
    select unnest(interests) as tag from available_mentors
),

slot_tags as (
    select unnest(availability) as tag from waiting_mentees
    union
    select unnest(availability) as tag from available_mentors
)

select 'skill' as domain, tag, (dense_rank() over (order by tag) - 1)::integer as bit
from skill_tags
union all
select 'interest' as domain, tag, (dense_rank() over (order by tag) - 1)::integer as bit
from interest_tags
union all
select 'slot' as domain, tag, (dense_rank() over (order by tag) - 1)::integer as bit
from slot_tags
