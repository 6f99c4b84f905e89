-- Answers that cannot be tied to people by someone reading the database, system columns included.
-- A submission's rows carry its own transaction id (xmin) and land in answer order (ctid) until the batch
-- that flags invitations as answered rewrites them, in random order, in its own transaction. This marks
-- the rows that batch has not rewritten yet.
ALTER TABLE responses ADD COLUMN shuffled boolean NOT NULL DEFAULT false;
CREATE INDEX responses_unshuffled_idx ON responses (run_id) WHERE NOT shuffled;
