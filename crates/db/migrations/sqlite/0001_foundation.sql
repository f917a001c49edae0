-- The roster's list indexes end in congress_id so that the data-scope filter is
-- answered from the index alone (covering), for counts and deep pages.
-- Foundation: settings, regions, congresses, units, deputies, accounts, sessions,
-- logs, API tokens, the audit chain and the calendar. Timestamps are UTC
-- milliseconds; dates are ISO text in Asia/Shanghai; booleans are 0/1.

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE region (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT REFERENCES region(code),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX region_parent_idx ON region(parent_code, code);

CREATE TABLE congress (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    level TEXT NOT NULL,
    region_code TEXT REFERENCES region(code),
    parent_id INTEGER REFERENCES congress(id),
    path TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX congress_path_idx ON congress(path);

CREATE TABLE term (
    id INTEGER PRIMARY KEY,
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    number INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (congress_id, number)
);

CREATE TABLE congress_session (
    id INTEGER PRIMARY KEY,
    term_id INTEGER NOT NULL REFERENCES term(id),
    number INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (term_id, number)
);

CREATE TABLE app_user (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    data_scope TEXT NOT NULL,
    congress_id INTEGER REFERENCES congress(id),
    office TEXT,
    unit_id INTEGER REFERENCES unit(id),
    deputy_id INTEGER REFERENCES deputy(id),
    must_change_password INTEGER NOT NULL,
    is_demo INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    totp_secret_enc TEXT,
    totp_enabled INTEGER NOT NULL DEFAULT 0,
    totp_required INTEGER NOT NULL DEFAULT 0,
    last_login_at INTEGER,
    password_changed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX app_user_role_idx ON app_user(role, id);

CREATE TABLE unit (
    id INTEGER PRIMARY KEY,
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES unit(id),
    path TEXT NOT NULL,
    credit_code TEXT,
    leader_name TEXT NOT NULL DEFAULT '',
    leader_title TEXT NOT NULL DEFAULT '',
    leader_user_id INTEGER REFERENCES app_user(id),
    address TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (congress_id, name)
);
CREATE UNIQUE INDEX unit_credit_code_idx ON unit(credit_code) WHERE credit_code IS NOT NULL;
CREATE INDEX unit_path_idx ON unit(path);
CREATE INDEX unit_congress_idx ON unit(congress_id, kind, id);

CREATE TABLE unit_contact (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    phone_enc TEXT,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX unit_contact_unit_idx ON unit_contact(unit_id, position);

CREATE TABLE deputy (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    party TEXT NOT NULL,
    occupation TEXT NOT NULL DEFAULT '',
    phone_enc TEXT,
    id_card_enc TEXT NOT NULL,
    id_card_index TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX deputy_name_idx ON deputy(name);

CREATE TABLE deputy_mandate (
    id INTEGER PRIMARY KEY,
    deputy_id INTEGER NOT NULL REFERENCES deputy(id),
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    term_id INTEGER NOT NULL REFERENCES term(id),
    level TEXT NOT NULL,
    constituency TEXT NOT NULL,
    delegation TEXT NOT NULL DEFAULT '',
    professional_group TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    terminated_on TEXT,
    termination_reason TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (deputy_id, term_id)
);
CREATE INDEX mandate_congress_idx ON deputy_mandate(congress_id, status, id);
CREATE INDEX mandate_level_idx ON deputy_mandate(level, status, id, congress_id);
CREATE INDEX mandate_term_idx ON deputy_mandate(term_id, status, id, congress_id);
CREATE INDEX mandate_deputy_idx ON deputy_mandate(deputy_id);
CREATE INDEX mandate_delegation_idx ON deputy_mandate(delegation, status, id, congress_id);
CREATE INDEX mandate_group_idx ON deputy_mandate(professional_group, status, id, congress_id);

-- Delegations and professional groups in use, per congress, for filter menus;
-- kept by the store whenever a mandate is written, so menus never scan the roster.
CREATE TABLE roster_group (
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (congress_id, kind, name)
);

CREATE TABLE user_session (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id),
    csrf_token TEXT NOT NULL,
    stage TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX user_session_user_idx ON user_session(user_id);
CREATE INDEX user_session_seen_idx ON user_session(last_seen_at);

CREATE TABLE login_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    username TEXT NOT NULL,
    user_id INTEGER,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX login_log_at_idx ON login_log(at);
CREATE INDEX login_log_ip_idx ON login_log(ip, at);

CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    role TEXT NOT NULL,
    data_scope TEXT NOT NULL,
    congress_id INTEGER REFERENCES congress(id),
    unit_id INTEGER REFERENCES unit(id),
    created_by INTEGER NOT NULL REFERENCES app_user(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    last_used_at INTEGER
);

-- The audit chain. audit_head holds the last sequence number and hash; every
-- append updates it, which serialises appenders on every backend.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    ip TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log(at);
CREATE INDEX audit_log_entity_idx ON audit_log(entity, entity_id);
CREATE INDEX audit_log_actor_idx ON audit_log(actor_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE calendar_year (
    year INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    created_by INTEGER REFERENCES app_user(id),
    created_at INTEGER NOT NULL
);
CREATE TABLE calendar_rest (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL REFERENCES calendar_year(year),
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE calendar_workday (
    day TEXT PRIMARY KEY,
    year INTEGER NOT NULL REFERENCES calendar_year(year)
);

-- Spreadsheets uploaded for import, kept between preview and confirmation so
-- that any instance can finish an import another one previewed.
CREATE TABLE import_upload (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES app_user(id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha TEXT NOT NULL,
    content BLOB NOT NULL,
    congress_id INTEGER,
    created_at INTEGER NOT NULL,
    used_at INTEGER
);
