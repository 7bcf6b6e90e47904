-- Quarantaine, in the night's workbook: the rows still to fix (as in the report), their
-- reasons as written, the reason codes (the workbook turns them into fixes) and the cells
-- as typed.
-- reads: report/todo_quarantine
select
    source_file,
    row_number,
    kind,
    email,
    array_to_string(reasons, ' ; ') as reasons,
    reason_codes,
    raw,
    quarantined_on,
    file_status
from todo_quarantine
