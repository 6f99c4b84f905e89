-- Digest chart images, served at /charts/{token}.png: Teams fetches a card's images without our credentials,
-- so the URL itself is the secret. Only a SHA-256 of its token is kept, so the database alone cannot rebuild a URL.
CREATE TABLE digest_charts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    token_hash  bytea       NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    png         bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL CHECK (expires_at > created_at)
);
-- A PNG is compressed already: storing it as is spares PostgreSQL a compression attempt per chart.
ALTER TABLE digest_charts ALTER COLUMN png SET STORAGE EXTERNAL;
-- Publishing a chart deletes the expired ones.
CREATE INDEX digest_charts_expires_idx ON digest_charts (expires_at);
