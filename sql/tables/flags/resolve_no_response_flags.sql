-- resolve_no_response_flags: an unanswered proposal leaves "à traiter" once a coordinator
-- acted: the proposal was declined on the mentee's behalf, or the mentee is back in the pool
-- (a new registration). $run_date.
update flags
set resolved_on = $run_date::date, resolved_by = 'coordinator'
from proposals
where flags.resolved_on is null
    and flags.kind = 'no_response'
    and flags.proposal_id = proposals.proposal_id
    and (
        proposals.status <> 'expired'
        or not exists (
            select 1 from participants
            where participants.email = flags.mentee_email
                and participants.role = 'mentee'
                and participants.status = 'unresponsive'
        )
    );
