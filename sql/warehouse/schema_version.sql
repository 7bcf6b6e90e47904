-- schema_version: the version of the warehouse's schema, 0 for a new file.
select coalesce(max(version), 0) as schema_version
from schema_version
