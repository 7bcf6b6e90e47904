-- proposals_csv: the night's proposals for the committee's CSV (columns in the CSV's order:
-- both partners, then the score and its components).
select
    proposal_id, status,
    mentee_email, mentee_name, mentee_organization,
    mentor_email, mentor_name, mentor_organization,
    columns('^score'),
    requested, mentee_waiting_since
from proposals_named
where run_date = $run_date
order by round asc, mentee_waiting_rank asc, proposal_id asc
