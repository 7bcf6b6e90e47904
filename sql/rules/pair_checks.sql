-- pair_checks: every pair of `checked_pairs(mentee_email, mentor_email)` against the hard
-- constraints of SPEC §4 (sql/rules/macros.sql), as the participants, the hierarchy and the
-- pairs blocked for ever stand now: one boolean per rule and the first rule broken
-- (`broken_rule`, null when the pair may go ahead). Pending proposals and active
-- relationships are checked through it. $min_level_gap: from the configuration.
-- reads: rules/participant_profiles, rules/blocked_pairs
with
pairs as (
    select distinct mentee_email, mentor_email from checked_pairs
),

mentees as (
    select * from participant_profiles
    where role = 'mentee'
),

mentors as (
    select * from participant_profiles
    where role = 'mentor'
),

blocked as (
    -- excluded first: the committee's decision is the reason a coordinator needs to see
    select
        mentee_email, mentor_email, min(why) filter (where why = 'excluded') as excluded,
        min(why) as any_why
    from blocked_pairs
    group by all
),

with_people as (
    select
        pairs.mentee_email,
        pairs.mentor_email,
        mentee.status as mentee_status,
        mentor.status as mentor_status,
        mentee.language_mask as mentee_languages,
        mentor.language_mask as mentor_languages,
        mentee.meeting_mode as mentee_mode,
        mentor.meeting_mode as mentor_mode,
        mentee.region_key as mentee_region,
        mentor.region_key as mentor_region,
        mentee.management_level as mentee_level,
        mentor.management_level as mentor_level,
        lower(pairs.mentee_email) = lower(pairs.mentor_email) as same_person,
        exists(
            select 1 from hierarchy_links as h
            where h.a = pairs.mentee_email and h.b = pairs.mentor_email
        ) as hierarchical_link,
        coalesce(blocked.excluded, blocked.any_why) as blocked_by
    from pairs
    left join mentees as mentee on mentee.email = pairs.mentee_email
    left join mentors as mentor on mentor.email = pairs.mentor_email
    left join blocked
        on blocked.mentee_email = pairs.mentee_email
        and blocked.mentor_email = pairs.mentor_email
),

final as (
    select
        *,
        status_rule(mentee_status, mentor_status) as status_rule,
        not shares_language(mentee_languages, mentor_languages) as no_shared_language,
        not meeting_compatible(mentee_mode, mentee_region, mentor_mode, mentor_region)
            as incompatible_meeting_mode,
        not level_gap_kept(mentee_level, mentor_level, $min_level_gap) as level_gap,
        broken_rule(
            mentee_status, mentor_status, same_person,
            mentee_languages, mentor_languages,
            mentee_mode, mentee_region, mentor_mode, mentor_region,
            mentee_level, mentor_level, $min_level_gap,
            hierarchical_link, blocked_by
        ) as broken_rule
    from with_people
)

select * from final
