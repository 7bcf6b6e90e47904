-- mark_removed: people whose every registration row disappeared in a correction are
-- kept for history but marked 'removed' (never matched).
-- $run_date: the night being processed.

with current_people as (
    select distinct registrations.email, registrations.role
    from registrations
    inner join files
        on files.sha256 = registrations.file_sha256
        and files.name = registrations.file_name
    where files.status = 'current'
)

update participants
set status = 'removed', updated_on = $run_date::date
where status <> 'removed'
    and not exists (
        select 1
        from current_people
        where current_people.email = participants.email
            and current_people.role = participants.role
    );
