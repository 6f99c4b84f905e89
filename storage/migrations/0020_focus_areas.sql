-- Acting on results (focus areas / action plans): a team's manager picks a pulse driver whose result was shown and
-- writes what the team will do; the next digest and pulse card say "You said …, we are doing …", and the next run
-- asks whether it helped.
CREATE TABLE focus_areas (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id            bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    -- A survey question's driver (survey_questions.driver), e.g. 'clarity'.
    driver             text        NOT NULL CHECK (char_length(driver) BETWEEN 1 AND 100),
    -- The closed run whose result prompted it, and that result as the team saw it: an aggregate that was shown at or
    -- above the survey's score threshold, never an individual answer. Quoted by "You said …".
    source_run_id      bigint      NOT NULL REFERENCES survey_runs (id) ON DELETE CASCADE,
    source_mean        numeric     NOT NULL,
    source_favourable  numeric     NULL,
    source_respondents integer     NOT NULL,
    -- "We are doing …", in the manager's words.
    plan               text        NOT NULL CHECK (char_length(plan) BETWEEN 1 AND 500),
    set_by             bigint      NULL REFERENCES people (id) ON DELETE SET NULL,
    set_at             timestamptz NOT NULL,
    status             text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'done')),
    done_at            timestamptz NULL,
    -- The first run opened for the team after the focus was set: it asks "Did it help?" (once).
    followup_run_id    bigint      NULL REFERENCES survey_runs (id) ON DELETE SET NULL,
    CHECK ((status = 'done') = (done_at IS NOT NULL))
);
-- One focus at a time per team: a new one replaces the old (which becomes done).
CREATE UNIQUE INDEX focus_areas_active_idx ON focus_areas (team_id) WHERE status = 'active';
CREATE INDEX focus_areas_team_idx ON focus_areas (team_id, set_at DESC);
CREATE INDEX focus_areas_followup_idx ON focus_areas (followup_run_id) WHERE followup_run_id IS NOT NULL;

-- Answers to "Did it help?", kept as pulse answers are: the run's HMAC respondent key, no person id, no timestamp,
-- rewritten in random order with the run's answers (shuffled) so their order and transaction say nothing.
CREATE TABLE focus_followups (
    focus_area_id  bigint  NOT NULL REFERENCES focus_areas (id) ON DELETE CASCADE,
    run_id         bigint  NOT NULL REFERENCES survey_runs (id) ON DELETE CASCADE,
    respondent_key bytea   NOT NULL,
    answer         text    NOT NULL CHECK (answer IN ('yes', 'somewhat', 'no')),
    shuffled       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (focus_area_id, respondent_key)
);
CREATE INDEX focus_followups_run_idx ON focus_followups (run_id) WHERE NOT shuffled;
