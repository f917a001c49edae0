-- Deadlines that fall in a year whose holiday arrangement is not published
-- are computed provisionally (《全国年节及纪念日放假办法》第二条、第六条) and
-- computed again when the year is entered (issue 11). An assignment keeps how
-- its deadlines were computed — the start day and the period — and whether a
-- provisional year was counted.
ALTER TABLE assignment ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assignment ADD COLUMN due_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE assignment ADD COLUMN return_basis TEXT NOT NULL DEFAULT '';
-- Few are provisional at a time; the recomputation reads them from here.
CREATE INDEX assignment_provisional_idx ON assignment(id) WHERE provisional = 1;
