-- sent_about: the latest email jumelage sent to $sender about $about (a proposal or a
-- relationship), to know what a token's answer replies to.
select kind, about, recipient, message_id
from emails
where lower(recipient) = $sender and about = $about
order by created_at desc
limit 1
