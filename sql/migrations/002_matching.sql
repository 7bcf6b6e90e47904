-- 002: matching: proposals, relationships, pair rules, unmatched mentees, matching runs.

-- One row per proposal made by the nightly assignment (SPEC §5, §10).
create table if not exists proposals (
    proposal_id               varchar primary key,   -- P-YYYYMMDD-<hash of date, round, pair>
    run_date                  date not null,         -- the night it was made
    round                     integer not null default 1,  -- >1 when a reprocess re-matched that night
    mentee_email              varchar not null,
    mentor_email              varchar not null,
    score                     double not null,       -- weighted sum of the components, in [0, 1]
    score_goals               double not null,       -- mentee goals covered by mentor competencies
    score_interests           double not null,       -- shared interests (Jaccard)
    score_experience          double not null,       -- experience gap fit
    score_availability        double not null,       -- share of the mentee's slots the mentor also has
    score_cross_organization  double not null,       -- 1 when the organizations differ
    score_preference          double not null,       -- 1/rank in the mentee's preferred mentors
    requested                 boolean not null default false,  -- a pair_requested rule fixed it
    mentee_waiting_since      date,                  -- the mentee's first_seen_on at proposal time
    mentee_waiting_rank       integer,               -- 1 = waited longest among that night's pool
    status                    varchar not null,      -- pending_approval | proposed | accepted | declined | expired | withdrawn
    created_at                timestamp not null,
    released_on               date,                  -- night it became 'proposed' (sent to the mentee)
    decided_on                date,                  -- accepted / declined / expired / withdrawn on
    status_reason             varchar,
    updated_on                date
);
create index if not exists proposals_run_date on proposals (run_date);

-- Accepted proposals become relationships (filled by the apply stage).
create table if not exists relationships (
    relationship_id  varchar primary key,
    proposal_id      varchar,
    mentee_email     varchar not null,
    mentor_email     varchar not null,
    started_on       date not null,
    planned_end_on   date,
    status           varchar not null,               -- active | ended
    ended_on         date,
    end_reason       varchar
);

-- Committee rules about a pair: 'requested' (honored when eligible) or 'excluded' (never).
create table if not exists pair_rules (
    mentee_email  varchar not null,
    mentor_email  varchar not null,
    rule          varchar not null,                  -- requested | excluded
    source        varchar not null,                  -- pair_requested | pair_excluded | proposal_rejected | ...
    created_on    date not null,
    detail        varchar
);

-- Why each waiting mentee got no proposal on a night (for the report).
create table if not exists unmatched (
    run_date      date not null,
    mentee_email  varchar not null,
    reason        varchar not null,                  -- see jumelage.matching.reasons.REASONS
    detail        varchar,
    waiting_since date,
    primary key (run_date, mentee_email)
);

-- One row per matching round of a night: the numbers, and the optimality certificate.
create table if not exists matching_runs (
    run_date            date not null,
    round               integer not null,
    computed_at         timestamp not null,
    mentees_waiting     integer not null,
    mentors_available   integer not null,
    free_capacity       integer not null,
    eligible_pairs      bigint not null,             -- pairs passing every hard constraint
    qualifying_pairs    bigint not null,             -- ... and score >= min_score
    edges_solved        bigint not null,             -- edges given to the solver (after pruning)
    proposals           integer not null,
    requested_fixed     integer not null,
    unmatched           integer not null,
    total_score         double not null,
    certified_optimal   boolean not null,            -- dual certificate over all qualifying pairs
    certificate_rounds  integer not null,
    seconds_scoring     double not null,
    seconds_assignment  double not null,
    primary key (run_date, round)
);
