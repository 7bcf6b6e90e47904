-- copy_warehouse: everything the attached warehouse holds, copied into the in-memory database
-- where the dry run records the file and re-derives participants.
copy from database checked_warehouse to memory  -- noqa: PRS
