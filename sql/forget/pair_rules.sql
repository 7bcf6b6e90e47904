-- pair_rules: the committee's notes about a person's pairs.
update pair_rules
set detail = null
where lower(mentee_email) = $email or lower(mentor_email) = $email
