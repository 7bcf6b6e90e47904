-- mentee_outcomes: one row per mentee who entered the pool by $run_date, with the groups
-- fairness is read by (region, language, level, organization) and what happened to them:
-- the wait for a first proposal, the answers, the relationships and how they ended.
with
mentees as (
    select
        email,
        coalesce(nullif(trim(region), ''), '—') as region,
        language,
        management_level::varchar as management_level,
        organization,
        first_seen_on
    from participants
    where role = 'mentee'
        and status <> 'removed'
        and first_seen_on <= $run_date
),

their_proposals as (
    select
        mentee_email as email,
        min(run_date) as first_proposal_on,
        count(*) filter (where status = 'accepted') as accepted,
        count(*) filter (where status = 'declined') as declined,
        count(*) filter (where status = 'expired') as expired
    from proposals
    where run_date <= $run_date
    group by mentee_email
),

their_relationships as (
    select
        mentee_email as email,
        count(*) as relationships,
        count(*) filter (
            where ended_on is not null and ended_on <= $run_date and ended_on < planned_end_on
        ) as ended_early,
        min(first_meeting_on - started_on) as days_to_first_meeting
    from relationships
    where started_on <= $run_date
    group by mentee_email
),

final as (
    select
        m.email,
        m.region,
        m.language,
        m.management_level,
        m.organization,
        m.first_seen_on,
        p.first_proposal_on,
        r.days_to_first_meeting,
        coalesce(p.first_proposal_on, $run_date::date) - m.first_seen_on as days_waiting,
        coalesce(p.accepted, 0) as accepted,
        coalesce(p.declined, 0) as declined,
        coalesce(p.expired, 0) as expired,
        coalesce(r.relationships, 0) as relationships,
        coalesce(r.ended_early, 0) as ended_early
    from mentees as m
    left join their_proposals as p on p.email = m.email
    left join their_relationships as r on r.email = m.email
)

select * from final
