-- record_round: the figures of one matching round (`new_round`, one row from Python).
insert into matching_runs by name
select * from new_round
