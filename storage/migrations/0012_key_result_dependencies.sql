-- Dependencies between key results: one key result waits for another (its own team's or another team's), optionally
-- by a date and with a note; and the messages sent across that seam.

CREATE TABLE key_result_dependencies (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- The key result that waits ...
    key_result_id bigint      NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    -- ... for this one.
    depends_on_id bigint      NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    -- The day the waiting key result needs it done by (after it passes, undone, the dependency is late).
    needed_by     date        NULL,
    note          text        NULL CHECK (length(note) <= 300),
    created_at    timestamptz NOT NULL,
    UNIQUE (key_result_id, depends_on_id),
    CHECK (key_result_id <> depends_on_id)
);
-- "What waits on this key result": the check-in's "this unblocks", the nudge to the waited-on owner, "blocking".
CREATE INDEX key_result_dependencies_depends_on_idx ON key_result_dependencies (depends_on_id);

-- No cycles. The import and chat refuse a loop with a message first (under the tenant's OKR lock); this is the floor
-- under them, so no path into the table can make key results wait on each other in a circle.
CREATE FUNCTION key_result_dependencies_no_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        WITH RECURSIVE reach (id) AS (
            SELECT NEW.depends_on_id
          UNION
            SELECT d.depends_on_id FROM key_result_dependencies d JOIN reach r ON d.key_result_id = r.id
        )
        SELECT 1 FROM reach WHERE id = NEW.key_result_id
    ) THEN
        RAISE EXCEPTION 'key result % would wait on itself through %', NEW.key_result_id, NEW.depends_on_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER key_result_dependencies_no_cycle BEFORE INSERT OR UPDATE OF key_result_id, depends_on_id ON key_result_dependencies
    FOR EACH ROW EXECUTE FUNCTION key_result_dependencies_no_cycle();

-- Messages across the seam. 'slipped': to the owner of the waited-on key result when the dependency turned at risk
-- or late (the episode is the instant it did); 'resolved': to the waiting owner when it is fine again. The unique key
-- makes a scan that runs twice (or on two instances) decide each message once; the weekly limit per dependency reads
-- the 'slipped' rows of the last 7 days, and the nudge cap counts these messages with the ladder's.
CREATE TABLE dependency_nudges (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    dependency_id bigint      NOT NULL REFERENCES key_result_dependencies (id) ON DELETE CASCADE,
    episode_since timestamptz NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('slipped', 'resolved')),
    recipient_id  bigint      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    delivery_key  text        NOT NULL,
    at            timestamptz NOT NULL,
    UNIQUE (dependency_id, episode_since, kind)
);
CREATE INDEX dependency_nudges_recipient_time_idx ON dependency_nudges (recipient_id, at);
