-- nearest_mentors: every active mentor, those without a free place too (mentor_loads), with a
-- dense id by email: the mentor side of the nearest candidates, read under the name
-- available_mentors by the pool's models.
-- reads: matching/mentor_loads
select
    (row_number() over (order by email))::integer as mentor_id,
    *
from mentor_loads
