//! The demo's bodies: the county standing committee with its 主任会议 and
//! working bodies, and each township congress's 主席团, with dated members
//! (one vice-chair left mid-term and was succeeded, so the dates matter).

use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};

use super::bodies::{self, BodyInput, EndInput, MemberInput};

fn lower(e: Error) -> Error {
    if let Error::Validation(v) = &e {
        tracing::error!(?v, "demo bodies failed validation");
    }
    e
}

async fn body(ctx: &Ctx, sys: &Actor, congress: i64, kind: &str, name: &str) -> Result<i64> {
    bodies::create(
        ctx,
        sys,
        &BodyInput {
            congress_id: Some(congress),
            kind: kind.into(),
            name: name.into(),
        },
    )
    .await
    .map_err(lower)
}

/// A member from the roster, or one known by name only.
enum Who<'a> {
    Deputy(i64),
    Named(&'a str),
}

async fn seat(
    ctx: &Ctx,
    sys: &Actor,
    body: i64,
    who: Who<'_>,
    position: &str,
    from: &str,
) -> Result<i64> {
    let (deputy_id, name) = match who {
        Who::Deputy(d) => (Some(d), String::new()),
        Who::Named(n) => (None, n.to_string()),
    };
    bodies::add_member(
        ctx,
        sys,
        body,
        &MemberInput {
            deputy_id,
            name,
            position: position.into(),
            from_date: from.into(),
            to_date: String::new(),
        },
    )
    .await
    .map_err(lower)
}

/// The roster index of the committee member who has the demo's `member` account.
pub const MEMBER_WITH_ACCOUNT: usize = 105;

/// `county_deputies`: the county deputies of the current term, in roster order.
pub async fn load(
    ctx: &Ctx,
    county: i64,
    townships: &[(i64, &str)],
    county_deputies: &[i64],
) -> Result<()> {
    let sys = Actor::system("demo");
    let elected = "2021-12-29";
    let sc = body(ctx, &sys, county, "standing_committee", "清溪县人大常委会").await?;
    let council = body(
        ctx,
        &sys,
        county,
        "chairmen_council",
        "清溪县人大常委会主任会议",
    )
    .await?;
    let dep = body(ctx, &sys, county, "working_committee", "代表工作委员会").await?;
    let law = body(ctx, &sys, county, "working_committee", "法制工作委员会").await?;
    let fin = body(ctx, &sys, county, "special_committee", "财政经济委员会").await?;
    let d = |i: usize| {
        county_deputies
            .get(i)
            .copied()
            .map(Who::Deputy)
            .ok_or_else(|| Error::internal(format!("the demo roster has no deputy {i}")))
    };
    // Chair and three vice-chairs sit on the committee and its 主任会议.
    for (i, position) in [
        (100, "chair"),
        (101, "vice_chair"),
        (102, "vice_chair"),
        (103, "vice_chair"),
    ] {
        seat(ctx, &sys, sc, d(i)?, position, elected).await?;
        seat(ctx, &sys, council, d(i)?, position, elected).await?;
    }
    for i in 104..116 {
        seat(ctx, &sys, sc, d(i)?, "member", elected).await?;
    }
    // A vice-chair left in mid-term; the congress's session elected a successor.
    let left = seat(ctx, &sys, sc, d(116)?, "vice_chair", elected).await?;
    let left_council = seat(ctx, &sys, council, d(116)?, "vice_chair", elected).await?;
    let end = EndInput {
        to_date: "2024-06-30".into(),
        reason: "调任市人大常委会工作".into(),
    };
    bodies::end_member(ctx, &sys, left, &end)
        .await
        .map_err(lower)?;
    bodies::end_member(ctx, &sys, left_council, &end)
        .await
        .map_err(lower)?;
    seat(ctx, &sys, sc, d(117)?, "vice_chair", "2024-07-16").await?;
    seat(ctx, &sys, council, d(117)?, "vice_chair", "2024-07-16").await?;
    seat(ctx, &sys, dep, d(101)?, "chair", elected).await?;
    seat(ctx, &sys, dep, d(104)?, "member", elected).await?;
    seat(ctx, &sys, dep, d(105)?, "member", elected).await?;
    seat(ctx, &sys, law, d(106)?, "chair", elected).await?;
    seat(ctx, &sys, law, d(107)?, "member", elected).await?;
    seat(ctx, &sys, fin, d(102)?, "chair", elected).await?;
    seat(ctx, &sys, fin, d(108)?, "member", elected).await?;
    seat(ctx, &sys, fin, d(109)?, "member", elected).await?;
    // Each township congress: its 主席团 acts between sessions.
    const PRESIDIUM: [&str; 5] = ["chair", "vice_chair", "member", "member", "member"];
    const NAMES: [&str; 15] = [
        "林秀英",
        "赵建国",
        "孙丽",
        "周海峰",
        "吴春梅",
        "郑国强",
        "王晓燕",
        "冯志明",
        "陈桂兰",
        "褚卫东",
        "卫红霞",
        "蒋德明",
        "沈玉兰",
        "韩立新",
        "杨淑芬",
    ];
    for (k, (congress, town)) in townships.iter().enumerate() {
        let p = body(
            ctx,
            &sys,
            *congress,
            "presidium",
            &format!("{town}人大主席团"),
        )
        .await?;
        for (j, position) in PRESIDIUM.iter().enumerate() {
            let name = NAMES[(k * PRESIDIUM.len() + j) % NAMES.len()];
            seat(ctx, &sys, p, Who::Named(name), position, "2021-11-22").await?;
        }
    }
    Ok(())
}
