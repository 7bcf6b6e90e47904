-- enqueue_batch: messages into the outbox, `queued`, in one statement (`new_emails`, given
-- by Python with the columns below, one row per key). A key already there is left as it is
-- (`on conflict do nothing`); returns the keys inserted. Run by notify.outbox.enqueue inside
-- the transaction of the state change that causes the messages. $created_at: now, UTC.
insert into emails (
    email_key, kind, recipient, cc, language, about, due_on, subject, body_text, body_html,
    inline_images, message_id, status, attempts, created_run_date, created_at
)
select
    email_key, kind, recipient, cc, language, about, due_on, subject, body_text, body_html,
    inline_images::json as inline_images, message_id, 'queued' as status, 0 as attempts,
    created_run_date, $created_at as created_at
from new_emails
on conflict do nothing
returning email_key
