//! Demo data: a fictional county congress (清溪县, in the fictional 云岭市 of
//! 贵州省) with its townships, two terms, about 40 handling units and about
//! 180 county deputies plus a few of other levels, and one account per role.
//!
//! Everything is derived from a fixed seed, so two runs give the same people
//! and the same numbers. The data goes through the same service functions as
//! a clerk's input, so it is validated and audited like real data.

use app::store::users::NewUser;
use kernel::ids::{credit_code_check_char, id_card_check_char};
use kernel::roles::{DataScope, Role};

use crate::service::congresses::{self, CongressInput, PeriodInput};
use crate::service::deputies::{self, DeputyInput};
use crate::service::regions::{self, RegionInput};
use crate::service::units::{self, ContactInput, UnitInput};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};

/// The password of every demo account (meets the policy).
pub const DEMO_PASSWORD: &str = "Demo@2026";

/// A small deterministic generator (64-bit LCG, Knuth's constants).
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() as usize) % xs.len()]
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

const COUNTY_CODE: &str = "522921";
const TOWNSHIPS: &[(&str, &str)] = &[
    ("100", "城关镇"),
    ("101", "龙潭镇"),
    ("102", "白岩镇"),
    ("103", "清水镇"),
    ("104", "石门镇"),
    ("105", "花溪镇"),
    ("200", "青山乡"),
    ("201", "云雾乡"),
    ("202", "杉木乡"),
    ("203", "茶园乡"),
    ("204", "平寨乡"),
    ("205", "桃源乡"),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "罗", "龙", "潘", "韦", "杜", "吕",
    "田", "石", "蒙", "何", "宋", "郭", "彭", "谢",
];
const GIVEN: &[&str] = &[
    "建国", "文华", "秀英", "丽娟", "志强", "明亮", "海燕", "春梅", "晓东", "国庆", "桂兰", "德胜",
    "红梅", "家兴", "玉兰", "光明", "静", "婷", "磊", "勇", "芳", "军", "霞", "斌", "雪梅", "兴旺",
    "思远", "佳慧", "永福", "金凤",
];
const OCCUPATIONS: &[&str] = &[
    "村党支部书记、村委会主任",
    "县人民医院主治医师",
    "县第一中学教师",
    "农民专业合作社理事长",
    "个体工商户",
    "茶叶加工企业总经理",
    "镇卫生院院长",
    "社区居委会主任",
    "县农业技术推广站农艺师",
    "民营建筑公司项目经理",
    "乡村小学校长",
    "养殖大户",
    "律师事务所律师",
    "县供电局职工",
    "乡镇党委书记",
    "县政府副县长",
    "电商服务站负责人",
    "退休职工",
];
const GROUPS: &[&str] = &[
    "法制",
    "财政经济",
    "农业农村",
    "教科文卫",
    "社会建设",
    "城乡建设",
];

/// County handling units: name, kind, whether it has a government leader in charge (index into LEADERS).
const UNITS: &[(&str, &str, usize)] = &[
    ("县人民政府办公室", "government_department", 0),
    ("县发展和改革局", "government_department", 1),
    ("县教育局", "government_department", 2),
    ("县科技局", "government_department", 2),
    ("县工业和信息化局", "government_department", 1),
    ("县公安局", "government_department", 3),
    ("县民政局", "government_department", 2),
    ("县司法局", "government_department", 3),
    ("县财政局", "government_department", 1),
    ("县人力资源和社会保障局", "government_department", 2),
    ("县自然资源局", "government_department", 4),
    ("县生态环境分局", "government_department", 4),
    ("县住房和城乡建设局", "government_department", 4),
    ("县交通运输局", "government_department", 4),
    ("县水务局", "government_department", 5),
    ("县农业农村局", "government_department", 5),
    ("县商务局", "government_department", 1),
    ("县文化旅游局", "government_department", 2),
    ("县卫生健康局", "government_department", 2),
    ("县退役军人事务局", "government_department", 3),
    ("县应急管理局", "government_department", 3),
    ("县审计局", "government_department", 1),
    ("县市场监督管理局", "government_department", 1),
    ("县统计局", "government_department", 1),
    ("县医疗保障局", "government_department", 2),
    ("县林业局", "government_department", 5),
    ("县乡村振兴局", "government_department", 5),
    ("县信访局", "government_department", 0),
    ("县城市管理局", "government_department", 4),
    ("县投资促进局", "government_department", 1),
    ("县大数据发展中心", "government_department", 1),
    ("县融媒体中心", "government_department", 0),
    ("县监察委员会", "supervisory_commission", 99),
    ("县人民法院", "court", 99),
    ("县人民检察院", "procuratorate", 99),
    ("县供电局", "other", 4),
    ("县供销合作社联合社", "other", 5),
    ("县消防救援大队", "other", 3),
    ("县气象局", "other", 5),
    ("县邮政分公司", "other", 1),
];

