-- event_values: the free text of the events about a person (a reason, a new organization).
update events
set value = null
where lower(email) = $email and value is not null
