-- load_region_synonyms: the region synonyms of the configuration ($labels[i] is a synonym,
-- or the name itself, of the region $canonicals[i]), folded as the macro region_key folds
-- a participant's region. The first region wins when a label is listed under two.
create or replace temp table region_synonyms as
with
listed as (
    select
        unnest($labels::varchar[]) as label,
        unnest($canonicals::varchar[]) as canonical,
        unnest(range(len($labels::varchar[]))) as position
)

select fold_text(label) as folded, first(fold_text(canonical) order by position) as canonical
from listed
where fold_text(label) is not null
group by fold_text(label)
