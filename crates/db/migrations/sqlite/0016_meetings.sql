-- Meetings of a congress's bodies between sessions: the standing committee,
-- its 主任会议, a township's 主席团, committees. Numbered within the term.
CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body(id),
    term_id INTEGER NOT NULL REFERENCES term(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    meeting_date TEXT NOT NULL,
    start_time TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL,
    convener TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    cancel_reason TEXT NOT NULL DEFAULT '',
    -- The code of the QR image at the door; unguessable.
    signin_code TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (body_id, term_id, number)
);
CREATE INDEX meeting_date_idx ON meeting(meeting_date, id);
CREATE INDEX meeting_body_idx ON meeting(body_id, meeting_date);

-- The agenda in order; an item may concern an object on the platform and may
-- be put to an open vote, whose counts and result it keeps.
CREATE TABLE agenda_item (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    link_kind TEXT NOT NULL DEFAULT '',
    link_ref TEXT NOT NULL DEFAULT '',
    -- The record it concerns where the platform knows it (a motion's id).
    link_id INTEGER,
    vote_yes INTEGER,
    vote_no INTEGER,
    vote_abstain INTEGER,
    vote_not_voting INTEGER,
    vote_base INTEGER,
    vote_rule TEXT NOT NULL DEFAULT '',
    vote_passed INTEGER,
    voted_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX agenda_item_meeting_idx ON agenda_item(meeting_id, position);

-- Attendance: a member's mark (the roster itself is the body's membership on
-- the meeting's day), or a deputy invited to 列席 with their mark.
CREATE TABLE meeting_attendance (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    role TEXT NOT NULL,
    body_member_id INTEGER REFERENCES body_member(id),
    deputy_id INTEGER REFERENCES deputy(id),
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    signed_in_at INTEGER,
    signed_by TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (meeting_id, body_member_id),
    UNIQUE (meeting_id, role, deputy_id)
);
CREATE INDEX meeting_attendance_deputy_idx ON meeting_attendance(deputy_id, meeting_id);
