-- create_schema_version: the table of applied migrations (before the first one runs).
create table if not exists schema_version (
    version integer primary key,
    name varchar not null,
    applied_at timestamp not null
)
