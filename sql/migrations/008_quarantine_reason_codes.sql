-- 008: quarantine.reason_codes, every reason of a quarantined row as data:
-- [{"code": "level_out_of_range", "field": "management_level", "value": 7, "low": 1, "high": 5}]
-- (codes: jumelage.vocabulary.QuarantineCode; field: the canonical column, "file" for a file
-- rejected as a whole, "row" for the row). `reasons` keeps the same reasons as text, in the
-- program's language, for coordinators' queries; what the program does with a reason (the
-- report's fix) is decided from these codes only.
alter table quarantine add column reason_codes json;

-- Rows quarantined before this version keep their text. Their reasons become
-- "recorded_as_text" with the column the text names ("niveau_encadrement : …", as the report
-- used to read it), read here once, so that the report's fix for them stays the same.
update quarantine
set reason_codes = coded.reason_codes
from (
    with
    headers (header, field) as (
        values
            ('date_inscription', 'submitted_at'), ('role', 'role'), ('prenom', 'first_name'),
            ('nom', 'last_name'), ('courriel', 'email'), ('langue', 'language'),
            ('organisation', 'organization'), ('unite', 'unit'),
            ('courriel_superieur', 'manager_email'), ('niveau_encadrement', 'management_level'),
            ('region', 'region'), ('mode_rencontre', 'meeting_mode'),
            ('competences', 'competencies'), ('objectifs', 'goals'), ('interets', 'interests'),
            ('annees_experience', 'experience_years'), ('disponibilites', 'availability'),
            ('capacite', 'capacity'), ('mentors_souhaites', 'preferred_mentors'),
            ('duree_mois', 'duration_months'), ('consentement', 'consent'),
            ('date_evenement', 'event_date'), ('type_evenement', 'event_type'),
            ('courriel_partenaire', 'counterpart_email'), ('no_proposition', 'proposal_id'),
            ('valeur', 'value'), ('fichier', 'file')
    ),

    reasons as (
        select
            source_file,
            file_sha256,
            row_number,
            generate_subscripts(reasons, 1) as position,
            unnest(reasons) as reason
        from quarantine
        where reason_codes is null
    ),

    named as (
        select
            reasons.*,
            headers.field
        from reasons
        left join headers
            on headers.header = lower(trim(regexp_extract(reasons.reason, '^([^:]*):', 1)))
    )

    select
        source_file,
        file_sha256,
        row_number,
        to_json(list({'code': 'recorded_as_text', 'field': field} order by position))
            as reason_codes
    from named
    group by source_file, file_sha256, row_number
) as coded
where quarantine.source_file = coded.source_file
    and quarantine.file_sha256 = coded.file_sha256
    and quarantine.row_number = coded.row_number;
