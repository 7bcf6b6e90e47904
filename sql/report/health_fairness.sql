-- Équité: for each group of mentees by region, language, management level and organization,
-- the match rate, the median wait for a first proposal, and what became of the proposals and
-- relationships. A group of fewer than $min_group people shows no figure but its size band,
-- so that no one can be singled out.
-- reads: health/mentee_outcomes
with
by_group as (
    select
        'region' as dimension,
        region as group_value,
        *
    from mentee_outcomes
    union all
    select
        'language' as dimension,
        language as group_value,
        *
    from mentee_outcomes
    union all
    select
        'management_level' as dimension,
        management_level as group_value,
        *
    from mentee_outcomes
    union all
    select
        'organization' as dimension,
        organization as group_value,
        *
    from mentee_outcomes
),

figures as (
    select
        dimension,
        group_value,
        count(*) as people,
        count(first_proposal_on) / count(*) as match_rate,
        median(days_waiting) as median_days_waiting,
        sum(accepted) / nullif(sum(accepted + declined + expired), 0) as acceptance_rate,
        sum(declined) / nullif(sum(accepted + declined + expired), 0) as decline_rate,
        sum(expired) / nullif(sum(accepted + declined + expired), 0) as expiry_rate,
        sum(ended_early) / nullif(sum(relationships), 0) as early_ending_rate
    from by_group
    group by dimension, group_value
),

final as (
    select
        dimension,
        group_value,
        people,
        people < $min_group as suppressed,
        case when people >= $min_group then match_rate end as match_rate,
        case when people >= $min_group then median_days_waiting end as median_days_waiting,
        case when people >= $min_group then acceptance_rate end as acceptance_rate,
        case when people >= $min_group then decline_rate end as decline_rate,
        case when people >= $min_group then expiry_rate end as expiry_rate,
        case when people >= $min_group then early_ending_rate end as early_ending_rate
    from figures
)

select * from final
order by dimension asc, suppressed asc, people desc, group_value asc
