-- The OAuth v2 install ("Add to Slack"): encrypted tokens per workspace and single-use install states. The tokens
-- are protected with ASP.NET Core Data Protection, whose key ring is in data_protection_keys (0019).

-- An install state seen at the callback, kept until it would have expired anyway, so a second use is refused.
CREATE TABLE slack_oauth_states (
    nonce      text        PRIMARY KEY,
    expires_at timestamptz NOT NULL
);

CREATE INDEX slack_oauth_states_expiry ON slack_oauth_states (expires_at);

-- The installation's tokens, protected with Data Protection (never plain text). Null in single-workspace mode
-- (Slack:BotToken) and after app_uninstalled / tokens_revoked. With token rotation on, the bot token expires at
-- token_expires_at and the refresh token gets a new one.
ALTER TABLE slack_workspaces
    ADD COLUMN bot_token_protected     text        NULL,
    ADD COLUMN refresh_token_protected text        NULL,
    ADD COLUMN token_expires_at        timestamptz NULL,
    ADD COLUMN scopes                  text        NULL,
    ADD COLUMN installed_at            timestamptz NULL;

-- One installation per (enterprise, workspace): team_id is already unique; a workspace that moves into an
-- Enterprise Grid org is the same installation with its enterprise_id updated.
