-- latest_between: the latest proposal between two people, whichever is the mentee (an event
-- that names the pair rather than the proposal). $email, $counterpart_email.
select *
from proposals
where (mentee_email = $email and mentor_email = $counterpart_email)
    or (mentee_email = $counterpart_email and mentor_email = $email)
order by run_date desc, round desc
limit 1
