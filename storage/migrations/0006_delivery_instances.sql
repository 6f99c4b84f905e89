-- The bot instances draining the outbox. Teams limits requests per tenant, so each tenant is drained by
-- one instance at a time — its owner, for a short lease it renews while it has work there — and
-- instances never have to share a tenant's rate. Live instances heartbeat so work is spread evenly.
CREATE TABLE delivery_instances (
    instance text        PRIMARY KEY,
    seen_at  timestamptz NOT NULL
);

CREATE TABLE delivery_tenant_owners (
    tenant_id   bigint      PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    instance    text        NOT NULL,
    lease_until timestamptz NOT NULL
);
