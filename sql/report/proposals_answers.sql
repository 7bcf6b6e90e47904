-- Propositions: answers and other decisions recorded for the run date (accepted, declined,
-- expired, withdrawn, with decided_on = run date).
with
decided_tonight as (
    select *
    from proposals
    where decided_on = $run_date
        and status in ('accepted', 'declined', 'expired', 'withdrawn')
)

select
    d.proposal_id,
    d.status,
    d.status_reason,
    d.mentee_email,
    e.name as mentee_name,
    d.mentor_email,
    r.name as mentor_name,
    d.released_on,
    d.score
from decided_tonight as d
left join participant_names as e on e.email = d.mentee_email and e.role = 'mentee'
left join participant_names as r on r.email = d.mentor_email and r.role = 'mentor'
order by d.status, d.proposal_id
