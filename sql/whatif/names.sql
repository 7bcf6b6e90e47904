-- names: each participant's display name by email (a person in both roles has one name).
select
    email,
    any_value(name order by role) as name
from participant_names
group by email
