-- by_id: one proposal (none for an unknown id). $proposal_id.
select *
from proposals
where proposal_id = $proposal_id
