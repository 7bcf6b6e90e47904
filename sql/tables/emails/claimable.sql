-- claimable: which of a batch's $keys are still `queued`, the keys `claim_batch` then claims
-- (in the same transaction). Asked apart because `update ... returning` cost 0.15 s a batch
-- of 200 on a launch night's outbox against 0.01 s for this select and the plain update.
select email_key
from emails
where status = 'queued' and email_key in (select unnest($keys::varchar[]))
order by email_key
