-- delete_version: the accepted org chart rows of a file version
-- ($file_name, $file_sha256) read again, or replaced by a correction.
delete from org_chart
where file_name = $file_name and file_sha256 = $file_sha256
