-- record_unmatched: the reasons of the mentees left waiting (`new_unmatched`, from Python).
insert into unmatched (run_date, mentee_email, reason, detail, waiting_since)
select $run_date as run_date, mentee_email, reason, detail, waiting_since
from new_unmatched
