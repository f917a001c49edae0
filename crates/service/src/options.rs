//! Lists an administrator or staff edit: suggestion categories, reasons for
//! not accepting a suggestion, result categories of replies. Empty lists
//! fall back to the defaults written from the regulations.

use domain::roles::Permission;
use domain::suggestion::{DEFAULT_CATEGORIES, DEFAULT_REFUSAL_REASONS, DEFAULT_RESULT_CATEGORIES};
use store::Conn;

use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::{Error, Result};

pub const CATEGORIES: &str = "suggestion_category";
pub const REFUSAL_REASONS: &str = "refusal_reason";
pub const RESULT_CATEGORIES: &str = "result_category";

pub const LISTS: &[(&str, &str)] = &[
    (CATEGORIES, "建议分类"),
    (REFUSAL_REASONS, "不予立案理由"),
    (RESULT_CATEGORIES, "办理结果分类"),
];

fn defaults(list: &str) -> &'static [&'static str] {
    match list {
        CATEGORIES => DEFAULT_CATEGORIES,
        REFUSAL_REASONS => DEFAULT_REFUSAL_REASONS,
        RESULT_CATEGORIES => DEFAULT_RESULT_CATEGORIES,
        _ => &[],
    }
}

/// The list in force.
pub async fn labels(conn: &mut Conn, list: &str) -> Result<Vec<String>> {
    Ok(match store::options::labels(conn, list).await? {
        Some(stored) => stored,
        None => defaults(list).iter().map(|s| s.to_string()).collect(),
    })
}

pub async fn get(ctx: &Ctx, list: &str) -> Result<Vec<String>> {
    let mut c = ctx.db.read().await?;
    labels(&mut c, list).await
}

/// Replaces a list with the lines given (blank lines ignored, duplicates refused).
pub async fn set(ctx: &Ctx, actor: &Actor, list: &str, text: &str) -> Result<Vec<String>> {
    actor.require(Permission::ManageOptions)?;
    let Some((_, name)) = LISTS.iter().find(|(k, _)| *k == list) else {
        return Err(Error::NotFound("列表"));
    };
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
    let mut tx = ctx.db.begin().await?;
    store::options::replace(&mut tx, list, &labels).await?;
    crate::audit::record(
        &mut tx,
        actor,
        "options.update",
        "option_list",
        list,
        format!("{name}：{}", labels.join("、")),
    )
    .await?;
    tx.commit().await?;
    Ok(labels)
}
