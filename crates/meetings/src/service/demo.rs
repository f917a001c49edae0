//! Demo meetings: a year of the county standing committee's meetings (about
//! one a month, numbered within the 17th term), its 主任会议, and each
//! township 主席团's hearings of the handling of suggestions in the second
//! and fourth quarters; members signed in or on leave, deputies invited to
//! 列席 (the demo deputy among them), open votes. Meetings after the day the
//! demo is loaded stay planned, so the demo reads right on any day.

use app::{Actor, Ctx, Error, Result};
use kernel::roles::Role;

use super::agenda::{ItemInput, VoteInput};
use super::attendance::{InviteInput, MarkInput};
use super::meetings::{MeetingInput, StateInput};
use super::outputs::{self, OutputInput};
use super::{agenda, attendance, meetings};

/// The staff account the demo's meetings are run by.
fn clerk() -> Actor {
    let mut a = Actor::system("demo");
    a.role = Role::Admin;
    a
}

fn lower(e: Error) -> Error {
    match e {
        Error::Validation(v) => Error::internal(format!("demo meeting refused: {v:?}")),
        Error::Conflict(m) => Error::internal(format!("demo meeting refused: {m}")),
        e => e,
    }
}

/// An agenda item: title, link kind, link reference, put to a vote.
type Item = (&'static str, &'static str, &'static str, bool);

struct Plan<'a> {
    body: i64,
    date: &'a str,
    number: i64,
    place: &'a str,
    convener: &'a str,
    /// (title, link kind, link ref, voted)
    items: &'a [(&'a str, &'a str, &'a str, bool)],
    invite: &'a [i64],
    /// The organ's code in its decisions' numbers, and in its minutes'.
    prefix: &'a str,
    minutes_prefix: &'a str,
    /// Whether reports heard get a deliberation opinion.
    opinions: bool,
    /// Places for citizens observing.
    observers: i64,
    /// A motion on its own path, as the agenda names it (none without the suggestion demo).
    motion: Option<&'a str>,
}

/// Citizens' applications to observe a meeting coming up: one approved, one waiting.
async fn observe(ctx: &Ctx, id: i64) -> Result<()> {
    let a = clerk();
    for (k, (name, id_card, phone)) in [
        ("陆明远", "520123198507160037", "13985001234"),
        ("杨晓岚", "520123199203080040", "13708562345"),
    ]
    .into_iter()
    .enumerate()
    {
        let input = super::observers::ApplyInput {
            name: name.into(),
            id_card: id_card.into(),
            phone: phone.into(),
            consent: true,
        };
        super::observers::apply(ctx, id, &input)
            .await
            .map_err(lower)?;
        if k == 0 {
            let row: i64 = {
                let mut c = ctx.db.read().await?;
                sqlx::query_scalar("SELECT MAX(id) FROM meeting_observer WHERE meeting_id = $1")
                    .bind(id)
                    .fetch_one(&mut c)
                    .await?
            };
            let yes = super::observers::DecisionInput {
                approve: true,
                reason: String::new(),
            };
            super::observers::decide(ctx, &a, row, &yes)
                .await
                .map_err(lower)?;
        }
    }
    Ok(())
}

/// The moment `minutes` past 08:30 on `date`, Beijing time.
fn on_day(date: jiff::civil::Date, minutes: i64) -> i64 {
    kernel::time::start_of_day_ms(date) + (510 + minutes) * 60_000
}

