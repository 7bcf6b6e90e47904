-- proposals_csv: the night's proposals for the committee's CSV, with both names and
-- organizations and the score's components.
select
    p.proposal_id,
    p.status,
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
    p.requested,
    p.mentee_waiting_since
from proposals as p
left join participant_names as e on e.email = p.mentee_email and e.role = 'mentee'
left join participant_names as r on r.email = p.mentor_email and r.role = 'mentor'
where p.run_date = $run_date
order by p.round asc, p.mentee_waiting_rank asc, p.proposal_id asc
