-- by_id: the dismissal of $kind $item_id, if any.
select
    kind,
    item_id,
    note,
    dismissed_on,
    dismissed_at
from dismissals
where kind = $kind and item_id = $item_id
