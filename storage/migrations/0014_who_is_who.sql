-- Who is who: what each of the organisation's sources says about a person, the precedence between them, and one
-- rule for "manager of a team" and "leader" that every feature reads.

-- Shown to the person (`me`) and in the admin read-back; never used to decide who gets what.
ALTER TABLE people ADD COLUMN department text NULL;
ALTER TABLE people ADD COLUMN job_title text NULL;
-- A leader gets the weekly roll-up and may read every team's results. Replaces the tenant's settings->'leaders'.
ALTER TABLE people ADD COLUMN leader boolean NOT NULL DEFAULT false;
-- Since when the roster refresh found the person in none of the bot's teams; NULL while they are in one.
ALTER TABLE people ADD COLUMN teamless_since timestamptz NULL;

-- What each source says, one row per (person, field, source). The effective value on `people` (time_zone,
-- manager_id, active, opted_out_of_pulses, department, job_title, leader) is the one of the highest-ranked source
-- that says anything: self (the person's own choice in chat) > file (the admin's HR file or admin API) > graph
-- (Microsoft Graph) > platform (what Teams or Slack show). A row with a NULL value is a source saying "none"
-- (e.g. Graph: no manager). Features read only the effective columns; `me` reads these rows to say where from.
CREATE TABLE person_facts (
    person_id  bigint      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    field      text        NOT NULL CHECK (field IN ('time_zone', 'manager', 'active', 'opted_out', 'department', 'job_title', 'leader')),
    source     text        NOT NULL CHECK (source IN ('platform', 'graph', 'file', 'self')),
    -- time_zone: IANA id; manager: people.id; active, opted_out, leader: 'true'/'false'; the rest: text.
    value      text        NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, field, source)
);

-- Where a membership and its role came from: the roster (platform) or the admin (file). A roster read adds and
-- removes only what it owns; a role the file gave is never taken back by the platform.
ALTER TABLE team_members ADD COLUMN source text NOT NULL DEFAULT 'platform' CHECK (source IN ('platform', 'file'));

-- The one rule for "manager of a team": the team's named manager (teams.manager_id, rank 0) or a member whose role
-- is 'manager' (rank 1), and only people who are active. Results, nudges (step 3), digests and `me` read this view.
CREATE VIEW team_managers AS
SELECT DISTINCT ON (x.team_id, x.person_id) x.tenant_id, x.team_id, x.person_id, x.rank
FROM (
    SELECT t.tenant_id, t.id AS team_id, t.manager_id AS person_id, 0 AS rank
    FROM teams t WHERE t.manager_id IS NOT NULL
    UNION ALL
    SELECT t.tenant_id, m.team_id, m.person_id, 1
    FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.role = 'manager'
) x
JOIN people p ON p.id = x.person_id AND p.active
ORDER BY x.team_id, x.person_id, x.rank;

-- The one rule for "leader": an active person marked leader.
CREATE VIEW leaders AS
SELECT p.tenant_id, p.id AS person_id FROM people p WHERE p.leader AND p.active;

-- Leaders listed the old way (by platform user id in the tenant's settings) become people marked leader, as if
-- the admin had said so; the settings key goes.
INSERT INTO person_facts (person_id, field, source, value)
SELECT p.id, 'leader', 'file', 'true'
FROM people p JOIN tenants x ON x.id = p.tenant_id
WHERE x.settings->'leaders' ? p.platform_user_id;
UPDATE people p SET leader = true
FROM tenants x WHERE x.id = p.tenant_id AND x.settings->'leaders' ? p.platform_user_id;
UPDATE tenants SET settings = settings - 'leaders' WHERE settings ? 'leaders';

-- Values set before sources were kept were set by an admin: they keep winning over Graph and the platform.
INSERT INTO person_facts (person_id, field, source, value)
SELECT id, 'time_zone', 'file', time_zone FROM people WHERE time_zone IS NOT NULL
UNION ALL SELECT id, 'manager', 'file', manager_id::text FROM people WHERE manager_id IS NOT NULL
UNION ALL SELECT id, 'opted_out', 'file', 'true' FROM people WHERE opted_out_of_pulses
UNION ALL SELECT id, 'active', 'file', 'false' FROM people WHERE NOT active;
