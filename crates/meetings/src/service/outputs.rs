//! What a meeting issues — 决定 and 决议 on items its vote passed, 审议意见
//! to the body that reported, the 纪要 — each numbered per congress and
//! year under its 代字, and written as a document in the format of GB/T 9704.

use app::validate::Check;
use app::{Actor, Ctx, Error, Result};
use kernel::bodies::BodyKind;
use kernel::calendar::parse_date;
use serde::Deserialize;

use crate::rules::{self, MeetingState, OutputKind};
use crate::store::outputs::{self, OutputRow};
use crate::store::{self, MeetingRow};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct OutputInput {
    /// decision, resolution, opinion or minutes.
    #[serde(default)]
    #[schema(required = true)]
    pub kind: String,
    /// The agenda item it comes from (required for all but minutes).
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub agenda_item_id: Option<i64>,
    /// The organ's code in the document number, e.g. 清常发.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 20)]
    pub prefix: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 100)]
    pub title: String,
    /// 主送, e.g. 县人民政府 (required for a deliberation opinion).
    #[serde(default)]
    #[schema(max_length = 60)]
    pub addressee: String,
    /// The text, paragraphs separated by blank lines.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 20000)]
    pub body: String,
    /// YYYY-MM-DD (成文日期); empty: today.
    #[serde(default)]
    #[schema(format = Date)]
    pub issued_on: String,
}

/// Issues an output of a held meeting.
#[tracing::instrument(name = "meetings::issue", skip_all, fields(actor = %actor.username, id))]
pub async fn issue(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    input: &OutputInput,
) -> Result<(i64, String)> {
    let mut tx = ctx.begin().await?;
    let m = super::managed(&mut tx, actor, id).await?;
    let state = super::state_of(&m);
    if !matches!(state, MeetingState::Held | MeetingState::MinutesApproved) {
        return Err(Error::Conflict(format!(
            "会议{}，召开后才能印发决定、决议、审议意见和纪要",
            state.label()
        )));
    }
    let mut check = Check::new();
    let kind = OutputKind::parse(&input.kind);
    if kind.is_none() {
        check.add("kind", "请选择文件类别");
    }
    let prefix = check.text("prefix", "文号代字", &input.prefix, 20);
    if prefix
        .chars()
        .any(|c| c.is_ascii_digit() || "〔〕[]号".contains(c))
    {
        check.add(
            "prefix",
            "文号代字只填机关代字，如“清常发”，年份和序号自动生成",
        );
    }
    let title = check.text("title", "标题", &input.title, 100);
    let addressee = check.optional("addressee", "主送机关", &input.addressee, 60);
    let body = check.text("body", "正文", &input.body, 20000);
    let today = ctx.today();
    let issued = if input.issued_on.trim().is_empty() {
        Some(today)
    } else {
        check.take(
            "issued_on",
            parse_date(&input.issued_on).map_err(|e| e.to_string()),
        )
    };
    if let Some(d) = issued {
        if d.to_string() < m.meeting_date {
            check.add(
                "issued_on",
                format!("成文日期不能早于会议日期 {}", m.meeting_date),
            );
        } else if d > today {
            check.add("issued_on", "成文日期不能晚于今天");
        }
    }
    let item = match input.agenda_item_id.filter(|v| *v > 0) {
        Some(i) => match store::item(&mut tx, i).await? {
            Some(row) if row.meeting_id == id => Some(row),
            _ => {
                check.add("agenda_item_id", "议题不属于本次会议");
                None
            }
        },
        None => None,
    };
    if let Some(k) = kind {
        if k != OutputKind::Minutes && input.agenda_item_id.filter(|v| *v > 0).is_none() {
            check.add("agenda_item_id", format!("请选择{}所依据的议题", k.label()));
        }
        if k.needs_passed_vote()
            && let Some(row) = &item
            && row.vote_passed != Some(1)
        {
            check.add(
                "agenda_item_id",
                format!("议题“{}”未经表决通过，不能据此印发{}", row.title, k.label()),
            );
        }
        if k.needs_addressee() && addressee.is_empty() {
            check.add("addressee", "请填写主送机关，如：县人民政府");
        }
        if k == OutputKind::Minutes
            && let Some(o) = outputs::of_meeting(&mut tx, id)
                .await?
                .iter()
                .find(|o| o.kind == OutputKind::Minutes.code())
        {
            check.add("kind", format!("本次会议已印发纪要（{}）", o.number));
        }
    }
    check.finish()?;
    let (Some(kind), Some(issued)) = (kind, issued) else {
        return Err(Error::internal("checked output without kind or date"));
    };
    let year = i64::from(issued.year());
    let seq = outputs::next_seq(&mut tx, m.congress_id, &prefix, year).await?;
    let number = rules::document_number(&prefix, year, seq);
    let row = OutputRow {
        id: 0,
        meeting_id: id,
        congress_id: m.congress_id,
        agenda_item_id: item.as_ref().map(|i| i.id),
        kind: kind.code().into(),
        prefix,
        year,
        seq,
        number: number.clone(),
        title: title.clone(),
        addressee,
        body,
        issued_on: issued.to_string(),
        item_id: None,
    };
    let out = outputs::insert(&mut tx, &row, ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "meeting.issue",
        "meeting",
        id,
        format!("{}印发{}：{number}《{title}》", m.title, kind.label()),
    )
    .await?;
    tx.commit().await?;
    Ok((out, number))
}

/// The prefixes to offer on the form: the congress's last one of each kind.
pub async fn prefixes(ctx: &Ctx, m: &MeetingRow) -> Result<Vec<(&'static str, String)>> {
    let mut c = ctx.db.read().await?;
    Ok(outputs::last_prefixes(&mut c, m.congress_id)
        .await?
        .into_iter()
        .filter_map(|(k, p)| OutputKind::parse(&k).map(|k| (k.code(), p)))
        .collect())
}

/// The outputs of a meeting the actor may see.
pub async fn of_meeting(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Vec<OutputRow>> {
    let mut c = ctx.db.read().await?;
    super::visible(&mut c, actor, id).await?;
    Ok(outputs::of_meeting(&mut c, id).await?)
}

/// An output as a .docx, with its file name.
#[tracing::instrument(name = "meetings::document", skip_all, fields(actor = %actor.username, id))]
pub async fn document(ctx: &Ctx, actor: &Actor, id: i64) -> Result<(String, Vec<u8>)> {
    // Who may read the output (the meeting's viewers, the units handling an opinion).
    let v = super::opinion_items::view(ctx, actor, id).await?;
    let (o, m) = (v.output, v.meeting);
    let mut c = ctx.db.read().await?;
    let congress = org::store::congresses::get(&mut c, m.congress_id)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let body_kind = BodyKind::parse(&m.body_kind).unwrap_or(BodyKind::WorkingCommittee);
    let organ = rules::organ(&congress, body_kind, &m.body_name);
    let date = office::docx::chinese_date(&o.issued_on);
    let letter = office::docx::ReplyLetter {
        organ: organ.clone(),
        number: o.number.clone(),
        title: o.title.clone(),
        addressee: o.addressee.clone(),
        paragraphs: o
            .body
            .split("\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
        signature: organ.clone(),
        date,
        note: String::new(),
        copy_to: String::new(),
        issuer: format!("{}办公室", organ),
    };
    let bytes = office::docx::reply_letter(&letter).map_err(Error::internal)?;
    Ok((format!("{}.docx", o.number), bytes))
}
