-- eligible_pairs: every (mentee, mentor) pair of tonight's pool (in scope) that breaks no
-- hard constraint of SPEC §4 (`broken_rule`, sql/rules/macros.sql, the one definition),
-- with the features the scoring needs. Kept as a view: at 50,000 x 20,000 the pairs are
-- tens of millions of rows and are only ever aggregated.
--
-- Testing broken_rule on every one of mentees x mentors pairs would be slow, so candidates
-- come from an equi-join that only ever drops pairs the rules reject: each side gets one
-- row per spoken language, per "channel" where it can meet (0 = remotely, for whoever is
-- not in-person-only; the region id, for whoever accepts in person and gave a region) and,
-- on the mentee side, per acceptable mentor level. broken_rule then decides on each
-- candidate (tests/matching check that no pair is lost against a cross join).
-- reads: matching/mentees_in_scope, matching/mentors_in_scope, matching/tag_masks,
-- reads: matching/excluded_pairs, matching/preferences
-- (noqa below: `lang` is a list comprehension's variable, and sqlfluff reads the
-- columns of `* exclude (...)` as references)
with
organizations as (
    select org_key, dense_rank() over (order by org_key) as org_id
    from (
        select distinct lower(trim(organization)) as org_key from mentees_in_scope
        union
        select distinct lower(trim(organization)) as org_key from mentors_in_scope
    ) as pool_organizations
),

regions as (
    -- known regions only (ids from 1; channel 0 is "remotely"): an unknown one matches none
    select region_key, dense_rank() over (order by region_key) as region_id
    from (
        select region_key from mentees_in_scope
        union
        select region_key from mentors_in_scope
    ) as pool_regions
    where region_key is not null
),

-- per mentee, the few mentors ruled out (excluded_pairs.sql) and the mentors it asked for
-- with their preference: lists on the mentee row are cheaper than joining small tables
-- against every candidate pair
mentee_exclusions as (
    select mentee_id, list(mentor_id) as excluded_ids, list(why) as excluded_whys
    from excluded_pairs
    group by mentee_id
),

mentee_wishes as (
    select mentee_id, list(mentor_id) as wished_ids, list(preference) as wish_values
    from preferences
    group by mentee_id
),

-- both sides at once: one row per person and spoken language, then per channel
pool_members as (
    select
        'mentee' as side, mentee_id as id, status, experience_years, language_mask,
        management_level, meeting_mode, organization, region_key
    from mentees_in_scope
    union all
    select
        'mentor' as side, mentor_id as id, status, experience_years, language_mask,
        management_level, meeting_mode, organization, region_key
    from mentors_in_scope
),

member_languages as (
    select
        m.* exclude (organization, region_key),  -- noqa: RF02, RF03
        o.org_id, g.region_id, k.skill_mask, k.interest_mask, k.slot_mask,
        m.meeting_mode = 'in_person' as in_person_only,
        m.meeting_mode <> 'virtual' as accepts_in_person,
        unnest(
            [lang for lang in [1, 2] if (m.language_mask & lang) <> 0]  -- noqa: RF02
        )::utinyint as language_key
    from pool_members as m
    inner join tag_masks as k on k.side = m.side and k.id = m.id
    inner join organizations as o on o.org_key = lower(trim(m.organization))
    left join regions as g on g.region_key = m.region_key
),

member_channels as (
    select
        *,
        unnest(list_distinct(
            [
                c for c in [0, region_id]
                if (c = 0 and not in_person_only) or (c <> 0 and accepts_in_person)
            ]
        )) as channel
    from member_languages
),

mentee_side as (
    select
        e.* exclude (id),  -- noqa: RF02, RF03
        e.id as mentee_id,
        coalesce(x.excluded_ids, []) as excluded_ids,
        coalesce(x.excluded_whys, []) as excluded_whys,
        coalesce(w.wished_ids, []) as wished_ids,
        coalesce(w.wish_values, []) as wish_values,
        unnest(range(e.management_level + $min_level_gap, $top_level + 1))::integer
            as wanted_level
    from member_channels as e
    left join mentee_exclusions as x on x.mentee_id = e.id
    left join mentee_wishes as w on w.mentee_id = e.id
    where e.side = 'mentee'
),

mentor_side as (
    select r.* exclude (id), r.id as mentor_id  -- noqa: RF02, RF03
    from member_channels as r
    where r.side = 'mentor'
),

compatible as (
    select
        e.mentee_id, r.mentor_id,
        e.experience_years as mentee_years, r.experience_years as mentor_years,
        e.org_id <> r.org_id as cross_organization,
        e.skill_mask as goals_mask, r.skill_mask as competencies_mask,
        e.interest_mask as mentee_interests, r.interest_mask as mentor_interests,
        e.slot_mask as mentee_slots, r.slot_mask as mentor_slots,
        coalesce(e.wish_values[list_position(e.wished_ids, r.mentor_id)], 0.0) as preference,
        e.excluded_whys[list_position(e.excluded_ids, r.mentor_id)] as why,
        broken_rule(
            e.status, r.status, why = 'same_person',
            e.language_mask, r.language_mask,
            e.meeting_mode, e.region_id, r.meeting_mode, r.region_id,
            e.management_level, r.management_level, $min_level_gap,
            why = 'hierarchy',
            case when why in ('declined', 'relationship', 'excluded') then why end
        ) as broken_rule
    from mentee_side as e
    inner join mentor_side as r
        on r.language_key = e.language_key
        and r.management_level = e.wanted_level
        and r.channel = e.channel
    -- a bilingual pair meets under both languages: keep only its first common one
    where e.language_key
        = case when (e.language_mask & r.language_mask & 1) <> 0 then 1 else 2 end
        -- meeting in a region is what in-person-only people need (SPEC §4); two flexible
        -- people of one region also share channel 0: keep that one only
        and (e.channel = 0 or e.in_person_only or r.in_person_only)
)

select * exclude (why, broken_rule)
from compatible
where broken_rule is null
