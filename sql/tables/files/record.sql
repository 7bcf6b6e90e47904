-- record: the registry row of one inbox file version ($file_name, $file_sha256) read tonight,
-- with its counts. $status: current, or rejected for a file that could not be read at all
-- ($error says why, in the program's language).
insert into files (
    sha256, name, kind, size_bytes, archived_as, run_date, read_at, status, encoding,
    separator, rows_read, rows_accepted, rows_quarantined, rows_superseded, error
) values (
    $file_sha256, $file_name, $kind, $size_bytes, $archived_as, $run_date, $read_at, $status,
    $encoding, $separator, $rows_read, $rows_accepted, $rows_quarantined, $rows_superseded,
    $error
)
