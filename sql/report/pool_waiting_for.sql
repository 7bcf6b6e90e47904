-- Le bassin: the mentees left waiting on $run_date because no mentor shares their
-- language or none has the level they need, grouped by what they wait for: their language
-- and the lowest level a mentor must have ($min_level_gap above theirs).
with
blocked as (
    select
        u.reason,
        p.language,
        p.management_level + $min_level_gap as level_needed
    from unmatched as u
    inner join participants as p on p.email = u.mentee_email and p.role = 'mentee'
    where
        u.run_date = $run_date
        and u.reason in ('no_shared_language', 'no_mentor_at_sufficient_level')
),

final as (
    select
        reason,
        language,
        level_needed,
        count(*) as people
    from blocked
    group by reason, language, level_needed
)

select * from final
order by people desc, reason asc, language asc, level_needed asc