async fn hold(real: &Ctx, p: &Plan<'_>, seq: usize) -> Result<i64> {
    let a = clerk();
    let day: jiff::civil::Date = p.date.parse().map_err(Error::internal)?;
    let today = real.today();
    // Planned a fortnight before, run on the day: the record reads as it happened.
    let planned = day.saturating_sub(jiff::Span::new().days(14)).min(today);
    let ctx = &real.at(on_day(planned, 0));
    let chair: Option<String> = {
        let mut c = ctx.db.read().await?;
        sqlx::query_scalar(
            "SELECT name FROM body_member WHERE body_id = $1 AND position = 'chair'
               AND from_date <= $2 AND (to_date IS NULL OR to_date >= $2)",
        )
        .bind(p.body)
        .bind(p.date)
        .fetch_optional(&mut c)
        .await?
    };
    let convener = match chair {
        Some(name) => format!("{} {name}", p.convener),
        None => p.convener.to_string(),
    };
    let id = meetings::create(
        ctx,
        &a,
        &MeetingInput {
            body_id: Some(p.body),
            meeting_date: p.date.into(),
            start_time: "09:00".into(),
            place: p.place.into(),
            convener,
            number: app::de::Typed::of(p.number),
            title: String::new(),
            observer_quota: app::de::Typed::of(p.observers),
        },
    )
    .await
    .map_err(lower)?;
    let mut items = Vec::new();
    for (title, kind, link, voted) in p.items {
        // The motion item names a real motion when there is one.
        let (kind, link) = match (*kind, p.motion) {
            ("motion", Some(m)) => ("motion", m),
            ("motion", None) => ("", ""),
            other => (other.0, *link),
        };
        let item = agenda::add_item(
            ctx,
            &a,
            id,
            &ItemInput {
                title: (*title).into(),
                link_kind: kind.into(),
                link_ref: link.into(),
            },
        )
        .await
        .map_err(lower)?;
        items.push((item, *voted));
    }
    for d in p.invite {
        attendance::invite(
            ctx,
            &a,
            id,
            &InviteInput {
                deputy_id: Some(*d),
            },
        )
        .await
        .map_err(lower)?;
    }
    if day > today {
        // A meeting coming up has had its notice, and citizens apply to observe it.
        meetings::advance(
            ctx,
            &a,
            id,
            &StateInput {
                state: "notified".into(),
                reason: String::new(),
            },
        )
        .await
        .map_err(lower)?;
        if p.observers > 0 {
            observe(real, id).await?;
        }
        return Ok(id);
    }
    let state = |s: &str| StateInput {
        state: s.into(),
        reason: String::new(),
    };
    meetings::advance(ctx, &a, id, &state("notified"))
        .await
        .map_err(lower)?;
    let ctx = &real.at(on_day(day, 0));
    let d = meetings::detail(ctx, &a, id).await.map_err(lower)?;
    // One member on leave at most meetings, now and then one absent.
    for (k, line) in d.roster.iter().enumerate() {
        let mark = if (k + seq) % 9 == 4 {
            MarkInput {
                status: "leave".into(),
                reason: ["因公出差", "参加上级培训", "因病请假"][seq % 3].into(),
            }
        } else if (k + seq) % 23 == 11 {
            MarkInput {
                status: "absent".into(),
                reason: String::new(),
            }
        } else {
            MarkInput {
                status: "present".into(),
                reason: String::new(),
            }
        };
        let at = ctx.at(on_day(day, k as i64 / 4));
        // Most members sign in at the door with their phones; the desk records the rest.
        if let (Some(dep), "present", true) =
            (line.member.deputy_id, mark.status.as_str(), k % 3 != 0)
        {
            let mut member = Actor::system("demo");
            member.role = Role::Deputy;
            member.deputy_id = Some(dep);
            member.username = format!("deputy-{dep}");
            member.display_name = line.member.name.clone();
            super::sign_in::sign_in(&at, &member, &d.meeting.signin_code)
                .await
                .map_err(lower)?;
            continue;
        }
        attendance::mark_member(&at, &a, id, line.member.id, &mark)
            .await
            .map_err(lower)?;
    }
    for k in &d.invited {
        let mark = MarkInput {
            status: "present".into(),
            reason: String::new(),
        };
        attendance::mark_attending(ctx, &a, k.id, &mark)
            .await
            .map_err(lower)?;
    }
    let present = meetings::detail(ctx, &a, id)
        .await
        .map_err(lower)?
        .present() as i64;
    for (j, (item, voted)) in items.iter().enumerate() {
        if !voted {
            continue;
        }
        // Most pass unanimously; now and then one abstains.
        let abstain = i64::from((seq + j) % 4 == 1);
        agenda::record_vote(
            ctx,
            &a,
            *item,
            &VoteInput {
                yes: app::de::Typed::of(present - abstain),
                no: app::de::Typed::of(0),
                abstain: app::de::Typed::of(abstain),
                not_voting: app::de::Typed::of(0),
                rule: String::new(),
            },
        )
        .await
        .map_err(lower)?;
    }
    let after = real.at(on_day(day, 240));
    meetings::advance(&after, &a, id, &state("held"))
        .await
        .map_err(lower)?;
    // The 列席 deputies meet after the session and give their views.
    if !d.invited.is_empty() {
        let views = super::forum::ForumInput {
            held_on: String::new(),
            summary: "建议承办单位加强与代表的沟通，办理情况及时反馈。\n希望常委会加大对重点建议的跟踪督办力度。".into(),
        };
        super::forum::record(&after, &a, id, &views)
            .await
            .map_err(lower)?;
    }
    // What it issues: a decision for each item passed, an opinion on each
    // report heard by the standing committee, then the minutes.
    let issued = day.saturating_add(jiff::Span::new().days(3)).min(today);
    let issuing = real.at(on_day(issued, 60));
    let titles = meetings::detail(&issuing, &a, id)
        .await
        .map_err(lower)?
        .items;
    for (item, voted) in &items {
        let Some(row) = titles.iter().find(|i| i.id == *item) else {
            continue;
        };
        let subject = row
            .title
            .trim_start_matches("审议")
            .trim_start_matches("表决");
        let output = if *voted && row.vote_passed == Some(1) {
            Some(OutputInput {
                kind: "decision".into(),
                agenda_item_id: Some(*item),
                prefix: p.prefix.into(),
                title: format!("关于{subject}的决定"),
                addressee: String::new(),
                body: format!(
                    "{}审议并表决通过{subject}。\n现予公布，自公布之日起施行。",
                    d.meeting.title
                ),
                issued_on: issued.to_string(),
            })
        } else if !voted && p.opinions {
            let to = if row.title.contains("法院") {
                "县人民法院"
            } else if row.title.contains("检察院") {
                "县人民检察院"
            } else {
                "县人民政府"
            };
            let heard = row.title.trim_start_matches("听取和审议");
            Some(OutputInput {
                kind: "opinion".into(),
                agenda_item_id: Some(*item),
                prefix: "清常审".into(),
                title: format!("对{heard}的审议意见"),
                addressee: to.into(),
                body: format!(
                    "{}听取和审议了{heard}。组成人员认为，有关工作取得了积极成效，同时还存在一些问题和不足。\n请认真研究处理，并将研究处理情况向县人大常委会书面报告。",
                    d.meeting.title
                ),
                issued_on: issued.to_string(),
            })
        } else {
            None
        };
        if let Some(o) = output {
            let opinion = o.kind == "opinion";
            let (out, _) = outputs::issue(&issuing, &a, id, &o).await.map_err(lower)?;
            // Each opinion goes to the unit that studies it.
            if opinion {
                let unit = match o.addressee.as_str() {
                    "县人民政府" if row.title.contains("代表建议") => "县交通运输局",
                    "县人民政府" => "县发展和改革局",
                    other => other,
                };
                let uid: Option<i64> = {
                    let mut c = real.db.read().await?;
                    sqlx::query_scalar("SELECT id FROM unit WHERE name = $1")
                        .bind(unit)
                        .fetch_optional(&mut c)
                        .await?
                };
                if let Some(uid) = uid {
                    let input = engine::service::assign::AssignInput {
                        units: vec![engine::service::assign::UnitPart {
                            unit_id: Some(uid),
                            role: "lead".into(),
                        }],
                        ..Default::default()
                    };
                    super::opinion_items::assign(&issuing, &a, out, &input)
                        .await
                        .map_err(lower)?;
                }
            }
        }
    }
    // Minutes are approved within a few weeks; the latest one's are pending.
    let approved = day.saturating_add(jiff::Span::new().days(20));
    if approved <= today {
        let minutes = OutputInput {
            kind: "minutes".into(),
            agenda_item_id: None,
            prefix: p.minutes_prefix.into(),
            title: format!("{}纪要", d.meeting.title),
            addressee: String::new(),
            body: format!(
                "{}于{}在{}召开。会议{}。",
                d.meeting.title,
                office::docx::chinese_date(p.date),
                p.place,
                titles
                    .iter()
                    .map(|i| i.title.as_str())
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            issued_on: issued.to_string(),
        };
        outputs::issue(&issuing, &a, id, &minutes)
            .await
            .map_err(lower)?;
        meetings::advance(
            &real.at(on_day(approved, 60)),
            &a,
            id,
            &state("minutes_approved"),
        )
        .await
        .map_err(lower)?;
    }
    Ok(id)
}

async fn body_of(c: &mut db::Conn, congress: &str, name: &str) -> Result<Option<i64>> {
    let Some(cg) = org::store::congresses::find_by_name(c, congress).await? else {
        return Ok(None);
    };
    Ok(org::store::bodies::find_name(c, cg.id, name).await?)
}

/// Loads the demo's meetings; returns how many.
pub async fn load(ctx: &Ctx) -> Result<usize> {
    let mut c = ctx.db.read().await?;
    let Some(sc) = body_of(&mut c, "清溪县人民代表大会", "清溪县人大常委会").await?
    else {
        return Ok(0);
    };
    let council = body_of(&mut c, "清溪县人民代表大会", "清溪县人大常委会主任会议")
        .await?
        .ok_or_else(|| Error::internal("the demo has no 主任会议"))?;
    let county = org::store::congresses::find_by_name(&mut c, "清溪县人民代表大会")
        .await?
        .ok_or_else(|| Error::internal("the demo has no county congress"))?;
    let demo_deputy: Option<i64> =
        sqlx::query_scalar("SELECT deputy_id FROM app_user WHERE username = 'deputy'")
            .fetch_optional(&mut c)
            .await?
            .flatten();
    // Grassroots deputies invited in turn (not the committee's members), the
    // demo deputy to two of them.
    let members: Vec<i64> = sqlx::query_scalar(
        "SELECT deputy_id FROM body_member WHERE body_id = $1 AND deputy_id IS NOT NULL",
    )
    .bind(sc)
    .fetch_all(&mut c)
    .await?;
    let invitees: Vec<i64> = org::store::deputies::in_office_of(&mut c, county.id)
        .await?
        .into_iter()
        .map(|(id, _, _)| id)
        .filter(|id| Some(*id) != demo_deputy && !members.contains(id))
        .take(40)
        .collect();
    // A motion the sessions handed over, found through the suggestion loop's hand-off.
    let mut motion = None;
    if let Some(h) = ctx.get::<app::handoff::MotionsHandoff>() {
        for n in 1..=50 {
            if let Some(m) = h.find(&mut c, county.id, &n.to_string()).await? {
                motion = Some(m.label);
                break;
            }
        }
    }
    let townships: Vec<(i64, String)> = sqlx::query_as(
        "SELECT b.id, c.name FROM body b JOIN congress c ON c.id = b.congress_id
         WHERE b.kind = 'presidium' ORDER BY c.name",
    )
    .fetch_all(&mut c)
    .await?;
    drop(c);

    const SC_PLACE: &str = "县人大常委会第一会议室";
    const SC_MONTHS: [(&str, &[Item]); 11] = [
        (
            "2026-01-08",
            &[
                ("审议县人大常委会2026年工作要点（草案）", "", "", true),
                (
                    "审议代表建议交办方案",
                    "suggestion_report",
                    "清溪县十七届人大五次会议代表建议交办方案",
                    true,
                ),
            ],
        ),
        (
            "2026-02-26",
            &[
                (
                    "听取和审议县人民政府关于2025年国民经济和社会发展计划执行情况的报告",
                    "government_report",
                    "2025年计划执行情况的报告",
                    false,
                ),
                (
                    "人事任免事项",
                    "appointment",
                    "县人民政府提请任免名单",
                    true,
                ),
            ],
        ),
        (
            "2026-03-26",
            &[(
                "审议《县人大常委会关于开展县人民政府工作部门工作评议的实施方案》",
                "evaluation",
                "2026年度工作评议",
                true,
            )],
        ),
        (
            "2026-04-23",
            &[(
                "听取和审议县人民法院关于行政审判工作情况的报告",
                "government_report",
                "县人民法院行政审判工作报告",
                false,
            )],
        ),
        (
            "2026-05-28",
            &[
                (
                    "听取和审议县人民政府关于代表建议办理情况的报告",
                    "suggestion_report",
                    "十七届人大五次会议代表建议办理情况报告",
                    false,
                ),
                ("审议代表议案办理结果", "motion", "议案第1号", true),
            ],
        ),
        (
            "2026-06-25",
            &[
                (
                    "审查和批准2025年县级财政决算",
                    "government_report",
                    "2025年县级财政决算",
                    true,
                ),
                (
                    "人事任免事项",
                    "appointment",
                    "县人民政府提请任免名单",
                    true,
                ),
            ],
        ),
        (
            "2026-07-30",
            &[(
                "听取和审议县人民政府关于上半年国民经济和社会发展计划执行情况的报告",
                "government_report",
                "上半年计划执行情况的报告",
                false,
            )],
        ),
        (
            "2026-08-27",
            &[
                (
                    "听取和审议被评议单位整改情况的报告",
                    "evaluation",
                    "2026年度工作评议",
                    false,
                ),
                ("工作评议满意度测评", "evaluation", "2026年度工作评议", true),
            ],
        ),
        (
            "2026-09-24",
            &[(
                "听取和审议县人民检察院关于公益诉讼检察工作情况的报告",
                "government_report",
                "县人民检察院公益诉讼检察工作报告",
                false,
            )],
        ),
        (
            "2026-10-29",
            &[
                (
                    "听取和审议县人民政府关于代表建议办理情况的报告",
                    "suggestion_report",
                    "十七届人大五次会议代表建议办理情况报告",
                    false,
                ),
                (
                    "审议《清溪县代表联络站工作规则》",
                    "rule",
                    "清溪县代表联络站工作规则",
                    true,
                ),
            ],
        ),
        (
            "2026-12-17",
            &[
                (
                    "听取和审议县人民政府关于民生实事项目实施情况的报告",
                    "government_report",
                    "2026年民生实事项目实施情况的报告",
                    false,
                ),
                ("决定召开县第十八届人民代表大会第一次会议", "", "", true),
            ],
        ),
    ];
    let mut n = 0;
    for (k, (date, items)) in SC_MONTHS.iter().enumerate() {
        let mut invite: Vec<i64> = invitees.iter().skip(k * 3).take(2).copied().collect();
        if (k == 4 || k == SC_MONTHS.len() - 1)
            && let Some(d) = demo_deputy
        {
            invite.push(d);
        }
        hold(
            ctx,
            &Plan {
                body: sc,
                date,
                // The 17th term's meetings before 2026 numbered thirty.
                number: 31 + k as i64,
                place: SC_PLACE,
                convener: "主任",
                items,
                invite: &invite,
                prefix: "清常发",
                minutes_prefix: "清常纪",
                opinions: true,
                observers: 20,
                motion: motion.as_deref(),
            },
            k,
        )
        .await?;
        n += 1;
    }
    const COUNCIL: [(&str, &[Item]); 4] = [
        (
            "2026-01-05",
            &[(
                "研究确定2026年重点督办代表建议",
                "suggestion_report",
                "2026年重点督办建议",
                true,
            )],
        ),
        (
            "2026-03-19",
            &[(
                "审定工作评议实施方案，报请常委会会议审议",
                "evaluation",
                "2026年度工作评议",
                true,
            )],
        ),
        (
            "2026-06-18",
            &[("研究常委会第三十六次会议议程", "", "", true)],
        ),
        (
            "2026-10-22",
            &[(
                "审定代表联络站工作规则草案，报请常委会会议审议",
                "rule",
                "清溪县代表联络站工作规则",
                true,
            )],
        ),
    ];
    for (k, (date, items)) in COUNCIL.iter().enumerate() {
        hold(
            ctx,
            &Plan {
                body: council,
                date,
                number: 61 + k as i64,
                place: "县人大常委会第二会议室",
                convener: "主任",
                items,
                invite: &[],
                prefix: "清常主",
                minutes_prefix: "清常主纪",
                opinions: false,
                observers: 0,
                motion: None,
            },
            k + 3,
        )
        .await?;
        n += 1;
    }
    for (t, (body, _)) in townships.iter().enumerate() {
        for (q, date) in ["2026-05-14", "2026-10-15"].iter().enumerate() {
            hold(
                ctx,
                &Plan {
                    body: *body,
                    date,
                    number: 9 + q as i64,
                    place: "镇人大主席团会议室",
                    convener: "人大主席",
                    items: &[(
                        "听取镇人民政府关于代表建议办理情况的汇报",
                        "suggestion_report",
                        "镇人大代表建议办理情况",
                        false,
                    )],
                    invite: &[],
                    prefix: "镇人大主席团",
                    minutes_prefix: "镇主席团纪",
                    opinions: false,
                    observers: 10,
                    motion: None,
                },
                t + q,
            )
            .await?;
            n += 1;
        }
    }
    Ok(n)
}
