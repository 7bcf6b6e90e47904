-- mentors_in_scope: the available mentors whose pairs are wanted (`scope_mentors`, ids
-- given by Python).
-- reads: matching/available_mentors
select available_mentors.* from available_mentors semi join scope_mentors using (mentor_id)
