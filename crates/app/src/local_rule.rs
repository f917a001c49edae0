//! The local regulation a deployment works under, as its messages cite it.
//!
//! National law fixes the reply periods (代表法 第五十一条); the return
//! window, the assisting opinion's period, the extension limit and the
//! re-handling period come from each province's own regulation on deputies'
//! suggestions, whose name and article numbers differ from place to place. A
//! message never names another province's rule: the administrator names the
//! regulation in force and the article of each rule, and a rule whose article
//! is not named is enforced without a citation.

use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::validate::Check;
use kernel::roles::Permission;

/// A rule the local regulation sets, whose article a message cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Article {
    /// Returning a wrongly assigned item.
    Return,
    /// The assisting unit's opinion.
    Opinion,
    /// Extending the reply period.
    Extension,
    /// Handling again after a dissatisfied evaluation.
    Rehandling,
}

impl Article {
    pub const ALL: [Article; 4] = [
        Article::Return,
        Article::Opinion,
        Article::Extension,
        Article::Rehandling,
    ];

    /// The stored setting's key, and the form field's name.
    pub fn key(self) -> &'static str {
        match self {
            Article::Return => "local_article_return",
            Article::Opinion => "local_article_opinion",
            Article::Extension => "local_article_extension",
            Article::Rehandling => "local_article_rehandling",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Article::Return => "退回交办的条款",
            Article::Opinion => "协办意见期限的条款",
            Article::Extension => "延期答复的条款",
            Article::Rehandling => "不满意重新办理的条款",
        }
    }
}

pub const NAME_KEY: &str = "local_regulation_name";
const NAME_MAX: usize = 80;

/// The regulation's name and the article of each rule; empty where not named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LocalRule {
    /// The regulation's full name, with or without 《》.
    pub regulation: String,
    pub return_article: String,
    pub opinion_article: String,
    pub extension_article: String,
    pub rehandling_article: String,
}

impl LocalRule {
    pub fn from_rows(rows: &[(String, String)]) -> LocalRule {
        let get = |k: &str| {
            rows.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        LocalRule {
            regulation: get(NAME_KEY),
            return_article: get(Article::Return.key()),
            opinion_article: get(Article::Opinion.key()),
            extension_article: get(Article::Extension.key()),
            rehandling_article: get(Article::Rehandling.key()),
        }
    }

    pub fn article(&self, a: Article) -> &str {
        match a {
            Article::Return => &self.return_article,
            Article::Opinion => &self.opinion_article,
            Article::Extension => &self.extension_article,
            Article::Rehandling => &self.rehandling_article,
        }
    }

    /// The citation of one rule ("《某省……规定》第十九条"), or `None` where
    /// the regulation or the article is not named: a message then states
    /// the rule without citing any.
    pub fn cite(&self, a: Article) -> Option<String> {
        let article = self.article(a);
        if self.regulation.is_empty() || article.is_empty() {
            return None;
        }
        Some(format!("{}{}", quoted(&self.regulation), article))
    }
}

/// The name in 《》, as a citation writes it.
fn quoted(name: &str) -> String {
    if name.starts_with('《') {
        name.to_string()
    } else {
        format!("《{name}》")
    }
}

/// Whether `s` is an article number as statutes write it: 第十九条, or with a
/// paragraph, 第十九条第二款.
pub fn is_article(s: &str) -> bool {
    fn numeral(s: &str) -> Option<&str> {
        let n = s
            .char_indices()
            .take_while(|(_, c)| "零〇一二三四五六七八九十百".contains(*c))
            .map(|(i, c)| i + c.len_utf8())
            .last()?;
        Some(&s[n..])
    }
    let Some(rest) = s.strip_prefix('第').and_then(numeral) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix('条') else {
        return false;
    };
    rest.is_empty()
        || rest
            .strip_prefix('第')
            .and_then(numeral)
            .is_some_and(|r| r == "款")
}

/// Saves the regulation's name and articles; each is checked first, and the
/// change is audited.
#[tracing::instrument(name = "app::local_rule::update", skip_all, fields(actor = %actor.username))]
pub async fn update(ctx: &Ctx, actor: &Actor, input: &LocalRule) -> Result<LocalRule> {
    actor.require(Permission::ManageSettings)?;
    let mut check = Check::new();
    let name = input
        .regulation
        .trim()
        .trim_start_matches('《')
        .trim_end_matches('》')
        .trim()
        .to_string();
    if name.chars().count() > NAME_MAX {
        check.add("regulation", format!("规定名称不能超过 {NAME_MAX} 字"));
    }
    let mut next = LocalRule {
        regulation: if name.is_empty() {
            String::new()
        } else {
            format!("《{name}》")
        },
        ..LocalRule::default()
    };
    for a in Article::ALL {
        let v: String = input.article(a).split_whitespace().collect();
        if !v.is_empty() && !is_article(&v) {
            check.add(
                a.key(),
                format!(
                    "{}应写作“第十九条”或“第十九条第二款”的形式，或留空",
                    a.label()
                ),
            );
        }
        if !v.is_empty() && name.is_empty() {
            check.add("regulation", "填写条款前请先填写规定名称");
        }
        match a {
            Article::Return => next.return_article = v,
            Article::Opinion => next.opinion_article = v,
            Article::Extension => next.extension_article = v,
            Article::Rehandling => next.rehandling_article = v,
        }
    }
    check.finish()?;
    let before = ctx.settings().await?.local;
    if before == next {
        return Err(Error::BadRequest("设置没有变化".into()));
    }
    let now = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let mut changes = Vec::new();
    let mut pairs = vec![(NAME_KEY, before.regulation.clone(), next.regulation.clone())];
    for a in Article::ALL {
        pairs.push((a.key(), before.article(a).into(), next.article(a).into()));
    }
    for (key, old, new) in &pairs {
        if old != new {
            changes.push(format!("{key}: “{old}” → “{new}”"));
            crate::store::settings::set(&mut tx, key, new, now).await?;
        }
    }
    crate::audit::record(
        &mut tx,
        actor,
        "settings.local_rule",
        "setting",
        "-",
        changes.join("; "),
    )
    .await?;
    tx.commit().await?;
    ctx.forget_settings();
    Ok(ctx.settings().await?.local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_numbers() {
        for ok in ["第十四条", "第二十一条", "第一百零二条", "第十九条第二款"]
        {
            assert!(is_article(ok), "{ok}");
        }
        for bad in [
            "十九条",
            "第十九",
            "第十九条款",
            "第十九条第二",
            "第8条",
            "第条",
            "19",
        ] {
            assert!(!is_article(bad), "{bad}");
        }
    }

    #[test]
    fn a_citation_needs_the_name_and_the_article() {
        let mut r = LocalRule {
            regulation: "《某省代表建议办理规定》".into(),
            extension_article: "第十九条".into(),
            ..LocalRule::default()
        };
        assert_eq!(
            r.cite(Article::Extension).as_deref(),
            Some("《某省代表建议办理规定》第十九条")
        );
        assert_eq!(r.cite(Article::Return), None, "article not named");
        r.regulation.clear();
        assert_eq!(r.cite(Article::Extension), None, "regulation not named");
        r.regulation = "某省代表建议办理规定".into();
        assert_eq!(
            r.cite(Article::Extension).as_deref(),
            Some("《某省代表建议办理规定》第十九条"),
            "a name stored without 《》 is quoted"
        );
    }
}
