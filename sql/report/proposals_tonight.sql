-- Propositions: the proposals made on the run date (every round), with both names and the
-- score components, and those still waiting for the committee (pending_approval, any night).
with
made_or_pending as (
    select *
    from proposals
    where run_date = $run_date
        or (status = 'pending_approval' and run_date <= $run_date)
)

select
    p.proposal_id,
    p.run_date,
    p.round,
    p.run_date = $run_date as made_tonight,
    p.status,
    p.status_reason,
    p.requested,
    p.mentee_email,
    e.name as mentee_name,
    e.organization as mentee_organization,
    p.mentor_email,
    r.name as mentor_name,
    r.organization as mentor_organization,
    p.score,
    p.score_goals,
    p.score_interests,
    p.score_experience,
    p.score_availability,
    p.score_cross_organization,
    p.score_preference,
    p.mentee_waiting_since
from made_or_pending as p
left join participant_names as e on e.email = p.mentee_email and e.role = 'mentee'
left join participant_names as r on r.email = p.mentor_email and r.role = 'mentor'
order by p.run_date desc, p.round asc, p.score desc, p.proposal_id asc
