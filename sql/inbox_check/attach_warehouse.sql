-- attach_warehouse: the live warehouse (or its snapshot), read only, beside the in-memory
-- database of `jumelage inbox check`, which never writes it. $path: the DuckDB file.
attach $path as checked_warehouse (read_only)  -- noqa: PRS
