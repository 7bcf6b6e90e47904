-- answers_by_email: what the program mailbox brought over the demo, for its summary: the
-- events the answers became (events.source = 'email': no events file involved), by type, and
-- the messages that were not answers applied (to check, auto-replies, bounces), by outcome.
with
email_events as (
    select
        events.event_type as what,
        count(*) as messages
    from events
    where events.source = 'email' and events.applied_on is not null
    group by events.event_type
),

not_applied as (
    select
        inbound_messages.outcome as what,
        count(*) as messages
    from inbound_messages
    where inbound_messages.outcome <> 'recorded'
    group by inbound_messages.outcome
),

final as (
    select
        email_events.what,
        email_events.messages
    from email_events
    union all
    select
        not_applied.what,
        not_applied.messages
    from not_applied
)

select
    final.what,
    final.messages
from final
order by final.what asc
