//! Handling units (承办单位).

use crate::store::units::{UnitData, UnitFilter, UnitRow};
use db::{Conn, Page, Paged};
use kernel::ids::{CreditCode, PhoneNo, mask_phone};
use kernel::org::UnitKind;
use kernel::roles::{DataScope, Permission, Role};
use serde::{Deserialize, Serialize};

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::validate::Check;

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[schema(as = UnitContactInput)]
pub struct ContactInput {
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 20)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 30)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UnitInput {
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub congress_id: Option<i64>,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 60)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub parent_id: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 18)]
    pub credit_code: String,
    /// The government leader in charge (分管领导).
    #[serde(default)]
    #[schema(max_length = 20)]
    pub leader_name: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub leader_title: String,
    /// The leader's account, when they sign off on the platform.
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    pub leader_user_id: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub address: String,
    #[serde(default = "yes", deserialize_with = "app::de::flex_bool")]
    pub active: bool,
    #[serde(default)]
    pub contacts: Vec<ContactInput>,
}

fn yes() -> bool {
    true
}

/// A contact as shown: the phone masked unless the viewer may see it.
#[derive(Debug, Clone)]
pub struct ContactView {
    pub name: String,
    pub title: String,
    pub phone: String,
}

#[derive(Debug, Clone)]
pub struct UnitDetail {
    pub unit: UnitRow,
    pub kind_label: String,
    pub congress_name: String,
    pub parent_name: Option<String>,
    pub contacts: Vec<ContactView>,
    pub children: i64,
}

/// The filter that limits a list to what the actor may see.
#[tracing::instrument(name = "org::units::scope_filter", skip_all, fields(actor = %actor.username))]
pub async fn scope_filter(conn: &mut Conn, actor: &Actor) -> Result<UnitFilter> {
    let mut f = UnitFilter::default();
    match actor.role {
        Role::UnitHandler | Role::UnitHead => {
            let own = match actor.unit_id {
                Some(u) => crate::store::units::get(conn, u).await?,
                None => None,
            };
            match (own, actor.scope) {
                (Some(u), DataScope::OrgTree) => f.within_path = Some(u.path),
                (Some(u), _) => f.only_id = Some(u.id),
                (None, _) => f.only_id = Some(-1),
            }
        }
        Role::GovLeader => f.leader_user_id = Some(actor.user_id.unwrap_or(-1)),
        _ => f.congress_ids = crate::scope::visible_congresses(conn, actor).await?,
    }
    Ok(f)
}

async fn visible(conn: &mut Conn, actor: &Actor, id: i64) -> Result<UnitRow> {
    let mut f = scope_filter(conn, actor).await?;
    f.only_id = match f.only_id {
        Some(own) if own != id => return Err(Error::NotFound("承办单位")),
        _ => Some(id),
    };
    let page = crate::store::units::list(conn, &f, Page::new(Some(1), Some(1))).await?;
    page.items
        .into_iter()
        .next()
        .ok_or(Error::NotFound("承办单位"))
}

#[tracing::instrument(name = "org::units::list", skip_all, fields(actor = %actor.username))]
pub async fn list(
    ctx: &Ctx,
    actor: &Actor,
    wanted: &UnitFilter,
    page: Page,
) -> Result<Paged<UnitRow>> {
    actor.require(Permission::ViewUnits)?;
    let mut c = ctx.db.read().await?;
    let mut f = scope_filter(&mut c, actor).await?;
    f.kind = wanted.kind.clone();
    f.name = wanted.name.clone();
    f.active = wanted.active;
    if let Some(ids) = &wanted.congress_ids {
        f.congress_ids = Some(match f.congress_ids {
            Some(mine) => ids.iter().copied().filter(|i| mine.contains(i)).collect(),
            None => ids.clone(),
        });
    }
    Ok(crate::store::units::list(&mut c, &f, page).await?)
}

