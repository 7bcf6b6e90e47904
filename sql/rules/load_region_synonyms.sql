-- load_region_synonyms: the region synonyms of the configuration ($labels[i] is a synonym,
-- or the name itself, of the region $canonicals[i]), folded as the macro region_key folds
-- a participant's region. The first region wins when a label is listed under two.
create or replace temp table region_synonyms as
with
listed as (
    select
        unnest($labels::varchar[]) as listed_name,
        unnest($canonicals::varchar[]) as canonical,
        unnest(range(len($labels::varchar[]))) as label_rank
)

select
    fold_text(listed_name) as folded,
    first(fold_text(canonical) order by label_rank) as canonical
from listed
where fold_text(listed_name) is not null
group by fold_text(listed_name)
