-- region_synonyms: folded region label -> folded canonical region, from the configuration's
-- [vocabulary.regions] (jumelage.rules.configure); read by the macro region_key.
create temp table if not exists region_synonyms (
    folded varchar primary key,
    canonical varchar not null
);
