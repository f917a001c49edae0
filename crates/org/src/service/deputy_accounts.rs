//! Accounts for many deputies at once, from the roster: most deputies have
//! none, and co-signing, evaluation and the deputy's home need one. The
//! administrator ticks deputies in office without an account; each gets a
//! username from the pinyin of the name (a number added when taken) and a
//! temporary password, shown once on a printable sheet and changed at the
//! first login. All or none: one transaction, one audit record per account.

use app::store::users::NewUser;
use app::{Actor, Ctx, Error, Result};
use db::{Page, Paged};
use kernel::roles::{Permission, Role};
use pinyin::ToPinyin;

use crate::store::deputy_accounts::SeatRow;

/// Most accounts made in one go (a printable sheet stays a few pages).
pub const BATCH_MAX: usize = 200;

/// One line of the sheet handed to the deputies.
#[derive(Debug, Clone)]
pub struct Issued {
    pub name: String,
    pub constituency: String,
    pub congress_name: String,
    pub username: String,
    pub temporary_password: String,
}

/// The username a deputy's name suggests: its pinyin without tones, letters
/// only (`吕雪梅` → `lvxuemei`); a name with no Chinese falls back to `deputy`.
pub fn username_base(name: &str) -> String {
    let mut out = String::new();
    for (ch, py) in name.chars().zip(name.to_pinyin()) {
        match py {
            Some(p) => out.push_str(&p.plain().replace('ü', "v")),
            None if ch.is_ascii_alphanumeric() => out.push(ch.to_ascii_lowercase()),
            None => {}
        }
    }
    let out: String = out
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(28)
        .collect();
    if out.len() < 3 {
        format!("deputy{out}")
    } else {
        out
    }
}

/// Deputies in office without an account, in the administrator's congresses.
pub async fn without_account(
    ctx: &Ctx,
    actor: &Actor,
    congress_id: Option<i64>,
    q: &str,
    page: Page,
) -> Result<Paged<SeatRow>> {
    actor.require(Permission::ManageUsers)?;
    let mut c = ctx.db.read().await?;
    let visible = crate::scope::visible_congresses(&mut c, actor).await?;
    let q = q.trim();
    Ok(crate::store::deputy_accounts::without_account(
        &mut c,
        visible.as_deref(),
        congress_id,
        (!q.is_empty()).then_some(q),
        page,
    )
    .await?)
}

/// Deputies matching what was typed, for linking an account (the picker).
pub async fn pick(ctx: &Ctx, actor: &Actor, q: &str) -> Result<Vec<SeatRow>> {
    actor.require(Permission::ManageUsers)?;
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut c = ctx.db.read().await?;
    let visible = crate::scope::visible_congresses(&mut c, actor).await?;
    Ok(crate::store::deputy_accounts::matching(&mut c, visible.as_deref(), q).await?)
}

/// How a linked deputy reads on the account form (the picker's label).
pub async fn label_of(ctx: &Ctx, actor: &Actor, deputy_id: i64) -> Result<String> {
    actor.require(Permission::ManageUsers)?;
    let mut c = ctx.db.read().await?;
    let seat = crate::store::deputy_accounts::seats_of(&mut c, None, &[deputy_id]).await?;
    Ok(match seat.first() {
        Some(r) => format!("{}（{} · {}）", r.name, r.constituency, r.congress_name),
        None => crate::store::deputies::get(&mut c, deputy_id)
            .await?
            .map(|d| format!("{}（已不在任）", d.name))
            .unwrap_or_default(),
    })
}

/// How a deputy reads in a picker: 姓名（选区 · 人大）.
pub fn label(r: &SeatRow) -> String {
    format!(
        "{}（{} · {}）{}",
        r.name,
        r.constituency,
        r.congress_name,
        if r.has_account == 1 {
            " 已有账号"
        } else {
            ""
        }
    )
}

/// Makes an account for each ticked deputy; the sheet of what was issued.
#[tracing::instrument(name = "org::deputy_accounts::create_many", skip_all, fields(actor = %actor.username, n = ids.len()))]
pub async fn create_many(ctx: &Ctx, actor: &Actor, ids: &[i64]) -> Result<Vec<Issued>> {
    actor.require(Permission::ManageUsers)?;
    let mut ids: Vec<i64> = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(Error::field("ids", "请先在列表中勾选要开通账号的代表"));
    }
    if ids.len() > BATCH_MAX {
        return Err(Error::field(
            "ids",
            format!("一次最多开通 {BATCH_MAX} 个账号，请分批操作"),
        ));
    }
    let now = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let visible = crate::scope::visible_congresses(&mut tx, actor).await?;
    let seats = crate::store::deputy_accounts::seats_of(&mut tx, visible.as_deref(), &ids).await?;
    if seats.len() != ids.len() {
        return Err(Error::Conflict(
            "所选代表中有的已不在任或不在您的管理范围内，请刷新列表后重试".into(),
        ));
    }
    if let Some(s) = seats.iter().find(|s| s.has_account == 1) {
        return Err(Error::Conflict(format!(
            "{}已有账号，请刷新列表后重试",
            s.name
        )));
    }
    let mut issued = Vec::with_capacity(seats.len());
    for s in seats {
        let base = username_base(&s.name);
        let mut username = base.clone();
        let mut n = 1;
        while crate::store::deputy_accounts::username_taken(&mut tx, &username).await? {
            n += 1;
            username = format!("{base}{n}");
        }
        let password = super::users::temporary_password();
        let id = app::store::users::insert(
            &mut tx,
            &NewUser {
                username: username.clone(),
                display_name: s.name.clone(),
                password_hash: app::auth::hash_password(ctx, &password).await?,
                role: Role::Deputy.code().into(),
                data_scope: Role::Deputy.default_scope().code().into(),
                congress_id: None,
                office: None,
                unit_id: None,
                deputy_id: Some(s.deputy_id),
                must_change_password: true,
                is_demo: false,
            },
            now,
        )
        .await?;
        app::audit::record(
            &mut tx,
            actor,
            "user.create",
            "user",
            id,
            format!("为代表{}开通账号 {username}（批量开通）", s.name),
        )
        .await?;
        issued.push(Issued {
            name: s.name,
            constituency: s.constituency,
            congress_name: s.congress_name,
            username,
            temporary_password: password,
        });
    }
    tx.commit().await?;
    Ok(issued)
}

#[cfg(test)]
mod tests {
    use super::username_base;

    #[test]
    fn usernames_come_from_the_pinyin_of_the_name() {
        assert_eq!(username_base("吕雪梅"), "lvxuemei");
        assert_eq!(username_base("张伟"), "zhangwei");
        assert_eq!(
            username_base("阿依古丽·买买提"),
            "ayiguli".to_string() + "maimaiti"
        );
        assert_eq!(username_base("Li"), "deputyli");
        assert!(kernel::password::check_username(&username_base("欧阳娜娜")).is_ok());
    }
}
