//! Deputies and their mandates: roster, detail, create and edit, termination,
//! unmasked views of personal data (each one audited), export.

use crate::store::deputies::{DeputyData, MandateData, MandateFilter, MandateView};
use db::{Conn, Page, Paged};
use kernel::calendar::parse_date;
use kernel::ids::{Gender, IdCardNo, PhoneNo, mask_id_card, mask_phone};
use kernel::org::{CongressLevel, DeputyStatus, parse_ethnicity, parse_party};
use kernel::roles::{Permission, Role};
use serde::{Deserialize, Serialize};

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::validate::Check;

pub const PHONE_CTX: &str = "deputy.phone";
pub const ID_CARD_CTX: &str = "deputy.id_card";

/// A person and one mandate, as a form or an API call gives them.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct DeputyInput {
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 20)]
    pub name: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub ethnicity: String,
    /// Optional: read from the ID number when empty.
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub occupation: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    #[schema(required = true)]
    pub id_card: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub term_id: Option<i64>,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 60)]
    pub constituency: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub delegation: String,
    #[serde(default)]
    pub professional_group: String,
}

/// A roster row as shown: the phone masked unless the viewer may see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterRow {
    pub mandate_id: i64,
    pub deputy_id: i64,
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub party: String,
    pub occupation: String,
    pub phone_masked: String,
    pub congress_id: i64,
    pub congress_name: String,
    pub term_number: i64,
    pub level: String,
    pub level_label: String,
    pub constituency: String,
    pub delegation: String,
    pub professional_group: String,
    pub status: String,
    pub status_label: String,
    pub terminated_on: Option<String>,
    pub termination_reason: Option<String>,
}

impl RosterRow {
    fn from_view(ctx: &Ctx, v: MandateView) -> RosterRow {
        let phone = v
            .phone_enc
            .as_deref()
            .map(|p| mask_phone(&ctx.reveal(PHONE_CTX, p)))
            .unwrap_or_default();
        RosterRow {
            mandate_id: v.mandate_id,
            deputy_id: v.deputy_id,
            gender: Gender::parse(&v.gender)
                .map(|g| g.label())
                .unwrap_or("")
                .into(),
            name: v.name,
            ethnicity: v.ethnicity,
            birth_date: v.birth_date,
            party: v.party,
            occupation: v.occupation,
            phone_masked: phone,
            congress_id: v.congress_id,
            congress_name: v.congress_name,
            term_number: v.term_number,
            level_label: CongressLevel::parse(&v.level)
                .map(|l| l.label())
                .unwrap_or("")
                .into(),
            level: v.level,
            constituency: v.constituency,
            delegation: v.delegation,
            professional_group: v.professional_group,
            status_label: DeputyStatus::parse(&v.status)
                .map(|s| s.label())
                .unwrap_or("")
                .into(),
            status: v.status,
            terminated_on: v.terminated_on,
            termination_reason: v.termination_reason,
        }
    }
}

/// Narrows a filter to what the actor may see. The roster needs
/// [`Permission::ViewDeputies`]; a deputy may read only their own record,
/// and only where `own_record` says the use case allows it.
async fn scoped(
    conn: &mut Conn,
    actor: &Actor,
    mut f: MandateFilter,
    own_record: bool,
) -> Result<MandateFilter> {
    if actor.role == Role::Deputy && own_record {
        let own = actor.deputy_id.unwrap_or(-1);
        f.deputy_id = Some(if f.deputy_id.is_none_or(|d| d == own) {
            own
        } else {
            -1
        });
        return Ok(f);
    }
    actor.require(Permission::ViewDeputies)?;
    if let Some(mine) = crate::scope::visible_congresses(conn, actor).await? {
        f.congress_ids = Some(match f.congress_ids.take() {
            Some(asked) => asked.into_iter().filter(|i| mine.contains(i)).collect(),
            None => mine,
        });
    }
    Ok(f)
}

