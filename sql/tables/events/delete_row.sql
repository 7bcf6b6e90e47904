-- delete_row: an accepted event ($file_name, $file_sha256, $row_number) that moved to
-- quarantine.
delete from events
where file_name = $file_name and file_sha256 = $file_sha256 and row_number = $row_number
