//! A consistent copy of a running SQLite database, and putting one back.
//!
//! The copy is `VACUUM INTO` on a read-only connection of its own: it reads
//! the whole database in one read transaction, which in WAL mode runs beside
//! the writer, so the server goes on committing and the copy holds exactly
//! what was committed when the read began. (The shell's `.backup` restarts
//! whenever the source changes, and under a steady write load it finished
//! only when the writes stopped; a plain file copy misses what is still in
//! the write-ahead log.) The copy is written under a temporary name, fsynced
//! and renamed, so a backup file that exists is whole.
//!
//! PostgreSQL has its own tools (`pg_dump`, `pg_restore`; docs/operations.md).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

/// What went wrong, said for the operator (the CLI prints it).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} 已存在：备份不会覆盖已有文件")]
    TargetExists(PathBuf),
    #[error("{0} 不存在")]
    Missing(PathBuf),
    #[error("{0} 正在被使用（服务还在运行？）：请先停止服务再恢复")]
    InUse(PathBuf),
    #[error("无法把 {from} 复制到 {to}：{source}")]
    Copy {
        from: PathBuf,
        to: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path} 不是完好的 renda 数据库：{why}")]
    NotRenda { path: PathBuf, why: String },
    #[error("数据库 {path} 出错：{source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("文件 {path} 出错：{source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

type Result<T> = std::result::Result<T, BackupError>;

/// The file of an `sqlite://` or `sqlite:` URL, or `None` for another backend.
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty()).then(|| PathBuf::from(path))
}

/// What a backup or a restore holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub bytes: u64,
    /// Records in the audit trail (its last sequence number).
    pub audit_records: i64,
}

/// Copies the database at `source` to `target` (which must not exist),
/// consistently, while the server may be writing.
pub fn backup(source: &Path, target: &Path) -> Result<Summary> {
    if !source.exists() {
        return Err(BackupError::Missing(source.to_path_buf()));
    }
    if target.exists() {
        return Err(BackupError::TargetExists(target.to_path_buf()));
    }
    let partial = partial_name(target);
    let _ = std::fs::remove_file(&partial);
    let sqlite = |e| BackupError::Sqlite {
        path: source.to_path_buf(),
        source: e,
    };
    let conn = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(sqlite)?;
    let into = partial.to_string_lossy().into_owned();
    if let Err(e) = conn.execute("VACUUM INTO ?1", [&into]) {
        let _ = std::fs::remove_file(&partial);
        return Err(BackupError::Copy {
            from: source.to_path_buf(),
            to: target.to_path_buf(),
            source: e,
        });
    }
    drop(conn);
    let summary = inspect(&partial)?;
    sync_file(&partial)?;
    std::fs::rename(&partial, target).map_err(|e| io(target, e))?;
    sync_dir(target);
    Ok(summary)
}

/// Puts the backup at `backup` in place of the database at `target`. An
/// existing database is kept aside under the returned path, never deleted.
/// Refused while anything has the target open (the server must be stopped).
pub fn restore(backup: &Path, target: &Path) -> Result<(Summary, Option<PathBuf>)> {
    if !backup.exists() {
        return Err(BackupError::Missing(backup.to_path_buf()));
    }
    let summary = inspect(backup)?;
    if let Some(dir) = target.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    let partial = partial_name(target);
    std::fs::copy(backup, &partial).map_err(|e| io(&partial, e))?;
    sync_file(&partial)?;
    let stamp = kernel::time::now_ms();
    let aside = with_suffix(target, &format!(".before-restore-{stamp}"));
    let kept = if target.exists() {
        if let Err(e) = quiesce(target) {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        // The old file stays reachable under both names until the new one
        // takes its place, so the target never goes missing.
        std::fs::hard_link(target, &aside)
            .or_else(|_| std::fs::copy(target, &aside).map(|_| ()))
            .map_err(|e| io(&aside, e))?;
        Some(aside.clone())
    } else {
        None
    };
    // A write-ahead log left beside the target would be replayed into the
    // restored file: never leave one there.
    for side in ["-wal", "-shm"] {
        let stray = with_suffix(target, side);
        if stray.exists() {
            let to = with_suffix(&aside, side);
            std::fs::rename(&stray, &to).map_err(|e| io(&stray, e))?;
        }
    }
    std::fs::rename(&partial, target).map_err(|e| io(target, e))?;
    sync_dir(target);
    let aside = kept;
    Ok((summary, aside))
}

/// Makes sure nothing else has the database open, and folds its write-ahead
/// log into the file: leaving WAL mode needs the only connection, so a
/// running server makes this fail instead of writing on into a file that
/// is about to be moved aside.
fn quiesce(target: &Path) -> Result<()> {
    let conn = Connection::open(target).map_err(|e| BackupError::Sqlite {
        path: target.to_path_buf(),
        source: e,
    })?;
    let _ = conn.busy_timeout(std::time::Duration::from_millis(0));
    let mode: std::result::Result<String, _> =
        conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0));
    match mode {
        Ok(m) if m.eq_ignore_ascii_case("delete") => Ok(()),
        _ => Err(BackupError::InUse(target.to_path_buf())),
    }
}

/// Checks that `path` is a whole renda database and says what it holds.
pub fn inspect(path: &Path) -> Result<Summary> {
    let sqlite = |e| BackupError::Sqlite {
        path: path.to_path_buf(),
        source: e,
    };
    let not_renda = |why: String| BackupError::NotRenda {
        path: path.to_path_buf(),
        why,
    };
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sqlite)?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| not_renda(e.to_string()))?;
    if check != "ok" {
        return Err(not_renda(check));
    }
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' \
             AND name IN ('_sqlx_migrations', 'audit_log', 'audit_head')",
            [],
            |r| r.get(0),
        )
        .map_err(sqlite)?;
    if tables != 3 {
        return Err(not_renda("缺少迁移记录或审计表".into()));
    }
    let audit_records: i64 = conn
        .query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_log", [], |r| {
            r.get(0)
        })
        .map_err(sqlite)?;
    let bytes = std::fs::metadata(path).map_err(|e| io(path, e))?.len();
    Ok(Summary {
        bytes,
        audit_records,
    })
}

fn partial_name(target: &Path) -> PathBuf {
    with_suffix(target, ".partial")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn io(path: &Path, source: std::io::Error) -> BackupError {
    BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(path, e))
}

/// Makes a rename durable; best effort (not every platform opens folders).
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}