#[tracing::instrument(name = "org::units::detail", skip_all, fields(actor = %actor.username, id))]
pub async fn detail(ctx: &Ctx, actor: &Actor, id: i64) -> Result<UnitDetail> {
    actor.require(Permission::ViewUnits)?;
    let mut c = ctx.db.read().await?;
    let unit = visible(&mut c, actor, id).await?;
    let congress_name = crate::store::congresses::get(&mut c, unit.congress_id)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let parent_name = match unit.parent_id {
        Some(p) => crate::store::units::get(&mut c, p).await?.map(|u| u.name),
        None => None,
    };
    let show = actor.can(Permission::ViewPersonalData);
    let contacts = crate::store::units::contacts(&mut c, id)
        .await?
        .into_iter()
        .map(|r| {
            let phone = r
                .phone_enc
                .as_deref()
                .map(|p| ctx.reveal("unit_contact.phone", p))
                .unwrap_or_default();
            ContactView {
                name: r.name,
                title: r.title,
                phone: if show { phone } else { mask_phone(&phone) },
            }
        })
        .collect();
    let children = crate::store::units::count_children(&mut c, id).await?;
    Ok(UnitDetail {
        kind_label: UnitKind::parse(&unit.kind)
            .map(|k| k.label())
            .unwrap_or("")
            .to_string(),
        unit,
        congress_name,
        parent_name,
        contacts,
        children,
    })
}

pub(crate) struct CheckedUnit {
    pub data: UnitData,
    pub contacts: Vec<(String, String, Option<String>)>,
    pub parent_path: Option<String>,
}

/// Validates a unit's fields; `existing` is the unit being edited.
pub(crate) async fn check_unit(
    ctx: &Ctx,
    conn: &mut Conn,
    actor: &Actor,
    input: &UnitInput,
    existing: Option<&UnitRow>,
    check: &mut Check,
) -> Result<Option<CheckedUnit>> {
    let name = check.text("name", "单位名称", &input.name, 60);
    let kind = UnitKind::parse(&input.kind);
    if kind.is_none() {
        check.add("kind", "请选择单位类型");
    }
    let congress_id = existing
        .map(|e| e.congress_id)
        .or(input.congress_id.filter(|v| *v > 0));
    match congress_id {
        None => check.add("congress_id", "请选择所属人大"),
        Some(cid) => {
            let visible = crate::scope::visible_congresses(conn, actor).await?;
            let exists = crate::store::congresses::get(conn, cid).await?.is_some();
            if !exists || visible.is_some_and(|ids| !ids.contains(&cid)) {
                check.add("congress_id", "所属人大不存在或不在您的管理范围内");
            }
        }
    }
    let credit = input.credit_code.trim();
    let credit_code = if credit.is_empty() {
        None
    } else {
        check
            .take("credit_code", CreditCode::parse(credit))
            .map(|c| c.as_str().to_string())
    };
    if let Some(code) = &credit_code
        && let Some(other) = crate::store::units::find_by_credit_code(conn, code).await?
        && Some(other.id) != existing.map(|e| e.id)
    {
        check.add(
            "credit_code",
            format!("统一社会信用代码已被“{}”使用", other.name),
        );
    }
    if let Some(cid) = congress_id
        && !name.is_empty()
        && let Some(other) = crate::store::units::find_by_name(conn, cid, &name).await?
        && Some(other.id) != existing.map(|e| e.id)
    {
        check.add("name", "同名单位已存在");
    }
    let mut parent_path = None;
    let parent_id = input.parent_id.filter(|v| *v > 0);
    if let Some(pid) = parent_id {
        match crate::store::units::get(conn, pid).await? {
            None => check.add("parent_id", "上级单位不存在"),
            Some(p) => {
                if Some(p.congress_id) != congress_id {
                    check.add("parent_id", "上级单位应属于同一人大");
                }
                if let Some(e) = existing
                    && p.path.starts_with(&e.path)
                {
                    check.add("parent_id", "不能把单位设为自身或其下级单位的下级");
                }
                parent_path = Some(p.path);
            }
        }
    }
    let leader_user_id = input.leader_user_id.filter(|v| *v > 0);
    if let Some(uid) = leader_user_id {
        match app::store::users::get(conn, uid).await? {
            Some(u) if u.role == Role::GovLeader.code() => {}
            _ => check.add("leader_user_id", "分管领导账号应为“政府分管领导”角色"),
        }
    }
    let leader_name = check.optional("leader_name", "分管领导姓名", &input.leader_name, 20);
    let leader_title = check.optional("leader_title", "分管领导职务", &input.leader_title, 40);
    let address = check.optional("address", "地址", &input.address, 100);
    let mut contacts = Vec::new();
    if input.contacts.len() > 10 {
        check.add("contacts", "联系人最多 10 位");
    }
    for (i, c) in input.contacts.iter().enumerate() {
        if c.name.trim().is_empty() && c.phone.trim().is_empty() && c.title.trim().is_empty() {
            continue;
        }
        let field = format!("contact_name_{i}");
        let cname = check.text(&field, "联系人姓名", &c.name, 20);
        let title = check.optional(&format!("contact_title_{i}"), "联系人职务", &c.title, 30);
        let phone = if c.phone.trim().is_empty() {
            None
        } else {
            check
                .take(&format!("contact_phone_{i}"), PhoneNo::parse(&c.phone))
                .map(|p| ctx.key.encrypt("unit_contact.phone", p.as_str()))
        };
        contacts.push((cname, title, phone));
    }
    let (Some(kind), Some(congress_id)) = (kind, congress_id) else {
        return Ok(None);
    };
    Ok(Some(CheckedUnit {
        data: UnitData {
            congress_id,
            name,
            kind: kind.code().into(),
            parent_id,
            credit_code,
            leader_name,
            leader_title,
            leader_user_id,
            address,
            active: input.active,
        },
        contacts,
        parent_path,
    }))
}

