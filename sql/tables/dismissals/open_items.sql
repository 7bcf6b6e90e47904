-- open_items: the items of « à traiter » a coordinator may dismiss, by kind and id: open
-- flags, quarantined rows of current (or rejected) file versions, emails waiting for a
-- decision. The ids are those the report shows in its dismiss commands.
with
open_flags as (
    select
        'flag' as kind,
        flag_id as item_id
    from flags
    where resolved_on is null
),

quarantined_rows as (
    select
        'quarantine' as kind,
        left(quarantine.file_sha256, 12) || ':' || quarantine.row_number::varchar as item_id
    from quarantine
    inner join files
        on files.name = quarantine.source_file and files.sha256 = quarantine.file_sha256
    where files.status in ('current', 'rejected')
),

emails_to_decide as (
    select
        'email' as kind,
        email_key as item_id
    from emails
    where status in ('uncertain', 'failed')
),

final as (
    select * from open_flags
    union all
    select * from quarantined_rows
    union all
    select * from emails_to_decide
)

select * from final
where kind = $kind and item_id = $item_id
