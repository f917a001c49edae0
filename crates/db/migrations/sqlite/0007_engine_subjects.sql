-- The tracked-item engine names no capability (issue 10): an item points at
-- its subject and its proposer, runs under one of its kind's deadline rules,
-- records contacts "with the proposer" and evaluations by whoever the kind
-- names as evaluator. Key supervision is the suggestion's own fact.

ALTER TABLE tracked_item RENAME COLUMN complexity TO deadline_variant;
ALTER TABLE tracked_item ADD COLUMN subject_id INTEGER;
ALTER TABLE tracked_item ADD COLUMN link TEXT NOT NULL DEFAULT '';
ALTER TABLE tracked_item ADD COLUMN proposer_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE tracked_item ADD COLUMN proposer_id INTEGER;
UPDATE tracked_item SET subject_id = (SELECT s.id FROM suggestion s WHERE s.item_id = tracked_item.id)
    WHERE kind = 'suggestion';
UPDATE tracked_item SET link = '/suggestions/' || CAST(subject_id AS TEXT), proposer_kind = 'deputy',
    proposer_id = (SELECT s.lead_deputy_id FROM suggestion s WHERE s.id = tracked_item.subject_id)
    WHERE kind = 'suggestion' AND subject_id IS NOT NULL;
CREATE UNIQUE INDEX tracked_item_subject_idx ON tracked_item(kind, subject_id);

DROP INDEX tracked_item_key_idx;
ALTER TABLE tracked_item DROP COLUMN key_supervision;

ALTER TABLE item_contact RENAME COLUMN with_lead_deputy TO with_proposer;

-- SQLite cannot drop a NOT NULL or a foreign key in place; nothing refers to
-- this table, so it is rebuilt.
CREATE TABLE item_evaluation_new (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES tracked_item(id),
    round INTEGER NOT NULL,
    evaluator_kind TEXT NOT NULL,
    evaluator_id INTEGER,
    attitude TEXT NOT NULL,
    result TEXT NOT NULL,
    comment TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (item_id, round)
);
INSERT INTO item_evaluation_new (id, item_id, round, evaluator_kind, evaluator_id, attitude, result, comment, created_at)
    SELECT id, item_id, round, 'deputy', deputy_id, attitude, result, comment, created_at FROM item_evaluation;
DROP TABLE item_evaluation;
ALTER TABLE item_evaluation_new RENAME TO item_evaluation;
