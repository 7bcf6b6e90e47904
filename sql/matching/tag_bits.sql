-- tag_bits: one bit per distinct tag of tonight's pool, per domain, so that overlaps are
-- computed as bit_count(a & b) on bitmasks instead of list intersections (10x faster in
-- DuckDB). Mentee goals and mentor competencies share the domain `skill`, hence one numbering.
-- reads: matching/pool_tags
with
distinct_tags as (
    select distinct domain, tag from pool_tags
    where tag is not null
)

select domain, tag, (dense_rank() over (partition by domain order by tag) - 1)::integer as bit
from distinct_tags
