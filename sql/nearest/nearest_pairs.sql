-- nearest_pairs: every pair of an unmatched mentee and an active mentor, whatever rule it
-- breaks, with the features scored_pairs.sql reads (it is read under the name
-- eligible_pairs): the nearest candidates are scored by the matching's own formula. Bounded
-- by the caller (jumelage.report.nearest): few unmatched mentees times the active mentors.
-- reads: matching/tag_masks, matching/preferences
with
members as (
    select 'mentee' as side, mentee_id as id, experience_years, organization
    from waiting_mentees
    union all
    select 'mentor' as side, mentor_id as id, experience_years, organization
    from available_mentors
),

profiles as (
    select
        m.side, m.id, m.experience_years, lower(trim(m.organization)) as org_key,
        k.skill_mask, k.interest_mask, k.slot_mask
    from members as m
    inner join tag_masks as k on k.side = m.side and k.id = m.id
)

select
    e.id as mentee_id,
    r.id as mentor_id,
    coalesce(e.org_key, '') as mentee_org,
    coalesce(r.org_key, '') as mentor_org,
    e.skill_mask as goals_mask,
    r.skill_mask as competencies_mask,
    e.interest_mask as mentee_interests,
    r.interest_mask as mentor_interests,
    e.slot_mask as mentee_slots,
    r.slot_mask as mentor_slots,
    -- what the score needs of one person alone, as eligible_pairs.sql gives it
    greatest(bit_count(e.skill_mask), 1)::integer as goals_count,
    greatest(bit_count(e.interest_mask), 1)::integer as mentee_interest_count,
    bit_count(r.interest_mask)::integer as mentor_interest_count,
    greatest(bit_count(e.slot_mask), 1)::integer as mentee_slot_count,
    (case when bit_count(e.slot_mask) = 0 then 0 else 0.5 end)::double as mentee_slots_half,
    (bit_count(r.slot_mask) > 0)::double as mentor_has_slots,
    coalesce(e.experience_years, 0)::double as mentee_years,
    (case when e.experience_years is null then 0 else 0.5 end)::double as mentee_years_half,
    coalesce(r.experience_years, 0)::double as mentor_years,
    (r.experience_years is not null)::double as mentor_years_known,
    coalesce(p.preference, 0.0) as preference
from profiles as e
cross join profiles as r
left join preferences as p on p.mentee_id = e.id and p.mentor_id = r.id
where e.side = 'mentee' and r.side = 'mentor'
