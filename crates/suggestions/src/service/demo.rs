//! Demo suggestions: about 300 over two sessions of the demo county congress,
//! in every state of the closed loop — drafts, items under review, returned,
//! refused and merged ones, assigned items in handling (some overdue), replies
//! waiting for signatures, re-handled items, follow-up with open commitments,
//! closed and published ones, key-supervised ones, motions converted into
//! suggestions, and items a unit sent back.
//!
//! The history is written through the same service functions a clerk uses,
//! with the clock set to the day each step happened (`kernel::time`'s
//! simulated clock), so deadlines, overdue items and the handling record read
//! as they would in a real year. The clock is reset before returning.

use jiff::ToSpan;
use jiff::civil::Date;
use kernel::roles::{DataScope, Role};

use crate::service::{assign, draft, evaluate, review};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use engine::service::{assign as item_assign, evaluate as item_evaluate, handle};

/// Where an item's story stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Draft,
    Submitted,
    Returned,
    Refused,
    Merged,
    Accepted,
    Handling,
    AwaitingHead,
    AwaitingLeader,
    Replied,
    Rehandling,
    FollowUp,
    Closed,
}

/// The mix of final states, one letter per item in a cycle of 20.
const CYCLE: [Target; 20] = {
    use Target::*;
    [
        Closed,
        Closed,
        FollowUp,
        Closed,
        Handling,
        Closed,
        Replied,
        Submitted,
        Closed,
        AwaitingHead,
        Closed,
        Rehandling,
        Closed,
        FollowUp,
        AwaitingLeader,
        Accepted,
        Merged,
        Returned,
        Closed,
        Refused,
    ]
};

const PLACES: &[&str] = &[
    "城关镇",
    "龙潭镇",
    "白岩镇",
    "清水镇",
    "石门镇",
    "花溪镇",
    "青山乡",
    "云雾乡",
    "杉木乡",
    "茶园乡",
    "平寨乡",
    "桃源乡",
];

