//! A meeting's page: its agenda, the attendance desk, the votes; and the
//! actions on them. A refused action shows the page again with the message
//! beside its form and what was typed kept.

use app::{Error, Result};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kernel::roles::Role;
use webkit::AppState;
use webkit::auth::{Me, MeSession, Session};
use webkit::error::{AppError, AppResult};
use webkit::extract::{Form, Path};
use webkit::pages::see_other_with;
use webkit::view::{FormErrors, Layout, render_status};

use crate::rules::{Attendance, LinkKind, MeetingState, OutputKind, PassRule};
use crate::service::agenda::{self, ItemInput, MoveInput, VoteInput};
use crate::service::attendance::{self, InviteInput, MarkInput};
use crate::service::forum::{self, ForumInput};
use crate::service::meetings::{self, MeetingDetail, StateInput};
use crate::service::observers::{self, DecisionInput};
use crate::service::outputs::{self, OutputInput};
use crate::store::observers::ObserverRow;
use crate::web::types::{AgendaItem, rule_label, status_label};

/// The form a refused action came from, with what was typed.
#[derive(Default)]
pub struct Failed {
    /// "state", "agenda", "invite", "vote-{item}", "mark-{member}", "attending-{mark}".
    pub form: String,
    pub errors: FormErrors,
    /// A refusal that belongs to no field (the meeting's state, the day).
    pub problem: String,
    pub item: ItemInput,
    pub vote: VoteInput,
    pub mark: MarkInput,
    pub state: StateInput,
    pub output: OutputInput,
    pub decision: DecisionInput,
    pub forum: ForumInput,
}

impl Failed {
    pub fn is(&self, form: &str) -> bool {
        self.form == form
    }
    /// Whether the refused output form had this agenda item chosen.
    pub fn picked(&self, item: &i64) -> bool {
        self.output.agenda_item_id == Some(*item)
    }
    pub fn is_for(&self, prefix: &str, id: &i64) -> bool {
        self.form == format!("{prefix}-{id}")
    }
}

pub struct ItemLine {
    pub item: AgendaItem,
    pub rule_label: &'static str,
}

#[derive(Template)]
#[template(path = "meeting_detail.html")]
struct DetailPage {
    layout: Layout,
    d: MeetingDetail,
    items: Vec<ItemLine>,
    next_states: Vec<(&'static str, &'static str, bool)>,
    link_kinds: &'static [LinkKind],
    rules: &'static [PassRule],
    statuses: &'static [Attendance],
    candidates: Vec<(i64, String, String, i64)>,
    today: String,
    /// The viewer's own line (a deputy's): role label and status label.
    mine: Option<(&'static str, &'static str)>,
    members_total: usize,
    output_kinds: &'static [OutputKind],
    /// The prefixes last used, by kind, to offer again.
    prefixes: Vec<(&'static str, String)>,
    /// Citizens' applications to observe, for staff.
    observers: Vec<ObserverRow>,
    f: Failed,
}

impl DetailPage {
    /// The time of a sign-in (the day is the meeting's).
    fn clock(&self, at: &i64) -> String {
        let t = kernel::time::format_minute(*at);
        t.get(11..).unwrap_or(&t).to_string()
    }
    fn status(&self, code: &str) -> &'static str {
        status_label(code)
    }
    fn can_mark(&self) -> bool {
        self.d.can_manage
            && self.d.state.records_attendance()
            && self.d.meeting.meeting_date.as_str() <= self.today.as_str()
    }
    /// A vote form's value: what was typed when it was refused, else what is recorded.
    fn vote_value(&self, line: &ItemLine, which: &str) -> String {
        let typed = self.f.is_for("vote", &line.item.id);
        if typed {
            let v = match which {
                "yes" => &self.f.vote.yes,
                "no" => &self.f.vote.no,
                "abstain" => &self.f.vote.abstain,
                _ => &self.f.vote.not_voting,
            };
            return v.0.clone();
        }
        line.item
            .vote
            .as_ref()
            .map(|r| match which {
                "yes" => r.yes,
                "no" => r.no,
                "abstain" => r.abstain,
                _ => r.not_voting,
            })
            .map_or_else(String::new, |n| n.to_string())
    }
    fn vote_rule(&self, line: &ItemLine) -> String {
        if self.f.is_for("vote", &line.item.id) {
            self.f.vote.rule.clone()
        } else {
            line.item
                .vote
                .as_ref()
                .map_or_else(String::new, |r| r.rule.clone())
        }
    }
    fn can_vote(&self) -> bool {
        self.can_mark()
    }
    fn can_issue(&self) -> bool {
        self.d.can_manage
            && matches!(
                self.d.state,
                MeetingState::Held | MeetingState::MinutesApproved
            )
    }
    fn observer_status(&self, code: &str) -> &'static str {
        crate::rules::ObserverStatus::parse(code).map_or("", |s| s.label())
    }
    fn is_today(&self) -> bool {
        self.d.meeting.meeting_date == self.today
    }
    fn output_label(&self, code: &str) -> &'static str {
        OutputKind::parse(code).map_or("", |k| k.label())
    }
    fn can_plan(&self) -> bool {
        self.d.can_manage && self.d.state.open_for_planning()
    }
}

