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
-- (noqa RF02 below: `lang` is a list comprehension's variable, not a column)
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

mentee_languages as (
    select
        e.mentee_id, e.status, e.experience_years, e.language_mask, e.management_level,
        e.meeting_mode, o.org_id,
        e.meeting_mode = 'in_person' as in_person_only,
        e.meeting_mode <> 'virtual' as accepts_in_person,
        g.region_id, k.skill_mask, k.interest_mask, k.slot_mask,
        coalesce(x.excluded_ids, []) as excluded_ids,
        coalesce(x.excluded_whys, []) as excluded_whys,
        coalesce(w.wished_ids, []) as wished_ids,
        coalesce(w.wish_values, []) as wish_values,
        unnest(
            [lang for lang in [1, 2] if (e.language_mask & lang) <> 0]  -- noqa: RF02
        )::utinyint as language_key
    from mentees_in_scope as e
    left join mentee_exclusions as x using (mentee_id)
    left join mentee_wishes as w using (mentee_id)
    inner join tag_masks as k on k.side = 'mentee' and k.id = e.mentee_id
    inner join organizations as o on o.org_key = lower(trim(e.organization))
    left join regions as g on g.region_key = e.region_key
),

mentee_channels as (
    select
        *,
        unnest(list_distinct(
            [
                c for c in [0, region_id]
                if (c = 0 and not in_person_only) or (c <> 0 and accepts_in_person)
            ]
        )) as channel
    from mentee_languages
),

mentee_side as (
    select
        *,
        unnest(range(management_level + $min_level_gap, $top_level + 1))::integer
            as wanted_level
    from mentee_channels
),

mentor_languages as (
    select
        r.mentor_id, r.status, r.experience_years, r.language_mask, r.management_level,
        r.meeting_mode, o.org_id,
        r.meeting_mode = 'in_person' as in_person_only,
        r.meeting_mode <> 'virtual' as accepts_in_person,
        g.region_id, k.skill_mask, k.interest_mask, k.slot_mask,
        unnest(
            [lang for lang in [1, 2] if (r.language_mask & lang) <> 0]  -- noqa: RF02
        )::utinyint as language_key
    from mentors_in_scope as r
    inner join tag_masks as k on k.side = 'mentor' and k.id = r.mentor_id
    inner join organizations as o on o.org_key = lower(trim(r.organization))
    left join regions as g on g.region_key = r.region_key
),

mentor_side as (
    select
        *,
        unnest(list_distinct(
            [
                c for c in [0, region_id]
                if (c = 0 and not in_person_only) or (c <> 0 and accepts_in_person)
            ]
        )) as channel
    from mentor_languages
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
