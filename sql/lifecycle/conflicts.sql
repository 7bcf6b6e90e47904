-- conflicts: active relationships that a change has put in conflict (SPEC §7), from the
-- rules that still apply once a relationship runs (`pair_checks` of the active pairs, given
-- by Python as `relationship_checks`): a hierarchical link now exists between the partners
-- (directly or through a chain of superiors), the level gap is broken, or a partner is
-- absent or withdrew. `reason` keeps the keys that flag ids were built from.
with
active as (
    select relationship_id, mentee_email, mentor_email
    from relationships
    where status = 'active'
),

checked as (
    select
        active.relationship_id,
        checks.*,
        status_rule(checks.mentee_status, 'active') as mentee_rule,
        status_rule('active', checks.mentor_status) as mentor_rule
    from active
    inner join relationship_checks as checks using (mentee_email, mentor_email)
    where checks.mentee_status is not null and checks.mentor_status is not null
),

found as (
    select
        relationship_id, mentee_email, mentor_email, 'hierarchy' as reason,
        'lien hiérarchique entre les partenaires depuis un changement' as detail
    from checked
    where hierarchical_link
    union all
    select
        relationship_id, mentee_email, mentor_email, 'level' as reason,
        'écart de niveau rompu : mentor niveau ' || mentor_level || ', personne mentorée niveau '
        || mentee_level as detail
    from checked
    where level_gap
    union all
    select
        relationship_id, mentee_email, mentor_email, 'absence' as reason,
        case when mentee_rule = 'partner_absent' then 'la personne mentorée est absente'
            else 'le mentor est absent'
        end as detail
    from checked
    where 'partner_absent' in (mentee_rule, mentor_rule)
    union all
    select
        relationship_id, mentee_email, mentor_email, 'withdrawal' as reason,
        case when mentee_rule = 'partner_withdrawn' then 'la personne mentorée s''est retirée'
            else 'le mentor s''est retiré'
        end as detail
    from checked
    where 'partner_withdrawn' in (mentee_rule, mentor_rule)
)

select * from found
order by relationship_id, reason
