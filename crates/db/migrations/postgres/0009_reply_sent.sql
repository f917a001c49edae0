-- A reply is shown to the proposer and the public, and its letter exists,
-- only once it is sent — signed off by everyone the kind's chain names
-- (issue 11). Until then staff and the unit see it as a draft.
ALTER TABLE item_reply ADD COLUMN sent_at BIGINT;
-- Earlier data: a reply was sent when its assignment is answered with it, or
-- when it is the last version of an earlier round (its item was handled
-- again after it). The time is its last approval, else its submission.
UPDATE item_reply SET sent_at = COALESCE(
    (SELECT MAX(s.at) FROM item_signoff s WHERE s.reply_id = item_reply.id AND s.decision = 'approve'),
    item_reply.created_at)
WHERE (item_reply.current = 1
       AND EXISTS (SELECT 1 FROM assignment a WHERE a.id = item_reply.assignment_id AND a.state = 'replied'))
   OR (item_reply.round < (SELECT t.round FROM tracked_item t WHERE t.id = item_reply.item_id)
       AND item_reply.id = (SELECT MAX(r2.id) FROM item_reply r2
                            WHERE r2.assignment_id = item_reply.assignment_id AND r2.round = item_reply.round));
