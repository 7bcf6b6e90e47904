-- 001: the foundation: file registry, staged rows, quarantine, participants, runs.

create table if not exists runs (
    run_date     date primary key,
    kind         varchar not null default 'nightly',   -- nightly | reprocess
    started_at   timestamp not null,
    finished_at  timestamp,
    status       varchar not null,                     -- running | succeeded | failed
    error        varchar,
    attempts     integer not null default 1
);

-- Every version of every inbox file that was read (one row per name + content hash).
create table if not exists files (
    sha256            varchar not null,
    name              varchar not null,
    kind              varchar not null,                -- registrations | events
    size_bytes        bigint not null,
    archived_as       varchar not null,
    run_date          date not null,                   -- the night it was read
    read_at           timestamp not null,
    status            varchar not null,                -- current | replaced | rejected
    replaced_by       varchar,                         -- sha256 of the correction
    encoding          varchar,
    separator         varchar,
    rows_read         integer not null default 0,
    rows_accepted     integer not null default 0,
    rows_quarantined  integer not null default 0,
    rows_superseded   integer not null default 0,
    error             varchar,
    primary key (name, sha256)
);

-- Accepted registration rows of every file version, normalized (one per data row).
create table if not exists registrations (
    file_sha256        varchar not null,
    file_name          varchar not null,
    row_number         integer not null,
    submitted_at       timestamp not null,
    role               varchar not null,
    first_name         varchar not null,
    last_name          varchar not null,
    email              varchar not null,
    language           varchar not null,
    organization       varchar not null,
    unit               varchar,
    manager_email      varchar,
    management_level   integer not null,
    region             varchar,
    meeting_mode       varchar not null,
    competencies       varchar[] not null,
    goals              varchar[] not null,
    interests          varchar[] not null,
    experience_years   integer,
    availability       varchar[] not null,
    capacity           integer not null,
    preferred_mentors  varchar[] not null,
    duration_months    integer,
    primary key (file_name, file_sha256, row_number)
);

-- Accepted event rows, applied later in event_date order.
create table if not exists events (
    file_sha256        varchar not null,
    file_name          varchar not null,
    row_number         integer not null,
    event_date         date not null,
    event_type         varchar not null,
    email              varchar not null,
    counterpart_email  varchar,
    proposal_id        varchar,
    value              varchar,
    applied_on         date,
    outcome            varchar,
    primary key (file_name, file_sha256, row_number)
);

-- Rows that failed validation, with every reason (row_number counts data rows from 1;
-- 0 means the whole file).
create table if not exists quarantine (
    run_date     date not null,
    source_file  varchar not null,
    file_sha256  varchar not null,
    kind         varchar not null,
    row_number   integer not null,
    email        varchar,
    reasons      varchar[] not null,
    raw          json,
    primary key (source_file, file_sha256, row_number)
);

-- Older rows for one (email, role) in a file, kept with the row that replaced them.
create table if not exists superseded (
    run_date         date not null,
    source_file      varchar not null,
    file_sha256      varchar not null,
    row_number       integer not null,
    email            varchar not null,
    role             varchar not null,
    submitted_at     timestamp,
    replaced_by_row  integer not null,
    primary key (source_file, file_sha256, row_number)
);

-- Tags and slots outside the configured vocabulary: dropped from matching, listed in the report.
create table if not exists unknown_values (
    run_date     date not null,
    source_file  varchar not null,
    file_sha256  varchar not null,
    row_number   integer not null,
    field        varchar not null,
    value        varchar not null
);

-- One row per (email, role): the latest registration, plus the state the events give it.
create table if not exists participants (
    email              varchar not null,
    role               varchar not null,               -- mentor | mentee
    status             varchar not null,               -- active | absent | withdrawn | unresponsive | removed
    first_name         varchar not null,
    last_name          varchar not null,
    language           varchar not null,
    organization       varchar not null,
    unit               varchar,
    manager_email      varchar,
    management_level   integer not null,
    region             varchar,
    meeting_mode       varchar not null,
    competencies       varchar[] not null,
    goals              varchar[] not null,
    interests          varchar[] not null,
    experience_years   integer,
    availability       varchar[] not null,
    capacity           integer not null,
    preferred_mentors  varchar[] not null,
    duration_months    integer,
    submitted_at       timestamp not null,
    source_file        varchar not null,
    source_row         integer not null,
    first_seen_on      date not null,                  -- the night they entered the pool
    updated_on         date not null,
    primary key (email, role)
);
