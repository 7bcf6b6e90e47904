-- insert_email: an answer read from the program mailbox, as an event of source 'email'
-- keyed like a file row ($file_name 'mail:<message key>', $file_sha256, row 1), so the apply
-- stage applies it like any event. Once: a message read again adds nothing.
insert into events (
    file_sha256, file_name, row_number, event_date, event_type, email, counterpart_email,
    proposal_id, value, source, message_id
) values (
    $file_sha256, $file_name, 1, $event_date, $event_type, $email, $counterpart_email,
    $proposal_id, $value, 'email', $message_id
)
on conflict do nothing
