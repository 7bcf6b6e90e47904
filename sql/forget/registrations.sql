-- registrations: a person's registration rows, deleted (the counts stay in `files`).
delete from registrations
where lower(email) = $email
