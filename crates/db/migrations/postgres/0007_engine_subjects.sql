-- The tracked-item engine names no capability (issue 10): an item points at
-- its subject and its proposer, runs under one of its kind's deadline rules,
-- records contacts "with the proposer" and evaluations by whoever the kind
-- names as evaluator. Key supervision is the suggestion's own fact.

ALTER TABLE tracked_item RENAME COLUMN complexity TO deadline_variant;
ALTER TABLE tracked_item ADD COLUMN subject_id BIGINT;
ALTER TABLE tracked_item ADD COLUMN link TEXT NOT NULL DEFAULT '';
ALTER TABLE tracked_item ADD COLUMN proposer_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE tracked_item ADD COLUMN proposer_id BIGINT;
UPDATE tracked_item SET subject_id = (SELECT s.id FROM suggestion s WHERE s.item_id = tracked_item.id)
    WHERE kind = 'suggestion';
UPDATE tracked_item SET link = '/suggestions/' || CAST(subject_id AS TEXT), proposer_kind = 'deputy',
    proposer_id = (SELECT s.lead_deputy_id FROM suggestion s WHERE s.id = tracked_item.subject_id)
    WHERE kind = 'suggestion' AND subject_id IS NOT NULL;
CREATE UNIQUE INDEX tracked_item_subject_idx ON tracked_item(kind, subject_id);

DROP INDEX tracked_item_key_idx;
ALTER TABLE tracked_item DROP COLUMN key_supervision;

ALTER TABLE item_contact RENAME COLUMN with_lead_deputy TO with_proposer;

ALTER TABLE item_evaluation RENAME COLUMN deputy_id TO evaluator_id;
ALTER TABLE item_evaluation ALTER COLUMN evaluator_id DROP NOT NULL;
ALTER TABLE item_evaluation DROP CONSTRAINT item_evaluation_deputy_id_fkey;
ALTER TABLE item_evaluation ADD COLUMN evaluator_kind TEXT NOT NULL DEFAULT 'deputy';
ALTER TABLE item_evaluation ALTER COLUMN evaluator_kind DROP DEFAULT;