#[tracing::instrument(name = "org::units::create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &UnitInput) -> Result<i64> {
    actor.require(Permission::ManageUnits)?;
    let mut tx = ctx.begin().await?;
    let mut check = Check::new();
    let checked = check_unit(ctx, &mut tx, actor, input, None, &mut check).await?;
    check.finish()?;
    let Some(k) = checked else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let id = crate::store::units::insert(&mut tx, &k.data, k.parent_path.as_deref(), ctx.now_ms())
        .await?;
    crate::store::units::replace_contacts(&mut tx, id, &k.contacts).await?;
    app::audit::record(
        &mut tx,
        actor,
        "unit.create",
        "unit",
        id,
        format!("{}（{}）", k.data.name, k.data.kind),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(name = "org::units::update", skip_all, fields(actor = %actor.username, id))]
pub async fn update(ctx: &Ctx, actor: &Actor, id: i64, input: &UnitInput) -> Result<()> {
    actor.require(Permission::ManageUnits)?;
    let mut tx = ctx.begin().await?;
    let before = visible(&mut tx, actor, id).await?;
    let mut check = Check::new();
    let checked = check_unit(ctx, &mut tx, actor, input, Some(&before), &mut check).await?;
    check.finish()?;
    let Some(k) = checked else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    crate::store::units::update(&mut tx, id, &k.data, ctx.now_ms()).await?;
    if before.parent_id != k.data.parent_id {
        let new_parent = k.data.parent_id.zip(k.parent_path.as_deref());
        crate::store::units::move_to(&mut tx, id, &before.path, new_parent).await?;
    }
    crate::store::units::replace_contacts(&mut tx, id, &k.contacts).await?;
    let mut changes = Vec::new();
    if before.name != k.data.name {
        changes.push(format!("名称 {} → {}", before.name, k.data.name));
    }
    if before.parent_id != k.data.parent_id {
        changes.push("调整上级单位".to_string());
    }
    if (before.active == 1) != k.data.active {
        changes.push(if k.data.active { "启用" } else { "停用" }.to_string());
    }
    changes.push(format!("联系人 {} 位", k.contacts.len()));
    app::audit::record(
        &mut tx,
        actor,
        "unit.update",
        "unit",
        id,
        changes.join("；"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Units as (id, name) for menus, within the actor's congresses.
#[tracing::instrument(name = "org::units::names", skip_all, fields(actor = %actor.username))]
pub async fn names(ctx: &Ctx, actor: &Actor) -> Result<Vec<(i64, String)>> {
    actor.require(Permission::ViewUnits)?;
    let mut c = ctx.db.read().await?;
    let ids: Vec<i64> = match crate::scope::visible_congresses(&mut c, actor).await? {
        Some(ids) => ids,
        None => crate::store::congresses::all(&mut c)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect(),
    };
    let mut v = crate::store::units::names(&mut c, &ids).await?;
    // By name as a clerk reads a list: in pinyin order (a congress has a few
    // hundred units at most).
    v.sort_by_cached_key(|(_, name)| sort_key(name));
    Ok(v)
}

/// A name's pinyin, letters only, for ordering Chinese names.
pub fn sort_key(name: &str) -> String {
    use pinyin::ToPinyin;
    name.chars()
        .zip(name.to_pinyin())
        .map(|(ch, py)| match py {
            Some(p) => p.plain().to_string(),
            None => ch.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The export columns, shared with the import template so the two never drift.
pub const COLUMNS: &[(&str, f64)] = &[
    ("单位名称", 28.0),
    ("单位类型", 14.0),
    ("上级单位", 24.0),
    ("统一社会信用代码", 22.0),
    ("分管领导", 12.0),
    ("分管领导职务", 20.0),
    ("地址", 30.0),
    ("联系人", 12.0),
    ("联系人职务", 14.0),
    ("联系电话", 16.0),
];

/// Exports the units the actor sees to .xlsx, in batches.
#[tracing::instrument(name = "org::units::export", skip_all, fields(actor = %actor.username))]
pub async fn export(ctx: &Ctx, actor: &Actor, wanted: &UnitFilter) -> Result<Vec<u8>> {
    actor.require(Permission::ViewUnits)?;
    let show = actor.can(Permission::ViewPersonalData);
    let mut c = ctx.db.read().await?;
    let mut f = scope_filter(&mut c, actor).await?;
    f.kind = wanted.kind.clone();
    f.name = wanted.name.clone();
    let cols: Vec<office::xlsx::Column> = COLUMNS
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let title = format!(
        "承办单位名录（导出时间 {}）",
        kernel::time::format_minute(ctx.now_ms())
    );
    let mut w = office::xlsx::SheetWriter::titled("承办单位", &title, &cols)?;
    let mut after = 0;
    let mut names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    loop {
        let batch = crate::store::units::batch_after(&mut c, &f, after, 500).await?;
        if batch.is_empty() {
            break;
        }
        for u in &batch {
            names.insert(u.id, u.name.clone());
        }
        for u in &batch {
            after = u.id;
            let parent = match u.parent_id {
                Some(p) => match names.get(&p) {
                    Some(n) => n.clone(),
                    None => crate::store::units::get(&mut c, p)
                        .await?
                        .map(|x| x.name)
                        .unwrap_or_default(),
                },
                None => String::new(),
            };
            let first = crate::store::units::contacts(&mut c, u.id)
                .await?
                .into_iter()
                .next();
            let (cn, ct, cp) = match first {
                Some(x) => {
                    let p = x
                        .phone_enc
                        .as_deref()
                        .map(|p| ctx.reveal("unit_contact.phone", p))
                        .unwrap_or_default();
                    (x.name, x.title, if show { p } else { mask_phone(&p) })
                }
                None => Default::default(),
            };
            w.push(&[
                u.name.clone(),
                UnitKind::parse(&u.kind)
                    .map(|k| k.label())
                    .unwrap_or("")
                    .into(),
                parent,
                u.credit_code.clone().unwrap_or_default(),
                u.leader_name.clone(),
                u.leader_title.clone(),
                u.address.clone(),
                cn,
                ct,
                cp,
            ])?;
        }
    }
    drop(c);
    if show {
        let mut tx = ctx.begin().await?;
        app::audit::record(
            &mut tx,
            actor,
            "unit.export",
            "unit",
            "-",
            "导出承办单位（含联系人电话明文）",
        )
        .await?;
        tx.commit().await?;
    }
    Ok(w.finish()?)
}
