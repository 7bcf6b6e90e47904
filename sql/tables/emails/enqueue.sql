-- enqueue: one message into the outbox, `queued`. A key already there is left as it is
-- (`on conflict do nothing`): the statement then reports 0 rows. Run by notify.outbox.enqueue
-- inside the transaction of the state change that causes the message.
insert into emails (
    email_key, kind, recipient, cc, language, about, due_on, subject, body_text, body_html,
    inline_images, message_id, status, attempts, created_run_date, created_at
) values (
    $email_key, $kind, $recipient, $cc, $language, $about, $due_on, $subject, $body_text,
    $body_html, $inline_images, $message_id, 'queued', 0, $created_run_date, $created_at
)
on conflict do nothing
