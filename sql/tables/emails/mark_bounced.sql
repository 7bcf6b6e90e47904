-- mark_bounced: a delivery status notification came back for the emails to $recipient whose
-- Message-ID is one of $ids, or, when the notification names none, for the latest one sent
-- to $recipient.
update emails
set status = 'bounced'
where
    lower(recipient) = $recipient
    and status in ('sent', 'uncertain')
    and (
        list_contains($ids, lower(message_id))
        or (
            len($ids) = 0
            and email_key = (
                select e.email_key
                from emails as e
                where lower(e.recipient) = $recipient and e.status in ('sent', 'uncertain')
                order by e.sent_at desc nulls last
                limit 1
            )
        )
    )
