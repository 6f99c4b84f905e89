-- The outbox every proactive message goes through, and the audit trail.

CREATE TABLE deliveries (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id           bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- The target: a person (reached through their 1:1 conversation, created when missing)
    -- or a conversation (a channel).
    person_id           bigint      NULL REFERENCES people (id) ON DELETE CASCADE,
    conversation_id     bigint      NULL REFERENCES conversations (id) ON DELETE CASCADE,
    kind                text        NOT NULL,
    payload             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- One row per logical message: a job that runs twice enqueues once.
    idempotency_key     text        NOT NULL UNIQUE,
    not_before          timestamptz NOT NULL,
    status              text        NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts            integer     NOT NULL DEFAULT 0,
    last_error          text        NULL,
    -- Kept so the message can be updated later (e.g. "Thanks, recorded").
    platform_message_id text        NULL,
    claimed_by          text        NULL,
    lease_until         timestamptz NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    sent_at             timestamptz NULL,
    CHECK (person_id IS NOT NULL OR conversation_id IS NOT NULL)
);
-- The dispatcher's claim query: due rows that are pending, or sending with an expired lease.
CREATE INDEX deliveries_due_idx ON deliveries (not_before) WHERE status IN ('pending', 'sending');
CREATE INDEX deliveries_tenant_status_idx ON deliveries (tenant_id, status);
CREATE INDEX deliveries_person_idx ON deliveries (person_id) WHERE person_id IS NOT NULL;

CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  bigint      NULL REFERENCES tenants (id) ON DELETE CASCADE,
    actor      text        NOT NULL,
    action     text        NOT NULL,
    subject    text        NULL,
    details    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_tenant_time_idx ON audit_log (tenant_id, created_at DESC);
