-- 006: forget_log, one row per `jumelage forget`: that it was done, never the address.
create table if not exists forget_log (
    forgotten_on     date not null,
    pseudonym        varchar not null,
    done_at          timestamp not null,
    warehouse_rows   integer not null,
    files_rewritten  integer not null,
    files_deleted    integer not null
);
