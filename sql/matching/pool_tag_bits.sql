-- pool_tag_bits: each pool member (side, id) with the bits of its tags, per domain (bit null
-- where it has no tag), read by tag_masks.sql and tag_masks_wide.sql.
-- reads: matching/pool_tags, matching/tag_bits
select pool_tags.side, pool_tags.id, pool_tags.domain, tag_bits.bit
from pool_tags
left join tag_bits using (domain, tag)
