//! Lists staff edit (a capability names its own: suggestion categories,
//! reasons for not accepting a suggestion, result categories of replies).
//! An empty list falls back to the defaults the capability wrote from the
//! regulations.

use db::Conn;
use kernel::roles::Permission;

use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::{Error, Result};

/// One editable list: its key in the database, its name, and its defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionList {
    pub key: &'static str,
    pub name: &'static str,
    pub defaults: &'static [&'static str],
}

/// The list in force.
pub async fn labels(conn: &mut Conn, list: &OptionList) -> Result<Vec<String>> {
    Ok(match crate::store::options::labels(conn, list.key).await? {
        Some(stored) => stored,
        None => list.defaults.iter().map(|s| s.to_string()).collect(),
    })
}

pub async fn get(ctx: &Ctx, list: &OptionList) -> Result<Vec<String>> {
    let mut c = ctx.db.read().await?;
    labels(&mut c, list).await
}

/// Replaces a list with the lines given (blank lines ignored, duplicates refused).
#[tracing::instrument(name = "app::options::set", skip_all, fields(actor = %actor.username))]
pub async fn set(ctx: &Ctx, actor: &Actor, list: &OptionList, text: &str) -> Result<Vec<String>> {
    actor.require(Permission::ManageOptions)?;
    let name = list.name;
    let mut labels: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().count() > 60 {
            return Err(Error::field("items", format!("“{line}”超过 60 个字")));
        }
        if labels.iter().any(|l| l == line) {
            return Err(Error::field("items", format!("“{line}”重复")));
        }
        labels.push(line.to_string());
    }
    if labels.is_empty() {
        return Err(Error::field("items", format!("{name}至少要有一项")));
    }
    let mut tx = ctx.begin().await?;
    crate::store::options::replace(&mut tx, list.key, &labels).await?;
    crate::audit::record(
        &mut tx,
        actor,
        "options.update",
        "option_list",
        list.key,
        format!("{name}：{}", labels.join("、")),
    )
    .await?;
    tx.commit().await?;
    Ok(labels)
}
