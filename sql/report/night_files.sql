-- La nuit: every file version read on the run date, with its row counts
-- (rows_read = rows_accepted + rows_quarantined + rows_superseded).
with
read_tonight as (
    select *
    from files
    where run_date = $run_date
)

select
    name,
    kind,
    status,
    rows_read,
    rows_accepted,
    rows_quarantined,
    rows_superseded,
    error,
    encoding,
    separator
from read_tonight
order by read_at, name