#[tracing::instrument(name = "org::deputies::list", skip_all, fields(actor = %actor.username))]
pub async fn list(
    ctx: &Ctx,
    actor: &Actor,
    f: MandateFilter,
    page: Page,
) -> Result<Paged<RosterRow>> {
    let mut c = ctx.db.read().await?;
    let f = scoped(&mut c, actor, f, false).await?;
    let page = crate::store::deputies::list(&mut c, &f, page).await?;
    Ok(page.map(|v| RosterRow::from_view(ctx, v)))
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeputyDetail {
    pub deputy_id: i64,
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub party: String,
    pub occupation: String,
    pub phone_masked: String,
    pub id_card_masked: String,
    pub mandates: Vec<RosterRow>,
    /// Whether the viewer may ask for the unmasked values.
    pub can_reveal: bool,
    pub can_edit: bool,
}

async fn load_person(
    conn: &mut Conn,
    actor: &Actor,
    deputy_id: i64,
) -> Result<(crate::store::deputies::DeputyRow, Vec<MandateView>)> {
    let person = crate::store::deputies::get(conn, deputy_id)
        .await?
        .ok_or(Error::NotFound("代表"))?;
    let f = scoped(
        conn,
        actor,
        MandateFilter {
            deputy_id: Some(deputy_id),
            ..Default::default()
        },
        true,
    )
    .await?;
    let mandates = crate::store::deputies::list(conn, &f, Page::new(Some(1), Some(50)))
        .await?
        .items;
    if mandates.is_empty() {
        // Either no such person in the actor's scope or a forged id: the same answer.
        return Err(Error::NotFound("代表"));
    }
    Ok((person, mandates))
}

#[tracing::instrument(name = "org::deputies::detail", skip_all, fields(actor = %actor.username, deputy_id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, deputy_id: i64) -> Result<DeputyDetail> {
    let mut c = ctx.db.read().await?;
    let (p, mandates) = load_person(&mut c, actor, deputy_id).await?;
    let phone = p
        .phone_enc
        .as_deref()
        .map(|x| ctx.reveal(PHONE_CTX, x))
        .unwrap_or_default();
    let id_card = ctx.reveal(ID_CARD_CTX, &p.id_card_enc);
    Ok(DeputyDetail {
        deputy_id: p.id,
        gender: Gender::parse(&p.gender)
            .map(|g| g.label())
            .unwrap_or("")
            .into(),
        name: p.name,
        ethnicity: p.ethnicity,
        birth_date: p.birth_date,
        party: p.party,
        occupation: p.occupation,
        phone_masked: mask_phone(&phone),
        id_card_masked: mask_id_card(&id_card),
        mandates: mandates
            .into_iter()
            .map(|v| RosterRow::from_view(ctx, v))
            .collect(),
        can_reveal: actor.can(Permission::ViewPersonalData),
        can_edit: actor.can(Permission::ManageDeputies),
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Revealed {
    pub phone: String,
    pub id_card: String,
}

/// The unmasked phone and ID number; every call is written to the audit trail.
#[tracing::instrument(name = "org::deputies::reveal", skip_all, fields(actor = %actor.username, deputy_id))]
pub async fn reveal(ctx: &Ctx, actor: &Actor, deputy_id: i64) -> Result<Revealed> {
    actor.require(Permission::ViewPersonalData)?;
    let mut tx = ctx.begin().await?;
    let (p, _) = load_person(&mut tx, actor, deputy_id).await?;
    let out = Revealed {
        phone: p
            .phone_enc
            .as_deref()
            .map(|x| ctx.reveal(PHONE_CTX, x))
            .unwrap_or_default(),
        id_card: ctx.reveal(ID_CARD_CTX, &p.id_card_enc),
    };
    app::audit::record(
        &mut tx,
        actor,
        "deputy.reveal",
        "deputy",
        deputy_id,
        format!("查看 {} 的手机号和身份证号明文", p.name),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// Checked person fields (encrypted) and mandate fields.
pub(crate) struct CheckedDeputy {
    pub person: DeputyData,
    pub mandate: Option<MandateData>,
}

/// Validates a person and, when `with_mandate`, their mandate; shared by the
/// form, the API and the spreadsheet import so all three accept the same data.
pub(crate) fn check_person(
    ctx: &Ctx,
    input: &DeputyInput,
    check: &mut Check,
) -> Option<DeputyData> {
    let name = check.text("name", "姓名", &input.name, 20);
    let id = check.take("id_card", IdCardNo::parse(&input.id_card));
    let gender = if input.gender.trim().is_empty() {
        id.as_ref().map(IdCardNo::gender)
    } else {
        check.take("gender", Gender::parse(&input.gender))
    };
    if let (Some(g), Some(id)) = (gender, &id)
        && g != id.gender()
    {
        check.add("gender", "性别与身份证号不符");
    }
    let ethnicity = check.take("ethnicity", parse_ethnicity(&input.ethnicity));
    let party = check.take("party", parse_party(&input.party));
    let occupation = check.optional("occupation", "职业", &input.occupation, 100);
    let birth = if input.birth_date.trim().is_empty() {
        id.as_ref().map(IdCardNo::birth_date)
    } else {
        check.take("birth_date", parse_date(&input.birth_date))
    };
    if let (Some(b), Some(id)) = (birth, &id)
        && b != id.birth_date()
    {
        check.add("birth_date", "出生日期与身份证号不符");
    }
    let phone = if input.phone.trim().is_empty() {
        Some(None)
    } else {
        check.take("phone", PhoneNo::parse(&input.phone)).map(Some)
    };
    let (id, gender, ethnicity, party, birth, phone) =
        (id?, gender?, ethnicity?, party?, birth?, phone?);
    Some(DeputyData {
        name,
        gender: gender.code().into(),
        ethnicity: ethnicity.into(),
        birth_date: birth.to_string(),
        party: party.into(),
        occupation,
        phone_enc: phone.map(|p| ctx.key.encrypt(PHONE_CTX, p.as_str())),
        id_card_enc: ctx.key.encrypt(ID_CARD_CTX, id.as_str()),
        id_card_index: ctx.key.blind_index(ID_CARD_CTX, id.as_str()),
    })
}

pub(crate) fn check_mandate_fields(
    input: &DeputyInput,
    check: &mut Check,
) -> (String, String, String) {
    (
        check.text("constituency", "选区或选举单位", &input.constituency, 60),
        check.optional("delegation", "代表团", &input.delegation, 40),
        check.optional(
            "professional_group",
            "专业代表小组",
            &input.professional_group,
            40,
        ),
    )
}

async fn check_all(
    ctx: &Ctx,
    conn: &mut Conn,
    actor: &Actor,
    input: &DeputyInput,
    check: &mut Check,
) -> Result<Option<CheckedDeputy>> {
    let person = check_person(ctx, input, check);
    let (constituency, delegation, professional_group) = check_mandate_fields(input, check);
    let mut mandate = None;
    match input.term_id.filter(|v| *v > 0) {
        None => check.add("term_id", "请选择所属人大和届次"),
        Some(tid) => match crate::store::congresses::get_term(conn, tid).await? {
            None => check.add("term_id", "届次不存在"),
            Some(term) => {
                let visible = crate::scope::visible_congresses(conn, actor).await?;
                let congress = crate::store::congresses::get(conn, term.congress_id).await?;
                match congress {
                    Some(c) if visible.as_ref().is_none_or(|ids| ids.contains(&c.id)) => {
                        mandate = Some(MandateData {
                            congress_id: c.id,
                            term_id: tid,
                            level: c.level,
                            constituency,
                            delegation,
                            professional_group,
                            status: DeputyStatus::InOffice.code().into(),
                            terminated_on: None,
                            termination_reason: None,
                        });
                    }
                    _ => check.add("term_id", "届次不在您的管理范围内"),
                }
            }
        },
    }
    Ok(person.map(|person| CheckedDeputy { person, mandate }))
}

/// Registers a deputy's mandate; an existing person (same ID number) gains the mandate.
#[tracing::instrument(name = "org::deputies::create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &DeputyInput) -> Result<i64> {
    actor.require(Permission::ManageDeputies)?;
    let mut tx = ctx.begin().await?;
    let mut check = Check::new();
    let checked = check_all(ctx, &mut tx, actor, input, &mut check).await?;
    check.finish()?;
    let Some(CheckedDeputy {
        person,
        mandate: Some(mandate),
    }) = checked
    else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let now = ctx.now_ms();
    let deputy_id = match crate::store::deputies::find_by_id_card_index(
        &mut tx,
        &person.id_card_index,
    )
    .await?
    {
        Some(existing) => {
            if crate::store::deputies::find_mandate(&mut tx, existing.id, mandate.term_id)
                .await?
                .is_some()
            {
                return Err(Error::field("id_card", "该代表在此届次已登记"));
            }
            crate::store::deputies::update(&mut tx, existing.id, &person, now).await?;
            existing.id
        }
        None => crate::store::deputies::insert(&mut tx, &person, now).await?,
    };
    let mid = crate::store::deputies::insert_mandate(&mut tx, deputy_id, &mandate, now).await?;
    crate::store::deputies::note_groups(&mut tx, &mandate).await?;
    app::audit::record(
        &mut tx,
        actor,
        "deputy.create",
        "deputy",
        deputy_id,
        format!("登记代表 {}（资格 #{mid}，{}）", person.name, mandate.level),
    )
    .await?;
    tx.commit().await?;
    Ok(deputy_id)
}

/// Edits a person and one of their mandates.
#[tracing::instrument(name = "org::deputies::update", skip_all, fields(actor = %actor.username, mandate_id))]
pub async fn update(ctx: &Ctx, actor: &Actor, mandate_id: i64, input: &DeputyInput) -> Result<()> {
    actor.require(Permission::ManageDeputies)?;
    let mut tx = ctx.begin().await?;
    let before = visible_mandate(&mut tx, actor, mandate_id).await?;
    let mut check = Check::new();
    let mut input = input.clone();
    if input.term_id.is_none() {
        input.term_id = Some(before.term_id);
    }
    let checked = check_all(ctx, &mut tx, actor, &input, &mut check).await?;
    if let Some(k) = &checked
        && let Some(other) =
            crate::store::deputies::find_by_id_card_index(&mut tx, &k.person.id_card_index).await?
        && other.id != before.deputy_id
    {
        check.add("id_card", "该身份证号已属于另一位代表");
    }
    check.finish()?;
    let Some(CheckedDeputy {
        person,
        mandate: Some(mut mandate),
    }) = checked
    else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    if mandate.term_id != before.term_id
        && crate::store::deputies::find_mandate(&mut tx, before.deputy_id, mandate.term_id)
            .await?
            .is_some()
    {
        return Err(Error::field("term_id", "该代表在此届次已登记"));
    }
    mandate.status = before.status.clone();
    mandate.terminated_on = before.terminated_on.clone();
    mandate.termination_reason = before.termination_reason.clone();
    let now = ctx.now_ms();
    crate::store::deputies::update(&mut tx, before.deputy_id, &person, now).await?;
    crate::store::deputies::update_mandate(&mut tx, mandate_id, &mandate, now).await?;
    crate::store::deputies::note_groups(&mut tx, &mandate).await?;
    app::audit::record(
        &mut tx,
        actor,
        "deputy.update",
        "deputy",
        before.deputy_id,
        format!("修改代表 {}（资格 #{mandate_id}）", person.name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn visible_mandate(conn: &mut Conn, actor: &Actor, mandate_id: i64) -> Result<MandateView> {
    let m = crate::store::deputies::get_mandate(conn, mandate_id)
        .await?
        .ok_or(Error::NotFound("代表资格"))?;
    if let Some(ids) = crate::scope::visible_congresses(conn, actor).await?
        && !ids.contains(&m.congress_id)
    {
        return Err(Error::NotFound("代表资格"));
    }
    Ok(m)
}

/// The form's current values for editing a mandate (unmasked: only managers edit).
#[tracing::instrument(name = "org::deputies::edit_values", skip_all, fields(actor = %actor.username, mandate_id))]
pub async fn edit_values(
    ctx: &Ctx,
    actor: &Actor,
    mandate_id: i64,
) -> Result<(DeputyInput, MandateView)> {
    actor.require(Permission::ManageDeputies)?;
    let mut c = ctx.db.read().await?;
    let m = visible_mandate(&mut c, actor, mandate_id).await?;
    let p = crate::store::deputies::get(&mut c, m.deputy_id)
        .await?
        .ok_or(Error::NotFound("代表"))?;
    let input = DeputyInput {
        name: p.name,
        gender: p.gender,
        ethnicity: p.ethnicity,
        birth_date: p.birth_date,
        party: p.party,
        occupation: p.occupation,
        phone: p
            .phone_enc
            .as_deref()
            .map(|x| ctx.reveal(PHONE_CTX, x))
            .unwrap_or_default(),
        id_card: ctx.reveal(ID_CARD_CTX, &p.id_card_enc),
        term_id: Some(m.term_id),
        constituency: m.constituency.clone(),
        delegation: m.delegation.clone(),
        professional_group: m.professional_group.clone(),
    };
    Ok((input, m))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TerminationInput {
    #[serde(default)]
    pub terminated_on: String,
    #[serde(default)]
    pub reason: String,
}

/// Ends a mandate (代表法 第五十五条 lists the grounds) with its date and reason.
#[tracing::instrument(name = "org::deputies::terminate", skip_all, fields(actor = %actor.username, mandate_id))]
pub async fn terminate(
    ctx: &Ctx,
    actor: &Actor,
    mandate_id: i64,
    input: &TerminationInput,
) -> Result<()> {
    actor.require(Permission::ManageDeputies)?;
    let mut check = Check::new();
    let date = check.take("terminated_on", parse_date(&input.terminated_on));
    let reason = check.text("reason", "终止原因", &input.reason, 200);
    if let Some(d) = date
        && d > ctx.today()
    {
        check.add("terminated_on", "终止日期不能晚于今天");
    }
    let mut tx = ctx.begin().await?;
    let m = visible_mandate(&mut tx, actor, mandate_id).await?;
    if m.status == DeputyStatus::Terminated.code() {
        check.add("terminated_on", "该代表资格已终止");
    }
    check.finish()?;
    let data = MandateData {
        congress_id: m.congress_id,
        term_id: m.term_id,
        level: m.level.clone(),
        constituency: m.constituency.clone(),
        delegation: m.delegation.clone(),
        professional_group: m.professional_group.clone(),
        status: DeputyStatus::Terminated.code().into(),
        terminated_on: date.map(|d| d.to_string()),
        termination_reason: Some(reason.clone()),
    };
    crate::store::deputies::update_mandate(&mut tx, mandate_id, &data, ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "deputy.terminate",
        "deputy",
        m.deputy_id,
        format!("终止 {} 的代表资格（资格 #{mandate_id}）：{reason}", m.name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Menus for the roster filters: delegations and professional groups in scope.
#[tracing::instrument(name = "org::deputies::filter_options", skip_all, fields(actor = %actor.username))]
pub async fn filter_options(ctx: &Ctx, actor: &Actor) -> Result<(Vec<String>, Vec<String>)> {
    actor.require(Permission::ViewDeputies)?;
    let mut c = ctx.db.read().await?;
    let ids = crate::scope::visible_congresses(&mut c, actor).await?;
    Ok(crate::store::deputies::groups(&mut c, ids.as_deref()).await?)
}

/// Columns of the roster export, which are also the import template's.
pub const COLUMNS: &[(&str, f64)] = &[
    ("姓名", 10.0),
    ("性别", 6.0),
    ("民族", 8.0),
    ("出生日期", 12.0),
    ("政治面貌", 12.0),
    ("职业及职务", 30.0),
    ("身份证号", 22.0),
    ("手机号", 15.0),
    ("所属人大", 22.0),
    ("届次", 6.0),
    ("选区或选举单位", 22.0),
    ("代表团", 14.0),
    ("专业代表小组", 14.0),
    ("状态", 8.0),
    ("终止日期", 12.0),
    ("终止原因", 20.0),
];

/// Exports the roster in batches; personal data is masked unless the actor may
/// see it, in which case the export is audited.
#[tracing::instrument(name = "org::deputies::export", skip_all, fields(actor = %actor.username))]
pub async fn export(ctx: &Ctx, actor: &Actor, f: MandateFilter) -> Result<Vec<u8>> {
    let mut c = ctx.db.read().await?;
    let f = scoped(&mut c, actor, f, false).await?;
    let show = actor.can(Permission::ViewPersonalData);
    let cols: Vec<office::xlsx::Column> = COLUMNS
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let title = format!(
        "代表名册（导出时间 {}）",
        kernel::time::format_minute(ctx.now_ms())
    );
    let mut w = office::xlsx::SheetWriter::titled("代表名册", &title, &cols)?;
    let mut after = 0;
    let mut count = 0;
    loop {
        let batch = crate::store::deputies::batch_after(&mut c, &f, after, 1000).await?;
        if batch.is_empty() {
            break;
        }
        for v in batch {
            after = v.mandate_id;
            count += 1;
            let phone = v
                .phone_enc
                .as_deref()
                .map(|x| ctx.reveal(PHONE_CTX, x))
                .unwrap_or_default();
            let id_card = ctx.reveal(ID_CARD_CTX, &v.id_card_enc);
            let (phone, id_card) = if show {
                (phone, id_card)
            } else {
                (mask_phone(&phone), mask_id_card(&id_card))
            };
            w.push(&[
                v.name,
                Gender::parse(&v.gender)
                    .map(|g| g.label())
                    .unwrap_or("")
                    .into(),
                v.ethnicity,
                v.birth_date,
                v.party,
                v.occupation,
                id_card,
                phone,
                v.congress_name,
                v.term_number.to_string(),
                v.constituency,
                v.delegation,
                v.professional_group,
                DeputyStatus::parse(&v.status)
                    .map(|s| s.label())
                    .unwrap_or("")
                    .into(),
                v.terminated_on.unwrap_or_default(),
                v.termination_reason.unwrap_or_default(),
            ])?;
        }
    }
    drop(c);
    if show {
        let mut tx = ctx.begin().await?;
        app::audit::record(
            &mut tx,
            actor,
            "deputy.export",
            "deputy",
            "-",
            format!("导出代表名册 {count} 条（含手机号、身份证号明文）"),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(w.finish()?)
}
