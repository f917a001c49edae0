-- The audit chain is keyed from here on (HMAC-SM3 under a key derived from the
-- deployment's key). Records before `keyed_from` keep their plain SM3 links;
-- the first signed checkpoint, written when the server next starts, vouches
-- for them.
ALTER TABLE audit_head ADD COLUMN keyed_from INTEGER NOT NULL DEFAULT 1;
UPDATE audit_head SET keyed_from = seq + 1 WHERE id = 1;
