-- Pulse surveys. "Who answered" (invitations) and "what was answered" (responses) live apart:
-- responses carry an HMAC respondent key and no person id, no timestamp and no sequence number,
-- so that a reader of the database cannot line them up with invitations.

CREATE TABLE surveys (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id         bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name              text        NOT NULL,
    cadence           text        NOT NULL CHECK (cadence IN ('weekly', 'biweekly', 'monthly', 'cron')),
    -- Day of week (0 = Sunday) for weekly/biweekly, day of month for monthly.
    cadence_day       smallint    NULL,
    local_time        time        NOT NULL DEFAULT '10:00',
    cron_expression   text        NULL,
    answer_window     interval    NOT NULL DEFAULT interval '3 days',
    anonymous         boolean     NOT NULL DEFAULT true,
    score_threshold   integer     NOT NULL DEFAULT 5,
    comment_threshold integer     NOT NULL DEFAULT 10,
    enabled           boolean     NOT NULL DEFAULT true,
    is_default        boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    -- Product law: anonymity thresholds never go below 3.
    CHECK (score_threshold >= 3 AND comment_threshold >= 3),
    CHECK ((cadence = 'cron') = (cron_expression IS NOT NULL))
);
CREATE INDEX surveys_tenant_idx ON surveys (tenant_id);

-- The audience: one or more teams.
CREATE TABLE survey_audiences (
    survey_id bigint NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    team_id   bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (survey_id, team_id)
);
CREATE INDEX survey_audiences_team_idx ON survey_audiences (team_id);

CREATE TABLE survey_questions (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id bigint   NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    position  smallint NOT NULL,
    kind      text     NOT NULL CHECK (kind IN ('likert5', 'enps', 'choice', 'text')),
    prompt    text     NOT NULL,
    driver    text     NOT NULL DEFAULT '',
    choices   jsonb    NULL,
    required  boolean  NOT NULL DEFAULT true,
    UNIQUE (survey_id, position),
    CHECK ((kind = 'choice') = (choices IS NOT NULL))
);

CREATE TABLE survey_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id     bigint      NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    status        text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'cancelled')),
    opened_at     timestamptz NOT NULL,
    closes_at     timestamptz NOT NULL,
    closed_at     timestamptz NULL,
    audience_size integer     NOT NULL DEFAULT 0,
    UNIQUE (survey_id, opened_at),
    CHECK (closes_at > opened_at)
);
CREATE INDEX survey_runs_survey_idx ON survey_runs (survey_id, opened_at DESC);
CREATE INDEX survey_runs_open_idx ON survey_runs (closes_at) WHERE status = 'open';

-- Who was asked and whether they answered; never what they answered.
CREATE TABLE invitations (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id           bigint      NOT NULL REFERENCES survey_runs (id) ON DELETE CASCADE,
    person_id        bigint      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    team_id          bigint      NULL REFERENCES teams (id) ON DELETE SET NULL,
    invited_at       timestamptz NOT NULL,
    sent_at          timestamptz NULL,
    answered         boolean     NOT NULL DEFAULT false,
    reminders_sent   smallint    NOT NULL DEFAULT 0,
    last_reminded_at timestamptz NULL,
    UNIQUE (run_id, person_id)
);
CREATE INDEX invitations_person_idx ON invitations (person_id);
CREATE INDEX invitations_unanswered_idx ON invitations (run_id) WHERE NOT answered;

-- What was answered. The key is natural (run, question, respondent) so re-submitting overwrites
-- and no identity column reveals the order of answers.
CREATE TABLE responses (
    run_id         bigint  NOT NULL REFERENCES survey_runs (id) ON DELETE CASCADE,
    question_id    bigint  NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
    -- HMAC(server secret, run id, person id): stable per author, unlinkable without the secret.
    respondent_key bytea   NOT NULL,
    -- The group the answer counts for; a group, never a person.
    team_id        bigint  NULL REFERENCES teams (id) ON DELETE SET NULL,
    value_number   numeric NULL,
    value_text     text    NULL,
    PRIMARY KEY (run_id, question_id, respondent_key),
    CHECK (value_number IS NOT NULL OR value_text IS NOT NULL)
);
CREATE INDEX responses_run_team_idx ON responses (run_id, team_id, question_id);
