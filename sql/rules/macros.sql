-- The hard constraints of SPEC §4, defined once as macros over the attributes of a
-- (mentee, mentor) pair. Created on every warehouse connection (jumelage.warehouse.connect);
-- eligibility, the withdrawal of pending proposals, the conflicts of active relationships
-- and the reasons given to unmatched mentees all call these and nothing else.
--
-- Rule codes, in the order they are tested (the first one broken is the reason):
-- partner_removed, partner_withdrawn, partner_absent, partner_inactive, same_person,
-- no_shared_language, incompatible_meeting_mode, level_gap, hierarchical_link,
-- excluded, declined_or_ended.

-- case, accents and separators ignored: 'Montréal' = 'montreal', 'Bas-Saint-Laurent' =
-- 'bas saint laurent'
create or replace temp macro fold_text(text) as
nullif(trim(regexp_replace(
    strip_accents(lower(coalesce(text, ''))), '[\s\-_/.''’–—]+', ' ', 'g'
)), '');

-- a region's comparison key: folded, then mapped through [vocabulary.regions] (the
-- `region_synonyms` table, filled from the configuration); null when unknown. (noqa: the
-- macro's own argument `region`, not a column)
create or replace temp macro region_key(region) as
coalesce(
    (
        select any_value(s.canonical) from region_synonyms as s
        where s.folded = fold_text(region)  -- noqa: RF02, RF03
    ),
    fold_text(region)
);

-- spoken languages as bits: 1 = French, 2 = English ('fr,en' = 3)
create or replace temp macro language_mask(language) as
(
    case when language like '%fr%' then 1 else 0 end
    + case when language like '%en%' then 2 else 0 end
)::utinyint;

create or replace temp macro shares_language(mentee_languages, mentor_languages) as
coalesce((mentee_languages & mentor_languages) <> 0, false);

-- in-person only on either side needs the other side to accept in person and the same
-- region, known on both sides
create or replace temp macro meeting_compatible(
    mentee_mode, mentee_region, mentor_mode, mentor_region
) as
coalesce(
    (mentee_mode <> 'in_person' and mentor_mode <> 'in_person')
    or (
        mentee_mode in ('in_person', 'both')
        and mentor_mode in ('in_person', 'both')
        and mentee_region = mentor_region
    ),
    false
);

create or replace temp macro level_gap_kept(mentee_level, mentor_level, min_level_gap) as
coalesce(mentor_level >= mentee_level + min_level_gap, false);

-- a partner's status that keeps the pair from going ahead (null: both active)
create or replace temp macro status_rule(mentee_status, mentor_status) as
case
    when mentee_status is null or mentor_status is null
        or 'removed' in (mentee_status, mentor_status) then 'partner_removed'
    when 'withdrawn' in (mentee_status, mentor_status) then 'partner_withdrawn'
    when 'absent' in (mentee_status, mentor_status) then 'partner_absent'
    when mentee_status <> 'active' or mentor_status <> 'active' then 'partner_inactive'
end;

-- blocked_by: why the pair is blocked for ever ('excluded', 'declined', 'relationship'),
-- null when it is not
create or replace temp macro broken_rule(
    mentee_status, mentor_status, same_person,
    mentee_languages, mentor_languages,
    mentee_mode, mentee_region, mentor_mode, mentor_region,
    mentee_level, mentor_level, min_level_gap,
    hierarchical_link, blocked_by
) as
case
    when status_rule(mentee_status, mentor_status) is not null
        then status_rule(mentee_status, mentor_status)
    when coalesce(same_person, false) then 'same_person'
    when not shares_language(mentee_languages, mentor_languages)
        then 'no_shared_language'
    when not meeting_compatible(mentee_mode, mentee_region, mentor_mode, mentor_region)
        then 'incompatible_meeting_mode'
    when not level_gap_kept(mentee_level, mentor_level, min_level_gap) then 'level_gap'
    when coalesce(hierarchical_link, false) then 'hierarchical_link'
    when blocked_by = 'excluded' then 'excluded'
    when blocked_by is not null then 'declined_or_ended'
end;
