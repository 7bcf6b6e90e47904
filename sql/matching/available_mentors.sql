-- available_mentors: mentors who can take a mentee tonight (SPEC §4): active, and free capacity
-- left once active relationships and pending proposals are counted (mentor_loads). mentor_id is
-- dense by email so that the solver sees the same graph whatever the input order.
-- reads: matching/mentor_loads
select
    (row_number() over (order by email))::integer as mentor_id,
    *
from mentor_loads
where free_capacity > 0
