-- Secrets the application generates for itself, one row each, created once (Development only: the respondent-key
-- secret of a local database, so no two databases share a fixed one). Production secrets come from configuration,
-- never from here: a secret kept next to the data it protects protects nothing from a database reader.

CREATE TABLE app_secrets (
    name       text        PRIMARY KEY,
    value      bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
