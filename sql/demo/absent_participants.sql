-- absent_participants: who is absent, for the demo's simulated returns.
select distinct email
from participants
where status = 'absent'
order by email
