-- event_quarantined: an accepted event of $file_name, $file_sha256 that could not be applied
-- moved to quarantine: the file's counts follow.
update files
set rows_accepted = rows_accepted - 1, rows_quarantined = rows_quarantined + 1
where name = $file_name and sha256 = $file_sha256
