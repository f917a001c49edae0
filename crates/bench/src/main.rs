//! Benchmark helpers (not tests): bounded, local, and printed for docs/benchmarks.md.
//!
//! renda-bench seed   DATABASE_URL KEY_HEX N      demo data plus N more county deputies
//! renda-bench import DATABASE_URL KEY_HEX N      time the preview and confirmation of an N-row roster
//! renda-bench seed-items DATABASE_URL KEY_HEX N  demo data plus N tracked items (2,000 in one session)
//! renda-bench load-items ADDR UNIT_ID WORKERS SECONDS   create and assign suggestions over HTTP, four requests each
//! renda-bench load-flow ADDR UNIT_ID DEPUTIES STAFF SECONDS   deputies submit from the form, staff accept and assign in batches

mod items;
mod load;

use std::time::Instant;

use anyhow::{Context, Result, bail};
use org::store::deputies::{DeputyData, MandateData};

/// A valid ID number unique for every `k`: the birth date is 1950-01-01 plus
/// k / 1000 days and the sequence is k % 1000.
fn id_card(k: u64) -> String {
    use jiff::ToSpan;
    let birth = jiff::civil::date(1950, 1, 1)
        .checked_add(((k / 1000) as i64).days())
        .unwrap_or(jiff::civil::date(1950, 1, 1));
    let body = format!("522921{}{:03}", birth.strftime("%Y%m%d"), k % 1000);
    format!(
        "{body}{}",
        kernel::ids::id_card_check_char(&body).unwrap_or('0')
    )
}

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
];
const TOWNS: &[&str] = &["城关镇", "龙潭镇", "白岩镇", "清水镇", "石门镇", "花溪镇"];

async fn ctx(url: &str, key: &str) -> Result<app::Ctx> {
    let db = db::Db::connect(url).await?;
    db.migrate().await?;
    let key = crypto::MasterKey::from_hex(key).context("key")?;
    Ok(server::context(
        db,
        key,
        crypto::password::HashCost::default(),
    ))
}

