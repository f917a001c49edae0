-- Published, non-confidential suggestions are few among many: without a
-- value histogram (SQLite is built without STAT4) the planner sees one
-- common value in `publication` and scans the table for the public pages.
CREATE INDEX suggestion_published_idx ON suggestion(id)
    WHERE publication = 'published' AND confidential = 0;
