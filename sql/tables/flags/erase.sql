-- erase: `jumelage forget`. The flags about a person whose data is erased lose their detail
-- (it may name them), replaced by $detail. $email: the address, lower-cased.
update flags
set detail = $detail
where lower(mentee_email) = $email or lower(mentor_email) = $email
