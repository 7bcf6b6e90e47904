-- pending_proposals: proposals waiting for the committee or for the mentee's answer, whose
-- pair is checked against the rules every night.
select *
from proposals
where status in ('pending_approval', 'proposed')
order by proposal_id
