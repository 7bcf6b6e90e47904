-- 013: answers by email (SPEC §6b). Events now say where they came from: a file of the inbox
-- or a message of the program mailbox (with its Message-ID). inbound_messages holds one row
-- per message read from the mailbox, keyed by its Message-ID (else a hash of the message),
-- so that a message is applied once across re-runs, crashes and second deliveries.

alter table events add column if not exists source varchar default 'file';
alter table events add column if not exists message_id varchar;
update events set source = 'file' where source is null;

create table if not exists inbound_messages (
    message_key    varchar primary key,   -- the Message-ID, else sha256 of the raw message
    message_id     varchar,               -- as the message gave it (may be null)
    folder         varchar not null,      -- where it was read
    uidvalidity    bigint not null,
    uid            bigint not null,
    read_run_date  date not null,
    received_at    timestamp,             -- the message's Date:, in UTC, when readable
    sender         varchar,               -- the From: address, lower-cased
    subject        varchar,
    first_lines    varchar,               -- the first lines of the answer (not escaped here)
    kind           varchar not null,      -- answer | auto_reply | bounce | other
    outcome        varchar not null,      -- recorded | to_check | auto_reply | bounced
    reason         varchar,               -- why it is to check (a code of AnswerIssue)
    event_type     varchar,               -- the event recorded, if any
    event_ref      varchar,               -- the proposal or relationship it is about
    event_file     varchar,               -- the event's key in events (file_name)
    moved_to       varchar,               -- the folder it was moved to, once moved
    recorded_at    timestamp not null
);

