-- 通知公告 (issue 11): staff post a notice to chosen roles; it shows on their
-- home page until withdrawn. The audience is the role codes, comma-framed
-- (",deputy,unit_head,") so one role is found with LIKE '%,deputy,%'.
CREATE TABLE announcement (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    audience TEXT NOT NULL,
    -- The poster's congress; NULL (an administrator's) reaches every congress.
    congress_id INTEGER REFERENCES congress(id),
    posted_by INTEGER NOT NULL REFERENCES app_user(id),
    posted_by_name TEXT NOT NULL,
    posted_at INTEGER NOT NULL,
    withdrawn_at INTEGER
);
CREATE INDEX announcement_posted_idx ON announcement(posted_at);
