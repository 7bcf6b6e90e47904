-- released_by: proposals sent to the mentee on or before $cutoff and still unanswered (a
-- reminder or the expiry is due).
select *
from proposals
where status = 'proposed' and released_on <= $cutoff::date
order by proposal_id
