-- insert_event: an accepted event that cannot be applied (an unknown person, proposal or
-- relationship) joins its file's quarantined rows: $reasons in the program's language,
-- $reason_codes the same as data, $raw the event as JSON. Once: a row already there stays.
insert into quarantine (
    run_date, source_file, file_sha256, kind, row_number, email, reasons, reason_codes, raw
) values (
    $run_date, $file_name, $file_sha256, 'events', $row_number, $email, $reasons,
    $reason_codes, $raw
)
on conflict do nothing
