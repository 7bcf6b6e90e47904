-- person: one participant's row in one role (none when they are not registered in it).
-- $email, $role.
select *
from participants
where email = $email and role = $role
