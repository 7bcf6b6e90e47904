-- À traiter: the messages of the program mailbox read tonight that were not applied
-- (unknown sender, bad token, ambiguous text, an answer no longer expected): a coordinator
-- reads them in the review folder and records the event by hand if it is right.
with
to_check as (
    select
        message_key, received_at, sender, subject, first_lines, reason, event_ref, moved_to
    from inbound_messages
    where outcome = 'to_check' and read_run_date = $run_date
)

select *
from to_check
order by received_at nulls last, message_key
