-- set_status: an event or a deadline moves a person to $status, only from one of the
-- statuses $from_statuses (so that a replayed event changes nothing), in their role $role or,
-- when $role is null, in every role they hold. $email, $run_date.
update participants
set status = $status, updated_on = $run_date::date
where email = $email
    and ($role::varchar is null or role = $role::varchar)
    and list_contains($from_statuses::varchar[], status)
