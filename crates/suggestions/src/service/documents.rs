//! Documents of the closed loop: the reply letter (答复函) of a unit in the
//! letter format of GB/T 9704-2012, and the handling record (全程纪实表).

use kernel::roles::Permission;

use crate::service::view::{self, Detail};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};

/// A file to download.
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A term's or session's ordinal in Chinese (十七, 三十四): the kernel's numerals.
pub fn chinese_number(n: i64) -> String {
    u32::try_from(n).map_or_else(|_| n.to_string(), kernel::numerals::chinese)
}

pub use office::docx::chinese_date;

/// The full name of a county unit: 县交通运输局 in 清溪县 → 清溪县交通运输局.
fn organ_name(unit: &str, region: &str) -> String {
    match unit.strip_prefix('县') {
        Some(rest) if region.ends_with('县') => format!("{region}{rest}"),
        _ => unit.to_string(),
    }
}

async fn region_of(ctx: &Ctx, congress_id: i64) -> Result<String> {
    let mut c = ctx.db.read().await?;
    let Some(congress) = org::store::congresses::get(&mut c, congress_id).await? else {
        return Ok(String::new());
    };
    Ok(match congress.region_code {
        Some(code) => org::store::regions::get(&mut c, &code)
            .await?
            .map(|r| r.name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// The reply letter of one unit's current reply.
#[tracing::instrument(name = "suggestions::documents::reply_letter", skip_all, fields(actor = %actor.username, assignment_id))]
pub async fn reply_letter(
    ctx: &Ctx,
    actor: &Actor,
    suggestion_id: i64,
    assignment_id: i64,
) -> Result<File> {
    actor.require(Permission::ViewSuggestions)?;
    let d = view::detail(ctx, actor, suggestion_id).await?;
    let item = d.item.as_ref().ok_or(Error::NotFound("答复"))?;
    let av = item
        .assignments
        .iter()
        .find(|a| a.a.id == assignment_id)
        .ok_or(Error::NotFound("答复"))?;
    let reply = av.reply.as_ref().ok_or(Error::NotFound("答复"))?;
    // The letter exists only once the reply is signed and sent.
    if !reply.sent() {
        return Err(Error::Conflict(
            "该答复尚未签发送达，签发后才能生成答复函".into(),
        ));
    }
    let region = region_of(ctx, d.s.congress_id).await?;
    let organ = organ_name(&av.a.unit_name, &region);
    let signed = item
        .replies
        .iter()
        .find(|r| r.r.id == reply.id)
        .and_then(|r| {
            r.signoffs
                .iter()
                .filter(|s| s.decision == "approve")
                .map(|s| s.at)
                .max()
        })
        .unwrap_or(reply.created_at);
    let date = chinese_date(&kernel::time::date_of_ms(signed).to_string());
    let number = d.s.number.unwrap_or(0);
    let session = session_words(&d);
    let (mut paragraphs, thanked) = letter_body(&reply.text, &d.s.lead_name);
    paragraphs.push(format!(
        "办理结果：{}。",
        reply
            .result_category
            .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == ' ')
    ));
    let commitments: Vec<String> = item
        .commitments
        .iter()
        .filter(|c| c.c.reply_id == reply.id)
        .map(|c| format!("{}（{}前）", c.c.text, chinese_date(&c.c.due_date)))
        .collect();
    if !commitments.is_empty() {
        paragraphs.push(format!("我单位承诺：{}。", commitments.join("；")));
    }
    if !thanked {
        paragraphs.push("感谢您对我们工作的关心和支持，欢迎继续提出宝贵意见和建议。".into());
    }
    let contact = {
        let mut c = ctx.db.read().await?;
        org::store::units::contacts(&mut c, av.a.unit_id)
            .await?
            .into_iter()
            .next()
    };
    let note = match contact {
        Some(c) => {
            let phone = c
                .phone_enc
                .as_deref()
                .map(|p| ctx.reveal("unit_contact.phone", p))
                .unwrap_or_default();
            format!("（联系人：{}，联系电话：{}）", c.name, phone)
        }
        None => String::new(),
    };
    let letter = office::docx::ReplyLetter {
        organ: organ.clone(),
        number: format!(
            "答复〔{}〕{}号",
            &kernel::time::date_of_ms(signed).year(),
            number
        ),
        title: format!(
            "关于{session}第{number}号{}的答复",
            if d.s.kind == "motion" {
                "议案"
            } else {
                "建议"
            }
        ),
        addressee: format!("{}代表", d.s.lead_name),
        paragraphs,
        signature: organ.clone(),
        date,
        note,
        copy_to: format!("{region}人大常委会代表工作委员会，{region}人民政府办公室"),
        issuer: format!("{organ}办公室"),
    };
    let bytes = office::docx::reply_letter(&letter)
        .map_err(|e| Error::internal(format!("writing the reply letter failed: {e}")))?;
    Ok(File {
        name: format!("{}答复函_第{}号.docx", organ, number),
        bytes,
    })
}

/// The reply's paragraphs as the letter prints them under its own
/// salutation (「某某代表：」): a salutation the handler typed is left out, so
/// it is not said twice; and whether the text already ends with thanks, so
/// the letter's closing thanks are not added again.
fn letter_body(text: &str, deputy: &str) -> (Vec<String>, bool) {
    let mut paragraphs: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if let Some(first) = paragraphs.first_mut() {
        let salutations = [
            format!("尊敬的{deputy}代表"),
            format!("{deputy}代表"),
            "尊敬的代表".to_string(),
        ];
        for s in &salutations {
            if let Some(rest) = first.strip_prefix(s.as_str()) {
                let rest = rest.trim_start_matches(['：', ':', '，', ',', ' ']);
                *first = rest.trim().to_string();
                break;
            }
        }
        if first.is_empty() {
            paragraphs.remove(0);
        }
    }
    let thanked = paragraphs
        .last()
        .is_some_and(|l| l.contains("感谢") || l.contains("谢谢"));
    (paragraphs, thanked)
}

fn session_words(d: &Detail) -> String {
    // "第17届第6次会议" → "清溪县第十七届人民代表大会第六次会议".
    let digits: Vec<i64> = d
        .session_label
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|x| x.parse().ok())
        .collect();
    match digits.as_slice() {
        [term, session] => format!(
            "{}第{}届人民代表大会第{}次会议",
            d.congress_name.trim_end_matches("人民代表大会"),
            chinese_number(*term),
            chinese_number(*session)
        ),
        _ => format!("{}闭会期间", d.congress_name),
    }
}

/// The full handling record as .docx.
#[tracing::instrument(name = "suggestions::documents::record", skip_all, fields(actor = %actor.username, suggestion_id))]
pub async fn record(ctx: &Ctx, actor: &Actor, suggestion_id: i64) -> Result<File> {
    actor.require(Permission::ViewSuggestions)?;
    let d = view::detail(ctx, actor, suggestion_id).await?;
    let ts = |ms: i64| kernel::time::format_minute(ms);
    let mut rows: Vec<(String, String)> = vec![
        ("标题".into(), d.s.title.clone()),
        (
            "编号".into(),
            d.s.number.map(|n| format!("第 {n} 号")).unwrap_or_default(),
        ),
        ("类型".into(), d.kind_label.clone()),
        (
            "提交对象".into(),
            format!("{} {}", d.congress_name, d.session_label),
        ),
        ("领衔代表".into(), d.s.lead_name.clone()),
        (
            "联名代表".into(),
            d.signers
                .iter()
                .filter(|g| g.role != "lead" && g.status == "confirmed")
                .map(|g| g.name.clone())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ("内容".into(), d.s.content.clone()),
        ("状态".into(), d.state_label.clone()),
    ];
    if let Some(item) = &d.item {
        rows.push((
            "交办".into(),
            item.assignments
                .iter()
                .map(|a| {
                    format!(
                        "{}（{}，{} 交办，期限 {}{}，{}）",
                        a.a.unit_name,
                        a.role_label,
                        a.a.assigned_on,
                        a.a.due_date,
                        if a.a.provisional == 1 {
                            "（暂定）"
                        } else {
                            ""
                        },
                        a.state_label
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ));
        rows.push((
            "沟通".into(),
            item.contacts
                .iter()
                .map(|c| {
                    format!(
                        "{} {}（{}，{}）：{}；{}",
                        c.c.contact_date,
                        c.stage_label,
                        c.method_label,
                        c.unit_name,
                        c.c.participants,
                        c.c.summary
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ));
        rows.push((
            "协办意见".into(),
            item.opinions
                .iter()
                .map(|o| o.text.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        ));
        rows.push((
            "答复".into(),
            item.replies
                .iter()
                .map(|r| {
                    format!(
                        "{} 第 {} 轮（{}，SM3 {}）：{}",
                        r.unit_name, r.r.round, r.r.result_category, r.r.sha, r.r.text
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ));
        let mut signs = Vec::new();
        for r in &item.replies {
            for s in &r.signoffs {
                signs.push(format!(
                    "{} {}：{}，{}",
                    if s.level == "head" {
                        "单位负责人"
                    } else {
                        "分管领导"
                    },
                    s.user_name,
                    if s.decision == "approve" {
                        "同意".to_string()
                    } else {
                        format!("退回（{}）", s.reason)
                    },
                    ts(s.at)
                ));
            }
        }
        for e in &item.evaluations {
            signs.push(format!(
                "代表测评（第 {} 轮）：态度{}，结果{}，{}",
                e.e.round,
                e.attitude_label,
                e.result_label,
                ts(e.e.created_at)
            ));
        }
        rows.push(("三级签字".into(), signs.join("\n")));
        rows.push((
            "承诺落实".into(),
            item.commitments
                .iter()
                .map(|c| {
                    format!(
                        "{}（{}）：{}",
                        c.c.text,
                        c.c.due_date,
                        if c.c.state == "fulfilled" {
                            format!("已落实，{}", c.c.evidence)
                        } else {
                            "待落实".into()
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ));
        rows.push((
            "办理过程".into(),
            item.events
                .iter()
                .map(|e| format!("{} {}（{}）：{}", ts(e.at), e.action, e.actor_name, e.note))
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    let bytes = office::docx::record(
        "代表建议办理全程纪实表",
        &d.s.number.map(|n| format!("第 {n} 号")).unwrap_or_default(),
        &rows,
    )
    .map_err(|e| Error::internal(format!("writing the handling record failed: {e}")))?;
    Ok(File {
        name: format!("全程纪实表_第{}号.docx", d.s.number.unwrap_or(0)),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_says_its_salutation_and_thanks_once() {
        let (p, thanked) = letter_body(
            "张三代表：您提出的建议收悉。答复如下：已纳入计划。感谢您对交通工作的关心和支持。",
            "张三",
        );
        assert_eq!(
            p,
            vec!["您提出的建议收悉。答复如下：已纳入计划。感谢您对交通工作的关心和支持。"]
        );
        assert!(thanked);
        let (p, thanked) = letter_body(
            "尊敬的张三代表：\n\n一、已纳入计划。\n二、明年完工。",
            "张三",
        );
        assert_eq!(p, vec!["一、已纳入计划。", "二、明年完工。"]);
        assert!(!thanked);
        // Another deputy's name is the handler's text, kept as typed.
        let (p, _) = letter_body("李四代表提出的问题已解决。", "张三");
        assert_eq!(p, vec!["李四代表提出的问题已解决。"]);
    }

    #[test]
    fn numbers_and_dates_in_chinese() {
        assert_eq!(chinese_number(6), "六");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(17), "十七");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(34), "三十四");
        assert_eq!(chinese_date("2026-02-09"), "2026年2月9日");
        assert_eq!(organ_name("县交通运输局", "清溪县"), "清溪县交通运输局");
        assert_eq!(organ_name("国网供电公司", "清溪县"), "国网供电公司");
    }
}
