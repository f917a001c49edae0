//! The authorisation matrix: every route × every role, over HTTP. Each row
//! says which roles may reach the route; every other role must be refused
//! (403, or 404 where the record is outside their data scope; anonymous
//! callers get 401 from the API and the login page from pages).
//! The expectations are written here from the roles' duties, independently
//! of the permission table in `kernel::roles`.

use axum::http::StatusCode;
use serde_json::{Value, json};
use testkit::{Client, TestApp};

const ROLES: &[&str] = &[
    "anonymous",
    "admin",
    "staff",
    "leader",
    "deputy",
    "handler",
    "head",
    "govleader",
];

#[derive(Clone, Copy)]
enum Body {
    None,
    /// An empty JSON object: valid for the route's type, rejected by validation if allowed.
    EmptyJson,
    /// An empty form.
    EmptyForm,
}

struct Row {
    method: &'static str,
    path: String,
    body: Body,
    allowed: &'static [&'static str],
    /// The record may be outside a refused role's data scope: 404 counts as refused.
    scoped: bool,
    /// The id is deliberately absent: an allowed role gets 404.
    missing: bool,
    /// Open to the public: an anonymous caller is answered too.
    public: bool,
}

const ALL: &[&str] = &[
    "admin",
    "staff",
    "leader",
    "deputy",
    "handler",
    "head",
    "govleader",
];
const ORG_VIEWERS: &[&str] = &["admin", "staff", "leader", "handler", "head", "govleader"];
const MANAGERS: &[&str] = &["admin", "staff"];
const ROSTER: &[&str] = &["admin", "staff", "leader"];
const ADMIN: &[&str] = &["admin"];
const MEETING_VIEWERS: &[&str] = &["admin", "staff", "leader", "deputy"];
const DUTY_VIEWERS: &[&str] = &["admin", "staff", "leader", "deputy"];

fn row(
    method: &'static str,
    path: impl Into<String>,
    body: Body,
    allowed: &'static [&'static str],
) -> Row {
    Row {
        method,
        path: path.into(),
        body,
        allowed,
        scoped: false,
        missing: false,
        public: false,
    }
}

/// A row about one record, which refused roles may not even learn exists.
fn scoped(
    method: &'static str,
    path: impl Into<String>,
    body: Body,
    allowed: &'static [&'static str],
) -> Row {
    Row {
        scoped: true,
        ..row(method, path, body, allowed)
    }
}

/// A route for everyone, signed in or not.
fn public(method: &'static str, path: impl Into<String>, missing: bool) -> Row {
    Row {
        public: true,
        missing,
        ..row(method, path, Body::None, ALL)
    }
}

/// A row whose id does not exist, to reach the route without changing anything.
fn missing(
    method: &'static str,
    path: impl Into<String>,
    body: Body,
    allowed: &'static [&'static str],
) -> Row {
    Row {
        missing: true,
        ..row(method, path, body, allowed)
    }
}

struct Ids {
    county: i64,
    term: i64,
    other_deputy: i64,
    own_deputy: i64,
    mandate: i64,
    transport: i64,
    other_unit: i64,
    spare_user: i64,
    token: i64,
    /// A submitted suggestion assigned to the transport bureau (lead).
    assigned: i64,
    /// Its assignment.
    assignment: i64,
    item: i64,
    /// A draft of the demo deputy.
    draft: i64,
    /// A planned meeting the demo deputy is invited to, and one they are not.
    meeting: i64,
    other_meeting: i64,
    /// A decision of a meeting the demo deputy attended.
    output: i64,
}