const LEADERS: &[(&str, &str)] = &[
    ("杨国华", "县长"),
    ("陈立新", "常务副县长"),
    ("罗雪梅", "副县长"),
    ("吴振东", "副县长、县公安局局长"),
    ("潘建军", "副县长"),
    ("龙德明", "副县长"),
];

fn lower_sys(e: Error) -> Error {
    if let Error::Validation(v) = &e {
        tracing::error!(?v, "demo data failed validation");
    }
    e
}

/// Whether the database already holds organisation data.
pub async fn has_data(ctx: &Ctx) -> Result<bool> {
    let mut c = ctx.db.read().await?;
    Ok(!crate::store::congresses::all(&mut c).await?.is_empty())
}

/// One demo account per role, as (username, role label, what it sees).
pub const ACCOUNTS: &[(&str, Role, &str)] = &[
    ("admin", Role::Admin, "系统管理员：账号、审计、日历、设置"),
    ("staff", Role::Staff, "县人大常委会代表工委工作人员"),
    ("leader", Role::CongressLeader, "县人大常委会副主任"),
    ("deputy", Role::Deputy, "县人大代表（城关镇代表团）"),
    (
        "member",
        Role::Deputy,
        "县人大常委会委员（代表账号：常委会会议、扫码签到）",
    ),
    ("handler", Role::UnitHandler, "县交通运输局经办人"),
    ("head", Role::UnitHead, "县交通运输局局长"),
    ("govleader", Role::GovLeader, "分管交通的副县长"),
];

pub struct Loaded {
    pub deputies: usize,
    pub units: usize,
}

