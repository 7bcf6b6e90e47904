-- record_migration: migration $version ($name) applied at $applied_at.
insert into schema_version (version, name, applied_at)
values ($version, $name, $applied_at)
