-- read_files: every (name, sha256) already read, and whether it is the current version of
-- its name (the latest read that was kept or rejected): a file left in the inbox is read
-- once; other content under a known name is a correction.
select
    name,
    sha256,
    status in ('current', 'rejected')
    and read_at = max(read_at) filter (where status in ('current', 'rejected'))
        over (partition by name) as is_current
from files
