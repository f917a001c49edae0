-- Citizens who apply to observe (旁听) a meeting, within its quota. The ID
-- number and phone are kept encrypted; a blind index refuses a second
-- application of the same person to the same meeting; the masked forms are
-- what staff check at the door.
ALTER TABLE meeting ADD COLUMN observer_quota INTEGER NOT NULL DEFAULT 0;

CREATE TABLE meeting_observer (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    id_card_enc TEXT NOT NULL,
    id_card_index TEXT NOT NULL,
    id_card_masked TEXT NOT NULL,
    phone_enc TEXT NOT NULL,
    phone_masked TEXT NOT NULL,
    status TEXT NOT NULL,
    decline_reason TEXT NOT NULL DEFAULT '',
    signed_in_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (meeting_id, id_card_index)
);

-- The forum (列席代表座谈会) where the deputies who attended give their
-- views on the meeting's business, once per meeting.
CREATE TABLE meeting_forum (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL UNIQUE REFERENCES meeting(id),
    held_on TEXT NOT NULL,
    participants TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
