-- has_schema_version: whether the warehouse has been initialized by a migration yet.
select count(*) > 0 as has_table
from information_schema.tables
where table_name = 'schema_version'
