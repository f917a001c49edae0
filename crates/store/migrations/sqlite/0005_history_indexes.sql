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
