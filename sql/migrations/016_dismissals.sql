-- 016: dismissals, the items a coordinator took off « à traiter » with `jumelage dismiss`,
-- and why. An item is a flag (flag_id), a quarantined row (<file sha256, 12 digits>:<row>)
-- or an email waiting for a decision (email_key). Kept for good: the note is the record.
create table dismissals (
    kind varchar not null,          -- flag | quarantine | email (jumelage.vocabulary.DismissKind)
    item_id varchar not null,
    note varchar not null,
    dismissed_on date not null,     -- the day, in the program's time zone
    dismissed_at timestamp not null, -- UTC
    primary key (kind, item_id)
);
