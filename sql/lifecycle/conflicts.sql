-- conflicts: active relationships that a change has put in conflict (SPEC §7): the rules that
-- still apply once a relationship runs, from `pair_checks` of the active pairs (given by
-- Python as `relationship_checks`). One row per rule broken: hierarchical_link (directly or
-- through a chain of superiors), level_gap, partner_absent, partner_withdrawn (each partner
-- is checked on their own, so that both an absence and a withdrawal are seen).
with
active as (
    select relationship_id, mentee_email, mentor_email
    from relationships
    where status = 'active'
),

checked as (
    select
        active.relationship_id,
        checks.mentee_email,
        checks.mentor_email,
        checks.hierarchical_link,
        checks.level_gap,
        [
            status_rule(checks.mentee_status, 'active'),
            status_rule('active', checks.mentor_status)
        ] as partner_rules
    from active
    inner join relationship_checks as checks using (mentee_email, mentor_email)
    where checks.mentee_status is not null and checks.mentor_status is not null
),

found as (
    select relationship_id, mentee_email, mentor_email, 'hierarchical_link' as broken_rule
    from checked
    where hierarchical_link
    union all
    select relationship_id, mentee_email, mentor_email, 'level_gap' as broken_rule
    from checked
    where level_gap
    union all
    select relationship_id, mentee_email, mentor_email, 'partner_absent' as broken_rule
    from checked
    where list_contains(partner_rules, 'partner_absent')
    union all
    select relationship_id, mentee_email, mentor_email, 'partner_withdrawn' as broken_rule
    from checked
    where list_contains(partner_rules, 'partner_withdrawn')
)

select * from found
order by relationship_id, broken_rule