/// Loads the demo into an empty database.
pub async fn load(ctx: &Ctx) -> Result<Loaded> {
    if has_data(ctx).await? {
        return Err(Error::Conflict(
            "数据库中已有数据，演示数据只能装入空库".into(),
        ));
    }
    let sys = Actor::system("demo");
    let mut rng = Seq(20_261_122);

    // Regions.
    for (code, name) in [
        ("520000", "贵州省"),
        ("522900", "云岭市"),
        (COUNTY_CODE, "清溪县"),
    ] {
        regions::create(
            ctx,
            &sys,
            &RegionInput {
                code: code.into(),
                name: name.into(),
                parent_code: None,
            },
        )
        .await
        .map_err(lower_sys)?;
    }
    for (suffix, name) in TOWNSHIPS {
        regions::create(
            ctx,
            &sys,
            &RegionInput {
                code: format!("{COUNTY_CODE}{suffix}"),
                name: (*name).into(),
                parent_code: None,
            },
        )
        .await
        .map_err(lower_sys)?;
    }

    // Congresses, terms, sessions.
    let province = congresses::create(
        ctx,
        &sys,
        &CongressInput {
            name: "贵州省人民代表大会".into(),
            level: "provincial".into(),
            region_code: Some("520000".into()),
            parent_id: None,
        },
    )
    .await
    .map_err(lower_sys)?;
    let city = congresses::create(
        ctx,
        &sys,
        &CongressInput {
            name: "云岭市人民代表大会".into(),
            level: "city".into(),
            region_code: Some("522900".into()),
            parent_id: Some(province),
        },
    )
    .await
    .map_err(lower_sys)?;
    let county = congresses::create(
        ctx,
        &sys,
        &CongressInput {
            name: "清溪县人民代表大会".into(),
            level: "county".into(),
            region_code: Some(COUNTY_CODE.into()),
            parent_id: Some(city),
        },
    )
    .await
    .map_err(lower_sys)?;
    let mut township_congresses = Vec::new();
    for (suffix, name) in TOWNSHIPS.iter().take(3) {
        let id = congresses::create(
            ctx,
            &sys,
            &CongressInput {
                name: format!("清溪县{name}人民代表大会"),
                level: "township".into(),
                region_code: Some(format!("{COUNTY_CODE}{suffix}")),
                parent_id: Some(county),
            },
        )
        .await
        .map_err(lower_sys)?;
        township_congresses.push((id, *name));
    }
    let period = |n: i64, s: &str, e: &str| PeriodInput {
        number: Some(n),
        start_date: s.into(),
        end_date: e.into(),
    };
    let t16 = congresses::add_term(ctx, &sys, county, &period(16, "2016-12-26", "2021-12-25"))
        .await
        .map_err(lower_sys)?;
    let t17 = congresses::add_term(ctx, &sys, county, &period(17, "2021-12-26", "2026-12-25"))
        .await
        .map_err(lower_sys)?;
    for (n, s, e) in [
        (1, "2016-12-26", "2016-12-29"),
        (2, "2017-02-20", "2017-02-23"),
        (3, "2018-02-08", "2018-02-11"),
        (4, "2019-02-20", "2019-02-23"),
        (5, "2020-04-15", "2020-04-17"),
        (6, "2021-02-22", "2021-02-25"),
    ] {
        congresses::add_session(ctx, &sys, t16, &period(n, s, e))
            .await
            .map_err(lower_sys)?;
    }
    for (n, s, e) in [
        (1, "2021-12-26", "2021-12-29"),
        (2, "2022-02-21", "2022-02-24"),
        (3, "2023-02-13", "2023-02-16"),
        (4, "2024-02-26", "2024-02-29"),
        (5, "2025-02-17", "2025-02-20"),
        (6, "2026-02-09", "2026-02-12"),
    ] {
        congresses::add_session(ctx, &sys, t17, &period(n, s, e))
            .await
            .map_err(lower_sys)?;
    }
    let city_term = congresses::add_term(ctx, &sys, city, &period(6, "2021-12-20", "2026-12-19"))
        .await
        .map_err(lower_sys)?;
    congresses::add_session(ctx, &sys, city_term, &period(5, "2026-01-18", "2026-01-21"))
        .await
        .map_err(lower_sys)?;
    let province_term =
        congresses::add_term(ctx, &sys, province, &period(14, "2023-01-12", "2028-01-11"))
            .await
            .map_err(lower_sys)?;
    congresses::add_session(
        ctx,
        &sys,
        province_term,
        &period(4, "2026-01-25", "2026-01-29"),
    )
    .await
    .map_err(lower_sys)?;
    let mut township_terms = Vec::new();
    for (cid, name) in &township_congresses {
        let t = congresses::add_term(ctx, &sys, *cid, &period(18, "2021-11-20", "2026-11-19"))
            .await
            .map_err(lower_sys)?;
        township_terms.push((t, *name));
    }

    // Accounts first for government leaders, so units can name their account;
    // 潘建军 (in charge of transport) is the demo account `govleader`.
    let mut leader_accounts = Vec::new();
    for (i, (name, _)) in LEADERS.iter().enumerate() {
        let username = if i == 4 {
            "govleader".to_string()
        } else {
            format!("gov{}", i + 1)
        };
        leader_accounts.push(
            insert_account(
                ctx,
                &username,
                name,
                Role::GovLeader,
                None,
                None,
                None,
                None,
            )
            .await?,
        );
    }

    // Handling units.
    let mut unit_ids = Vec::new();
    for (i, (name, kind, leader)) in UNITS.iter().enumerate() {
        let (leader_name, leader_title) = LEADERS.get(*leader).copied().unwrap_or(("", ""));
        let contact = ContactInput {
            name: format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN)),
            title: "办公室主任".into(),
            phone: format!("0859-{}", 3_210_000 + i as u64 * 17),
        };
        let id = units::create(
            ctx,
            &sys,
            &UnitInput {
                congress_id: Some(county),
                name: (*name).into(),
                kind: (*kind).into(),
                parent_id: None,
                credit_code: demo_credit_code(i),
                leader_name: leader_name.into(),
                leader_title: leader_title.into(),
                leader_user_id: leader_accounts.get(*leader).copied(),
                address: format!(
                    "清溪县城关镇{}路{}号",
                    rng.pick(&["人民", "解放", "建设", "文化", "新华"]),
                    rng.range(1, 200)
                ),
                active: true,
                contacts: vec![contact],
            },
        )
        .await
        .map_err(lower_sys)?;
        unit_ids.push((id, *name));
    }
    let transport = unit_ids
        .iter()
        .find(|(_, n)| *n == "县交通运输局")
        .map(|(id, _)| *id);

    // County deputies of the 17th term; the first is the demo deputy account.
    let mut count = 0;
    let mut first_deputy = None;
    let mut county_deputies = Vec::new();
    for i in 0..180u64 {
        let town = TOWNSHIPS[(i as usize) % TOWNSHIPS.len()];
        let input = person(&mut rng, i, town.1, t17, (i / 12) as usize);
        let id = deputies::create(ctx, &sys, &input)
            .await
            .map_err(lower_sys)?;
        first_deputy.get_or_insert((id, input.name.clone()));
        county_deputies.push(id);
        count += 1;
        // Some county deputies also sit in the city or provincial congress.
        if i % 30 == 3 {
            let mut up = input.clone();
            up.term_id = Some(city_term);
            up.constituency = "清溪县".into();
            up.delegation = "清溪县代表团".into();
            deputies::create(ctx, &sys, &up).await.map_err(lower_sys)?;
            count += 1;
        }
        if i == 63 {
            let mut up = input.clone();
            up.term_id = Some(province_term);
            up.constituency = "云岭市".into();
            up.delegation = "云岭市代表团".into();
            deputies::create(ctx, &sys, &up).await.map_err(lower_sys)?;
            count += 1;
        }
    }
    // A handful of 16th-term deputies who were not re-elected, and one terminated seat.
    for i in 180..186u64 {
        let town = TOWNSHIPS[(i as usize) % TOWNSHIPS.len()];
        let input = person(&mut rng, i, town.1, t16, 0);
        deputies::create(ctx, &sys, &input)
            .await
            .map_err(lower_sys)?;
        count += 1;
    }
    // Township deputies.
    for (k, (term, name)) in township_terms.iter().enumerate() {
        for j in 0..8u64 {
            let i = 300 + k as u64 * 10 + j;
            let mut input = person(&mut rng, i, name, *term, 0);
            input.delegation = String::new();
            input.constituency = format!("{name}第{}选区", j + 1);
            deputies::create(ctx, &sys, &input)
                .await
                .map_err(lower_sys)?;
            count += 1;
        }
    }
    {
        let mut c = ctx.db.read().await?;
        let f = crate::store::deputies::MandateFilter {
            term_id: Some(t17),
            ..Default::default()
        };
        let page =
            crate::store::deputies::list(&mut c, &f, db::Page::new(Some(9), Some(20))).await?;
        drop(c);
        if let Some(m) = page.items.first() {
            deputies::terminate(
                ctx,
                &sys,
                m.mandate_id,
                &deputies::TerminationInput {
                    terminated_on: "2025-06-30".into(),
                    reason: "调离本行政区域（代表法第五十五条）".into(),
                },
            )
            .await
            .map_err(lower_sys)?;
        }
    }

    // The other demo accounts.
    insert_account(
        ctx,
        "admin",
        "系统管理员",
        Role::Admin,
        None,
        None,
        None,
        None,
    )
    .await?;
    insert_account(
        ctx,
        "staff",
        "韦晓东",
        Role::Staff,
        Some(county),
        Some("deputy_affairs"),
        None,
        None,
    )
    .await?;
    insert_account(
        ctx,
        "leader",
        "何光明",
        Role::CongressLeader,
        Some(county),
        None,
        None,
        None,
    )
    .await?;
    if let Some((id, name)) = &first_deputy {
        insert_account(
            ctx,
            "deputy",
            name,
            Role::Deputy,
            None,
            None,
            None,
            Some(*id),
        )
        .await?;
    }
    insert_account(
        ctx,
        "handler",
        "石佳慧",
        Role::UnitHandler,
        None,
        None,
        transport,
        None,
    )
    .await?;
    insert_account(
        ctx,
        "head",
        "田德胜",
        Role::UnitHead,
        None,
        None,
        transport,
        None,
    )
    .await?;
    super::demo_bodies::load(ctx, county, &township_congresses, &county_deputies).await?;
    // A member of the standing committee signs in to its meetings with a deputy's account.
    if let Some(&member) = county_deputies.get(super::demo_bodies::MEMBER_WITH_ACCOUNT) {
        let name = crate::store::deputies::get(&mut ctx.db.read().await?, member)
            .await?
            .map(|d| d.name)
            .unwrap_or_default();
        insert_account(
            ctx,
            "member",
            &name,
            Role::Deputy,
            None,
            None,
            None,
            Some(member),
        )
        .await?;
    }
    Ok(Loaded {
        deputies: count,
        units: unit_ids.len(),
    })
}

