//! Pickers: records are named by what users see — a suggestion by its
//! number and session (第 7 号), a deputy by name and constituency — never by
//! a database id. Each picker answers what was typed with at most 20 matches;
//! a number typed without choosing from the list is resolved the same way.

use app::{Actor, Ctx, Error, Result};
use serde::Serialize;

use super::readable;
use super::review::as_staff;
use crate::store::suggestions::PickRow;

/// One line of a picker's list: the value the form sends and what the user reads.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Pick {
    pub value: String,
    pub label: String,
}

/// The number in what was typed (`7`, `第7号`, `第 7 号`), if it is one.
pub fn typed_number(typed: &str) -> Option<i64> {
    let t: String = typed
        .trim()
        .trim_start_matches('第')
        .trim_end_matches(['号', '件'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

/// How a suggestion reads in a picker: 第 7 号 · 标题 · 领衔 · 第几届第几次会议.
fn label(r: &PickRow) -> String {
    let number = r
        .number
        .map(|n| format!("第 {n} 号"))
        .unwrap_or_else(|| "未编号".into());
    let session = match (r.term_number, r.session_number) {
        (Some(t), Some(s)) => format!("第{t}届第{s}次会议"),
        _ => "闭会期间".into(),
    };
    format!("{number} · {} · {} 领衔 · {session}", r.title, r.lead_name)
}

/// Candidates for merging `id` into, and `id`'s session.
async fn candidates(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    typed: &str,
) -> Result<(Vec<PickRow>, Option<i64>)> {
    let mut c = ctx.db.read().await?;
    let s = as_staff(&mut c, actor, id).await?;
    let typed = typed.trim();
    let number = typed_number(typed);
    let text = if number.is_none() && !typed.is_empty() {
        Some(typed)
    } else {
        None
    };
    let rows = crate::store::suggestions::merge_candidates(
        &mut c,
        s.congress_id,
        id,
        s.session_id,
        number,
        text,
    )
    .await?;
    Ok((rows, s.session_id))
}

/// What suggestion `id` may be merged into, matching what staff typed.
pub async fn merge_targets(ctx: &Ctx, actor: &Actor, id: i64, typed: &str) -> Result<Vec<Pick>> {
    if typed.trim().is_empty() {
        return Ok(Vec::new());
    }
    Ok(candidates(ctx, actor, id, typed)
        .await?
        .0
        .iter()
        .map(|r| Pick {
            value: r.id.to_string(),
            label: label(r),
        })
        .collect())
}

/// The suggestion staff meant by a number typed without choosing from the
/// list: the one of that number this may merge into, the same session's first.
pub async fn resolve_merge_target(ctx: &Ctx, actor: &Actor, id: i64, typed: &str) -> Result<i64> {
    let Some(n) = typed_number(typed) else {
        return Err(Error::field(
            "into",
            "请输入要并入建议的编号（如“第 7 号”）或标题中的词，并从列表中选择",
        ));
    };
    let (found, session) = candidates(ctx, actor, id, typed).await?;
    let same: Vec<&PickRow> = found.iter().filter(|r| r.session_id == session).collect();
    match (found.as_slice(), same.as_slice()) {
        ([one], _) => Ok(one.id),
        (_, [one]) => Ok(one.id),
        ([], _) => Err(Error::field(
            "into",
            format!("没有可并入的第 {n} 号建议：须为同一人大、待审核或待交办的建议"),
        )),
        _ => Err(Error::field(
            "into",
            format!("第 {n} 号在不同会议中各有一件，请从列表中选择"),
        )),
    }
}

/// Deputies the lead may invite to co-sign, matching a name or constituency.
pub async fn cosigners(ctx: &Ctx, actor: &Actor, id: i64, typed: &str) -> Result<Vec<Pick>> {
    let typed = typed.trim();
    let mut c = ctx.db.read().await?;
    let (s, st) = readable(&mut c, actor, id).await?;
    if !st.lead {
        return Err(Error::Forbidden);
    }
    if typed.is_empty() {
        return Ok(Vec::new());
    }
    Ok(crate::store::suggestions::cosigner_candidates(
        &mut c,
        s.congress_id,
        id,
        s.lead_deputy_id,
        typed,
    )
    .await?
    .into_iter()
    .map(|(d, name, place)| Pick {
        value: d.to_string(),
        label: format!("{name}（{place}）"),
    })
    .collect())
}

#[cfg(test)]
mod tests {
    use super::typed_number;

    #[test]
    fn reads_the_number_a_clerk_types() {
        assert_eq!(typed_number("7"), Some(7));
        assert_eq!(typed_number("第7号"), Some(7));
        assert_eq!(typed_number(" 第 12 号 "), Some(12));
        assert_eq!(typed_number("交通"), None);
        assert_eq!(typed_number(""), None);
        assert_eq!(typed_number("7a"), None);
    }
}