/// Subjects: (category, title pattern with {p} for the place, content, lead unit, assisting unit).
const SUBJECTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "交通运输",
        "关于改造{p}通村公路的建议",
        "{p}部分通村公路路面破损严重，雨季通行困难，群众出行和农产品外运受影响。建议将该路段纳入农村公路提质改造计划，并加强日常养护。",
        "县交通运输局",
        "县财政局",
    ),
    (
        "交通运输",
        "关于增开县城至{p}公交班次的建议",
        "县城至{p}的公交车每天仅有四个班次，学生和务工人员早晚出行不便。建议在早晚高峰增开班次，并优化停靠站点。",
        "县交通运输局",
        "",
    ),
    (
        "教育科技",
        "关于改善{p}中心小学办学条件的建议",
        "{p}中心小学校舍老旧，学生食堂面积不足，教师周转房短缺。建议加大投入，改扩建食堂并建设教师周转宿舍。",
        "县教育局",
        "县财政局",
    ),
    (
        "医疗卫生",
        "关于加强{p}卫生院医疗力量的建议",
        "{p}卫生院缺少影像和检验专业人员，群众常规检查需到县城。建议通过县域医共体下派医生，并补充检验设备。",
        "县卫生健康局",
        "县人力资源和社会保障局",
    ),
    (
        "农业农村",
        "关于支持{p}茶产业发展的建议",
        "{p}茶园面积逐年扩大，但加工能力不足、品牌影响小。建议扶持建设标准化加工厂，统一打造区域公用品牌。",
        "县农业农村局",
        "县商务局",
    ),
    (
        "农业农村",
        "关于修复{p}农田水利设施的建议",
        "{p}部分山塘水库和灌溉渠道年久失修，渗漏严重，影响春耕生产。建议安排专项资金进行除险加固和渠道防渗改造。",
        "县水务局",
        "县农业农村局",
    ),
    (
        "社会保障",
        "关于提高{p}农村高龄老人补贴的建议",
        "{p}八十岁以上老人较多，现行高龄补贴标准偏低。建议根据财力逐步提高补贴标准，并简化申领手续。",
        "县民政局",
        "县财政局",
    ),
    (
        "生态环境",
        "关于治理{p}河道生活垃圾的建议",
        "{p}部分河段沿岸生活垃圾堆放，汛期易造成污染。建议完善垃圾收运设施，落实河长巡河责任。",
        "县生态环境分局",
        "县住房和城乡建设局",
    ),
    (
        "城乡建设",
        "关于解决{p}集镇停车难的建议",
        "{p}集镇赶集日车辆乱停乱放，交通拥堵。建议规划建设公共停车场，并加强交通秩序管理。",
        "县住房和城乡建设局",
        "县公安局",
    ),
    (
        "城乡建设",
        "关于推进{p}农村危房改造的建议",
        "{p}仍有部分农户住房存在安全隐患，建议开展排查并纳入改造计划，对困难家庭给予补助。",
        "县住房和城乡建设局",
        "",
    ),
    (
        "经济发展",
        "关于扶持{p}特色农产品电商的建议",
        "{p}的刺梨、蜂蜜等特色农产品销路不畅。建议建设电商服务站，开展直播带货培训，打通物流末端。",
        "县商务局",
        "县邮政分公司",
    ),
    (
        "文化旅游",
        "关于开发{p}乡村旅游资源的建议",
        "{p}山水风光和民族文化资源丰富，但配套设施薄弱。建议编制乡村旅游规划，完善道路、厕所等设施。",
        "县文化旅游局",
        "县自然资源局",
    ),
    (
        "社会保障",
        "关于加强{p}困难群众医疗救助的建议",
        "{p}部分困难群众因病致贫风险较高，建议完善医疗救助与医保的衔接，提高慢性病门诊报销比例。",
        "县医疗保障局",
        "县民政局",
    ),
    (
        "民主法治",
        "关于加强{p}矛盾纠纷调解工作的建议",
        "{p}土地、邻里纠纷较多，建议充实人民调解员队伍，建立律师进村工作机制。",
        "县司法局",
        "",
    ),
    (
        "生态环境",
        "关于加强{p}森林防火工作的建议",
        "{p}林区面积大，春季防火压力大。建议增配防火物资，加强护林员队伍建设。",
        "县林业局",
        "县应急管理局",
    ),
    (
        "城乡建设",
        "关于改善{p}农村饮水安全的建议",
        "{p}部分村寨饮水工程水源不稳定，旱季供水不足。建议新建蓄水池并更新老化管网。",
        "县水务局",
        "",
    ),
    (
        "经济发展",
        "关于优化{p}营商环境的建议",
        "{p}个体工商户反映部分审批事项办理时间长。建议推进政务服务事项下沉到镇，实行一窗通办。",
        "县市场监督管理局",
        "县大数据发展中心",
    ),
    (
        "民主法治",
        "关于规范执法检查的建议",
        "部分企业反映同一事项多头检查。建议统筹执法检查计划，推行综合查一次。",
        "县司法局",
        "",
    ),
];

/// A moment in office hours of `day` (each story steps at its own minute).
fn at(day: Date, minute: i64) -> i64 {
    kernel::time::start_of_day_ms(day) + (9 * 60 + minute % 480) * 60_000
}

fn deputy_actor(id: i64, name: &str) -> Actor {
    Actor {
        user_id: None,
        username: format!("deputy:{id}"),
        display_name: name.to_string(),
        role: Role::Deputy,
        scope: DataScope::Own,
        congress_id: None,
        unit_id: None,
        deputy_id: Some(id),
        ip: "demo".into(),
        token_id: None,
        is_demo: true,
    }
}

fn unit_actor(role: Role, unit_id: i64, unit_name: &str) -> Actor {
    Actor {
        user_id: None,
        username: format!("unit:{unit_id}"),
        display_name: format!(
            "{unit_name}{}",
            if role == Role::UnitHead {
                "负责人"
            } else {
                "经办人"
            }
        ),
        role,
        scope: DataScope::Org,
        congress_id: None,
        unit_id: Some(unit_id),
        deputy_id: None,
        ip: "demo".into(),
        token_id: None,
        is_demo: true,
    }
}

