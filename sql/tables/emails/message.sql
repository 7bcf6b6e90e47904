-- message: the row of one message, $email_key.
select *
from emails
where email_key = $email_key
