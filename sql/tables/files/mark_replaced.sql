-- mark_replaced: a correction (same name, new content $replaced_by) replaces the version
-- $file_name, $file_sha256.
update files
set status = 'replaced', replaced_by = $replaced_by
where name = $file_name and sha256 = $file_sha256
