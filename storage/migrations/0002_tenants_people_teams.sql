-- Who is where: tenants (a Teams tenant or a Slack workspace), the people in them, their teams,
-- and the conversations through which the bot reaches a person or a channel.

CREATE TABLE tenants (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform     text        NOT NULL CHECK (platform IN ('teams', 'slack')),
    external_id  text        NOT NULL,
    name         text        NOT NULL DEFAULT '',
    -- IANA zone used for people whose own zone is unknown.
    time_zone    text        NOT NULL DEFAULT 'UTC',
    settings     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform, external_id)
);

CREATE TABLE people (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id           bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- Teams "29:..." id or Slack "U..." id.
    platform_user_id    text        NOT NULL,
    aad_object_id       text        NULL,
    email               text        NULL,
    display_name        text        NOT NULL DEFAULT '',
    time_zone           text        NULL,
    manager_id          bigint      NULL REFERENCES people (id) ON DELETE SET NULL,
    active              boolean     NOT NULL DEFAULT true,
    opted_out_of_pulses boolean     NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, platform_user_id)
);
CREATE INDEX people_tenant_email_idx ON people (tenant_id, lower(email)) WHERE email IS NOT NULL;
CREATE INDEX people_aad_object_idx ON people (tenant_id, aad_object_id) WHERE aad_object_id IS NOT NULL;
CREATE INDEX people_manager_idx ON people (manager_id) WHERE manager_id IS NOT NULL;

CREATE TABLE conversations (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id          bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind               text        NOT NULL CHECK (kind IN ('personal', 'channel', 'groupChat')),
    -- The platform's conversation id (Teams) or channel id (Slack).
    conversation_id    text        NOT NULL,
    -- Teams only; it can change, so it is refreshed from every inbound activity.
    service_url        text        NULL,
    person_id          bigint      NULL REFERENCES people (id) ON DELETE CASCADE,
    reachable          boolean     NOT NULL DEFAULT true,
    unreachable_reason text        NULL,
    -- Set when the welcome card went out; cleared when the bot is removed, so a reinstall is welcomed.
    welcomed           boolean     NOT NULL DEFAULT false,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, conversation_id),
    CHECK (kind <> 'personal' OR person_id IS NOT NULL)
);
CREATE INDEX conversations_person_idx ON conversations (person_id) WHERE person_id IS NOT NULL;

CREATE TABLE teams (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id               bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- Teams team id ("19:...@thread...") or Slack channel/user-group id; NULL for teams made by import.
    external_id             text        NULL,
    name                    text        NOT NULL,
    parent_team_id          bigint      NULL REFERENCES teams (id) ON DELETE SET NULL,
    manager_id              bigint      NULL REFERENCES people (id) ON DELETE SET NULL,
    channel_conversation_id bigint      NULL REFERENCES conversations (id) ON DELETE SET NULL,
    -- IANA zone for the team's digest; the tenant's when NULL.
    time_zone               text        NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, external_id),
    CHECK (parent_team_id IS NULL OR parent_team_id <> id)
);
CREATE INDEX teams_parent_idx ON teams (parent_team_id) WHERE parent_team_id IS NOT NULL;
CREATE INDEX teams_manager_idx ON teams (manager_id) WHERE manager_id IS NOT NULL;

CREATE TABLE team_members (
    team_id   bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    person_id bigint      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role      text        NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'manager')),
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_person_idx ON team_members (person_id);
