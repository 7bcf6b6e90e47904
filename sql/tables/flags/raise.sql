-- raise: a flag for coordinators, written once: nothing is inserted when the flag $flag_id
-- (kind, what it is about, due date) exists already. $run_date, $kind, $mentee_email,
-- $mentor_email, $relationship_id, $proposal_id, $due_on, $detail.
insert into flags by name
select
    $flag_id as flag_id,
    $run_date::date as run_date,
    $kind as kind,
    $mentee_email::varchar as mentee_email,
    $mentor_email::varchar as mentor_email,
    $relationship_id::varchar as relationship_id,
    $proposal_id::varchar as proposal_id,
    $due_on::date as due_on,
    $detail as detail
where not exists (
        select 1 from flags
        where flag_id = $flag_id
    )
