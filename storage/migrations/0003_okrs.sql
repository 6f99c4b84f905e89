-- Objectives and key results with their check-in history.

CREATE TABLE objectives (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id           bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- NULL for company-level objectives.
    team_id             bigint      NULL REFERENCES teams (id) ON DELETE CASCADE,
    -- The line of sight: the objective this one serves.
    parent_objective_id bigint      NULL REFERENCES objectives (id) ON DELETE SET NULL,
    -- Stable key from the import, so re-importing changes nothing.
    external_key        text        NULL,
    title               text        NOT NULL,
    cycle               text        NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, external_key)
);
CREATE INDEX objectives_team_idx ON objectives (team_id, cycle);
CREATE INDEX objectives_parent_idx ON objectives (parent_objective_id) WHERE parent_objective_id IS NOT NULL;

CREATE TABLE key_results (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id            bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    objective_id         bigint      NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    external_key         text        NULL,
    title                text        NOT NULL,
    owner_id             bigint      NULL REFERENCES people (id) ON DELETE SET NULL,
    start_value          numeric     NOT NULL,
    target_value         numeric     NOT NULL,
    current_value        numeric     NOT NULL,
    unit                 text        NOT NULL DEFAULT '',
    direction            text        NOT NULL DEFAULT 'increase' CHECK (direction IN ('increase', 'decrease')),
    confidence           smallint    NULL CHECK (confidence BETWEEN 0 AND 10),
    checkin_cadence_days integer     NOT NULL DEFAULT 7 CHECK (checkin_cadence_days > 0),
    starts_on            date        NULL,
    due_on               date        NULL,
    last_checkin_at      timestamptz NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, external_key),
    CHECK (start_value <> target_value)
);
CREATE INDEX key_results_objective_idx ON key_results (objective_id);
CREATE INDEX key_results_owner_idx ON key_results (owner_id) WHERE owner_id IS NOT NULL;
-- Overdue scans look for key results whose last check-in is oldest.
CREATE INDEX key_results_last_checkin_idx ON key_results (tenant_id, last_checkin_at);

CREATE TABLE checkins (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_result_id bigint      NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    person_id     bigint      NULL REFERENCES people (id) ON DELETE SET NULL,
    value         numeric     NOT NULL,
    confidence    smallint    NULL CHECK (confidence BETWEEN 0 AND 10),
    blocker       text        NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX checkins_key_result_time_idx ON checkins (key_result_id, created_at DESC);
