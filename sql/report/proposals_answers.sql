-- Propositions: answers and other decisions recorded for the run date (accepted, declined,
-- expired, withdrawn, with decided_on = run date).
select
    proposal_id, status, status_reason,
    mentee_email, mentee_name,
    mentor_email, mentor_name,
    released_on, score
from proposals_named
where
    decided_on = $run_date
    and status in ('accepted', 'declined', 'expired', 'withdrawn')
order by status asc, proposal_id asc
