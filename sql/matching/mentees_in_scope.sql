-- mentees_in_scope: the waiting mentees whose pairs are wanted (`scope_mentees`, ids given
-- by Python: all of them to score the pool, a few to explain some proposals), each with the
-- highest `scope_rank` of the mentors whose pairs with it are wanted (`sees_up_to`: 0 when
-- every mentor in scope has rank 0; the certificate scans each mentee against the mentors
-- its bound does not settle, mentors ranked by price).
-- reads: matching/waiting_mentees
select w.*, s.sees_up_to
from waiting_mentees as w
inner join scope_mentees as s on s.mentee_id = w.mentee_id
