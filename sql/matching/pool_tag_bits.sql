-- pool_tag_bits: each pool member (side, id) with the bits of its tags, per domain (one row
-- per member without tags too, bit null), read by tag_masks.sql and tag_masks_wide.sql.
-- reads: matching/waiting_mentees, matching/available_mentors, matching/tag_bits
with
pool as (
    select 'mentee' as side, mentee_id as id from waiting_mentees
    union all
    select 'mentor' as side, mentor_id as id from available_mentors
),

participant_tags as (
    select 'mentee' as side, mentee_id as id, 'skill' as domain, unnest(goals) as tag
    from waiting_mentees
    union all
    select 'mentee' as side, mentee_id as id, 'interest' as domain, unnest(interests) as tag
    from waiting_mentees
    union all
    select 'mentee' as side, mentee_id as id, 'slot' as domain, unnest(availability) as tag
    from waiting_mentees
    union all
    select 'mentor' as side, mentor_id as id, 'skill' as domain, unnest(competencies) as tag
    from available_mentors
    union all
    select 'mentor' as side, mentor_id as id, 'interest' as domain, unnest(interests) as tag
    from available_mentors
    union all
    select 'mentor' as side, mentor_id as id, 'slot' as domain, unnest(availability) as tag
    from available_mentors
),

participant_bits as (
    select t.side, t.id, t.domain, b.bit
    from participant_tags as t
    inner join tag_bits as b using (domain, tag)
)

select pool.side, pool.id, bits.domain, bits.bit
from pool
left join participant_bits as bits using (side, id)
