-- names_of: every first name, last name and unit a person was registered with, to find them
-- in free text and files.
select first_name, last_name, unit
from registrations
where lower(email) = $email
union
select first_name, last_name, unit
from participants
where lower(email) = $email
