-- set_capacity: a mentor's capacity set to $capacity (whatif's --seats, on a copy of the
-- warehouse). Returns nothing; $email is a mentor's email.
update participants
set capacity = $capacity
where email = $email
    and role = 'mentor'
