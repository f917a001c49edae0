-- What a meeting issues: 决定, 决议, 审议意见 and the 纪要, each with its
-- document number (文号), numbered per congress, 代字 and year.
CREATE TABLE meeting_output (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    agenda_item_id INTEGER REFERENCES agenda_item(id),
    kind TEXT NOT NULL,
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    addressee TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    -- A deliberation opinion's tracked item, once assigned to units.
    item_id INTEGER REFERENCES tracked_item(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (congress_id, prefix, year, seq)
);
CREATE INDEX meeting_output_meeting_idx ON meeting_output(meeting_id);