fn rows(ids: &Ids) -> Vec<Row> {
    use Body::*;
    let Ids {
        county,
        term,
        other_deputy,
        own_deputy,
        mandate,
        transport,
        other_unit,
        spare_user,
        token,
        assigned,
        assignment,
        item,
        draft,
        ..
    } = *ids;
    const EVERYONE_BUT_GOV: &[&str] = &["admin", "staff", "leader", "deputy", "handler", "head"];
    const READERS_OF_ASSIGNED: &[&str] = ALL;
    const UNIT: &[&str] = &["handler", "head"];
    const DEPUTY: &[&str] = &["deputy"];
    const SIGNERS: &[&str] = &["head", "govleader"];
    let unit_viewers_of_transport: &'static [&'static str] =
        &["admin", "staff", "leader", "handler", "head", "govleader"];
    let unit_viewers_of_other: &'static [&'static str] = &["admin", "staff", "leader"];
    vec![
        // Pages.
        row("GET", "/", None, ALL),
        row("GET", "/account", None, ALL),
        row("GET", "/account/password", None, ALL),
        row("GET", "/account/totp", None, ALL),
        row("GET", "/regions", None, ORG_VIEWERS),
        row("POST", "/regions", EmptyForm, MANAGERS),
        row("POST", "/regions/522921/name", EmptyForm, MANAGERS),
        row("GET", "/congresses", None, ORG_VIEWERS),
        row("POST", "/congresses", EmptyForm, MANAGERS),
        scoped("GET", format!("/congresses/{county}"), None, ORG_VIEWERS),
        row(
            "POST",
            format!("/congresses/{county}/name"),
            EmptyForm,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/congresses/{county}/terms"),
            EmptyForm,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/congresses/{county}/terms/{term}/sessions"),
            EmptyForm,
            MANAGERS,
        ),
        row("GET", "/units", None, ORG_VIEWERS),
        row("POST", "/units", EmptyForm, MANAGERS),
        row("GET", "/units/new", None, MANAGERS),
        row("GET", "/units/export", None, ORG_VIEWERS),
        row("GET", "/units/import", None, MANAGERS),
        missing("POST", "/units/import/confirm", EmptyForm, MANAGERS),
        row("GET", "/units/import/template", None, MANAGERS),
        row("POST", "/units/import", EmptyForm, MANAGERS),
        scoped(
            "GET",
            format!("/units/{transport}"),
            None,
            unit_viewers_of_transport,
        ),
        scoped(
            "GET",
            format!("/units/{other_unit}"),
            None,
            unit_viewers_of_other,
        ),
        row("POST", format!("/units/{transport}"), EmptyForm, MANAGERS),
        row("GET", format!("/units/{transport}/edit"), None, MANAGERS),
        row("GET", "/deputies", None, ROSTER),
        row("POST", "/deputies", EmptyForm, MANAGERS),
        row("GET", "/deputies/new", None, MANAGERS),
        row("GET", "/deputies/export", None, ROSTER),
        row("GET", "/deputies/import", None, MANAGERS),
        missing("POST", "/deputies/import/confirm", EmptyForm, MANAGERS),
        row("GET", "/deputies/import/template", None, MANAGERS),
        row("POST", "/deputies/import", EmptyForm, MANAGERS),
        scoped("GET", format!("/deputies/{other_deputy}"), None, ROSTER),
        scoped(
            "GET",
            format!("/deputies/{own_deputy}"),
            None,
            &["admin", "staff", "leader", "deputy"],
        ),
        row(
            "POST",
            format!("/deputies/{other_deputy}/reveal"),
            None,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/deputies/{other_deputy}/mandates/{mandate}/terminate"),
            EmptyForm,
            MANAGERS,
        ),
        row("GET", format!("/mandates/{mandate}/edit"), None, MANAGERS),
        row("POST", format!("/mandates/{mandate}"), EmptyForm, MANAGERS),
        row("GET", "/calendar", None, ALL),
        row("POST", "/calendar", EmptyForm, ADMIN),
        missing("POST", "/calendar/2031/delete", None, ADMIN),
        row("GET", "/admin/users", None, ADMIN),
        row("POST", "/admin/users", EmptyForm, ADMIN),
        row("GET", "/admin/users/new", None, ADMIN),
        row("GET", format!("/admin/users/{spare_user}"), None, ADMIN),
        row(
            "POST",
            format!("/admin/users/{spare_user}"),
            EmptyForm,
            ADMIN,
        ),
        row(
            "POST",
            format!("/admin/users/{spare_user}/reset-password"),
            None,
            ADMIN,
        ),
        row(
            "POST",
            format!("/admin/users/{spare_user}/unlock"),
            None,
            ADMIN,
        ),
        row(
            "POST",
            format!("/admin/users/{spare_user}/reset-totp"),
            None,
            ADMIN,
        ),
        row("GET", "/admin/tokens", None, ADMIN),
        row("POST", "/admin/tokens", EmptyForm, ADMIN),
        row("POST", format!("/admin/tokens/{token}/revoke"), None, ADMIN),
        row("GET", "/admin/settings", None, ADMIN),
        row("POST", "/admin/settings", EmptyForm, ADMIN),
        row("POST", "/admin/settings/local-rule", EmptyForm, ADMIN),
        row("GET", "/announcements", None, MANAGERS),
        row("POST", "/announcements", EmptyForm, MANAGERS),
        row("GET", "/announcements/mine", None, ALL),
        missing("GET", "/announcements/999999", None, ALL),
        missing(
            "POST",
            "/announcements/999999/withdraw",
            EmptyForm,
            MANAGERS,
        ),
        row("GET", "/meetings", None, MEETING_VIEWERS),
        row("GET", "/duty", None, DUTY_VIEWERS),
        row("GET", "/duty?year=abc", None, DUTY_VIEWERS),
        row("POST", "/duty/activities", EmptyForm, DEPUTY),
        row("POST", "/duty/activities/batch", EmptyForm, MANAGERS),
        row("POST", "/duty/review", EmptyForm, MANAGERS),
        scoped(
            "GET",
            format!("/duty/deputies/{}", ids.own_deputy),
            None,
            DUTY_VIEWERS,
        ),
        scoped(
            "GET",
            format!("/duty/deputies/{}", ids.other_deputy),
            None,
            ROSTER,
        ),
        row(
            "POST",
            format!("/duty/deputies/{}/grades", ids.own_deputy),
            EmptyForm,
            MANAGERS,
        ),
        row("GET", "/duty/ranking", None, ROSTER),
        row("POST", "/duty/ranking/recompute", EmptyForm, MANAGERS),
        row("GET", "/duty/scheme", None, ROSTER),
        row("POST", "/duty/scheme?year=2025", EmptyForm, MANAGERS),
        missing("POST", "/duty/scheme/999999/items", EmptyForm, MANAGERS),
        missing("POST", "/duty/scheme/999999/bands", EmptyForm, MANAGERS),
        missing(
            "POST",
            "/duty/score-items/999999/remove",
            EmptyForm,
            MANAGERS,
        ),
        scoped(
            "GET",
            format!("/meeting-outputs/{}", ids.output),
            None,
            MEETING_VIEWERS,
        ),
        missing(
            "POST",
            "/meeting-outputs/999999/assign",
            EmptyForm,
            MANAGERS,
        ),
        public("GET", "/public/meetings", false),
        public("GET", "/public/meetings/999999", true),
        Row {
            public: true,
            missing: true,
            ..row("POST", "/public/meetings/999999/observers", EmptyForm, ALL)
        },
        public("GET", "/public/observers/NOCODE", true),
        public("GET", "/public/observers", false),
        missing("POST", "/observers/999999/decision", EmptyForm, MANAGERS),
        missing("POST", "/observers/999999/check-in", EmptyForm, MANAGERS),
        row("POST", "/meetings", EmptyForm, MANAGERS),
        row("GET", "/meetings/attendance", None, MEETING_VIEWERS),
        scoped(
            "POST",
            format!("/meetings/{}/forum", ids.meeting),
            EmptyForm,
            MANAGERS,
        ),
        row(
            "GET",
            "/meetings/calendar?month=2026-05",
            None,
            MEETING_VIEWERS,
        ),
        scoped(
            "GET",
            format!("/meetings/{}", ids.meeting),
            None,
            MEETING_VIEWERS,
        ),
        scoped(
            "GET",
            format!("/meetings/{}", ids.other_meeting),
            None,
            ROSTER,
        ),
        scoped(
            "GET",
            format!("/meetings/{}/edit", ids.meeting),
            None,
            MANAGERS,
        ),
        scoped(
            "POST",
            format!("/meetings/{}/edit", ids.meeting),
            EmptyForm,
            MANAGERS,
        ),
        scoped(
            "POST",
            format!("/meetings/{}/state", ids.meeting),
            EmptyForm,
            MANAGERS,
        ),
        scoped(
            "POST",
            format!("/meetings/{}/agenda", ids.meeting),
            EmptyForm,
            MANAGERS,
        ),
        scoped(
            "POST",
            format!("/meetings/{}/invitations", ids.meeting),
            EmptyForm,
            MANAGERS,
        ),
        scoped(
            "GET",
            format!("/meetings/{}/door", ids.meeting),
            None,
            MANAGERS,
        ),
        scoped(
            "POST",
            format!("/meetings/{}/outputs", ids.meeting),
            EmptyForm,
            MANAGERS,
        ),
        scoped(
            "GET",
            format!("/meeting-outputs/{}/document.docx", ids.output),
            None,
            MEETING_VIEWERS,
        ),
        missing("POST", "/agenda-items/999999/remove", EmptyForm, MANAGERS),
        missing("POST", "/agenda-items/999999/move", EmptyForm, MANAGERS),
        missing("POST", "/agenda-items/999999/vote", EmptyForm, MANAGERS),
        missing(
            "POST",
            "/meetings/999999/members/1/attendance",
            EmptyForm,
            MANAGERS,
        ),
        missing("POST", "/invitations/999999/withdraw", EmptyForm, MANAGERS),
        missing(
            "POST",
            "/invitations/999999/attendance",
            EmptyForm,
            MANAGERS,
        ),
        missing("GET", "/m/nocode", None, MEETING_VIEWERS),
        missing("POST", "/m/nocode", EmptyForm, MEETING_VIEWERS),
        row("GET", "/bodies", None, ORG_VIEWERS),
        row("POST", "/bodies", EmptyForm, MANAGERS),
        missing("GET", "/bodies/999999", None, ORG_VIEWERS),
        missing("POST", "/bodies/999999/members", EmptyForm, MANAGERS),
        missing("POST", "/body-members/999999/end", EmptyForm, MANAGERS),
        missing("GET", "/body-members/999999/edit", None, MANAGERS),
        missing("POST", "/body-members/999999/edit", EmptyForm, MANAGERS),
        row("GET", "/admin/audit", None, ADMIN),
        row("POST", "/admin/audit/verify", None, ADMIN),
        row("GET", "/admin/audit/export", None, ADMIN),
        row("GET", "/admin/logins", None, ADMIN),
        row("GET", "/admin/logins/export", None, ADMIN),
        // API.
        row("GET", "/api/session", None, ALL),
        row("GET", "/api/regions", None, ORG_VIEWERS),
        row("POST", "/api/regions", EmptyJson, MANAGERS),
        row("GET", "/api/regions/522921", None, ORG_VIEWERS),
        row("PUT", "/api/regions/522921", EmptyJson, MANAGERS),
        row("GET", "/api/congresses", None, ORG_VIEWERS),
        row("POST", "/api/congresses", EmptyJson, MANAGERS),
        scoped(
            "GET",
            format!("/api/congresses/{county}"),
            None,
            ORG_VIEWERS,
        ),
        row(
            "POST",
            format!("/api/congresses/{county}/terms"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/terms/{term}/sessions"),
            EmptyJson,
            MANAGERS,
        ),
        row("GET", "/api/meetings", None, MEETING_VIEWERS),
        row("GET", "/api/duty/activities", None, DUTY_VIEWERS),
        row("POST", "/api/duty/activities", EmptyJson, DEPUTY),
        row("POST", "/api/duty/activities/batch", EmptyJson, MANAGERS),
        row("POST", "/api/duty/activities/review", EmptyJson, MANAGERS),
        scoped(
            "GET",
            format!("/api/duty/deputies/{}/points", ids.own_deputy),
            None,
            DUTY_VIEWERS,
        ),
        scoped(
            "GET",
            format!("/api/duty/deputies/{}/points", ids.other_deputy),
            None,
            ROSTER,
        ),
        row("GET", "/api/duty/ranking", None, ROSTER),
        row("POST", "/api/duty/ranking/recompute", EmptyJson, MANAGERS),
        missing(
            "POST",
            "/api/meeting-outputs/999999/assign",
            EmptyJson,
            MANAGERS,
        ),
        scoped(
            "GET",
            format!("/api/meetings/{}/observers", ids.meeting),
            None,
            MANAGERS,
        ),
        missing(
            "POST",
            "/api/observers/999999/decision",
            EmptyJson,
            MANAGERS,
        ),
        missing("POST", "/api/observers/999999/check-in", None, MANAGERS),
        row("POST", "/api/meetings", EmptyJson, MANAGERS),
        scoped(
            "GET",
            format!("/api/meetings/{}", ids.meeting),
            None,
            MEETING_VIEWERS,
        ),
        scoped(
            "GET",
            format!("/api/meetings/{}", ids.other_meeting),
            None,
            ROSTER,
        ),
        scoped(
            "PUT",
            format!("/api/meetings/{}", ids.meeting),
            EmptyJson,
            MANAGERS,
        ),
        scoped(
            "POST",
            format!("/api/meetings/{}/state", ids.meeting),
            EmptyJson,
            MANAGERS,
        ),
        scoped(
            "POST",
            format!("/api/meetings/{}/agenda", ids.meeting),
            EmptyJson,
            MANAGERS,
        ),
        scoped(
            "POST",
            format!("/api/meetings/{}/invitations", ids.meeting),
            EmptyJson,
            MANAGERS,
        ),
        missing("POST", "/api/agenda-items/999999/remove", None, MANAGERS),
        missing("POST", "/api/agenda-items/999999/move", EmptyJson, MANAGERS),
        missing("POST", "/api/agenda-items/999999/vote", EmptyJson, MANAGERS),
        missing(
            "POST",
            "/api/meetings/999999/members/1/attendance",
            EmptyJson,
            MANAGERS,
        ),
        missing("POST", "/api/invitations/999999/withdraw", None, MANAGERS),
        missing(
            "POST",
            "/api/invitations/999999/attendance",
            EmptyJson,
            MANAGERS,
        ),
        missing("POST", "/api/sign-in/nocode", None, MEETING_VIEWERS),
        scoped(
            "POST",
            format!("/api/meetings/{}/outputs", ids.meeting),
            EmptyJson,
            MANAGERS,
        ),
        scoped(
            "GET",
            format!("/api/meeting-outputs/{}/document.docx", ids.output),
            None,
            MEETING_VIEWERS,
        ),
        scoped(
            "GET",
            format!(
                "/api/deputies/{}/meeting-attendance?year=2026",
                ids.own_deputy
            ),
            None,
            MEETING_VIEWERS,
        ),
        scoped(
            "GET",
            format!(
                "/api/deputies/{}/meeting-attendance?year=2026",
                ids.other_deputy
            ),
            None,
            ROSTER,
        ),
        row("GET", "/api/bodies", None, ORG_VIEWERS),
        row("POST", "/api/bodies", EmptyJson, MANAGERS),
        missing("GET", "/api/bodies/999999", None, ORG_VIEWERS),
        missing(
            "GET",
            "/api/bodies/999999/members?on=2025-01-01",
            None,
            ORG_VIEWERS,
        ),
        missing("POST", "/api/bodies/999999/members", EmptyJson, MANAGERS),
        missing("POST", "/api/body-members/999999/end", EmptyJson, MANAGERS),
        missing("PUT", "/api/body-members/999999", EmptyJson, MANAGERS),
        row("GET", "/api/units", None, ORG_VIEWERS),
        row("POST", "/api/units", EmptyJson, MANAGERS),
        row("GET", "/api/units/export", None, ORG_VIEWERS),
        row("POST", "/api/units/import", EmptyJson, MANAGERS),
        missing("POST", "/api/units/import/999999/confirm", None, MANAGERS),
        scoped(
            "GET",
            format!("/api/units/{transport}"),
            None,
            unit_viewers_of_transport,
        ),
        scoped(
            "GET",
            format!("/api/units/{other_unit}"),
            None,
            unit_viewers_of_other,
        ),
        row(
            "PUT",
            format!("/api/units/{transport}"),
            EmptyJson,
            MANAGERS,
        ),
        row("GET", "/api/deputies", None, ROSTER),
        row("POST", "/api/deputies", EmptyJson, MANAGERS),
        row("GET", "/api/deputies/export", None, ROSTER),
        row("POST", "/api/deputies/import", EmptyJson, MANAGERS),
        missing(
            "POST",
            "/api/deputies/import/999999/confirm",
            None,
            MANAGERS,
        ),
        scoped("GET", format!("/api/deputies/{other_deputy}"), None, ROSTER),
        scoped(
            "GET",
            format!("/api/deputies/{own_deputy}"),
            None,
            &["admin", "staff", "leader", "deputy"],
        ),
        row(
            "POST",
            format!("/api/deputies/{other_deputy}/reveal"),
            None,
            MANAGERS,
        ),
        row(
            "PUT",
            format!("/api/mandates/{mandate}"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/mandates/{mandate}/terminate"),
            EmptyJson,
            MANAGERS,
        ),
        row("GET", "/api/users", None, ADMIN),
        row("POST", "/api/users", EmptyJson, ADMIN),
        row("GET", format!("/api/users/{spare_user}"), None, ADMIN),
        row("PUT", format!("/api/users/{spare_user}"), EmptyJson, ADMIN),
        row(
            "POST",
            format!("/api/users/{spare_user}/reset-password"),
            None,
            ADMIN,
        ),
        row(
            "POST",
            format!("/api/users/{spare_user}/unlock"),
            None,
            ADMIN,
        ),
        row("GET", "/api/tokens", None, ADMIN),
        row("POST", "/api/tokens", EmptyJson, ADMIN),
        row("POST", format!("/api/tokens/{token}/revoke"), None, ADMIN),
        row("GET", "/api/settings", None, ADMIN),
        row("PUT", "/api/settings", EmptyJson, ADMIN),
        row("GET", "/api/settings/local-rule", None, ADMIN),
        row("PUT", "/api/settings/local-rule", EmptyJson, ADMIN),
        row("GET", "/api/announcements", None, ALL),
        row("POST", "/api/announcements", EmptyJson, MANAGERS),
        missing("POST", "/api/announcements/999999/withdraw", None, MANAGERS),
        row("GET", "/api/audit", None, ADMIN),
        row("POST", "/api/audit/verify", None, ADMIN),
        row("GET", "/api/logins", None, ADMIN),
        row("GET", "/api/calendar/years", None, ALL),
        row("POST", "/api/calendar/years", EmptyJson, ADMIN),
        missing("DELETE", "/api/calendar/years/2031", None, ADMIN),
        row(
            "GET",
            "/api/calendar/deadline?start=2026-01-05&n=3&unit=months",
            None,
            ALL,
        ),
        // Suggestion pages.
        row("GET", "/suggestions", None, EVERYONE_BUT_GOV),
        row("POST", "/suggestions", EmptyForm, DEPUTY),
        row("GET", "/suggestions/new", None, DEPUTY),
        row("GET", "/suggestions/export", None, EVERYONE_BUT_GOV),
        row("GET", "/admin/outbox", None, ADMIN),
        row("POST", "/suggestions/assign", EmptyForm, MANAGERS),
        row("POST", "/suggestions/accept", EmptyForm, MANAGERS),
        scoped(
            "GET",
            format!("/suggestions/{assigned}"),
            None,
            READERS_OF_ASSIGNED,
        ),
        scoped("GET", format!("/suggestions/{draft}"), None, DEPUTY),
        scoped("POST", format!("/suggestions/{draft}"), EmptyForm, DEPUTY),
        scoped("GET", format!("/suggestions/{draft}/edit"), None, DEPUTY),
        scoped(
            "GET",
            format!("/suggestions/{assigned}/record"),
            None,
            READERS_OF_ASSIGNED,
        ),
        scoped(
            "GET",
            format!("/suggestions/{assigned}/record.docx"),
            None,
            READERS_OF_ASSIGNED,
        ),
        // No reply yet: the readers learn that, the others nothing.
        Row {
            missing: true,
            ..scoped(
                "GET",
                format!("/suggestions/{assigned}/assignments/{assignment}/letter.docx"),
                None,
                READERS_OF_ASSIGNED,
            )
        },
        row(
            "POST",
            format!("/assignments/{assignment}/return"),
            EmptyForm,
            UNIT,
        ),
        row(
            "POST",
            format!("/assignments/{assignment}/reassign"),
            EmptyForm,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/suggestions/{draft}/attachments"),
            EmptyForm,
            DEPUTY,
        ),
        row(
            "POST",
            format!("/suggestions/{assigned}/supervision"),
            EmptyForm,
            MANAGERS,
        ),
        scoped(
            "POST",
            format!("/suggestions/{draft}/invite"),
            EmptyForm,
            DEPUTY,
        ),
        // Co-signing: the lead withdraws an invitation (none here), staff
        // record a paper co-signature (none here), staff list the waiting.
        Row {
            missing: true,
            ..scoped(
                "POST",
                format!("/suggestions/{draft}/invitations/999999/withdraw"),
                EmptyForm,
                DEPUTY,
            )
        },
        missing(
            "POST",
            format!("/suggestions/{draft}/invitations/999999/paper"),
            EmptyForm,
            MANAGERS,
        ),
        row("GET", "/suggestions/cosigning", None, MANAGERS),
        row("GET", "/admin/deputy-accounts", None, ADMIN),
        row("POST", "/admin/deputy-accounts", EmptyForm, ADMIN),
        row("GET", "/deputies/pick?q=%E5%BC%A0", None, ADMIN),
        // The pickers: the lead's co-signer search, staff's merge search.
        scoped(
            "GET",
            format!("/suggestions/{draft}/pick/cosigners?q=%E5%BC%A0"),
            None,
            DEPUTY,
        ),
        row(
            "GET",
            format!("/suggestions/{assigned}/pick/merge?q=1"),
            None,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/suggestions/{assigned}/assign"),
            EmptyForm,
            MANAGERS,
        ),
        row("POST", format!("/items/{item}/evaluate"), EmptyForm, DEPUTY),
        row(
            "POST",
            format!("/suggestions/{assigned}/publication"),
            EmptyForm,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/suggestions/{assigned}/do/accept"),
            EmptyForm,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/assignments/{assignment}/contacts"),
            EmptyForm,
            UNIT,
        ),
        row(
            "POST",
            format!("/assignments/{assignment}/opinion"),
            EmptyForm,
            UNIT,
        ),
        row(
            "POST",
            format!("/assignments/{assignment}/reply"),
            EmptyForm,
            UNIT,
        ),
        row(
            "POST",
            format!("/assignments/{assignment}/signoff"),
            EmptyForm,
            SIGNERS,
        ),
        row(
            "POST",
            format!("/assignments/{assignment}/extend"),
            EmptyForm,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/assignments/{assignment}/waive-opinions"),
            EmptyForm,
            MANAGERS,
        ),
        missing(
            "POST",
            "/commitments/999999/fulfil",
            EmptyForm,
            &["admin", "staff", "handler", "head"],
        ),
        row(
            "GET",
            "/work",
            None,
            &["admin", "staff", "leader", "handler", "head", "govleader"],
        ),
        row(
            "GET",
            "/stats",
            None,
            &["admin", "staff", "leader", "handler", "head"],
        ),
        row(
            "GET",
            "/stats/export",
            None,
            &["admin", "staff", "leader", "handler", "head"],
        ),
        row(
            "GET",
            "/api/stats",
            None,
            &["admin", "staff", "leader", "handler", "head"],
        ),
        row("GET", "/inbox", None, ALL),
        row("POST", "/inbox/read", EmptyForm, ALL),
        public("GET", "/public/replies", false),
        public("GET", "/public/replies/999999", true),
        row("GET", "/admin/options", None, MANAGERS),
        row(
            "POST",
            "/admin/options/suggestion_category",
            EmptyForm,
            MANAGERS,
        ),
        // Suggestions.
        row("GET", "/api/suggestions", None, EVERYONE_BUT_GOV),
        row("POST", "/api/suggestions", EmptyJson, DEPUTY),
        scoped(
            "GET",
            format!("/api/suggestions/{assigned}"),
            None,
            READERS_OF_ASSIGNED,
        ),
        scoped("GET", format!("/api/suggestions/{draft}"), None, DEPUTY),
        scoped(
            "PUT",
            format!("/api/suggestions/{draft}"),
            EmptyJson,
            DEPUTY,
        ),
        scoped(
            "POST",
            format!("/api/suggestions/{draft}/invite"),
            EmptyJson,
            DEPUTY,
        ),
        row(
            "POST",
            format!("/api/suggestions/{draft}/cosign"),
            EmptyJson,
            DEPUTY,
        ),
        Row {
            missing: true,
            ..scoped(
                "POST",
                format!("/api/suggestions/{draft}/invitations/999999/withdraw"),
                None,
                DEPUTY,
            )
        },
        missing(
            "POST",
            format!("/api/suggestions/{draft}/invitations/999999/paper"),
            None,
            MANAGERS,
        ),
        missing("POST", "/api/suggestions/999999/submit", None, DEPUTY),
        missing("POST", "/api/suggestions/999999/withdraw", None, DEPUTY),
        row(
            "POST",
            format!("/api/suggestions/{draft}/attachments"),
            EmptyJson,
            DEPUTY,
        ),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/accept"),
            None,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/return"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/refuse"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/merge"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/category"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/convert"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/supervision"),
            EmptyJson,
            MANAGERS,
        ),
        row("POST", "/api/suggestions/assign", EmptyJson, MANAGERS),
        row("POST", "/api/suggestions/accept", EmptyJson, MANAGERS),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/evaluate"),
            EmptyJson,
            DEPUTY,
        ),
        row(
            "POST",
            format!("/api/items/{item}/evaluate"),
            EmptyJson,
            DEPUTY,
        ),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/publication"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/suggestions/{assigned}/confidential"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/assignments/{assignment}/return"),
            EmptyJson,
            UNIT,
        ),
        row(
            "POST",
            format!("/api/assignments/{assignment}/reassign"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/assignments/{assignment}/extend"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/assignments/{assignment}/waive-opinions"),
            EmptyJson,
            MANAGERS,
        ),
        row(
            "POST",
            format!("/api/assignments/{assignment}/contacts"),
            EmptyJson,
            UNIT,
        ),
        row(
            "POST",
            format!("/api/assignments/{assignment}/opinion"),
            EmptyJson,
            UNIT,
        ),
        row(
            "POST",
            format!("/api/assignments/{assignment}/reply"),
            EmptyJson,
            UNIT,
        ),
        row(
            "POST",
            format!("/api/assignments/{assignment}/reply/attachments"),
            EmptyJson,
            UNIT,
        ),
        row(
            "POST",
            format!("/api/assignments/{assignment}/signoff"),
            EmptyJson,
            SIGNERS,
        ),
        missing(
            "POST",
            "/api/commitments/999999/fulfil",
            EmptyJson,
            &["admin", "staff", "handler", "head"],
        ),
        row("GET", "/api/queues/unit", None, UNIT),
        row("GET", "/api/queues/signoff", None, SIGNERS),
        row(
            "GET",
            "/api/queues/overdue",
            None,
            &["admin", "staff", "leader", "handler", "head"],
        ),
        row("GET", "/api/queues/key", None, ROSTER),
        row("GET", "/api/invitations", None, ALL),
        row("GET", "/api/notifications", None, ALL),
        row("POST", "/api/notifications/read", EmptyJson, ALL),
        row("GET", "/api/options/suggestion_category", None, ALL),
        row(
            "PUT",
            "/api/options/suggestion_category",
            EmptyJson,
            MANAGERS,
        ),
        public("GET", "/api/public/suggestions", false),
        public("GET", "/api/public/suggestions/999999", true),
        public("GET", "/api/attachments/999999", true),
    ]
}