fn person(rng: &mut Seq, i: u64, town: &str, term_id: i64, group: usize) -> DeputyInput {
    let surname = rng.pick(SURNAMES);
    let given = rng.pick(GIVEN);
    let year = rng.range(1962, 1995);
    let month = rng.range(1, 12);
    let day = rng.range(1, 28);
    let female = i % 3 == 1;
    // Sequence digit: odd for men, even for women (GB 11643).
    let seq = (i % 400) * 2 + if female { 0 } else { 1 };
    let body = format!("{COUNTY_CODE}{year:04}{month:02}{day:02}{seq:03}");
    let id = format!("{body}{}", id_card_check_char(&body).unwrap_or('0'));
    let ethnicity = *rng.pick(&["汉族", "汉族", "布依族", "苗族", "汉族", "侗族"]);
    let party = *rng.pick(&[
        "中共党员",
        "中共党员",
        "中共党员",
        "群众",
        "民盟盟员",
        "无党派人士",
        "九三学社社员",
    ]);
    DeputyInput {
        name: format!("{surname}{given}"),
        gender: String::new(),
        ethnicity: ethnicity.into(),
        birth_date: String::new(),
        party: party.into(),
        occupation: rng.pick(OCCUPATIONS).to_string(),
        phone: format!(
            "1{}{:08}",
            rng.pick(&["38", "39", "58", "87", "51"]),
            10_000_000 + i * 7_919
        ),
        id_card: id,
        term_id: Some(term_id),
        constituency: format!("{town}第{}选区", (i / TOWNSHIPS.len() as u64) % 5 + 1),
        delegation: format!("{town}代表团"),
        professional_group: GROUPS[group % GROUPS.len()].into(),
    }
}

