-- 004: lifecycle and follow-up: flags raised for coordinators, and what relationships need to
-- compute their due dates (SPEC §7).

-- A flag is written once per (kind, pair or proposal, due date) and stays "à traiter" until the
-- event that resolves it arrives (resolved_on).
create table if not exists flags (
    flag_id          varchar primary key,   -- kind-<hash of kind, about, due_on>
    run_date         date not null,         -- the night it was raised
    kind             varchar not null,      -- first_meeting_overdue | stale | midpoint_review_due |
                                            -- final_review_due | conflict | no_response
    mentee_email     varchar,
    mentor_email     varchar,
    relationship_id  varchar,
    proposal_id      varchar,
    due_on           date,                  -- the date it fell due
    detail           varchar,               -- in French, for the report
    resolved_on      date,
    resolved_by      varchar                -- the event type (or action) that resolved it
);

alter table relationships add column if not exists midpoint_on date;
alter table relationships add column if not exists first_meeting_on date;
alter table relationships add column if not exists midpoint_review_on date;
alter table relationships add column if not exists final_review_on date;
alter table relationships add column if not exists last_event_on date;
