-- The tracked-item engine and deputies' suggestions and motions (issue 3).

ALTER TABLE app_user ADD COLUMN email TEXT;

-- Lists an administrator edits: suggestion categories, refusal reasons, result categories.
CREATE TABLE option_item (
    id INTEGER PRIMARY KEY,
    list TEXT NOT NULL,
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    UNIQUE (list, label)
);

-- Anything assigned to units and answered.
CREATE TABLE tracked_item (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    title TEXT NOT NULL,
    state TEXT NOT NULL,
    round INTEGER NOT NULL,
    complexity TEXT NOT NULL,
    assigned_on TEXT NOT NULL,
    key_supervision INTEGER NOT NULL DEFAULT 0,
    assigned_by INTEGER REFERENCES app_user(id),
    replied_at INTEGER,
    closed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX tracked_item_state_idx ON tracked_item(congress_id, state, id);

-- One unit's part in an item; each has its own state and deadline.
CREATE TABLE assignment (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES tracked_item(id),
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    role TEXT NOT NULL,
    state TEXT NOT NULL,
    assigned_on TEXT NOT NULL,
    due_date TEXT NOT NULL,
    deadline_rule TEXT NOT NULL,
    return_by TEXT NOT NULL,
    returned_reason TEXT,
    reminded TEXT NOT NULL DEFAULT '',
    overdue_notified_at INTEGER,
    -- The day the first reply was signed, and whether that was within the deadline then in force.
    first_reply_on TEXT,
    first_reply_on_time INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX assignment_unit_idx ON assignment(unit_id, state, due_date);
CREATE INDEX assignment_item_idx ON assignment(item_id);
CREATE INDEX assignment_due_idx ON assignment(state, due_date);

-- The handling record (全程纪实): every step, in order.
CREATE TABLE item_event (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES tracked_item(id),
    assignment_id INTEGER REFERENCES assignment(id),
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX item_event_item_idx ON item_event(item_id, id);

CREATE TABLE item_contact (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES tracked_item(id),
    assignment_id INTEGER NOT NULL REFERENCES assignment(id),
    stage TEXT NOT NULL,
    method TEXT NOT NULL,
    contact_date TEXT NOT NULL,
    participants TEXT NOT NULL,
    summary TEXT NOT NULL,
    with_lead_deputy INTEGER NOT NULL,
    recorded_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX item_contact_item_idx ON item_contact(item_id, id);

CREATE TABLE item_opinion (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES tracked_item(id),
    assignment_id INTEGER NOT NULL REFERENCES assignment(id),
    text TEXT NOT NULL,
    created_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL
);

CREATE TABLE item_reply (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES tracked_item(id),
    assignment_id INTEGER NOT NULL REFERENCES assignment(id),
    round INTEGER NOT NULL,
    text TEXT NOT NULL,
    result_category TEXT NOT NULL,
    sha TEXT NOT NULL,
    current INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX item_reply_item_idx ON item_reply(item_id, round);

-- 三级签字: the unit head and the government leader approve the reply whose
-- SM3 digest they saw; the deputy's evaluation completes the record.
CREATE TABLE item_signoff (
    id INTEGER PRIMARY KEY,
    reply_id INTEGER NOT NULL REFERENCES item_reply(id),
    level TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    user_id INTEGER REFERENCES app_user(id),
    user_name TEXT NOT NULL,
    reply_sha TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX item_signoff_reply_idx ON item_signoff(reply_id);

CREATE TABLE item_commitment (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES tracked_item(id),
    reply_id INTEGER NOT NULL REFERENCES item_reply(id),
    text TEXT NOT NULL,
    due_date TEXT NOT NULL,
    state TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    fulfilled_at INTEGER,
    fulfilled_by INTEGER REFERENCES app_user(id)
);
CREATE INDEX item_commitment_item_idx ON item_commitment(item_id);
CREATE INDEX item_commitment_due_idx ON item_commitment(state, due_date);

CREATE TABLE item_evaluation (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES tracked_item(id),
    round INTEGER NOT NULL,
    deputy_id INTEGER NOT NULL REFERENCES deputy(id),
    attitude TEXT NOT NULL,
    result TEXT NOT NULL,
    comment TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (item_id, round)
);

CREATE TABLE item_extension (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES tracked_item(id),
    assignment_id INTEGER NOT NULL REFERENCES assignment(id),
    extra_months INTEGER NOT NULL,
    reason TEXT NOT NULL,
    old_due TEXT NOT NULL,
    new_due TEXT NOT NULL,
    approved_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL
);

-- Deputies' suggestions and motions.
CREATE TABLE suggestion (
    id INTEGER PRIMARY KEY,
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    session_id INTEGER REFERENCES congress_session(id),
    number INTEGER,
    kind TEXT NOT NULL,
    was_motion INTEGER NOT NULL DEFAULT 0,
    conversion_reason TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    grounds TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    by_delegation TEXT NOT NULL DEFAULT '',
    lead_deputy_id INTEGER NOT NULL REFERENCES deputy(id),
    state TEXT NOT NULL,
    review_note TEXT NOT NULL DEFAULT '',
    merged_into INTEGER REFERENCES suggestion(id),
    key_supervision INTEGER NOT NULL DEFAULT 0,
    supervising_leader TEXT NOT NULL DEFAULT '',
    leading_official TEXT NOT NULL DEFAULT '',
    confidential INTEGER NOT NULL DEFAULT 0,
    publication TEXT NOT NULL DEFAULT 'unpublished',
    withheld_reason TEXT NOT NULL DEFAULT '',
    published_at INTEGER,
    item_id INTEGER REFERENCES tracked_item(id),
    submitted_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX suggestion_state_idx ON suggestion(congress_id, state, id);
CREATE INDEX suggestion_session_idx ON suggestion(session_id, id);
CREATE INDEX suggestion_lead_idx ON suggestion(lead_deputy_id, id);
CREATE UNIQUE INDEX suggestion_number_idx ON suggestion(congress_id, session_id, number) WHERE number IS NOT NULL;
CREATE INDEX suggestion_item_idx ON suggestion(item_id);
CREATE INDEX suggestion_public_idx ON suggestion(publication, id);

-- Deputies on a suggestion: the lead, co-signers (invited, confirmed or
-- declined), and the lead deputies of items merged into it.
CREATE TABLE suggestion_signer (
    suggestion_id INTEGER NOT NULL REFERENCES suggestion(id),
    deputy_id INTEGER NOT NULL REFERENCES deputy(id),
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    invited_at INTEGER NOT NULL,
    responded_at INTEGER,
    PRIMARY KEY (suggestion_id, deputy_id)
);
CREATE INDEX suggestion_signer_deputy_idx ON suggestion_signer(deputy_id, status);

CREATE TABLE attachment (
    id INTEGER PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX attachment_owner_idx ON attachment(owner_kind, owner_id);

-- In-app inbox of every user, and the outbound log of other channels.
CREATE TABLE notification (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notification_user_idx ON notification(user_id, read_at, id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX outbox_state_idx ON outbox(state, id);