struct World {
    county: i64,
    staff: Actor,
    deputies: Vec<(i64, String)>,
    units: Vec<(i64, String, Option<i64>)>,
    sessions: Vec<(i64, Date)>,
}

async fn world(ctx: &Ctx) -> Result<World> {
    let mut c = ctx.db.read().await?;
    let staff_row = app::store::users::by_username(&mut c, "staff")
        .await?
        .ok_or(Error::BadRequest("请先装入基础演示数据".into()))?;
    let staff = app::auth::actor_of(&staff_row, "demo")
        .ok_or_else(|| Error::internal("no value where one is stored"))?;
    let county = staff_row
        .congress_id
        .ok_or_else(|| Error::internal("no value where one is stored"))?;
    let deputies = org::store::deputies::in_office_of(&mut c, county)
        .await?
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect::<Vec<_>>();
    let all = org::store::units::list(
        &mut c,
        &org::store::units::UnitFilter {
            congress_ids: Some(vec![county]),
            ..Default::default()
        },
        db::Page::new(Some(1), Some(200)),
    )
    .await?;
    let units = all
        .items
        .into_iter()
        .map(|u| (u.id, u.name, u.leader_user_id))
        .collect();
    let mut sessions = Vec::new();
    for t in org::store::congresses::terms(&mut c, county).await? {
        if t.number == 17 {
            for s in org::store::congresses::sessions(&mut c, t.id).await? {
                if s.number >= 5 {
                    sessions.push((
                        s.id,
                        kernel::calendar::parse_date(&s.start_date).map_err(Error::internal)?,
                    ));
                }
            }
        }
    }
    let first_deputy: Option<i64> = app::store::users::by_username(&mut c, "deputy")
        .await?
        .and_then(|u| u.deputy_id);
    // The demo deputy account leads the first items, so it has something in every state.
    let mut deputies = deputies;
    if let Some(d) = first_deputy
        && let Some(pos) = deputies.iter().position(|(id, _)| *id == d)
    {
        let me = deputies.remove(pos);
        deputies.insert(0, me);
    }
    Ok(World {
        county,
        staff,
        deputies,
        units,
        sessions,
    })
}

fn unit<'a>(w: &'a World, name: &str) -> Option<&'a (i64, String, Option<i64>)> {
    w.units.iter().find(|u| u.1 == name)
}

/// Loads `count` demo suggestions of the cycle (about 300 for the demo), then
/// the few that wait for the demo accounts; returns how many in all.
pub async fn load(ctx: &Ctx, count: usize) -> Result<usize> {
    load_inner(ctx, count).await
}

async fn load_inner(ctx: &Ctx, count: usize) -> Result<usize> {
    let w = world(ctx).await?;
    if w.deputies.len() < 12 || w.sessions.len() < 2 {
        return Err(Error::BadRequest("演示数据不完整，无法生成建议".into()));
    }
    let mut made = 0;
    for i in 0..count {
        let target = CYCLE[i % CYCLE.len()];
        // Items of the previous session are all settled; this session's are in every state.
        let earlier = i % 3 == 0;
        // Half of this year's open items came in between sessions, in September.
        let between = !earlier && i % 20 == 4 && (i / 20) % 2 == 0;
        let (session, submit_day) = if earlier {
            (Some(w.sessions[0].0), w.sessions[0].1)
        } else if between {
            (None, Date::constant(2026, 9, 1))
        } else {
            (Some(w.sessions[1].0), w.sessions[1].1)
        };
        let target =
            if earlier && !matches!(target, Target::Draft | Target::Submitted | Target::Accepted) {
                settle(target)
            } else {
                target
            };
        let target = if i < 6 && i % 2 == 1 {
            Target::Draft
        } else {
            target
        };
        let cast = Cast {
            subject: i % SUBJECTS.len(),
            lead: i % w.deputies.len(),
        };
        story(ctx, &w, i, cast, target, session, submit_day).await?;
        made += 1;
    }
    made += waiting_work(ctx, &w, count).await?;
    Ok(made)
}

