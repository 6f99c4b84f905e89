-- Events from Slack's Events API, by event_id, so a retry (X-Slack-Retry-Num) of an event already handled
-- does nothing, while a retry of one whose first attempt never finished (the process died) is handled.
-- Kept a day (Slack retries for about 5 minutes), then removed by the bot.
CREATE TABLE slack_events (
    event_id     text        PRIMARY KEY,
    team_id      text        NOT NULL,
    received_at  timestamptz NOT NULL,
    claimed_at   timestamptz NOT NULL,
    attempts     int         NOT NULL DEFAULT 1,
    done_at      timestamptz NULL
);

CREATE INDEX slack_events_received ON slack_events (received_at);

-- A Slack workspace the bot serves (tenants.platform = 'slack'). Revoked by app_uninstalled / tokens_revoked:
-- nothing more is sent there until it is installed again.
CREATE TABLE slack_workspaces (
    tenant_id     bigint      PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    team_id       text        NOT NULL UNIQUE,
    enterprise_id text        NULL,
    bot_user_id   text        NULL,
    revoked_at    timestamptz NULL,
    updated_at    timestamptz NOT NULL
);
