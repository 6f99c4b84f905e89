-- Pulse surveys, second cut: reminders per survey, why a run was not sent, when a survey last changed.
ALTER TABLE surveys ADD COLUMN max_reminders smallint NOT NULL DEFAULT 2 CHECK (max_reminders BETWEEN 0 AND 3);
ALTER TABLE surveys ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
-- A run whose audience is below the score threshold is not sent; the admin is told this reason.
ALTER TABLE survey_runs ADD COLUMN not_sent_reason text NULL;
-- The default "Alignment pulse" a newly installed team gets: at most one per team, even when Teams
-- announces the install twice at once.
ALTER TABLE surveys ADD COLUMN default_for_team_id bigint NULL UNIQUE REFERENCES teams (id) ON DELETE SET NULL;
