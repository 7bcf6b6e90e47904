-- record: one message read from the program mailbox, with what became of it. Once: a
-- message seen again (a second delivery, a run killed before it was moved) keeps its row.
insert into inbound_messages (
    message_key, message_id, folder, uidvalidity, uid, read_run_date, received_at, sender,
    subject, first_lines, kind, outcome, reason, event_type, event_ref, event_file,
    recorded_at
) values (
    $message_key, $message_id, $folder, $uidvalidity, $uid, $run_date, $received_at, $sender,
    $subject, $first_lines, $kind, $outcome, $reason, $event_type, $event_ref, $event_file,
    $recorded_at
)
on conflict do nothing
