-- mark_moved: the message $message_key now sits in $moved_to (the processed or review folder).
update inbound_messages
set moved_to = $moved_to
where message_key = $message_key