async fn call(c: &mut Client, r: &Row) -> testkit::Resp {
    match r.body {
        Body::None => match r.method {
            "GET" => c.get(&r.path).await,
            m => c.send(m, &r.path, None, true).await,
        },
        Body::EmptyJson => {
            let v: Value = json!({});
            c.send(
                r.method,
                &r.path,
                Some(("application/json", v.to_string().into_bytes())),
                true,
            )
            .await
        }
        Body::EmptyForm => c.post_form(&r.path, &[]).await,
    }
}

fn refused(r: &Row, status: StatusCode) -> bool {
    status == StatusCode::FORBIDDEN || (r.scoped && status == StatusCode::NOT_FOUND)
}

fn admitted(r: &Row, status: StatusCode) -> bool {
    !matches!(
        status,
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED | StatusCode::INTERNAL_SERVER_ERROR
    ) && (status != StatusCode::NOT_FOUND || r.missing)
}

#[tokio::test]
async fn every_route_for_every_role() {
    let app = TestApp::with_demo().await;
    meetings::service::demo::load(&app.ctx)
        .await
        .expect("demo meetings");
    let q = |sql: &'static str| app.scalar(sql);
    let county = q("SELECT id FROM congress WHERE level = 'county'").await;
    let term = q("SELECT t.id FROM term t JOIN congress c ON c.id = t.congress_id WHERE c.level = 'county' AND t.number = 17").await;
    let own_deputy = q("SELECT deputy_id FROM app_user WHERE username = 'deputy'").await;
    let other_deputy = q("SELECT MAX(deputy_id) FROM deputy_mandate WHERE level = 'county'").await;
    let mandate = q("SELECT MAX(id) FROM deputy_mandate WHERE level = 'county'").await;
    let transport = q("SELECT id FROM unit WHERE name = '县交通运输局'").await;
    let other_unit = q("SELECT id FROM unit WHERE name = '县教育局'").await;
    let mut admin = app.as_user("admin").await;
    let spare = admin.post_json("/api/users", json!({"username": "spare", "display_name": "备用", "role": "staff", "congress_id": county})).await;
    assert_eq!(spare.status, StatusCode::OK, "{}", spare.text);
    let spare_user = spare.json()["id"].as_i64().expect("id");
    let tok = admin
        .post_json(
            "/api/tokens",
            json!({"name": "矩阵", "role": "unit_handler", "unit_id": transport}),
        )
        .await;
    let token = tok.json()["id"].as_i64().expect("token id");
    let ids = Ids {
        county,
        term,
        other_deputy,
        own_deputy,
        mandate,
        transport,
        other_unit,
        spare_user,
        token,
        assigned: 0,
        assignment: 0,
        item: 0,
        draft: 0,
        meeting: q("SELECT MAX(meeting_id) FROM meeting_attendance WHERE deputy_id = (SELECT deputy_id FROM app_user WHERE username = 'deputy')").await,
        other_meeting: q("SELECT MIN(m.id) FROM meeting m WHERE NOT EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.deputy_id = (SELECT deputy_id FROM app_user WHERE username = 'deputy'))").await,
        output: q("SELECT MIN(o.id) FROM meeting_output o JOIN meeting_attendance a ON a.meeting_id = o.meeting_id WHERE o.kind = 'decision' AND a.deputy_id = (SELECT deputy_id FROM app_user WHERE username = 'deputy')").await,
    };
    assert_ne!(own_deputy, other_deputy);
    app.add_test_year_2027().await;
    let mut deputy = app.as_user("deputy").await;
    let mut staff = app.as_user("staff").await;
    let r = deputy
        .post_json(
            "/api/suggestions",
            json!({"title": "矩阵测试建议", "content": "内容"}),
        )
        .await;
    let assigned = r.json()["id"].as_i64().expect("suggestion");
    deputy
        .post_json(&format!("/api/suggestions/{assigned}/submit"), json!({}))
        .await;
    staff
        .post_json(&format!("/api/suggestions/{assigned}/accept"), json!({}))
        .await;
    let r = staff
        .post_json(
            "/api/suggestions/assign",
            json!({"ids": [assigned], "units": [{"unit_id": transport, "role": "lead"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let assignment = app.scalar("SELECT MAX(id) FROM assignment").await;
    let item = app.scalar("SELECT MAX(id) FROM tracked_item").await;
    let r = deputy
        .post_json(
            "/api/suggestions",
            json!({"title": "矩阵测试草稿", "content": "内容"}),
        )
        .await;
    let draft = r.json()["id"].as_i64().expect("draft");
    let ids = Ids {
        assigned,
        assignment,
        item,
        draft,
        ..ids
    };

    let mut clients = Vec::new();
    for role in ROLES {
        let c = if *role == "anonymous" {
            app.client()
        } else {
            app.as_user(role).await
        };
        clients.push((*role, c));
    }
    let mut failures = Vec::new();
    for r in rows(&ids) {
        for (role, c) in clients.iter_mut() {
            let resp = call(c, &r).await;
            let allowed = r.allowed.contains(role);
            let ok = if *role == "anonymous" && r.public {
                admitted(&r, resp.status)
            } else if *role == "anonymous" {
                if r.path.starts_with("/api/") {
                    resp.status == StatusCode::UNAUTHORIZED
                } else {
                    resp.status == StatusCode::SEE_OTHER && resp.location().starts_with("/login")
                }
            } else if allowed {
                admitted(&r, resp.status)
            } else {
                refused(&r, resp.status)
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {role}: got {} (allowed: {allowed}) {}",
                    r.method,
                    r.path,
                    resp.status,
                    resp.text.chars().take(120).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every path of the OpenAPI document appears in the matrix, so a new API
/// route cannot be added without deciding who may call it.
#[tokio::test]
async fn the_matrix_covers_every_api_route() {
    let ids = Ids {
        county: 1,
        term: 1,
        other_deputy: 1,
        own_deputy: 1,
        mandate: 1,
        transport: 1,
        other_unit: 1,
        spare_user: 1,
        token: 1,
        assigned: 1,
        assignment: 1,
        item: 1,
        draft: 1,
        meeting: 1,
        other_meeting: 1,
        output: 1,
    };
    // A documented path matches a row when every segment is equal or a `{…}` parameter.
    let matches = |template: &str, path: &str| -> bool {
        let t: Vec<&str> = template.split('/').collect();
        let p: Vec<&str> = path.split('?').next().unwrap_or("").split('/').collect();
        t.len() == p.len() && t.iter().zip(&p).all(|(a, b)| a.starts_with('{') || a == b)
    };
    let rows = rows(&ids);
    let doc = serde_json::to_value(server::openapi::document()).expect("json");
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "delete"] {
            if item.get(method).is_some() && path != "/api/session" {
                let m = method.to_uppercase();
                if !rows.iter().any(|r| r.method == m && matches(path, &r.path)) {
                    missing.push(format!("{m} {path}"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes without a matrix row: {missing:?}"
    );
}

/// Every page route appears in the matrix too (the server lists them), so a
/// new page cannot be added without deciding who may reach it.
#[tokio::test]
async fn the_matrix_covers_every_page_route() {
    let ids = Ids {
        county: 1,
        term: 1,
        other_deputy: 1,
        own_deputy: 1,
        mandate: 1,
        transport: 1,
        other_unit: 1,
        spare_user: 1,
        token: 1,
        assigned: 1,
        assignment: 1,
        item: 1,
        draft: 1,
        meeting: 1,
        other_meeting: 1,
        output: 1,
    };
    let matches = |template: &str, path: &str| -> bool {
        let t: Vec<&str> = template.split('/').collect();
        let p: Vec<&str> = path.split('?').next().unwrap_or("").split('/').collect();
        t.len() == p.len() && t.iter().zip(&p).all(|(a, b)| a.starts_with('{') || a == b)
    };
    let rows = rows(&ids);
    // Signing in and out, and the second factor, change the session the
    // matrix's clients stand on: org's auth tests cover them.
    let session_flow = ["/login", "/logout", "/login/totp", "/account/totp/confirm"];
    let missing: Vec<&str> = server::page_paths()
        .into_iter()
        .filter(|path| !session_flow.contains(path))
        .filter(|path| !rows.iter().any(|r| matches(path, &r.path)))
        .collect();
    assert!(
        missing.is_empty(),
        "page routes without a matrix row: {missing:?}"
    );
}
