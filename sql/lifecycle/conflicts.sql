-- conflicts: active relationships that a change has put in conflict (SPEC §7): a
-- hierarchical link now exists between the partners (directly or through a chain of
-- superiors), the level gap is broken, or a partner is absent or withdrew.
-- $min_level_gap: from the configuration.
with
active as (
    select * from relationships where status = 'active'
),

with_people as (
    select
        active.relationship_id,
        active.mentee_email,
        active.mentor_email,
        mentee.status as mentee_status,
        mentor.status as mentor_status,
        mentee.management_level as mentee_level,
        mentor.management_level as mentor_level
    from active
    join participants as mentee on mentee.email = active.mentee_email and mentee.role = 'mentee'
    join participants as mentor on mentor.email = active.mentor_email and mentor.role = 'mentor'
),

found as (
    select relationship_id, mentee_email, mentor_email, 'hierarchy' as reason,
        'lien hiérarchique entre les partenaires depuis un changement' as detail
    from with_people
    where exists (select 1 from hierarchy_links where a = mentee_email and b = mentor_email)
    union all
    select relationship_id, mentee_email, mentor_email, 'level',
        'écart de niveau rompu : mentor niveau ' || mentor_level || ', personne mentorée niveau '
        || mentee_level
    from with_people
    where mentor_level < mentee_level + $min_level_gap
    union all
    select relationship_id, mentee_email, mentor_email, 'absence',
        case when mentee_status = 'absent' then 'la personne mentorée est absente'
             else 'le mentor est absent' end
    from with_people
    where 'absent' in (mentee_status, mentor_status)
    union all
    select relationship_id, mentee_email, mentor_email, 'withdrawal',
        case when mentee_status = 'withdrawn' then 'la personne mentorée s''est retirée'
             else 'le mentor s''est retiré' end
    from with_people
    where 'withdrawn' in (mentee_status, mentor_status)
)

select * from found order by relationship_id, reason
