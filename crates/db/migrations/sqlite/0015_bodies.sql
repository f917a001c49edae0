-- The bodies of a congress that act between sessions (standing committee,
-- 主任会议, committees, a township's 主席团) and their members over time.
CREATE TABLE body (
    id INTEGER PRIMARY KEY,
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (congress_id, name)
);

-- A membership is dated: who could attend is known for any day.
CREATE TABLE body_member (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body(id),
    deputy_id INTEGER REFERENCES deputy(id),
    name TEXT NOT NULL,
    position TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT,
    end_reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX body_member_body_idx ON body_member(body_id, from_date);
CREATE INDEX body_member_deputy_idx ON body_member(deputy_id);
