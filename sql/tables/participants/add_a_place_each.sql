-- add_a_place_each: every mentor gets one place more (a what-if trial, on a copy of the
-- warehouse only).
update participants
set capacity = capacity + 1
where role = 'mentor'