/// Who leads a story and what it is about (indexes into the world's deputies
/// and into [`SUBJECTS`]).
#[derive(Debug, Clone, Copy)]
struct Cast {
    subject: usize,
    lead: usize,
}

/// Work waiting for each demo account, whatever the cycle gave them: the demo
/// deputy (first of the world's deputies) has a reply to evaluate and an
/// invitation to answer; the transport bureau's handler has an assignment of
/// last week, its head a reply to sign, and the government leader in charge
/// a reply to approve (the first two subjects are the bureau's).
async fn waiting_work(ctx: &Ctx, w: &World, from: usize) -> Result<usize> {
    let today = kernel::time::today();
    let ago = |d: i64| today.checked_sub(d.days()).unwrap_or(today);
    let this_session = w.sessions[1];
    let other = 1 % w.deputies.len();
    let stories = [
        (
            Cast {
                subject: 1,
                lead: 0,
            },
            Target::Replied,
            Some(this_session.0),
            this_session.1,
        ),
        (
            Cast {
                subject: 0,
                lead: other,
            },
            Target::AwaitingHead,
            Some(this_session.0),
            this_session.1,
        ),
        (
            Cast {
                subject: 1,
                lead: other,
            },
            Target::AwaitingLeader,
            Some(this_session.0),
            this_session.1,
        ),
        // Submitted between sessions four weeks ago, assigned 13 days ago.
        (
            Cast {
                subject: 0,
                lead: other,
            },
            Target::Handling,
            None,
            ago(27),
        ),
    ];
    let n = stories.len();
    for (k, (cast, target, session, day)) in stories.into_iter().enumerate() {
        story(ctx, w, from + k, cast, target, session, day).await?;
    }
    // An invitation to co-sign a draft of another deputy, not yet answered.
    let (inviter, name) = &w.deputies[other];
    let inviter = deputy_actor(*inviter, name);
    let ctx = &ctx.at(at(ago(2), (from + n) as i64));
    let (category, pattern, content, _, _) = SUBJECTS[4];
    let input = draft::SuggestionInput {
        kind: "suggestion".into(),
        congress_id: Some(w.county),
        session_id: None,
        title: pattern.replace("{p}", PLACES[0]),
        content: content.replace("{p}", PLACES[0]),
        grounds: String::new(),
        category: category.into(),
        by_delegation: String::new(),
        submit: false,
    };
    let id = draft::create(ctx, &inviter, &input).await?.id;
    draft::invite(ctx, &inviter, id, &[w.deputies[0].0]).await?;
    Ok(n + 1)
}

/// Last year's items are answered and evaluated by now.
fn settle(t: Target) -> Target {
    match t {
        Target::Handling
        | Target::AwaitingHead
        | Target::AwaitingLeader
        | Target::Replied
        | Target::Rehandling => Target::Closed,
        other => other,
    }
}

