-- Each pool member's tags as one UBIGINT bitmask per domain (fast path: at most 64 distinct
-- tags in every domain; tag_masks_wide.sql handles more).
with
pool as (
    select 'mentee' as side, mentee_id as id from m_mentees
    union all
    select 'mentor' as side, mentor_id as id from m_mentors
),
participant_tags as (
    select 'mentee' as side, mentee_id as id, 'skill' as domain, unnest(goals) as tag
    from m_mentees
    union all
    select 'mentee', mentee_id, 'interest', unnest(interests) from m_mentees
    union all
    select 'mentee', mentee_id, 'slot', unnest(availability) from m_mentees
    union all
    select 'mentor', mentor_id, 'skill', unnest(competencies) from m_mentors
    union all
    select 'mentor', mentor_id, 'interest', unnest(interests) from m_mentors
    union all
    select 'mentor', mentor_id, 'slot', unnest(availability) from m_mentors
),
participant_bits as (
    select t.side, t.id, t.domain, b.bit
    from participant_tags as t
    join m_tag_bits as b using (domain, tag)
)
select
    pool.side,
    pool.id,
    coalesce(bit_or(1::ubigint << bits.bit) filter (where bits.domain = 'skill'), 0::ubigint)
        as skill_mask,
    coalesce(bit_or(1::ubigint << bits.bit) filter (where bits.domain = 'interest'), 0::ubigint)
        as interest_mask,
    coalesce(bit_or(1::ubigint << bits.bit) filter (where bits.domain = 'slot'), 0::ubigint)
        as slot_mask
from pool
left join participant_bits as bits using (side, id)
group by all
