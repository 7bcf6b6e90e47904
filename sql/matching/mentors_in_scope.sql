-- mentors_in_scope: the available mentors whose pairs are wanted (`scope_mentors`, ids
-- given by Python), with their `scope_rank` (see mentees_in_scope.sql).
-- reads: matching/available_mentors
select a.*, s.scope_rank
from available_mentors as a
inner join scope_mentors as s on s.mentor_id = a.mentor_id
