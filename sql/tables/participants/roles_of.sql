-- roles_of: the roles (mentee, mentor) an address is registered in; none for a stranger.
-- $email.
select role
from participants
where email = $email
