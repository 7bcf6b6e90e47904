-- listing: the outbox without bodies, oldest first; only the messages in $status, unless it
-- is null (jumelage emails list).
select
    email_key, kind, recipient, language, status, attempts, about, due_on, subject,
    message_id, created_run_date, created_at, sending_started_at, sent_at, sent_run_date,
    last_error
from emails
where $status::varchar is null or status = $status
order by created_at, email_key
