-- delete_version: the registry row of a file version read again ($file_name, $file_sha256:
-- an older version comes back), before it is recorded afresh.
delete from files
where name = $file_name and sha256 = $file_sha256
