-- sent_to: the emails jumelage sent to $sender whose Message-ID is one of $ids (a reply's
-- In-Reply-To and References), the most recent first.
select kind, about, recipient, message_id
from emails
where
    lower(recipient) = $sender
    and list_contains($ids, lower(message_id))
order by created_at desc
