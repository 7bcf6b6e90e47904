-- delete_version: the tags and slots outside the vocabulary of a file version
-- ($file_name, $file_sha256) read again, or replaced by a correction.
delete from unknown_values
where source_file = $file_name and file_sha256 = $file_sha256
