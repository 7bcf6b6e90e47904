-- counts_by_role: participants per role, and how many of them are active (the apply stage's
-- figures).
select
    role,
    count(*) filter (where status = 'active') as active,
    count(*) as total
from participants
group by role
