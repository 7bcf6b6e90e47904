-- À traiter, in the night's workbook: one row per item that waits for a coordinator, as in
-- the report's « à traiter »: emails to decide, open flags, quarantined rows to fix.
-- reads: report/todo_emails, report/todo_flags, report/todo_quarantine
with
emails_to_decide as (
    select
        0 as sort_key,
        'email' as item,
        status as kind,
        email_key as reference,
        recipient as email,
        created_run_date as since,
        last_error as detail
    from todo_emails
),

flags_open as (
    select
        1 as sort_key,
        'flag' as item,
        kind,
        flag_id as reference,
        coalesce(mentee_email, mentor_email) as email,
        coalesce(due_on, raised_on) as since,
        detail
    from todo_flags
),

rows_to_fix as (
    select
        2 as sort_key,
        'quarantine' as item,
        kind,
        source_file || ' #' || row_number as reference,
        email,
        quarantined_on as since,
        array_to_string(reasons, ' ; ') as detail
    from todo_quarantine
),

items as (
    select * from emails_to_decide
    union all
    select * from flags_open
    union all
    select * from rows_to_fix
)

select item, kind, reference, email, since, detail
from items
order by sort_key, since, reference
