-- La nuit: every file version read on the run date, with its row counts
-- (rows_read = rows_accepted + rows_quarantined + rows_superseded) and the columns it has that
-- were not understood and are ignored (unknown_values of row 0), listed this night only.
with
read_tonight as (
    select *
    from files
    where run_date = $run_date
),

ignored as (
    select
        source_file,
        file_sha256,
        list(value order by value) as ignored_columns
    from unknown_values
    where row_number = 0
    group by source_file, file_sha256
)

select
    r.name,
    r.kind,
    r.status,
    r.rows_read,
    r.rows_accepted,
    r.rows_quarantined,
    r.rows_superseded,
    r.error,
    r.encoding,
    r.separator,
    coalesce(i.ignored_columns, []) as ignored_columns
from read_tonight as r
left join ignored as i on i.source_file = r.name and i.file_sha256 = r.sha256
order by r.read_at, r.name
