-- delete_version: the superseded rows of a file version
-- ($file_name, $file_sha256) read again, or replaced by a correction.
delete from superseded
where source_file = $file_name and file_sha256 = $file_sha256
