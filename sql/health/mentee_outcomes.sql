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
        m.email,
        min(p.run_date) as first_proposal_on,
        count(p.proposal_id) filter (where p.status = 'accepted') as accepted,
        count(p.proposal_id) filter (where p.status = 'declined') as declined,
        count(p.proposal_id) filter (where p.status = 'expired') as expired
    from mentees as m
    left join proposals as p on p.mentee_email = m.email and p.run_date <= $run_date
    group by m.email
),

their_relationships as (
    select
        m.email,
        count(r.relationship_id) as relationships,
        count(r.relationship_id) filter (
            where r.ended_on <= $run_date and r.ended_on < r.planned_end_on
        ) as ended_early,
        min(r.first_meeting_on - r.started_on) as days_to_first_meeting
    from mentees as m
    left join relationships as r on r.mentee_email = m.email and r.started_on <= $run_date
    group by m.email
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
        p.accepted,
        p.declined,
        p.expired,
        r.relationships,
        r.ended_early
    from mentees as m
    inner join their_proposals as p on p.email = m.email
    inner join their_relationships as r on r.email = m.email
)

select * from final
