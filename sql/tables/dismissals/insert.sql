-- insert: $kind $item_id dismissed with $note on $dismissed_on ($dismissed_at, UTC); a
-- second dismissal of the same item keeps the first.
insert into dismissals (kind, item_id, note, dismissed_on, dismissed_at)
values ($kind, $item_id, $note, $dismissed_on, $dismissed_at)
on conflict do nothing
