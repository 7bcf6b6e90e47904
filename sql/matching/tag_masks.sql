-- tag_masks: each pool member's tags as one UBIGINT bitmask per domain (fast path: at most
-- 64 distinct tags in every domain; tag_masks_wide.sql handles more).
-- reads: matching/pool_tag_bits
select
    side,
    id,
    coalesce(bit_or((1::ubigint << bit)::ubigint) filter (where domain = 'skill'), 0)::ubigint
        as skill_mask,
    coalesce(bit_or((1::ubigint << bit)::ubigint) filter (where domain = 'interest'), 0)::ubigint
        as interest_mask,
    coalesce(bit_or((1::ubigint << bit)::ubigint) filter (where domain = 'slot'), 0)::ubigint
        as slot_mask
from pool_tag_bits
group by all
