-- erase: `jumelage forget`. The person's rows (every role) keep only what the program's counts
-- need (role, level, language, dates) under the pseudonym $pseudonym, marked removed.
-- $email: the address, lower-cased. $day: the day of the erasure.
update participants
set
    email = $pseudonym,
    status = 'removed',
    first_name = '',
    last_name = '',
    organization = '',
    unit = null,
    manager_email = null,
    region = null,
    competencies = [],
    goals = [],
    interests = [],
    availability = [],
    preferred_mentors = [],
    experience_years = null,
    updated_on = $day::date
where lower(email) = $email
