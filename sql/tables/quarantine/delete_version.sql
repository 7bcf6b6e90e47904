-- delete_version: the quarantined rows of a file version read again ($file_name,
-- $file_sha256), before it is recorded afresh.
delete from quarantine
where source_file = $file_name and file_sha256 = $file_sha256
