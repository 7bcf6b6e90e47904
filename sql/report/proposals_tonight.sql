-- Propositions: the proposals made on the run date (every round), with both names and the
-- score components, and those still waiting for the committee (pending_approval, any night).
with
made_or_pending as (
    select *
    from proposals_named
    where
        run_date = $run_date
        or (status = 'pending_approval' and run_date <= $run_date)
)

select
    proposal_id, run_date, round, run_date = $run_date as made_tonight,
    status, status_reason, requested,
    mentee_email, mentee_name, mentee_organization,
    mentor_email, mentor_name, mentor_organization,
    columns('^score'),
    mentee_waiting_since
from made_or_pending
order by run_date desc, round asc, score desc, proposal_id asc
