-- The reminder job's two questions, answered from small partial indexes:
-- which open assignments are overdue and not yet escalated, and which open
-- assignments fall due soon. The state list matches store::tracked::OPEN_STATES.
CREATE INDEX assignment_unescalated_idx ON assignment(id)
    WHERE overdue_notified_at IS NULL AND state IN ('handling', 'awaiting_head', 'awaiting_leader');
CREATE INDEX assignment_open_due_idx ON assignment(due_date, id)
    WHERE state IN ('handling', 'awaiting_head', 'awaiting_leader');
-- Superseded by the partial index above; left in place it tempts the planner
-- into sorting every open assignment for the reminder job.
DROP INDEX assignment_due_idx;
