-- The key ring that protects the dashboard's session cookies and antiforgery tokens (ASP.NET Core data protection),
-- shared by every instance so that any instance reads a session another one started. A key is written once and
-- never changed; the framework retires keys by writing newer ones.
CREATE TABLE data_protection_keys (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text        NOT NULL UNIQUE,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
