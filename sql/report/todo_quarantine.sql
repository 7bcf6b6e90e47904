-- À traiter: quarantined rows still to fix, i.e. rows of a file version that is still the
-- current one (or was rejected as a whole, row_number 0). A corrected file replaces the
-- version, and its old quarantined rows drop out of this list. The fix for each row is
-- chosen from `reason_codes` (migration 008), never from the text of `reasons`.
with
versions_to_fix as (
    select name, sha256, status as file_status
    from files
    where status in ('current', 'rejected')
        and run_date <= $run_date
)

select
    q.source_file,
    q.file_sha256,
    q.kind,
    q.row_number,
    q.email,
    q.reasons,
    q.reason_codes::varchar as reason_codes,
    q.raw::varchar as raw,
    q.run_date as quarantined_on,
    v.file_status
from quarantine as q
inner join versions_to_fix as v on v.name = q.source_file and v.sha256 = q.file_sha256
order by q.run_date, q.source_file, q.row_number
