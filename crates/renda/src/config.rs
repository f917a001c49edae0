//! Where the database and the key are, from flags, the environment and defaults.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use crypto::MasterKey;

/// The encryption key for personal data: `RENDA_MASTER_KEY` (64 hex
/// characters) if set, else the key file, created with a new random key when
/// it does not exist yet and `may_create` (a database that holds no data
/// encrypted under another key). Every instance serving one database needs
/// the same key.
pub fn load_key(key_file: &Path, may_create: bool) -> Result<MasterKey> {
    if let Ok(hex) = std::env::var("RENDA_MASTER_KEY")
        && !hex.trim().is_empty()
    {
        return MasterKey::from_hex(&hex)
            .context("RENDA_MASTER_KEY 格式不正确：应为 64 位十六进制字符");
    }
    if !key_file.exists() {
        if !may_create {
            bail!(
                "找不到密钥文件 {}：数据库中已有用另一把密钥加密的数据，不会新建密钥。请恢复原密钥文件，或设置 RENDA_MASTER_KEY",
                key_file.display()
            );
        }
        if let Some(dir) = key_file.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("无法创建目录 {}", dir.display()))?;
        }
        write_private(key_file, &MasterKey::generate_hex())?;
        tracing::warn!(path = %key_file.display(), "generated a new key for personal data; back it up with the database");
    }
    let text = std::fs::read_to_string(key_file)
        .with_context(|| format!("无法读取密钥文件 {}", key_file.display()))?;
    MasterKey::from_hex(&text)
        .with_context(|| format!("密钥文件 {} 格式不正确", key_file.display()))
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("无法创建密钥文件 {}", path.display()))?;
    f.write_all(content.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> Result<()> {
    std::fs::write(path, content).with_context(|| format!("无法创建密钥文件 {}", path.display()))
}

/// The key file beside an SQLite database, or `./data/renda.key`.
pub fn default_key_file(database_url: &str) -> PathBuf {
    if let Some(rest) = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
    {
        let path = rest.split('?').next().unwrap_or(rest);
        if let Some(dir) = Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            return dir.join("renda.key");
        }
    }
    PathBuf::from("data/renda.key")
}

/// Whether the database was already written with some key (its key check is stored).
pub async fn has_key_check(database: &db::Db) -> Result<bool> {
    let mut c = database.read().await?;
    Ok(app::store::settings::all(&mut c)
        .await?
        .into_iter()
        .any(|(k, _)| k == "key_check"))
}

/// Refuses to run with a key that does not match the one the database was
/// written with (the wrong key would make every phone number unreadable).
pub async fn check_key(ctx: &app::Ctx) -> Result<()> {
    const CONTEXT: &str = "renda.key_check";
    let mut c = ctx.db.read().await?;
    let stored = app::store::settings::all(&mut c)
        .await?
        .into_iter()
        .find(|(k, _)| k == "key_check")
        .map(|(_, v)| v);
    drop(c);
    match stored {
        Some(v) => {
            if ctx.key.decrypt(CONTEXT, &v).is_err() {
                bail!(
                    "密钥与数据库不匹配：数据库中的个人信息是用另一把密钥加密的。请使用原密钥文件或 RENDA_MASTER_KEY"
                );
            }
        }
        None => {
            let mut tx = ctx.db.begin().await?;
            app::store::settings::set(
                &mut tx,
                "key_check",
                &ctx.key.encrypt(CONTEXT, "ok"),
                kernel::time::now_ms(),
            )
            .await?;
            tx.commit().await?;
        }
    }
    Ok(())
}
