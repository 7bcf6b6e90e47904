-- Each pool member's tags as one BIT string per domain, $width bits long: the fallback when a
-- domain has more than 64 distinct tags. bit_count(a & b) works the same on BIT strings.
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
    coalesce(
        bitstring_agg(bits.bit, 0, $width - 1) filter (where bits.domain = 'skill'),
        bitstring('0', $width)
    )
        as skill_mask,
    coalesce(
        bitstring_agg(bits.bit, 0, $width - 1) filter (where bits.domain = 'interest'),
        bitstring('0', $width)
    )
        as interest_mask,
    coalesce(
        bitstring_agg(bits.bit, 0, $width - 1) filter (where bits.domain = 'slot'),
        bitstring('0', $width)
    )
        as slot_mask
from pool
left join participant_bits as bits using (side, id)
group by all
