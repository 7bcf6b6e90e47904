-- awaited_answers: the emails delivered to participants that ask them for an answer the demo's
-- simulated people may give tonight: open proposals, first meetings not yet held, mid-point
-- and final reviews due. Each with the Message-ID it was sent with and the person's language.
with
open_proposals as (
    select
        'proposal' as awaits,
        proposals.proposal_id as about,
        proposals.mentee_email as email,
        proposals.released_on as since
    from proposals
    where proposals.status = 'proposed'
),

no_first_meeting as (
    select
        'first_meeting' as awaits,
        relationships.relationship_id as about,
        relationships.mentee_email as email,
        relationships.started_on as since
    from relationships
    where relationships.status = 'active' and relationships.first_meeting_on is null
),

review_due as (
    select
        'midpoint_review' as awaits,
        relationships.relationship_id as about,
        relationships.mentee_email as email,
        relationships.midpoint_on as since
    from relationships
    where
        relationships.status = 'active'
        and relationships.midpoint_review_on is null
        and relationships.midpoint_on <= $run_date
),

final_review_due as (
    select
        'final_review' as awaits,
        relationships.relationship_id as about,
        relationships.mentee_email as email,
        relationships.planned_end_on as since
    from relationships
    where
        relationships.status = 'active'
        and relationships.final_review_on is null
        and relationships.planned_end_on <= $run_date
),

awaited as (
    select * from open_proposals
    union all
    select * from no_first_meeting
    union all
    select * from review_due
    union all
    select * from final_review_due
)

select
    awaited.awaits,
    awaited.about,
    awaited.email,
    awaited.since,
    emails.kind,
    emails.message_id,
    emails.language
from awaited
inner join emails
    on
    emails.about = awaited.about
    and emails.recipient = awaited.email
    and emails.status = 'sent'
    and emails.kind in (
        'proposal',
        'confirmation',
        'first_meeting_reminder',
        'midpoint_review',
        'final_review'
    )
order by awaited.awaits asc, awaited.about asc, emails.created_at desc
