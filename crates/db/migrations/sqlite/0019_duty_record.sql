-- The deputies' duty record (履职档案): activity types as data, activities a
-- deputy records (verified by staff) or staff record for many, and the
-- scoring scheme per congress and year with its items, bands, qualitative
-- grades and the computed totals. Facts other capabilities know (meetings
-- attended, suggestions submitted) are not copied here: their types are rows
-- whose source names the capability, and they are read through its query.
CREATE TABLE activity_type (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- 'manual' for what deputies and staff record; else the capability that knows it.
    source TEXT NOT NULL,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

INSERT INTO activity_type (code, name, source, position, created_at) VALUES
    ('session_attend', '出席人民代表大会会议', 'manual', 10, 0),
    ('speech', '审议发言', 'manual', 20, 0),
    ('inspection', '视察', 'manual', 30, 0),
    ('research', '调研', 'manual', 40, 0),
    ('committee_research', '委办专题调研', 'manual', 50, 0),
    ('law_enforcement', '执法检查', 'manual', 60, 0),
    ('inquiry', '专题询问', 'manual', 70, 0),
    ('station_reception', '联络站接待选民', 'manual', 80, 0),
    ('contact_voters', '联系原选区选民', 'manual', 90, 0),
    ('deliberation', '协商议事', 'manual', 100, 0),
    ('training', '学习培训', 'manual', 110, 0),
    ('report_duty', '向选民述职', 'manual', 120, 0),
    ('practical_matter', '为群众办实事、解决诉求', 'manual', 130, 0),
    ('gov_meeting', '参加“一府一委两院”会议', 'manual', 140, 0),
    ('court_hearing', '旁听案件', 'manual', 150, 0),
    ('grid_patrol', '网格巡查', 'manual', 160, 0),
    ('volunteer', '志愿服务', 'manual', 170, 0),
    ('lecture', '宣讲', 'manual', 180, 0),
    ('research_report', '提交调研报告', 'manual', 190, 0),
    ('other', '其他履职活动', 'manual', 200, 0),
    ('meeting_present', '出席会议（组成人员）', 'meetings', 300, 0),
    ('meeting_sit_in', '列席会议', 'meetings', 310, 0),
    ('meeting_leave', '请假未出席会议', 'meetings', 320, 0),
    ('meeting_absent', '未请假缺席会议', 'meetings', 330, 0),
    ('suggestion_lead', '领衔提出建议（已立案）', 'suggestions', 400, 0),
    ('motion_lead', '领衔提出议案（已立案）', 'suggestions', 410, 0),
    ('suggestion_cosign', '附议建议、议案', 'suggestions', 420, 0),
    ('suggestion_key', '建议列为重点督办', 'suggestions', 430, 0);

CREATE TABLE duty_activity (
    id INTEGER PRIMARY KEY,
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    deputy_id INTEGER NOT NULL REFERENCES deputy(id),
    type_code TEXT NOT NULL REFERENCES activity_type(code),
    activity_date TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    minutes INTEGER NOT NULL DEFAULT 0,
    summary TEXT NOT NULL,
    -- pending (a deputy's own entry) → verified / rejected; staff entries are verified.
    state TEXT NOT NULL,
    reject_reason TEXT NOT NULL DEFAULT '',
    -- Entries made together for many deputies share it (everyone at an inspection).
    batch_id INTEGER,
    recorded_by INTEGER REFERENCES app_user(id),
    reviewed_by INTEGER REFERENCES app_user(id),
    reviewed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX duty_activity_year_idx ON duty_activity(congress_id, state, activity_date, deputy_id, type_code);
CREATE INDEX duty_activity_deputy_idx ON duty_activity(deputy_id, activity_date);
CREATE INDEX duty_activity_queue_idx ON duty_activity(state, id);

CREATE TABLE score_scheme (
    id INTEGER PRIMARY KEY,
    congress_id INTEGER NOT NULL REFERENCES congress(id),
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    -- When the totals were last computed; NULL: never, or the scheme changed since.
    computed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (congress_id, year)
);

-- Points are kept in tenths (0.5 分 = 5); a cap bounds an item's yearly total
-- (for a deduction, how much it may take away). A qualitative item has no
-- activity types: staff grade it per deputy, up to max_points.
CREATE TABLE score_item (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES score_scheme(id),
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    points INTEGER NOT NULL,
    cap INTEGER,
    qualitative INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX score_item_scheme_idx ON score_item(scheme_id, position);

-- Which activity types an item counts; a type counts under one item of a scheme.
CREATE TABLE score_item_type (
    scheme_id INTEGER NOT NULL REFERENCES score_scheme(id),
    item_id INTEGER NOT NULL REFERENCES score_item(id),
    type_code TEXT NOT NULL REFERENCES activity_type(code),
    PRIMARY KEY (scheme_id, type_code)
);
CREATE INDEX score_item_type_item_idx ON score_item_type(item_id);

CREATE TABLE score_band (
    id INTEGER PRIMARY KEY,
    scheme_id INTEGER NOT NULL REFERENCES score_scheme(id),
    name TEXT NOT NULL,
    min_points INTEGER NOT NULL,
    stars INTEGER NOT NULL,
    UNIQUE (scheme_id, name)
);

CREATE TABLE score_grade (
    item_id INTEGER NOT NULL REFERENCES score_item(id),
    deputy_id INTEGER NOT NULL REFERENCES deputy(id),
    points INTEGER NOT NULL,
    reason TEXT NOT NULL,
    given_by INTEGER REFERENCES app_user(id),
    given_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, deputy_id)
);

CREATE TABLE score_total (
    scheme_id INTEGER NOT NULL REFERENCES score_scheme(id),
    deputy_id INTEGER NOT NULL REFERENCES deputy(id),
    points INTEGER NOT NULL,
    ranking INTEGER NOT NULL,
    PRIMARY KEY (scheme_id, deputy_id)
);
CREATE INDEX score_total_rank_idx ON score_total(scheme_id, ranking, deputy_id);
