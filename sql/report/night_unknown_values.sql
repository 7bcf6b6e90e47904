-- La nuit: tags and slots outside the vocabulary (not the ignored columns of row 0), in the
-- current version of a file (so still in the data), with how many rows use each; new_tonight
-- when first read on the run date.
with
current_versions as (
    select name, sha256
    from files
    where status = 'current' and run_date <= $run_date
),

unknown_in_current as (
    select u.*
    from unknown_values as u
    inner join current_versions as c on c.name = u.source_file and c.sha256 = u.file_sha256
    where u.row_number > 0  -- row 0: an ignored column, listed with its file (night_files)
)

select
    field,
    value,
    count(*)::integer as rows,
    min(run_date) as first_seen_on,
    min(run_date) = $run_date as new_tonight
from unknown_in_current
group by all
-- the DuckDB grammar of the SQL linter takes `rows` for a keyword here (DuckDB does not):
order by field asc, rows desc, value asc  -- noqa: PRS
