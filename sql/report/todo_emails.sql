-- À traiter: emails that need a coordinator's decision, whatever night queued them.
-- uncertain: the sending was interrupted; failed: the server refused it for good.
-- Resend one with: jumelage emails resend <email_key>; or dismiss it (jumelage dismiss email).
with
dismissed_emails as (
    select item_id
    from dismissals
    where kind = 'email'
),

needs_decision as (
    select email_key, kind, recipient, status, attempts, last_error, created_run_date, about
    from emails
    where status in ('uncertain', 'failed')
        and email_key not in (select dismissed_emails.item_id from dismissed_emails)
)

select *
from needs_decision
order by case status when 'uncertain' then 0 else 1 end, created_run_date, email_key
