-- rows_to_fix: the quarantined rows a coordinator can still fix (quarantine/quarantine_rows:
-- current file versions, not rows no correction can lift), for the demo's summary.
-- reads: quarantine/quarantine_rows
select
    source_file,
    row_number,
    reasons
from quarantine_rows
where fixable
order by source_file asc, row_number asc
