-- queued: the messages waiting to be sent, oldest first; only those of $keys unless it is
-- null (a resend sends one message).
select *
from emails
where status = 'queued'
    and ($keys::varchar[] is null or email_key in (select unnest($keys::varchar[])))
order by created_at, email_key
