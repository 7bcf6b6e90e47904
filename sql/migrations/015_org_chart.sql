-- 015: the org chart (the HR system's export of who reports to whom), one row per employee of
-- the current version of each `org_chart*` / `organigramme*` file; a correction (same name)
-- replaces the rows of the version it corrects, like any inbox file.
create table if not exists org_chart (
    file_sha256       varchar not null,
    file_name         varchar not null,
    row_number        integer not null,
    email             varchar not null,
    manager_email     varchar not null,
    organization      varchar,
    unit              varchar,
    management_level  integer,
    primary key (file_name, file_sha256, row_number)
);

-- hierarchy_links (first in 005), now over the union of the org chart and the registrations'
-- manager_email, so that a chain of superiors runs also through people who are not in the
-- program. For a person in both, the most recent source wins (the night its file was read;
-- the org chart on the same night). People removed by a correction no longer link anyone by
-- their registration. UNION (not UNION ALL) deduplicates against every row already found,
-- so a cycle in the manager data ends the recursion instead of looping.
create or replace view hierarchy_links as
with recursive
known_managers as (
    select c.email, c.manager_email, f.run_date as known_on, 1 as from_chart
    from org_chart as c
    inner join files as f on f.sha256 = c.file_sha256 and f.name = c.file_name
    where c.manager_email <> c.email
    union all
    select email, manager_email, updated_on as known_on, 0 as from_chart
    from participants
    where manager_email is not null and manager_email <> email and status <> 'removed'
),

-- per person, the source that gives the superiors: the most recent one, the chart on a tie
source_of as (
    select email, from_chart
    from known_managers
    qualify row_number() over (partition by email order by known_on desc, from_chart desc) = 1
),

-- every superior that source gives (a person registered in both roles may name two)
reports_to as (
    select distinct k.email as person, k.manager_email as superior
    from known_managers as k
    inner join source_of as s on s.email = k.email and s.from_chart = k.from_chart
),

superiors(person, superior) as (
    select person, superior from reports_to
    union
    select chain.person, up.superior
    from superiors as chain
    inner join reports_to as up on up.person = chain.superior
)

select person as a, superior as b from superiors where person <> superior
union
select superior as a, person as b from superiors where person <> superior;
