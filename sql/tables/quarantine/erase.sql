-- erase: `jumelage forget`. Rows about $email (lower-cased), or whose cells name it, keep
-- their place and reasons under the pseudonym $pseudonym, without their cells.
update quarantine
set email = $pseudonym, raw = null
where lower(email) = $email or cast(raw as varchar) ilike '%' || $email || '%'
