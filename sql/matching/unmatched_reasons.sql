-- unmatched_reasons: for each waiting mentee left without a proposal (`unmatched_mentee_ids`, given
-- by Python), how many active mentors survive each hard constraint of SPEC §4 taken in turn (the
-- rules of sql/rules/macros.sql); the first stage that reaches zero is the reason given to
-- coordinators. Capacity is the last stage: "all compatible mentors full".
--
-- Never mentees x mentors: language, meeting mode, region, level and free capacity depend
-- only on profiles, so distinct mentee requirements are counted against distinct mentor
-- profiles (a few hundred x a few thousand rows), then each mentee's counts are corrected
-- by the few pairs that are specific to it: itself registered as a mentor (never counted),
-- its hierarchical links (linked_pairs) and its pairs blocked for ever (blocked_pairs).
-- reads: matching/waiting_mentees, matching/available_mentors, matching/linked_pairs
-- reads: rules/blocked_pairs, rules/participant_profiles
with
unmatched_mentees as (
    select e.* from waiting_mentees as e semi join unmatched_mentee_ids using (mentee_id)
),

active_mentors as (
    select
        p.email,
        p.management_level,
        p.meeting_mode,
        p.region_key,
        p.language_mask,
        coalesce(r.free_capacity, 0) > 0 as has_capacity
    from participant_profiles as p
    left join available_mentors as r using (email)
    where p.role = 'mentor' and p.status = 'active'
),

mentor_profiles as (
    select
        language_mask, meeting_mode, region_key, management_level, has_capacity,
        count(*) as mentors
    from active_mentors
    group by all
),

mentee_requirements as (
    select distinct language_mask, meeting_mode, region_key, management_level
    from unmatched_mentees
),

-- s1, s2, s3: the mentor passes the rules up to language, meeting mode, level gap
profile_pairs as (
    select
        e.language_mask, e.meeting_mode, e.region_key, e.management_level,
        r.mentors, r.has_capacity,
        shares_language(e.language_mask, r.language_mask) as s1,
        s1 and meeting_compatible(e.meeting_mode, e.region_key, r.meeting_mode, r.region_key)
            as s2,
        s2 and level_gap_kept(e.management_level, r.management_level, $min_level_gap) as s3
    from mentee_requirements as e
    cross join mentor_profiles as r
),

counts_by_requirement as (
    select
        language_mask, meeting_mode, region_key, management_level,
        sum(mentors) as active_mentors,
        coalesce(sum(mentors) filter (where s1), 0) as sharing_language,
        coalesce(sum(mentors) filter (where s2), 0) as compatible_mode,
        coalesce(sum(mentors) filter (where s3), 0) as sufficient_level,
        coalesce(sum(mentors) filter (where s3 and has_capacity), 0) as sufficient_with_capacity
    from profile_pairs
    group by all
),

-- pairs of a mentee with a particular active mentor: itself, a linked or a blocked person
specific_pairs as (
    select
        mentee_id, mentor_email, bool_or(is_self) as is_self, bool_or(linked) as linked,
        bool_or(was_blocked) as was_blocked
    from (
        select
            e.mentee_id, e.email as mentor_email, true as is_self, false as linked,
            false as was_blocked
        from unmatched_mentees as e
        union all
        select
            e.mentee_id, l.b as mentor_email, false as is_self, true as linked,
            false as was_blocked
        from linked_pairs as l inner join unmatched_mentees as e on e.email = l.a
        union all
        select
            e.mentee_id, b.mentor_email, false as is_self, false as linked,
            true as was_blocked
        from blocked_pairs as b inner join unmatched_mentees as e on e.email = b.mentee_email
    ) as own_pairs
    group by all
),

specific_flags as (
    select
        s.mentee_id, s.is_self, s.linked, s.was_blocked, r.has_capacity,
        shares_language(e.language_mask, r.language_mask) as s1,
        s1 and meeting_compatible(e.meeting_mode, e.region_key, r.meeting_mode, r.region_key)
            as s2,
        s2 and level_gap_kept(e.management_level, r.management_level, $min_level_gap) as s3
    from specific_pairs as s
    inner join unmatched_mentees as e using (mentee_id)
    inner join active_mentors as r on r.email = s.mentor_email
),

-- what each mentee's own pairs take away from the counts of its requirement: the mentee
-- itself from every stage; a linked mentor from the hierarchy stage on; a blocked one from
-- the "never declined" stage on
corrections as (
    select
        mentee_id,
        count(*) filter (where is_self) as active_mentors,
        count(*) filter (where is_self and s1) as sharing_language,
        count(*) filter (where is_self and s2) as compatible_mode,
        count(*) filter (where is_self and s3) as sufficient_level,
        count(*) filter (where s3 and (is_self or linked)) as without_hierarchical_link,
        count(*) filter (where s3 and (is_self or linked or was_blocked))
            as never_declined_or_excluded,
        count(*) filter (where s3 and has_capacity and (is_self or linked or was_blocked))
            as with_free_capacity
    from specific_flags
    group by mentee_id
)

select
    u.mentee_id,
    u.email as mentee_email,
    u.first_seen_on as waiting_since,
    u.management_level,
    (coalesce(c.active_mentors, 0) - coalesce(x.active_mentors, 0))::bigint as active_mentors,
    (coalesce(c.sharing_language, 0) - coalesce(x.sharing_language, 0))::bigint as sharing_language,
    (coalesce(c.compatible_mode, 0) - coalesce(x.compatible_mode, 0))::bigint as compatible_mode,
    (coalesce(c.sufficient_level, 0) - coalesce(x.sufficient_level, 0))::bigint as sufficient_level,
    (coalesce(c.sufficient_level, 0) - coalesce(x.without_hierarchical_link, 0))::bigint
        as without_hierarchical_link,
    (coalesce(c.sufficient_level, 0) - coalesce(x.never_declined_or_excluded, 0))::bigint
        as never_declined_or_excluded,
    (coalesce(c.sufficient_with_capacity, 0) - coalesce(x.with_free_capacity, 0))::bigint
        as with_free_capacity
from unmatched_mentees as u
left join counts_by_requirement as c
    on c.language_mask = u.language_mask
    and c.meeting_mode is not distinct from u.meeting_mode
    and c.region_key is not distinct from u.region_key
    and c.management_level is not distinct from u.management_level
left join corrections as x using (mentee_id)
order by u.mentee_id
