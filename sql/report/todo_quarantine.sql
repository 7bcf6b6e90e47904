-- À traiter: quarantined rows still to fix (quarantine/quarantine_rows): rows of a file version
-- that is still the current one; a corrected file replaces the version, and its old rows
-- drop out. Rows no correction can lift, and rows a coordinator dismissed
-- (`jumelage dismiss quarantine ID`, ID = item_id), are left out. The fix for each row is
-- chosen from `reason_codes` (migration 008), never from the text of `reasons`.
-- reads: quarantine/quarantine_rows
with
dismissed_rows as (
    select item_id
    from dismissals
    where kind = 'quarantine'
),

to_fix as (
    select *
    from quarantine_rows
    where fixable
        and item_id not in (select dismissed_rows.item_id from dismissed_rows)
)

select
    item_id,
    source_file,
    file_sha256,
    kind,
    row_number,
    email,
    reasons,
    reason_codes::varchar as reason_codes,
    raw::varchar as raw,
    run_date as quarantined_on,
    file_status
from to_fix
order by quarantined_on, source_file, row_number