async fn story(
    ctx: &Ctx,
    w: &World,
    i: usize,
    cast: Cast,
    target: Target,
    session: Option<i64>,
    submit_day: Date,
) -> Result<()> {
    // Each step runs on its own day: the context is set to that moment.
    let base = ctx.clone();
    let (category, pattern, content, lead_unit, assisting) = SUBJECTS[cast.subject];
    let place = PLACES[(i / SUBJECTS.len()) % PLACES.len()];
    let title = pattern.replace("{p}", place);
    let (dep_id, dep_name) = &w.deputies[cast.lead];
    let deputy = deputy_actor(*dep_id, dep_name);
    let day = |d: i64| submit_day.checked_add(d.days()).unwrap_or(submit_day);
    let motion = i % 37 == 5;
    let ctx = &base.at(at(day(-3), i as i64));
    let input = draft::SuggestionInput {
        kind: if motion {
            "motion".into()
        } else {
            "suggestion".into()
        },
        congress_id: Some(w.county),
        session_id: session,
        title: if motion {
            title.replace("的建议", "的议案")
        } else {
            title.clone()
        },
        content: content.replace("{p}", place),
        grounds: if motion {
            format!("{place}群众多次反映，现行做法缺乏统一规范。")
        } else {
            String::new()
        },
        category: category.into(),
        by_delegation: String::new(),
        submit: false,
    };
    let id = draft::create(ctx, &deputy, &input).await?.id;
    if target == Target::Draft {
        return Ok(());
    }
    // Some items are joint: two co-signers confirm. Every other motion goes
    // on its own path with ten deputies behind it (a county congress's
    // threshold); the rest fall short and are handled as suggestions.
    let assigned = !matches!(
        target,
        Target::Draft
            | Target::Submitted
            | Target::Returned
            | Target::Refused
            | Target::Merged
            | Target::Accepted
    );
    let cosigners = if motion && assigned && i % 74 == 5 {
        9
    } else if i.is_multiple_of(4) {
        2
    } else {
        0
    };
    if cosigners > 0 {
        let co: Vec<i64> = (1..=cosigners)
            .map(|k| w.deputies[(i + k * 7) % w.deputies.len()].0)
            .filter(|d| d != dep_id)
            .collect();
        draft::invite(ctx, &deputy, id, &co).await?;
        for d in &co {
            let name = w
                .deputies
                .iter()
                .find(|x| x.0 == *d)
                .map(|x| x.1.clone())
                .unwrap_or_default();
            let ctx = &base.at(at(day(-2), i as i64));
            draft::respond(ctx, &deputy_actor(*d, &name), id, true).await?;
        }
    }
    let ctx = &base.at(at(day(1), i as i64));
    draft::submit(ctx, &deputy, id).await?;
    let staff = &w.staff;
    match target {
        Target::Submitted => return Ok(()),
        Target::Returned => {
            let ctx = &base.at(at(day(6), i as i64));
            return review::return_for_revision(
                ctx,
                staff,
                id,
                "请补充具体地点、涉及群众数量等情况，做到一事一议",
            )
            .await;
        }
        Target::Refused => {
            let ctx = &base.at(at(day(6), i as i64));
            return review::refuse(ctx, staff, id, "代表本人及其亲属的个人诉求").await;
        }
        Target::Merged => {
            // Merged into the item before it when that one is still open for review.
            let prev = id - 1;
            let can_merge = {
                let mut c = ctx.db.read().await?;
                crate::store::suggestions::get(&mut c, prev)
                    .await?
                    .is_some_and(|p| p.state == "submitted" || p.state == "accepted")
            };
            let ctx = &base.at(at(day(6), i as i64));
            if can_merge {
                return review::merge(ctx, staff, id, prev).await;
            }
            return review::accept(ctx, staff, id).await;
        }
        _ => {}
    }
    let ctx = &base.at(at(day(8), i as i64));
    review::accept(ctx, staff, id).await?;
    if target == Target::Accepted {
        return Ok(());
    }
    if i % 25 == 3 {
        let sup = review::SupervisionInput {
            key_supervision: true,
            supervising_leader: "何光明（县人大常委会副主任）".into(),
            leading_official: "分管副县长".into(),
        };
        review::set_supervision(ctx, staff, id, &sup).await?;
    }
    let Some(lead) = unit(w, lead_unit) else {
        return Err(Error::internal(
            "a checked value went missing after validation",
        ));
    };
    // A few are first given to the wrong unit, which sends them back.
    let wrong_first = i % 20 == 5 && (i / 20) % 3 == 1;
    let first_unit = if wrong_first {
        unit(w, "县统计局").unwrap_or(lead)
    } else {
        lead
    };
    let mut parts = vec![item_assign::UnitPart {
        unit_id: Some(first_unit.0),
        role: "lead".into(),
    }];
    if let Some(a) = unit(w, assisting).filter(|_| !assisting.is_empty() && !wrong_first) {
        parts.push(item_assign::UnitPart {
            unit_id: Some(a.0),
            role: "assisting".into(),
        });
    }
    // A motion has one deadline; the suggestion loop's longer one is not its.
    let complex = i % 31 == 11 && !motion;
    let assign_day = day(14);
    let ctx = &base.at(at(assign_day, i as i64));
    let plan = item_assign::AssignInput {
        units: parts,
        complexity: if complex {
            "complex".into()
        } else {
            "normal".into()
        },
        complexity_reason: if complex {
            "涉及多个部门和跨年度资金安排".into()
        } else {
            String::new()
        },
    };
    let items = assign::assign(ctx, staff, &[id], &plan).await?;
    let item = items[0];
    let assignments = {
        let mut c = ctx.db.read().await?;
        engine::store::assignments(&mut c, item).await?
    };
    let mut lead_a = assignments
        .iter()
        .find(|a| a.role == "lead")
        .map(|a| a.id)
        .ok_or_else(|| Error::internal("no value where one is stored"))?;
    if wrong_first {
        let ctx = &base.at(at(day(17), i as i64));
        item_assign::unit_return(
            ctx,
            &unit_actor(Role::UnitHandler, first_unit.0, &first_unit.1),
            lead_a,
            "该事项不属于本单位职责，建议交由行业主管部门办理",
        )
        .await?;
        let ctx = &base.at(at(day(19), i as i64));
        lead_a = item_assign::reassign(ctx, staff, lead_a, lead.0).await?;
    }
    let handler = unit_actor(Role::UnitHandler, lead.0, &lead.1);
    let head = unit_actor(Role::UnitHead, lead.0, &lead.1);
    // Assisting units send their opinion within the month.
    for a in assignments.iter().filter(|a| a.role == "assisting") {
        let ctx = &base.at(at(day(30), i as i64));
        let who = unit_actor(Role::UnitHandler, a.unit_id, &a.unit_name);
        handle::send_opinion(
            ctx,
            &who,
            a.id,
            &handle::OpinionInput {
                text: format!(
                    "{}同意主办单位的办理思路，将在职责范围内做好配合，所需资金按程序予以保障。",
                    a.unit_name
                ),
            },
        )
        .await?;
    }
    let ctx = &base.at(at(day(24), i as i64));
    let contact = handle::ContactInput {
        stage: "before".into(),
        method: if i.is_multiple_of(2) {
            "meeting".into()
        } else {
            "phone".into()
        },
        contact_date: day(24).to_string(),
        participants: format!("{}、{}分管负责人", dep_name, lead.1),
        summary: "听取代表对办理工作的意见，商定实地调研时间".into(),
        with_proposer: true,
    };
    handle::add_contact(ctx, &handler, lead_a, &contact).await?;
    if target == Target::Handling {
        return Ok(());
    }
    let commitments = if matches!(target, Target::FollowUp) {
        vec![handle::CommitmentInput {
            text: format!("{}前完成{}项目前期工作", day(200), place),
            due_date: day(200).to_string(),
        }]
    } else {
        Vec::new()
    };
    let category_result = if i.is_multiple_of(3) {
        "B 正在解决或列入计划解决"
    } else {
        "A 已解决或基本解决"
    };
    reply_round(
        ctx,
        w,
        i,
        target,
        lead_a,
        &lead.1,
        &handler,
        &head,
        lead.2,
        day(45),
        category_result,
        &commitments,
        &deputy,
        id,
    )
    .await
}

