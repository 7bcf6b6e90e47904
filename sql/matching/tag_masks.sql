-- tag_masks: each pool member's tags as one 64-bit mask per domain (fast path: at most 64
-- distinct tags in every domain; tag_masks_wide.sql handles more). BIGINT, not UBIGINT: the
-- same 64 bits (bit 63 is the sign), and bit_count has a BIGINT version but none for
-- UBIGINT, whose every pair of the scoring would be cast to HUGEINT.
-- reads: matching/pool_tag_bits
with
tag_bit_values as (
    select
        side,
        id,
        domain,
        -- 1 << 63 overflows a BIGINT: that bit is the smallest BIGINT
        case when bit = 63 then -9223372036854775807 - 1 else 1::bigint << bit end::bigint
            as bit_value
    from pool_tag_bits
)

select
    side,
    id,
    coalesce(bit_or(bit_value) filter (where domain = 'skill'), 0)::bigint as skill_mask,
    coalesce(bit_or(bit_value) filter (where domain = 'interest'), 0)::bigint as interest_mask,
    coalesce(bit_or(bit_value) filter (where domain = 'slot'), 0)::bigint as slot_mask
from tag_bit_values
group by all