async fn page(
    st: &AppState,
    s: &Session,
    actor: &app::Actor,
    id: i64,
    f: Failed,
    status: StatusCode,
) -> AppResult<Response> {
    let d = meetings::detail(&st.ctx, actor, id).await?;
    let candidates = if d.can_manage && d.state.open_for_planning() {
        meetings::invite_candidates(&st.ctx, actor, id).await?
    } else {
        Vec::new()
    };
    let mine = match (actor.role, actor.deputy_id) {
        (Role::Deputy, Some(dep)) => d
            .roster
            .iter()
            .find(|l| l.member.deputy_id == Some(dep))
            .map(|l| {
                (
                    "组成人员",
                    status_label(l.mark.as_ref().map_or("", |k| k.status.as_str())),
                )
            })
            .or_else(|| {
                d.invited
                    .iter()
                    .find(|k| k.deputy_id == Some(dep))
                    .map(|k| ("列席代表", status_label(&k.status)))
            }),
        _ => None,
    };
    let items = d
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| ItemLine {
            rule_label: rule_label(&it.vote_rule),
            item: AgendaItem::from_row(it, i as i64 + 1),
        })
        .collect();
    let (prefixes, observer_list) = if d.can_manage {
        (
            outputs::prefixes(&st.ctx, &d.meeting).await?,
            observers::of_meeting(&st.ctx, actor, id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let next_states = d
        .state
        .next()
        .iter()
        .map(|s| (s.code(), s.action(), *s == MeetingState::Cancelled))
        .collect();
    render_status(
        status,
        &DetailPage {
            layout: Layout::new(d.meeting.title.clone(), s, "meetings"),
            items,
            next_states,
            link_kinds: LinkKind::ALL,
            rules: PassRule::ALL,
            statuses: Attendance::ALL,
            candidates,
            today: st.ctx.today().to_string(),
            mine,
            members_total: d.roster.len(),
            output_kinds: OutputKind::ALL,
            prefixes,
            observers: observer_list,
            d,
            f,
        },
    )
}

pub async fn show(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&st, &s, &actor, id, Failed::default(), StatusCode::OK).await
}

/// Ends an action: on success back to the meeting with `done`; a refusal of
/// the input or of the moment shows the page again.
#[expect(
    clippy::too_many_arguments,
    reason = "the action's outcome and where it came from"
)]
async fn finish<T>(
    st: &AppState,
    s: &Session,
    actor: &app::Actor,
    meeting: i64,
    r: Result<T>,
    done: &str,
    anchor: &str,
    mut f: Failed,
) -> AppResult<Response> {
    match r {
        Ok(_) => Ok(see_other_with(
            &format!("/meetings/{meeting}{anchor}"),
            done,
        )),
        Err(Error::Validation(v)) => {
            f.errors = FormErrors(v);
            page(st, s, actor, meeting, f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(Error::Conflict(msg)) => {
            f.problem = msg;
            page(st, s, actor, meeting, f, StatusCode::CONFLICT).await
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn advance(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(form): Form<StateInput>,
) -> AppResult<Response> {
    let r = meetings::advance(&st.ctx, &actor, id, &form).await;
    let done = match &r {
        Ok(MeetingState::Notified) => "已发出会议通知".to_string(),
        Ok(s) => format!("会议状态已改为“{}”", s.label()),
        Err(_) => String::new(),
    };
    let f = Failed {
        form: "state".into(),
        state: form,
        ..Failed::default()
    };
    finish(&st, &s, &actor, id, r, &done, "", f).await
}

pub async fn add_item(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(form): Form<ItemInput>,
) -> AppResult<Response> {
    let r = agenda::add_item(&st.ctx, &actor, id, &form).await;
    let f = Failed {
        form: "agenda".into(),
        item: form,
        ..Failed::default()
    };
    finish(&st, &s, &actor, id, r, "已增加议题", "#agenda", f).await
}

/// The meeting an item or invitation belongs to, for going back to it.
async fn meeting_of_item(st: &AppState, actor: &app::Actor, item: i64) -> AppResult<i64> {
    actor.require(kernel::roles::Permission::ManageMeetings)?;
    let mut c = st.ctx.db.read().await.map_err(|e| AppError(e.into()))?;
    let row = crate::store::item(&mut c, item)
        .await
        .map_err(|e| AppError(e.into()))?
        .ok_or(AppError(Error::NotFound("议题")))?;
    crate::service::visible(&mut c, actor, row.meeting_id)
        .await
        .map_err(|_| AppError(Error::NotFound("议题")))?;
    Ok(row.meeting_id)
}

async fn meeting_of_mark(st: &AppState, actor: &app::Actor, mark: i64) -> AppResult<i64> {
    actor.require(kernel::roles::Permission::ManageMeetings)?;
    let mut c = st.ctx.db.read().await.map_err(|e| AppError(e.into()))?;
    let row = crate::store::mark(&mut c, mark)
        .await
        .map_err(|e| AppError(e.into()))?
        .ok_or(AppError(Error::NotFound("列席邀请")))?;
    crate::service::visible(&mut c, actor, row.meeting_id)
        .await
        .map_err(|_| AppError(Error::NotFound("列席邀请")))?;
    Ok(row.meeting_id)
}

pub async fn remove_item(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(item): Path<i64>,
) -> AppResult<Response> {
    let meeting = meeting_of_item(&st, &actor, item).await?;
    let r = agenda::remove_item(&st.ctx, &actor, item).await;
    finish(
        &st,
        &s,
        &actor,
        meeting,
        r,
        "已删除议题",
        "#agenda",
        Failed::default(),
    )
    .await
}

pub async fn move_item(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(item): Path<i64>,
    Form(form): Form<MoveInput>,
) -> AppResult<Response> {
    let meeting = meeting_of_item(&st, &actor, item).await?;
    let r = agenda::move_item(&st.ctx, &actor, item, &form).await;
    finish(
        &st,
        &s,
        &actor,
        meeting,
        r,
        "已调整议程顺序",
        "#agenda",
        Failed::default(),
    )
    .await
}

pub async fn vote(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(item): Path<i64>,
    Form(form): Form<VoteInput>,
) -> AppResult<Response> {
    let meeting = meeting_of_item(&st, &actor, item).await?;
    let r = agenda::record_vote(&st.ctx, &actor, item, &form).await;
    let done = match &r {
        Ok(o) if o.unanimous => "已录入表决结果：全票通过".to_string(),
        Ok(o) if o.passed => format!("已录入表决结果：通过（赞成票达到 {} 票）", o.needed),
        Ok(o) => format!("已录入表决结果：未通过（需赞成 {} 票）", o.needed),
        Err(_) => String::new(),
    };
    let f = Failed {
        form: format!("vote-{item}"),
        vote: form,
        ..Failed::default()
    };
    finish(&st, &s, &actor, meeting, r, &done, "#agenda", f).await
}

pub async fn mark_member(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path((id, member)): Path<(i64, i64)>,
    Form(form): Form<MarkInput>,
) -> AppResult<Response> {
    let r = attendance::mark_member(&st.ctx, &actor, id, member, &form).await;
    let done = match &r {
        Ok(name) => format!(
            "已登记{name}{}",
            Attendance::parse(&form.status).map_or("", |a| a.label())
        ),
        Err(_) => String::new(),
    };
    let f = Failed {
        form: format!("mark-{member}"),
        mark: form,
        ..Failed::default()
    };
    let anchor = format!("#mark-{member}");
    finish(&st, &s, &actor, id, r, &done, &anchor, f).await
}

pub async fn invite(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(form): Form<InviteInput>,
) -> AppResult<Response> {
    let r = attendance::invite(&st.ctx, &actor, id, &form).await;
    let f = Failed {
        form: "invite".into(),
        ..Failed::default()
    };
    finish(&st, &s, &actor, id, r, "已邀请列席", "#attending", f).await
}

pub async fn uninvite(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(mark): Path<i64>,
) -> AppResult<Response> {
    let meeting = meeting_of_mark(&st, &actor, mark).await?;
    let r = attendance::uninvite(&st.ctx, &actor, mark).await;
    finish(
        &st,
        &s,
        &actor,
        meeting,
        r,
        "已撤销列席邀请",
        "#attending",
        Failed::default(),
    )
    .await
}

pub async fn mark_attending(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(mark): Path<i64>,
    Form(form): Form<MarkInput>,
) -> AppResult<Response> {
    let meeting = meeting_of_mark(&st, &actor, mark).await?;
    let r = attendance::mark_attending(&st.ctx, &actor, mark, &form).await;
    let done = format!(
        "已登记为{}",
        Attendance::parse(&form.status).map_or("", |a| a.label())
    );
    let f = Failed {
        form: format!("attending-{mark}"),
        mark: form,
        ..Failed::default()
    };
    finish(&st, &s, &actor, meeting, r, &done, "#attending", f).await
}

pub async fn issue(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(form): Form<OutputInput>,
) -> AppResult<Response> {
    let r = outputs::issue(&st.ctx, &actor, id, &form).await;
    let done = match &r {
        Ok((_, number)) => format!("已印发，文号 {number}"),
        Err(_) => String::new(),
    };
    let f = Failed {
        form: "output".into(),
        output: form,
        ..Failed::default()
    };
    finish(&st, &s, &actor, id, r, &done, "#outputs", f).await
}

pub async fn document(
    State(st): State<AppState>,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (name, bytes) = outputs::document(&st.ctx, &actor, id).await?;
    Ok(webkit::pages::download(bytes, &name, webkit::pages::DOCX))
}

async fn meeting_of_observer(st: &AppState, actor: &app::Actor, id: i64) -> AppResult<i64> {
    actor.require(kernel::roles::Permission::ManageMeetings)?;
    let mut c = st.ctx.db.read().await.map_err(|e| AppError(e.into()))?;
    let row = crate::store::observers::get(&mut c, id)
        .await
        .map_err(|e| AppError(e.into()))?
        .ok_or(AppError(Error::NotFound("旁听申请")))?;
    crate::service::managed(&mut c, actor, row.meeting_id)
        .await
        .map_err(|_| AppError(Error::NotFound("旁听申请")))?;
    Ok(row.meeting_id)
}

pub async fn decide_observer(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(form): Form<DecisionInput>,
) -> AppResult<Response> {
    let meeting = meeting_of_observer(&st, &actor, id).await?;
    let r = observers::decide(&st.ctx, &actor, id, &form).await;
    let done = if form.approve {
        "已同意旁听"
    } else {
        "已记录未同意及原因"
    };
    let f = Failed {
        form: format!("observer-{id}"),
        decision: form,
        ..Failed::default()
    };
    finish(&st, &s, &actor, meeting, r, done, "#observers", f).await
}

pub async fn check_in_observer(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let meeting = meeting_of_observer(&st, &actor, id).await?;
    let r = observers::check_in(&st.ctx, &actor, id).await;
    finish(
        &st,
        &s,
        &actor,
        meeting,
        r,
        "已登记入场",
        "#observers",
        Failed::default(),
    )
    .await
}

pub async fn record_forum(
    State(st): State<AppState>,
    MeSession(s): MeSession,
    Me(actor): Me,
    Path(id): Path<i64>,
    Form(form): Form<ForumInput>,
) -> AppResult<Response> {
    let r = forum::record(&st.ctx, &actor, id, &form).await;
    let f = Failed {
        form: "forum".into(),
        forum: form,
        ..Failed::default()
    };
    finish(
        &st,
        &s,
        &actor,
        id,
        r,
        "已保存列席代表座谈会记录",
        "#forum",
        f,
    )
    .await
}