#[expect(clippy::too_many_arguments, reason = "one step of a story")]
async fn reply_round(
    ctx: &Ctx,
    w: &World,
    i: usize,
    target: Target,
    a: i64,
    unit_name: &str,
    handler: &Actor,
    head: &Actor,
    leader: Option<i64>,
    on: Date,
    category: &str,
    commitments: &[handle::CommitmentInput],
    deputy: &Actor,
    id: i64,
) -> Result<()> {
    let base = ctx.clone();
    let later = |d: i64| on.checked_add(d.days()).unwrap_or(on);
    let ctx = &base.at(at(on, i as i64));
    let text = format!(
        "{}代表：您提出的建议收悉。我单位高度重视，经实地调研并与您沟通，答复如下：已将相关事项纳入年度工作计划，明确责任科室和完成时限，将定期向您通报进展。感谢您对{}工作的关心和支持。",
        deputy.display_name, unit_name
    );
    handle::submit_reply(
        ctx,
        handler,
        a,
        &handle::ReplyInput {
            text,
            result_category: category.into(),
            commitments: commitments.to_vec(),
        },
    )
    .await?;
    if target == Target::AwaitingHead {
        return Ok(());
    }
    let sha = current_sha(ctx, a).await?;
    let ctx = &base.at(at(later(2), i as i64));
    handle::sign_off(
        ctx,
        head,
        a,
        &handle::SignoffInput {
            approve: true,
            reason: String::new(),
            reply_sha: sha.clone(),
        },
    )
    .await?;
    if target == Target::AwaitingLeader {
        return Ok(());
    }
    if let Some(uid) = leader {
        let mut c = ctx.db.read().await?;
        let row = app::store::users::get(&mut c, uid)
            .await?
            .ok_or_else(|| Error::internal("no value where one is stored"))?;
        drop(c);
        let gov = app::auth::actor_of(&row, "demo")
            .ok_or_else(|| Error::internal("no value where one is stored"))?;
        let ctx = &base.at(at(later(4), i as i64));
        handle::sign_off(
            ctx,
            &gov,
            a,
            &handle::SignoffInput {
                approve: true,
                reason: String::new(),
                reply_sha: sha,
            },
        )
        .await?;
    }
    if target == Target::Replied {
        return Ok(());
    }
    let ctx = &base.at(at(later(12), i as i64));
    if target == Target::Rehandling {
        let e = evaluate::EvaluationInput {
            attitude: "basically_satisfied".into(),
            result: "dissatisfied".into(),
            comment: "答复内容较笼统，未明确具体完成时间和资金来源".into(),
        };
        evaluate::evaluate(ctx, deputy, id, &e).await?;
        return Ok(());
    }
    let e = evaluate::EvaluationInput {
        attitude: "satisfied".into(),
        result: if i.is_multiple_of(4) {
            "basically_satisfied".into()
        } else {
            "satisfied".into()
        },
        comment: String::new(),
    };
    evaluate::evaluate(ctx, deputy, id, &e).await?;
    // Half of the commitments are kept already.
    if target == Target::FollowUp && i.is_multiple_of(2) {
        let open = {
            let mut c = ctx.db.read().await?;
            let item = crate::store::suggestions::get(&mut c, id)
                .await?
                .and_then(|s| s.item_id)
                .ok_or_else(|| Error::internal("no value where one is stored"))?;
            engine::store::commitments(&mut c, item).await?
        };
        for c in open {
            let ctx = &base.at(at(later(90), i as i64));
            item_evaluate::fulfil(
                ctx,
                handler,
                c.id,
                &item_evaluate::FulfilInput {
                    evidence: "已按承诺完成，附现场照片和验收记录".into(),
                },
            )
            .await?;
        }
    }
    // Most settled items are published; some replies are withheld.
    let ctx = &base.at(at(later(20), i as i64));
    let publish = if i.is_multiple_of(17) {
        evaluate::PublicationInput {
            action: "withhold".into(),
            reason: "涉及个人信息，不宜公开".into(),
        }
    } else {
        evaluate::PublicationInput {
            action: "publish".into(),
            reason: String::new(),
        }
    };
    evaluate::set_publication(ctx, &w.staff, id, &publish).await?;
    Ok(())
}

async fn current_sha(ctx: &Ctx, assignment: i64) -> Result<String> {
    let mut c = ctx.db.read().await?;
    Ok(engine::store::current_reply(&mut c, assignment)
        .await?
        .ok_or_else(|| Error::internal("no value where one is stored"))?
        .sha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cycle_has_every_state_the_issue_asks_for() {
        for t in [
            Target::Submitted,
            Target::Returned,
            Target::Refused,
            Target::Merged,
            Target::Accepted,
            Target::Handling,
            Target::AwaitingHead,
            Target::AwaitingLeader,
            Target::Replied,
            Target::Rehandling,
            Target::FollowUp,
            Target::Closed,
        ] {
            assert!(CYCLE.contains(&t), "{t:?}");
        }
    }
}
