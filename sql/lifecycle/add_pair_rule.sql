-- add_pair_rule: the committee's rule about a pair (requested or excluded), once.
insert into pair_rules (mentee_email, mentor_email, rule, source, created_on)  -- noqa: RF04
select $mentee_email, $mentor_email, $rule, $source, $created_on  -- noqa: AL03
where not exists (
        select 1 from pair_rules
        where
            pair_rules.mentee_email = $mentee_email
            and pair_rules.mentor_email = $mentor_email
            and pair_rules.rule = $rule
    )
