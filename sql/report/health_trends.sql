-- Tendances: month by month over the twelve months to $run_date, mentees entering the pool,
-- proposals made and accepted, the median wait of the mentees first proposed that month,
-- relationships started and ended early.
-- reads: health/mentee_outcomes
with
months as (
    select unnest(
        generate_series(
            date_trunc('month', $run_date::date) - interval 11 month,
            date_trunc('month', $run_date::date),
            interval 1 month
        )
    )::date as month_start
),

entered as (
    select
        date_trunc('month', first_seen_on)::date as month_start,
        count(*) as mentees_entered,
        median(first_proposal_on - first_seen_on) as median_days_to_proposal
    from mentee_outcomes
    group by all
),

proposed as (
    select
        date_trunc('month', run_date)::date as month_start,
        count(*) as proposals,
        count(*) filter (where status = 'accepted') as accepted
    from proposals
    where run_date <= $run_date
    group by all
),

started as (
    select
        date_trunc('month', started_on)::date as month_start,
        count(*) as relationships_started,
        count(*) filter (
            where ended_on <= $run_date and ended_on < planned_end_on
        ) as ended_early
    from relationships
    where started_on <= $run_date
    group by all
),

final as (
    select
        m.month_start,
        coalesce(e.mentees_entered, 0) as mentees_entered,
        e.median_days_to_proposal,
        coalesce(p.proposals, 0) as proposals,
        coalesce(p.accepted, 0) as accepted,
        coalesce(s.relationships_started, 0) as relationships_started,
        coalesce(s.ended_early, 0) as ended_early
    from months as m
    left join entered as e on e.month_start = m.month_start
    left join proposed as p on p.month_start = m.month_start
    left join started as s on s.month_start = m.month_start
)

select * from final
order by month_start
