-- night_unmatched: the mentees left waiting on $run_date, with the reason and the counts.
select mentee_email, reason, detail, waiting_since
from unmatched
where run_date = $run_date
order by mentee_email
