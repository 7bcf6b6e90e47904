-- La nuit: the answers received by email tonight (recorded as events of source 'email'),
-- with what the apply stage made of them, and the auto-replies and bounces read.
with
tonight as (
    select message_key, received_at, sender, kind, outcome, event_type, event_ref, event_file
    from inbound_messages
    where read_run_date = $run_date and outcome <> 'to_check'
),

applied as (
    select file_name, outcome as applied
    from events
    where source = 'email'
)

select
    tonight.received_at,
    tonight.sender,
    tonight.kind,
    tonight.outcome,
    tonight.event_type,
    tonight.event_ref,
    applied.applied
from tonight
left join applied on applied.file_name = tonight.event_file
order by tonight.outcome, tonight.received_at nulls last, tonight.message_key
