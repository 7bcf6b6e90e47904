-- La nuit: rows quarantined tonight that no correction can lift (consent refused, a role
-- outside the program). Reported this once, then kept in `quarantine` only.
-- reads: quarantine/quarantine_rows
select
    source_file,
    row_number,
    email,
    reasons
from quarantine_rows
where not fixable and run_date = $run_date
order by source_file, row_number
