-- participants_by_email: the participants rows of some people of one role, for the emails
-- that go to them.
select *
from participants
where role = $role and list_contains($emails, email)
