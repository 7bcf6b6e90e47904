-- open_proposals: proposals waiting for the mentee's answer, for the demo's simulated people.
select proposal_id, mentee_email, mentor_email, released_on
from proposals
where status = 'proposed'
order by proposal_id
