-- nearest_pairs: every pair of an unmatched mentee and an active mentor, whatever rule it
-- breaks, with the features scored_pairs.sql reads (it is read under the name
-- eligible_pairs): the nearest candidates are scored by the matching's own formula. Bounded
-- by the caller (jumelage.report.nearest): few unmatched mentees times the active mentors.
-- reads: matching/tag_masks, matching/preferences
with
mentees as (
    select
        e.mentee_id, e.experience_years, lower(trim(e.organization)) as org_key,
        k.skill_mask, k.interest_mask, k.slot_mask
    from waiting_mentees as e
    inner join tag_masks as k on k.side = 'mentee' and k.id = e.mentee_id
),

mentors as (
    select
        r.mentor_id, r.experience_years, lower(trim(r.organization)) as org_key,
        k.skill_mask, k.interest_mask, k.slot_mask
    from available_mentors as r
    inner join tag_masks as k on k.side = 'mentor' and k.id = r.mentor_id
)

select
    e.mentee_id,
    r.mentor_id,
    e.experience_years as mentee_years,
    r.experience_years as mentor_years,
    coalesce(e.org_key <> r.org_key, false) as cross_organization,
    e.skill_mask as goals_mask,
    r.skill_mask as competencies_mask,
    e.interest_mask as mentee_interests,
    r.interest_mask as mentor_interests,
    e.slot_mask as mentee_slots,
    r.slot_mask as mentor_slots,
    coalesce(p.preference, 0.0) as preference
from mentees as e
cross join mentors as r
left join preferences as p on p.mentee_id = e.mentee_id and p.mentor_id = r.mentor_id
