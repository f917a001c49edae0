-- Lookups of an assignment's history by the assignment, not only by the item:
-- the statistics ask, for every assignment they count, whether it has a
-- contact, a current reply and commitments; the reply rule asks for a contact
-- with the lead deputy; extensions are counted per assignment. Without these,
-- each of those questions scanned its whole table.
CREATE INDEX item_contact_assignment_idx ON item_contact(assignment_id, with_lead_deputy);
CREATE INDEX item_reply_assignment_idx ON item_reply(assignment_id, current);
CREATE INDEX item_commitment_reply_idx ON item_commitment(reply_id, state);
CREATE INDEX item_extension_assignment_idx ON item_extension(assignment_id);
CREATE INDEX item_opinion_item_idx ON item_opinion(item_id, id);
-- A unit's items, read from the index alone (its lists and counts).
CREATE INDEX assignment_unit_item_idx ON assignment(unit_id, item_id, state);

-- Only suggestions made at a session. Counting the ones made between sessions
-- (no session) in the same index makes "this session" look as broad as half
-- the table to SQLite's planner when many are, which then reads a unit's whole
-- history to find the fifty of one session (140 ms instead of 1 ms with the
-- benchmark's million items, nearly all between sessions).
DROP INDEX suggestion_session_idx;
CREATE INDEX suggestion_session_idx ON suggestion(session_id, id) WHERE session_id IS NOT NULL;

-- Key supervision (重点督办) marks a handful of items a year; the queue and
-- the list of them read these instead of every item of the congress.
CREATE INDEX tracked_item_key_idx ON tracked_item(congress_id, id) WHERE key_supervision = 1;
CREATE INDEX suggestion_key_idx ON suggestion(congress_id, id) WHERE key_supervision = 1;
