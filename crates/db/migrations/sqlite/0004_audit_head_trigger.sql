-- The audit head follows the record that reserved its sequence number, inside
-- the INSERT itself: one statement less in every audited transaction (each
-- statement is a round trip to the database thread).
CREATE TRIGGER audit_log_moves_head AFTER INSERT ON audit_log
BEGIN
    UPDATE audit_head SET hash = NEW.hash WHERE id = 1 AND seq = NEW.seq;
END;
