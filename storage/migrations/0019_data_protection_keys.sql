-- ASP.NET Core Data Protection's key ring (bot/KeyRing): it protects the dashboard's session cookies and antiforgery
-- tokens and Slack's bot tokens and install states, shared by every instance so that any instance reads what
-- another protected. A key is written once and never changed; the framework retires keys by writing newer ones.
CREATE TABLE data_protection_keys (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text        NOT NULL UNIQUE,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
