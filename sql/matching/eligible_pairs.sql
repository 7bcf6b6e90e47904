-- Every (mentee, mentor) pair of tonight's pool passing all hard constraints of SPEC §4,
-- with the features the scoring needs. Language and level are turned into an equi-join
-- (one row per spoken language and per acceptable mentor level on the mentee side) so DuckDB
-- hash-joins instead of testing every one of mentees x mentors pairs.
with
organizations as (
    select org_key, dense_rank() over (order by org_key) as org_id
    from (
        select distinct lower(trim(organization)) as org_key from m_mentees
        union
        select distinct lower(trim(organization)) as org_key from m_mentors
    )
),
mentee_languages as (
    select
        e.mentee_id, e.meeting_mode, e.region_key, e.experience_years, e.language_mask,
        e.management_level, o.org_id, k.skill_mask, k.interest_mask, k.slot_mask,
        unnest(
            [lang for lang in [1, 2] if (e.language_mask & lang) <> 0]
        )::utinyint as language_key
    from m_mentees_in_scope as e
    join m_masks as k on k.side = 'mentee' and k.id = e.mentee_id
    join organizations as o on o.org_key = lower(trim(e.organization))
),
mentee_side as (
    select
        * exclude (management_level),
        unnest(range(management_level + $min_level_gap, $top_level + 1))::integer
            as wanted_level
    from mentee_languages
),
mentor_side as (
    select
        r.mentor_id, r.meeting_mode, r.region_key, r.experience_years, r.language_mask,
        r.management_level, o.org_id, k.skill_mask, k.interest_mask, k.slot_mask,
        unnest(
            [lang for lang in [1, 2] if (r.language_mask & lang) <> 0]
        )::utinyint as language_key
    from m_mentors as r
    join m_masks as k on k.side = 'mentor' and k.id = r.mentor_id
    join organizations as o on o.org_key = lower(trim(r.organization))
),
same_language_sufficient_level as (
    select
        e.mentee_id, r.mentor_id,
        e.meeting_mode as mentee_mode, r.meeting_mode as mentor_mode,
        e.region_key as mentee_region, r.region_key as mentor_region,
        e.experience_years as mentee_years, r.experience_years as mentor_years,
        e.org_id <> r.org_id as cross_organization,
        e.skill_mask as goals_mask, r.skill_mask as competencies_mask,
        e.interest_mask as mentee_interests, r.interest_mask as mentor_interests,
        e.slot_mask as mentee_slots, r.slot_mask as mentor_slots
    from mentee_side as e
    join mentor_side as r
        on r.language_key = e.language_key and r.management_level = e.wanted_level
    -- a bilingual pair meets under both languages: keep only its first common one
    where e.language_key
        = case when (e.language_mask & r.language_mask & 1) <> 0 then 1 else 2 end
),
compatible_meeting_mode as (
    select *
    from same_language_sufficient_level
    where (mentee_mode <> 'in_person' and mentor_mode <> 'in_person')
       or (mentee_mode in ('in_person', 'both') and mentor_mode in ('in_person', 'both')
           and mentee_region <> '' and mentee_region = mentor_region)
)
select c.*
from compatible_meeting_mode as c
anti join m_excluded as x using (mentee_id, mentor_id)
