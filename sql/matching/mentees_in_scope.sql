-- mentees_in_scope: the waiting mentees whose pairs are wanted (`scope_mentees`, ids given
-- by Python: all of them to score the pool, a few to explain some proposals).
-- reads: matching/waiting_mentees
select waiting_mentees.* from waiting_mentees semi join scope_mentees using (mentee_id)
