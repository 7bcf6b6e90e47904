-- tag_masks (wide): each pool member's tags as one BIT string per domain, $width bits long:
-- the fallback when a domain has more than 64 distinct tags. bit_count(a & b) works the
-- same on BIT strings. Materialized under the name tag_masks.
-- reads: matching/pool_tag_bits
select
    side,
    id,
    coalesce(
        bitstring_agg(bit, 0, $width - 1) filter (where domain = 'skill'),
        bitstring('0', $width)
    ) as skill_mask,
    coalesce(
        bitstring_agg(bit, 0, $width - 1) filter (where domain = 'interest'),
        bitstring('0', $width)
    ) as interest_mask,
    coalesce(
        bitstring_agg(bit, 0, $width - 1) filter (where domain = 'slot'),
        bitstring('0', $width)
    ) as slot_mask
from pool_tag_bits
group by all
