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

reviews_due as (
    select
        reviews.awaits,
        relationships.relationship_id as about,
        relationships.mentee_email as email,
        reviews.due_on as since
    from relationships
    cross join
        lateral (
            values
            ('midpoint_review', relationships.midpoint_on, relationships.midpoint_review_on),
            ('final_review', relationships.planned_end_on, relationships.final_review_on)
        ) as reviews (awaits, due_on, done_on)
    where
        relationships.status = 'active'
        and reviews.done_on is null
        and reviews.due_on <= $run_date
),

awaited as (
    select * from open_proposals
    union all
    select * from no_first_meeting
    union all
    select * from reviews_due
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
