-- quarantine_rows: the quarantined rows of file versions still current (or rejected as a
-- whole, row_number 0), each with the id `jumelage dismiss quarantine` takes and whether a
-- correction can lift it: a row is `fixable` unless every reason is one of $unfixable
-- (consent refused, a role outside the program; jumelage.vocabulary.UNFIXABLE).
with
versions_to_fix as (
    select
        name,
        sha256,
        status as file_status
    from files
    where status in ('current', 'rejected')
        and run_date <= $run_date
),

rows_with_codes as (
    select
        q.*,
        v.file_status,
        left(q.file_sha256, 12) || ':' || q.row_number::varchar as item_id,
        coalesce(json_extract_string(q.reason_codes, '$[*].code'), []) as codes
    from quarantine as q
    inner join versions_to_fix as v on v.name = q.source_file and v.sha256 = q.file_sha256
),

final as (
    select
        * exclude (codes),
        len(codes) = 0
        or len(list_distinct(codes)) > len(list_intersect(codes, $unfixable::varchar[]))
            as fixable
    from rows_with_codes
)

select * from final
