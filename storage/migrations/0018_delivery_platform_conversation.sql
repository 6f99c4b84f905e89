-- Where the platform put a sent message, next to its id: Slack's message id (ts) is unique only within its channel, and
-- a DM addressed to a user id (U...) lands in a channel Slack names in its answer (D...). Both are needed to update the
-- message later (chat.update: "Thanks — recorded", a run closed).
ALTER TABLE deliveries ADD COLUMN platform_conversation_id text NULL;
