-- sending: the keys of messages left `sending`, by key: at start-up, those a dead process
-- left in the middle of an SMTP transaction.
select email_key
from emails
where status = 'sending'
order by email_key
