-- from_registrations: participants, one row per (email, role) from the latest registration
-- among current file versions. Profile columns follow the registration; the lifecycle status
-- is kept, except that a newer registration brings back someone withdrawn, unresponsive or
-- removed.
-- $run_date: the night being processed.

insert into participants by name
with current_rows as (
    select registrations.*, files.read_at
    from registrations
    inner join files
        on files.sha256 = registrations.file_sha256
        and files.name = registrations.file_name
    where files.status = 'current'
),

latest_per_person as (
    select *
    from current_rows
    qualify
        row_number() over (
            partition by email, role
            order by submitted_at desc, read_at desc, file_name desc, row_number desc
        ) = 1
)

select
    email, role, 'active' as status, first_name, last_name, language, organization, unit,
    manager_email, management_level, region, meeting_mode, competencies, goals, interests,
    experience_years, availability, capacity, preferred_mentors, duration_months, submitted_at,
    file_name as source_file, row_number as source_row,
    $run_date::date as first_seen_on, $run_date::date as updated_on
from latest_per_person
on conflict (email, role) do update set
    status = case
        when excluded.submitted_at > participants.submitted_at
            and participants.status in ('withdrawn', 'unresponsive', 'removed') then 'active'
        when participants.status = 'removed' then 'active'
        else participants.status
    end,
    first_name = excluded.first_name,
    last_name = excluded.last_name,
    language = excluded.language,
    organization = excluded.organization,
    unit = excluded.unit,
    manager_email = excluded.manager_email,
    management_level = excluded.management_level,
    region = excluded.region,
    meeting_mode = excluded.meeting_mode,
    competencies = excluded.competencies,
    goals = excluded.goals,
    interests = excluded.interests,
    experience_years = excluded.experience_years,
    availability = excluded.availability,
    capacity = excluded.capacity,
    preferred_mentors = excluded.preferred_mentors,
    duration_months = excluded.duration_months,
    updated_on = case
        when excluded.submitted_at is distinct from participants.submitted_at
            or excluded.source_file is distinct from participants.source_file
            or excluded.source_row is distinct from participants.source_row
            or participants.status = 'removed'
            then excluded.updated_on
        else participants.updated_on
    end,
    submitted_at = excluded.submitted_at,
    source_file = excluded.source_file,
    source_row = excluded.source_row;
