-- nearest_mentees: the mentees left without a proposal on $run_date (table `unmatched`), with
-- their profiles as the pool has them (waiting_mentees): the mentee side of the nearest
-- candidates, read under the name waiting_mentees by the pool's models.
-- reads: matching/waiting_mentees
select w.*
from waiting_mentees as w
semi join unmatched as u on u.mentee_email = w.email and u.run_date = $run_date