/// A well-formed credit code for demo unit `i` (registration authority 1 = 机构编制, type 1 = 机关).
fn demo_credit_code(i: usize) -> String {
    let body = format!("11{COUNTY_CODE}{:09}", 7_301_000 + i * 37);
    let body: String = body.chars().take(17).collect();
    format!("{body}{}", credit_code_check_char(&body).unwrap_or('0'))
}

#[expect(clippy::too_many_arguments, reason = "one link each")]
async fn insert_account(
    ctx: &Ctx,
    username: &str,
    display_name: &str,
    role: Role,
    congress_id: Option<i64>,
    office: Option<&str>,
    unit_id: Option<i64>,
    deputy_id: Option<i64>,
) -> Result<i64> {
    let scope = if role == Role::Staff {
        DataScope::OrgTree
    } else {
        role.default_scope()
    };
    let mut tx = ctx.begin().await?;
    let id = app::store::users::insert(
        &mut tx,
        &NewUser {
            username: username.into(),
            display_name: display_name.into(),
            password_hash: app::auth::hash_password(ctx, DEMO_PASSWORD).await?,
            role: role.code().into(),
            data_scope: scope.code().into(),
            congress_id,
            office: office.map(str::to_string),
            unit_id,
            deputy_id,
            must_change_password: false,
            is_demo: true,
        },
        ctx.now_ms(),
    )
    .await?;
    app::audit::record(
        &mut tx,
        &Actor::system("demo"),
        "user.create",
        "user",
        id,
        format!("演示账号 {username}（{}）", role.label()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_codes_are_valid() {
        for i in 0..UNITS.len() {
            assert!(
                kernel::ids::CreditCode::parse(&demo_credit_code(i)).is_ok(),
                "{i}"
            );
        }
        let mut rng = Seq(1);
        for i in 0..400 {
            let p = person(&mut rng, i, "城关镇", 1, 0);
            assert!(
                kernel::ids::IdCardNo::parse(&p.id_card).is_ok(),
                "{}",
                p.id_card
            );
            assert!(kernel::ids::PhoneNo::parse(&p.phone).is_ok(), "{}", p.phone);
        }
    }

    #[test]
    fn the_generator_is_deterministic() {
        let a: Vec<u64> = {
            let mut s = Seq(7);
            (0..5).map(|_| s.next()).collect()
        };
        let b: Vec<u64> = {
            let mut s = Seq(7);
            (0..5).map(|_| s.next()).collect()
        };
        assert_eq!(a, b);
    }
}
