-- 003: the email outbox (SPEC §6, §10). One row per message and recipient; written in the
-- same transaction as the state change that causes it, then sent by the notify stage.
-- email_key is the idempotency key: a second insert with the same key is a no-op.

create table if not exists emails (
    email_key           varchar primary key,   -- kind-<hash of kind, about, due_on, recipient>
    kind                varchar not null,      -- proposal | proposal_reminder | confirmation | ...
    recipient           varchar not null,      -- one address
    cc                  varchar[],             -- extra visible recipients (rarely used)
    language            varchar not null,      -- fr | en
    about               varchar,               -- proposal_id / relationship_id / run date
    due_on              date,                  -- the due date the message answers to, if any
    subject             varchar not null,
    body_text           varchar not null,
    body_html           varchar not null,
    inline_images       json,                  -- [{"cid", "mime", "data" (base64)}], daily report
    message_id          varchar not null,      -- deterministic: <email_key@mailbox domain>
    status              varchar not null default 'queued',  -- queued | sending | sent | failed | uncertain
    attempts            integer not null default 0,         -- SMTP transactions started or tried
    last_error          varchar,
    created_run_date    date,                  -- the run date that queued it
    created_at          timestamp not null,
    sending_started_at  timestamp,             -- when the last SMTP transaction began
    sent_at             timestamp,             -- UTC, when the server accepted it
    sent_run_date       date,                  -- the run date whose send stage delivered it
    smtp_response       varchar                -- the server's final reply, for tracing
);
