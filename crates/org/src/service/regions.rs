//! Administrative divisions.

use crate::store::regions::{RegionFilter, RegionRow};
use db::{Page, Paged};
use kernel::ids::RegionCode;
use kernel::roles::Permission;
use serde::Deserialize;

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::validate::Check;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RegionInput {
    #[serde(default)]
    #[schema(required = true)]
    pub code: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 40)]
    pub name: String,
    /// Optional: when given it must agree with the code's shape.
    #[serde(default)]
    pub parent_code: Option<String>,
}

#[tracing::instrument(name = "org::regions::create", skip_all, fields(actor = %actor.username))]
pub async fn create(ctx: &Ctx, actor: &Actor, input: &RegionInput) -> Result<RegionRow> {
    actor.require(Permission::ManageOrganisation)?;
    let mut check = Check::new();
    let name = check.text("name", "名称", &input.name, 40);
    let code = check.take("code", RegionCode::parse(&input.code));
    let stated_parent = match input
        .parent_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(p) => check.take("parent_code", RegionCode::parse(p)).map(Some),
        None => Some(None),
    };
    let mut tx = ctx.begin().await?;
    if let Some(code) = &code {
        let parent = match stated_parent.clone() {
            Some(Some(p)) => Some(p),
            _ => code.parent(),
        };
        if let Err(e) = code.check_parent(parent.as_ref()) {
            check.add("parent_code", e.0);
        } else if let Some(p) = &parent
            && crate::store::regions::get(&mut tx, p.as_str())
                .await?
                .is_none()
        {
            check.add(
                "parent_code",
                format!("上级行政区划 {p} 尚未录入，请先录入上级"),
            );
        }
        if crate::store::regions::get(&mut tx, code.as_str())
            .await?
            .is_some()
        {
            check.add("code", format!("行政区划代码 {code} 已存在"));
        }
    }
    check.finish()?;
    let Some(code) = code else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    let parent = code.parent();
    let now = ctx.now_ms();
    crate::store::regions::insert(
        &mut tx,
        code.as_str(),
        &name,
        code.level().code(),
        parent.as_ref().map(|p| p.as_str()),
        now,
    )
    .await?;
    app::audit::record(
        &mut tx,
        actor,
        "region.create",
        "region",
        code.as_str(),
        format!("{code} {name}"),
    )
    .await?;
    let row = crate::store::regions::get(&mut tx, code.as_str())
        .await?
        .ok_or_else(|| Error::internal("no value where one is stored"))?;
    tx.commit().await?;
    Ok(row)
}

#[tracing::instrument(name = "org::regions::rename", skip_all, fields(actor = %actor.username))]
pub async fn rename(ctx: &Ctx, actor: &Actor, code: &str, name: &str) -> Result<()> {
    actor.require(Permission::ManageOrganisation)?;
    let mut check = Check::new();
    let name = check.text("name", "名称", name, 40);
    check.finish()?;
    let mut tx = ctx.begin().await?;
    let before = crate::store::regions::get(&mut tx, code)
        .await?
        .ok_or(Error::NotFound("行政区划"))?;
    crate::store::regions::rename(&mut tx, code, &name, ctx.now_ms()).await?;
    app::audit::record(
        &mut tx,
        actor,
        "region.rename",
        "region",
        code,
        format!("{} → {name}", before.name),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(name = "org::regions::get", skip_all, fields(actor = %actor.username))]
pub async fn get(ctx: &Ctx, actor: &Actor, code: &str) -> Result<RegionRow> {
    actor.require(Permission::ViewOrganisation)?;
    let mut c = ctx.db.read().await?;
    crate::store::regions::get(&mut c, code)
        .await?
        .ok_or(Error::NotFound("行政区划"))
}

#[tracing::instrument(name = "org::regions::list", skip_all, fields(actor = %actor.username))]
pub async fn list(
    ctx: &Ctx,
    actor: &Actor,
    f: &RegionFilter,
    page: Page,
) -> Result<Paged<RegionRow>> {
    actor.require(Permission::ViewOrganisation)?;
    let mut c = ctx.db.read().await?;
    Ok(crate::store::regions::list(&mut c, f, page).await?)
}

#[tracing::instrument(name = "org::regions::all", skip_all, fields(actor = %actor.username))]
pub async fn all(ctx: &Ctx, actor: &Actor) -> Result<Vec<RegionRow>> {
    actor.require(Permission::ViewOrganisation)?;
    let mut c = ctx.db.read().await?;
    Ok(crate::store::regions::all(&mut c).await?)
}
