//! `renda backup PATH` and `renda restore PATH`: a consistent copy of a
//! running SQLite database (see [`db::backup`]), and putting one back after
//! checking it opens with this deployment's key and its chain verifies.
//! The key is never copied into a backup; both commands say where it is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::Db;
use crate::config;

const POSTGRES: &str =
    "PostgreSQL 数据库请用 pg_dump 备份、pg_restore 恢复（见 docs/operations.md「备份与恢复」）";

fn sqlite_file(db: &Db) -> Result<PathBuf> {
    match db::backup::sqlite_file(&db.database_url) {
        Some(p) => Ok(p),
        None => bail!("{POSTGRES}"),
    }
}

fn key_note(db: &Db) -> String {
    if std::env::var("RENDA_MASTER_KEY").is_ok_and(|v| !v.trim().is_empty()) {
        "密钥不在备份中：本部署的密钥来自环境变量 RENDA_MASTER_KEY，请另行妥善保存".into()
    } else {
        format!(
            "密钥不在备份中：密钥文件是 {}，请另行妥善保存（恢复时需要它，缺了它备份中的个人信息无法读取）",
            db.key_file().display()
        )
    }
}

pub async fn backup(db: &Db, target: &Path) -> Result<ExitCode> {
    let source = sqlite_file(db)?;
    let (src, dst) = (source.clone(), target.to_path_buf());
    let started = std::time::Instant::now();
    let summary = tokio::task::spawn_blocking(move || db::backup::backup(&src, &dst))
        .await
        .context("备份未完成")??;
    println!(
        "已备份 {} 到 {}（{:.1} MB，审计记录 {} 条，用时 {:.1} 秒）",
        source.display(),
        target.display(),
        summary.bytes as f64 / 1_048_576.0,
        summary.audit_records,
        started.elapsed().as_secs_f64()
    );
    println!("{}", key_note(db));
    Ok(ExitCode::SUCCESS)
}

/// Checks the backup on a scratch copy first (it opens with this key, its
/// chain verifies), so that a wrong file never replaces the database.
pub async fn restore(db: &Db, backup: &Path, replace: bool) -> Result<ExitCode> {
    let target = sqlite_file(db)?;
    if target.exists() && !replace {
        bail!(
            "{} 处已有数据库。确认要用备份替换它时加 --replace（原库会被移到旁边保留，不会删除）；恢复前请先停止服务",
            target.display()
        );
    }
    // The scratch copy beside the target: same disk, so its space is the
    // space the restore needs anyway.
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let scratch = tempfile::tempdir_in(dir)
        .with_context(|| format!("无法在 {} 创建临时目录", dir.display()))?;
    let copy = scratch.path().join("check.db");
    std::fs::copy(backup, &copy)
        .with_context(|| format!("无法把备份 {} 复制到 {}", backup.display(), copy.display()))?;
    db::backup::inspect(&copy)?;
    check_copy(db, &copy).await?;

    let (from, to) = (backup.to_path_buf(), target.clone());
    let (summary, aside) = tokio::task::spawn_blocking(move || db::backup::restore(&from, &to))
        .await
        .context("恢复未完成")??;
    println!(
        "已从 {} 恢复到 {}（审计记录 {} 条，审计链校验通过）",
        backup.display(),
        target.display(),
        summary.audit_records
    );
    if let Some(aside) = aside {
        println!("原数据库保留在 {}", aside.display());
    }
    // The restore is done; the checkpoint that records it comes after, and
    // its failure is said as such.
    let written = async {
        let ctx = crate::cli::open(db).await?;
        let log = db.checkpoints(&ctx.key)?;
        let c = log.write(&ctx.db, "restore").await;
        ctx.db.close().await;
        c.map(|c| (c, log.path))
    }
    .await;
    match written {
        Ok((c, path)) => println!(
            "已在检查点日志 {} 记下这次恢复（第 {} 个检查点）：备份之后的记录随恢复舍弃，renda audit verify 据此不再把它们报告为被截去",
            path.display(),
            c.n
        ),
        Err(e) => {
            eprintln!(
                "错误：数据库已恢复，但未能在检查点日志 {} 记下这次恢复：{e:#}。修复后请用同样的参数再运行一次 renda restore --replace，否则 renda audit verify 会把备份之后舍弃的记录报告为被截去",
                db.checkpoint_log().display()
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn check_copy(db: &Db, copy: &Path) -> Result<()> {
    let url = format!("sqlite://{}", copy.display());
    let database = db::Db::connect(&url).await?;
    database
        .migrate()
        .await
        .context("备份的数据库结构无法升级")?;
    let key = config::load_key(&db.key_file(), false)?;
    let ctx = server::context(database, key, crypto::password::HashCost::default());
    config::check_key(&ctx)
        .await
        .context("备份不能用本部署的密钥打开")?;
    let mut c = ctx.db.read().await?;
    let verdict = db::audit::verify(&mut c, &ctx.key.chain_key(), &[]).await?;
    drop(c);
    ctx.db.close().await;
    if !verdict.is_ok() {
        for f in &verdict.findings {
            eprintln!("BROKEN {f}");
        }
        bail!("备份中的审计链校验未通过，未恢复");
    }
    Ok(())
}
