-- The OKR rhythm: snoozes, people away, and the nudge ladder with its fatigue accounting.

-- "away until <date>": no nudges to the person through that date (their own calendar day).
ALTER TABLE people ADD COLUMN away_until date NULL;

-- A snooze quiets a key result's nudges until then; it never hides that the key result is overdue.
ALTER TABLE key_results ADD COLUMN snoozed_until timestamptz NULL;

-- One row per step of the ladder a key result went through in one overdue episode. The episode is named by the
-- instant the key result became overdue; a check-in moves that instant, so the ladder starts again from step 1.
-- The unique key is what makes a nudge job that runs twice (or on two instances) decide each step once.
CREATE TABLE nudges (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_result_id bigint      NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    overdue_since timestamptz NOT NULL,
    -- 1 and 2: the owner; 3: the team's manager (one consolidated message for the team).
    step          smallint    NOT NULL CHECK (step BETWEEN 1 AND 3),
    recipient_id  bigint      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    -- sent: went out in the message named by delivery_key; held: the weekly cap held it back;
    -- folded: held, then mentioned in a later message (delivery_key) to the same person.
    outcome       text        NOT NULL CHECK (outcome IN ('sent', 'held', 'folded')),
    delivery_key  text        NULL,
    at            timestamptz NOT NULL,
    UNIQUE (key_result_id, overdue_since, step)
);
-- The cap counts a person's messages in the last 7 days; folding looks for what was held back.
CREATE INDEX nudges_recipient_time_idx ON nudges (recipient_id, at);
