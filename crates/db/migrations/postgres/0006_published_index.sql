-- Published, non-confidential suggestions are few among many; the public
-- pages find them through this index instead of reading the table.
CREATE INDEX suggestion_published_idx ON suggestion(id)
    WHERE publication = 'published' AND confidential = 0;
