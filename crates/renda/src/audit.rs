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
    let (anchors, restores) = through_restores(&checkpoints);
    for r in &restores {
        eprintln!("{r}");
    }
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

/// The anchors to check the chain against. A signed `restore` checkpoint
/// (written by `renda restore`) says the chain was put back to its sequence
/// number: the checkpoints before it that vouch for later records describe
/// the history the restore discarded, and are named rather than held
/// against the restored chain. Those at or below it still must match.
pub fn through_restores(
    checkpoints: &[checkpoint::Checkpoint],
) -> (Vec<db::audit::Anchor>, Vec<String>) {
    let mut anchors: Vec<(i64, db::audit::Anchor)> = Vec::new();
    let mut notes = Vec::new();
    for c in checkpoints {
        if c.event == "restore" {
            let dropped: Vec<i64> = anchors
                .iter()
                .filter(|(_, a)| a.seq > c.seq)
                .map(|(n, _)| *n)
                .collect();
            if let Some(last) = anchors.iter().map(|(_, a)| a.seq).max()
                && last > c.seq
            {
                notes.push(format!(
                    "注意：{} 从备份恢复到第 {} 条记录，舍弃了其后直到第 {last} 条的记录（检查点 {:?} 不再适用）",
                    kernel::time::format_ms(c.at),
                    c.seq,
                    dropped
                ));
            }
            anchors.retain(|(_, a)| a.seq <= c.seq);
        }
        anchors.push((c.n, c.anchor()));
    }
    (anchors.into_iter().map(|(_, a)| a).collect(), notes)
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

#[cfg(test)]
mod tests {
    use super::through_restores;
    use app::checkpoint::Checkpoint;

    fn cp(n: i64, seq: i64, event: &str) -> Checkpoint {
        Checkpoint {
            n,
            seq,
            head: format!("h{seq}"),
            keyed_from: 1,
            at: 1_700_000_000_000 + n,
            event: event.into(),
            prev: String::new(),
            sig: String::new(),
        }
    }

    #[test]
    fn a_restore_retires_the_checkpoints_of_the_discarded_tail_only() {
        let log = [
            cp(1, 10, "start"),
            cp(2, 40, "hourly"),
            cp(3, 55, "stop"),
            cp(4, 30, "restore"),
            cp(5, 35, "start"),
        ];
        let (anchors, notes) = through_restores(&log);
        let seqs: Vec<i64> = anchors.iter().map(|a| a.seq).collect();
        assert_eq!(seqs, [10, 30, 35]);
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].contains("第 30 条") && notes[0].contains("第 55 条"),
            "{}",
            notes[0]
        );

        // Without a restore every checkpoint stays, so a cut tail is still found.
        let (anchors, notes) = through_restores(&log[..3]);
        assert_eq!(anchors.len(), 3);
        assert!(notes.is_empty());
    }
}
