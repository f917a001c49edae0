//! `renda audit …`: verify the keyed chain against the signed checkpoints,
//! print the checkpoints' public key, and write checkpoints while serving.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use app::checkpoint::{self, Log};

/// How often the server writes a checkpoint between start and stop.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(3600);

/// The checkpoint log of a deployment: `--checkpoint-log`, else beside the key file.
pub fn log_path(given: Option<&Path>, key_file: &Path) -> PathBuf {
    given.map_or_else(|| checkpoint::default_path(key_file), Path::to_path_buf)
}

/// Writes checkpoints every hour until the returned task is aborted.
pub fn every_hour(log: Log, db: db::Db) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = log.write(&db, "hourly").await {
                tracing::error!(error = %e, path = %log.path.display(), "could not write the audit checkpoint");
            }
        }
    })
}

/// Checks the log's signatures and links, then walks the chain against it.
/// Prints `OK <records> <checkpoints>` or every finding; exit code 2 when
/// anything is wrong.
pub async fn verify(ctx: &app::Ctx, log_path: &Path) -> Result<ExitCode> {
    let signer = ctx.key.checkpoint_signer();
    let (checkpoints, log_findings, note) = match std::fs::read_to_string(log_path) {
        Ok(text) => {
            let (good, bad) = checkpoint::check_log(&text, &signer.verifier());
            (good, bad, None)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
            Vec::new(),
            Vec::new(),
            Some(format!(
                "注意：没有找到检查点日志 {}，无法发现被截去的末尾记录",
                log_path.display()
            )),
        ),
        Err(e) => {
            return Err(e).with_context(|| format!("无法读取检查点日志 {}", log_path.display()));
        }
    };
    let anchors: Vec<db::audit::Anchor> = checkpoints.iter().map(|c| c.anchor()).collect();
    let mut c = ctx.db.read().await?;
    let verdict = db::audit::verify(&mut c, &ctx.key.chain_key(), &anchors).await?;
    drop(c);
    if let Some(n) = note {
        eprintln!("{n}");
    }
    if verdict.is_ok() && log_findings.is_empty() {
        println!("OK {} {}", verdict.records, anchors.len());
        return Ok(ExitCode::SUCCESS);
    }
    for f in &log_findings {
        println!("BROKEN {f}");
    }
    for f in &verdict.findings {
        println!("BROKEN {f}");
    }
    if verdict.total_findings > verdict.findings.len() {
        println!(
            "BROKEN … and {} more findings",
            verdict.total_findings - verdict.findings.len()
        );
    }
    Ok(ExitCode::from(2))
}

/// Checks a checkpoint log with the public key alone (what an auditor does).
pub fn check_with_public_key(public: &str, log_path: &Path) -> Result<ExitCode> {
    let verifier = crypto::chain::CheckpointVerifier::from_hex(public)?;
    let text = std::fs::read_to_string(log_path)
        .with_context(|| format!("无法读取检查点日志 {}", log_path.display()))?;
    let (good, bad) = checkpoint::check_log(&text, &verifier);
    for c in &good {
        println!(
            "{} {} seq={} head={} {}",
            c.n,
            kernel::time::format_ms(c.at),
            c.seq,
            c.head,
            c.event
        );
    }
    if bad.is_empty() {
        println!("OK {} checkpoints", good.len());
        Ok(ExitCode::SUCCESS)
    } else {
        for f in &bad {
            println!("BROKEN {f}");
        }
        Ok(ExitCode::from(2))
    }
}
