-- night_proposals: the proposals the matching made on $run_date (every round), in the order
-- they were made, with the columns the matching writes.
select
    proposal_id,
    run_date,
    round,
    mentee_email,
    mentor_email,
    score,
    score_goals,
    score_interests,
    score_experience,
    score_availability,
    score_cross_organization,
    score_preference,
    requested,
    mentee_waiting_since,
    mentee_waiting_rank,
    status,
    created_at,
    released_on,
    decided_on,
    status_reason,
    updated_on
from proposals
where run_date = $run_date
order by round asc, mentee_waiting_rank asc, proposal_id asc