async fn seed(url: &str, key: &str, n: u64) -> Result<()> {
    let ctx = ctx(url, key).await?;
    if !org::service::demo::has_data(&ctx)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        org::service::demo::load(&ctx)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let (congress_id, term_id): (i64, i64) = {
        let mut c = ctx.db.read().await?;
        let county = org::store::congresses::all(&mut c)
            .await?
            .into_iter()
            .find(|c| c.level == "county")
            .context("county")?;
        let term = org::store::congresses::terms(&mut c, county.id)
            .await?
            .into_iter()
            .find(|t| t.number == 17)
            .context("term")?;
        (county.id, term.id)
    };
    let start = Instant::now();
    let now = kernel::time::now_ms();
    let mut i = 0u64;
    // Synthetic people use IDs whose sequence digits never collide with the demo's.
    let base = 1_000_000u64;
    while i < n {
        let mut tx = ctx.db.begin().await?;
        for _ in 0..1000.min(n - i) {
            let k = base + i;
            let id = id_card(k);
            let person = DeputyData {
                name: format!(
                    "{}{}{}",
                    SURNAMES[(k % 10) as usize],
                    GIVEN[(k / 10 % 12) as usize],
                    GIVEN[(k / 120 % 12) as usize]
                ),
                gender: if k.is_multiple_of(2) {
                    "female".into()
                } else {
                    "male".into()
                },
                ethnicity: "汉族".into(),
                birth_date: format!("{}-{}-{}", &id[6..10], &id[10..12], &id[12..14]),
                party: "群众".into(),
                occupation: "农民".into(),
                phone_enc: Some(ctx.key.encrypt(
                    org::service::deputies::PHONE_CTX,
                    &format!("139{:08}", k % 100_000_000),
                )),
                id_card_enc: ctx.key.encrypt(org::service::deputies::ID_CARD_CTX, &id),
                id_card_index: ctx
                    .key
                    .blind_index(org::service::deputies::ID_CARD_CTX, &id),
            };
            let did = org::store::deputies::insert(&mut tx, &person, now).await?;
            let town = TOWNS[(k % 6) as usize];
            let m = MandateData {
                congress_id,
                term_id,
                level: "county".into(),
                constituency: format!("{town}第{}选区", k % 9 + 1),
                delegation: format!("{town}代表团"),
                professional_group: ["法制", "财政经济", "农业农村"][(k % 3) as usize].into(),
                status: if k.is_multiple_of(10) {
                    "terminated".into()
                } else {
                    "in_office".into()
                },
                terminated_on: None,
                termination_reason: None,
            };
            org::store::deputies::insert_mandate(&mut tx, did, &m, now).await?;
            if i < 18 {
                org::store::deputies::note_groups(&mut tx, &m).await?;
            }
            i += 1;
        }
        tx.commit().await?;
    }
    println!(
        "seeded {n} deputies in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn import(url: &str, key: &str, n: u64) -> Result<()> {
    let ctx = ctx(url, key).await?;
    if !org::service::demo::has_data(&ctx)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        org::service::demo::load(&ctx)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let cols: Vec<office::xlsx::Column> = org::service::deputies::COLUMNS
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let mut w = office::xlsx::SheetWriter::new("代表名册", &cols)?;
    for i in 0..n {
        let k = 2_000_000 + i;
        let id = id_card(k);
        let town = TOWNS[(i % 6) as usize];
        w.push(&[
            format!(
                "{}{}",
                SURNAMES[(i % 10) as usize],
                GIVEN[(i / 10 % 12) as usize]
            ),
            String::new(),
            "汉族".into(),
            String::new(),
            "中共党员".into(),
            "教师".into(),
            id,
            format!("137{:08}", i),
            "清溪县人民代表大会".into(),
            "16".into(),
            format!("{town}第1选区"),
            format!("{town}代表团"),
            "教科文卫".into(),
            "在任".into(),
            String::new(),
            String::new(),
        ])?;
    }
    let bytes = w.finish()?;
    // An administrator account to act as (the demo's).
    let admin = {
        let mut c = ctx.db.read().await?;
        let u = app::store::users::by_username(&mut c, "staff")
            .await?
            .context("staff account")?;
        app::Actor {
            user_id: Some(u.id),
            username: u.username,
            display_name: u.display_name,
            role: kernel::roles::Role::Staff,
            scope: kernel::roles::DataScope::OrgTree,
            congress_id: u.congress_id,
            unit_id: None,
            deputy_id: None,
            ip: "127.0.0.1".into(),
            token_id: None,
            is_demo: true,
        }
    };
    let t0 = Instant::now();
    let p = org::service::deputy_import::preview(&ctx, &admin, "bench.xlsx", &bytes)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let t_preview = t0.elapsed();
    if !p.errors.is_empty() {
        bail!(
            "import file has errors: {:?}",
            &p.errors[..p.errors.len().min(3)]
        );
    }
    let t1 = Instant::now();
    let out = org::service::deputy_import::confirm(&ctx, &admin, p.upload_id.context("upload id")?)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let t_confirm = t1.elapsed();
    println!(
        "import of {n} rows ({} KiB): preview {:.2} s, confirm {:.2} s, total {:.2} s; created {}, updated {}",
        bytes.len() / 1024,
        t_preview.as_secs_f64(),
        t_confirm.as_secs_f64(),
        (t_preview + t_confirm).as_secs_f64(),
        out.created,
        out.updated
    );
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, cmd, addr, unit, workers, seconds] = args.as_slice()
        && cmd == "load-items"
    {
        return load::load(addr, unit.parse()?, workers.parse()?, seconds.parse()?).await;
    }
    if let [_, cmd, addr, unit, deputies, staff, seconds] = args.as_slice()
        && cmd == "load-flow"
    {
        return load::flow(
            addr,
            unit.parse()?,
            deputies.parse()?,
            staff.parse()?,
            seconds.parse()?,
        )
        .await;
    }
    let (cmd, url, key, n) = match args.as_slice() {
        [_, cmd, url, key, n] => (
            cmd.as_str(),
            url.as_str(),
            key.as_str(),
            n.parse::<u64>().context("N")?,
        ),
        _ => bail!(
            "usage: renda-bench seed|import|seed-items DATABASE_URL KEY_HEX N, or load-items ADDR UNIT_ID WORKERS SECONDS, or load-flow ADDR UNIT_ID DEPUTIES STAFF SECONDS"
        ),
    };
    match cmd {
        "seed" => seed(url, key, n).await,
        "import" => import(url, key, n).await,
        "seed-items" => {
            let ctx = ctx(url, key).await?;
            if !org::service::demo::has_data(&ctx)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                org::service::demo::load(&ctx)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            // Deadlines running into a year not yet entered are provisional: nothing to enter first.
            items::seed(&ctx, n as usize, 2_000).await?;
            items::load_accounts(&ctx).await
        }
        _ => bail!("unknown command {cmd}"),
    }
}
