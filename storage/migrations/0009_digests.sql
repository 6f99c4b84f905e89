-- Weekly digests: when each team's digest and each tenant's leaders' roll-up go out, where the roll-up goes,
-- and the indexes the digest queries need (scripts/bench/digest.sh shows their plans).

-- The tenant's default: Monday (1; 0 = Sunday) 09:00 in each team's own zone; the roll-up at the same local time in
-- the tenant's zone. The leaders' channel is optional: the leaders listed in settings->'leaders' get it in 1:1 too.
ALTER TABLE tenants ADD COLUMN digest_weekday smallint NOT NULL DEFAULT 1 CHECK (digest_weekday BETWEEN 0 AND 6);
ALTER TABLE tenants ADD COLUMN digest_time time NOT NULL DEFAULT '09:00';
ALTER TABLE tenants ADD COLUMN leaders_conversation_id bigint NULL REFERENCES conversations (id) ON DELETE SET NULL;

-- A team's own day and time (NULL: the tenant's), or no digest at all.
ALTER TABLE teams ADD COLUMN digest_weekday smallint NULL CHECK (digest_weekday BETWEEN 0 AND 6);
ALTER TABLE teams ADD COLUMN digest_time time NULL;
ALTER TABLE teams ADD COLUMN digest_enabled boolean NOT NULL DEFAULT true;

-- Participation per team and run: without it, counting one team's invitations reads every invitation of a
-- company-wide run (thousands of rows, per team, per run on the trend).
CREATE INDEX invitations_run_team_idx ON invitations (run_id, team_id);
