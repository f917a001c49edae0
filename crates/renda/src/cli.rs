//! Sub-commands.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use crypto::password::HashCost;

use crate::config;

#[derive(Parser, Debug)]
#[command(
    name = "renda",
    version,
    about = "renda：人大履职平台（代表建议办理、代表履职、联络站与民意、票决、立法征询、备案审查、监督）"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Db {
    /// Database URL: sqlite://path/to/file.db or postgres://user@host/db.
    #[arg(long, env = "RENDA_DATABASE_URL", default_value = db::DEFAULT_URL)]
    pub database_url: String,
    /// The key file for personal data (created when missing); RENDA_MASTER_KEY overrides it.
    #[arg(long, env = "RENDA_KEY_FILE")]
    pub key_file: Option<PathBuf>,
    /// The audit checkpoint log (append-only; default: renda.checkpoints beside the key file).
    #[arg(long, env = "RENDA_CHECKPOINT_LOG")]
    pub checkpoint_log: Option<PathBuf>,
    /// Also send each checkpoint to this syslog host (HOST:PORT, UDP, RFC 5424).
    #[arg(long, env = "RENDA_CHECKPOINT_SYSLOG")]
    pub checkpoint_syslog: Option<String>,
}

impl Db {
    pub(crate) fn key_file(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| config::default_key_file(&self.database_url))
    }

    pub(crate) fn checkpoint_log(&self) -> PathBuf {
        crate::audit::log_path(self.checkpoint_log.as_deref(), &self.key_file())
    }

    /// The checkpoint log with the copies configured here.
    pub(crate) fn checkpoints(&self, key: &crypto::MasterKey) -> Result<app::checkpoint::Log> {
        let mut forwards = Vec::new();
        if let Some(host) = &self.checkpoint_syslog {
            use std::net::ToSocketAddrs;
            let addr = host
                .to_socket_addrs()
                .ok()
                .and_then(|mut a| a.next())
                .with_context(|| format!("--checkpoint-syslog 不是可用的 主机:端口：{host}"))?;
            forwards.push(app::checkpoint::Forward::Syslog(addr));
        }
        Ok(
            app::checkpoint::Log::new(self.checkpoint_log(), key.checkpoint_signer())
                .forwarding(forwards),
        )
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the platform (applies migrations first).
    Serve {
        #[command(flatten)]
        db: Db,
        /// Address to listen on.
        #[arg(long, env = "RENDA_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Load the demo data first when the database is empty.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (when served over HTTPS).
        #[arg(long, env = "RENDA_SECURE_COOKIES")]
        secure_cookies: bool,
        /// A reverse proxy (CIDR, e.g. 10.0.0.5/32) whose X-Forwarded-For is believed; repeatable.
        /// The client is the rightmost address in the header that is not a trusted proxy.
        #[arg(
            long = "trusted-proxy",
            env = "RENDA_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<ipnet::IpNet>,
        /// Shorthand for --trusted-proxy 127.0.0.0/8 --trusted-proxy ::1/128 (a proxy on this machine).
        #[arg(long, env = "RENDA_TRUST_PROXY")]
        trust_proxy: bool,
        /// SMTP relay for e-mail notifications: smtp://[user:password@]host[:port].
        #[arg(long, env = "RENDA_SMTP_URL")]
        smtp_url: Option<String>,
        /// Sender address of e-mail notifications.
        #[arg(long, env = "RENDA_SMTP_FROM", default_value = "renda@localhost")]
        smtp_from: String,
        /// Also mail each audit checkpoint to this address (through --smtp-url).
        #[arg(long, env = "RENDA_CHECKPOINT_MAIL")]
        checkpoint_mail: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: Db,
    },
    /// Fill an empty database with the demo county congress and one account per role.
    Demo {
        #[command(flatten)]
        db: Db,
    },
    /// Send the deadline reminders and overdue escalations that are due now,
    /// once, and exit (the server also does this every hour).
    Reminders {
        #[command(flatten)]
        db: Db,
    },
    /// Administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// A consistent copy of the SQLite database while the server runs (the key is not in it).
    Backup {
        #[command(flatten)]
        db: Db,
        /// The backup file to write (must not exist).
        target: PathBuf,
    },
    /// Put a backup in place of the SQLite database (stop the server first).
    Restore {
        #[command(flatten)]
        db: Db,
        /// The backup file written by `renda backup`.
        backup: PathBuf,
        /// Replace an existing database (it is moved aside, not deleted).
        #[arg(long)]
        replace: bool,
    },
    /// The audit chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The legal calendar (works without a database for the built-in years).
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an administrator; the password is read from stdin (or asked for).
    Create {
        #[command(flatten)]
        db: Db,
        #[arg(long, default_value = "admin")]
        username: String,
        #[arg(long, default_value = "系统管理员")]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Walk the keyed chain and compare it with every signed checkpoint:
    /// prints `OK <records> <checkpoints>`, or names each rewritten, deleted
    /// or renumbered record and a cut-off tail (exit code 2).
    Verify {
        #[command(flatten)]
        db: Db,
    },
    /// Print the SM2 public key that checkpoints are signed with (hex, 04 ‖ x ‖ y).
    Pubkey {
        #[command(flatten)]
        db: Db,
    },
    /// Write a checkpoint of the chain's head now.
    Checkpoint {
        #[command(flatten)]
        db: Db,
    },
    /// Check a checkpoint log with the public key only (no database, no secret key).
    CheckLog {
        /// The public key printed by `renda audit pubkey`.
        #[arg(long)]
        public_key: String,
        /// The checkpoint log.
        log: PathBuf,
    },
}

#[derive(Args, Debug, Clone)]
pub struct OptionalDb {
    /// Also use the years an administrator added in this database.
    #[arg(long, env = "RENDA_CALENDAR_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// The date N working days after START (START not counted).
    AddWorkdays {
        start: String,
        n: i64,
        /// For a year without an entered arrangement, answer by the statutory holidays
        /// (《全国年节及纪念日放假办法》第二条、第六条), as the platform does for deadlines.
        #[arg(long)]
        provisional: bool,
        #[command(flatten)]
        db: OptionalDb,
    },
    /// The date N months after START, moved to the next working day if needed.
    AddMonths {
        start: String,
        n: i64,
        /// For a year without an entered arrangement, answer by the statutory holidays
        /// (《全国年节及纪念日放假办法》第二条、第六条), as the platform does for deadlines.
        #[arg(long)]
        provisional: bool,
        #[command(flatten)]
        db: OptionalDb,
    },
    /// `true` if DATE is a working day, else `false`.
    IsWorkday {
        date: String,
        /// For a year without an entered arrangement, answer by the statutory holidays
        /// (《全国年节及纪念日放假办法》第二条、第六条), as the platform does for deadlines.
        #[arg(long)]
        provisional: bool,
        #[command(flatten)]
        db: OptionalDb,
    },
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RENDA_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("RENDA_LOG_FORMAT").is_ok_and(|v| v == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub(crate) async fn open(db: &Db) -> Result<app::Ctx> {
    let database = db::Db::connect(&db.database_url)
        .await
        .with_context(|| format!("无法连接数据库 {}", redact(&db.database_url)))?;
    database.migrate().await.context("数据库迁移失败")?;
    let may_create = !config::has_key_check(&database).await?;
    let key = config::load_key(&db.key_file(), may_create)?;
    let ctx = server::context(database, key, HashCost::default());
    config::check_key(&ctx).await?;
    Ok(ctx)
}

/// Hides a password in a database URL for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub async fn run(cli: Cli) -> ExitCode {
    if !matches!(cli.command, Command::Calendar { .. }) {
        init_logging();
    }
    match dispatch(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve {
            db,
            addr,
            demo,
            secure_cookies,
            mut trusted_proxies,
            trust_proxy,
            smtp_url,
            smtp_from,
            checkpoint_mail,
        } => {
            if trust_proxy {
                trusted_proxies.extend(
                    ["127.0.0.0/8", "::1/128"]
                        .iter()
                        .filter_map(|n| n.parse::<ipnet::IpNet>().ok()),
                );
            }
            serve(
                db,
                addr,
                demo,
                secure_cookies,
                trusted_proxies,
                smtp_url.map(|u| (u, smtp_from)),
                checkpoint_mail,
            )
            .await
        }
        Command::Migrate { db } => {
            open(&db).await?;
            println!("数据库已是最新结构");
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { db } => {
            let ctx = open(&db).await?;
            load_demo(&ctx).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Reminders { db } => {
            let ctx = open(&db).await?;
            let started = std::time::Instant::now();
            let s = engine::service::reminders::run(&ctx)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            println!(
                "已发送 {} 条到期提醒、{} 条超期督办（用时 {:.1} 秒）",
                s.reminded,
                s.escalated,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin {
            command: AdminCommand::Create { db, username, name },
        } => {
            let ctx = open(&db).await?;
            let password = read_password()?;
            match org::service::users::create_admin(&ctx, &username, &name, &password).await {
                Ok(id) => {
                    println!("已创建管理员 {username}（编号 {id}）；首次登录须修改密码");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => bail!("{}", e.message()),
            }
        }
        Command::Backup { db, target } => crate::backup::backup(&db, &target).await,
        Command::Restore {
            db,
            backup,
            replace,
        } => crate::backup::restore(&db, &backup, replace).await,
        Command::Audit {
            command: AuditCommand::Verify { db },
        } => {
            let ctx = open(&db).await?;
            crate::audit::verify(&ctx, &db.checkpoint_log()).await
        }
        Command::Audit {
            command: AuditCommand::Pubkey { db },
        } => {
            let key = config::load_key(&db.key_file(), false)?;
            println!("{}", key.checkpoint_signer().public_hex());
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Checkpoint { db },
        } => {
            let ctx = open(&db).await?;
            let log = db.checkpoints(&ctx.key)?;
            let c = log.write(&ctx.db, "manual").await?;
            println!(
                "已写入检查点 {}：第 {} 条记录 {}",
                c.n,
                c.seq,
                log.path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::CheckLog { public_key, log },
        } => crate::audit::check_with_public_key(&public_key, &log),
        Command::Calendar { command } => calendar(command).await,
    }
}

fn read_password() -> Result<String> {
    if std::io::stdin().is_terminal() {
        let a = rpassword::prompt_password("管理员密码：")?;
        let b = rpassword::prompt_password("再次输入：")?;
        if a != b {
            bail!("两次输入的密码不一致");
        }
        Ok(a)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

async fn load_demo(ctx: &app::Ctx) -> Result<()> {
    let said = server::demo(ctx)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
    println!("{said}");
    print_accounts();
    Ok(())
}

fn print_accounts() {
    println!(
        "演示账号（密码均为 {}）：",
        org::service::demo::DEMO_PASSWORD
    );
    for (user, role, what) in org::service::demo::ACCOUNTS {
        println!("  {user:<10} {:<8} {what}", role.label());
    }
}

async fn serve(
    db: Db,
    addr: String,
    demo: bool,
    secure_cookies: bool,
    trusted_proxies: Vec<ipnet::IpNet>,
    smtp: Option<(String, String)>,
    checkpoint_mail: Option<String>,
) -> Result<ExitCode> {
    let ctx = open(&db).await?;
    if demo {
        if org::service::demo::has_data(&ctx)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message()))?
        {
            println!("数据库中已有数据，未重复装入演示数据。");
            print_accounts();
        } else {
            load_demo(&ctx).await?;
        }
    }
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("无法监听 {addr}"))?;
    let local = listener.local_addr()?;
    let mut state = webkit::AppState::new(ctx.clone());
    state.secure_cookies = secure_cookies;
    state.trusted_proxies = std::sync::Arc::new(trusted_proxies);
    let mut log = db.checkpoints(&ctx.key)?;
    if let Some((url, from)) = smtp {
        let channel = app::channels::Smtp::new(&url, &from)
            .map_err(|e| anyhow::anyhow!("SMTP 配置不正确：{e}"))?;
        state.channels = std::sync::Arc::new(vec![Box::new(channel)]);
        if let Some(to) = checkpoint_mail {
            let channel = app::channels::Smtp::new(&url, &from)
                .map_err(|e| anyhow::anyhow!("SMTP 配置不正确：{e}"))?;
            log.add(app::checkpoint::Forward::Mail {
                to,
                channel: std::sync::Arc::new(channel),
            });
        }
    } else if checkpoint_mail.is_some() {
        bail!("--checkpoint-mail 需要同时设置 --smtp-url（发信用的 SMTP 中继）");
    }
    log.write(&ctx.db, "start")
        .await
        .with_context(|| format!("无法写入审计检查点 {}", log.path.display()))?;
    let hourly = crate::audit::every_hour(log.clone(), ctx.db.clone());
    println!("renda 已启动：http://{local}/");
    let _ = std::io::stdout().flush();
    let served = server::serve(listener, state, shutdown_signal()).await;
    hourly.abort();
    if let Err(e) = log.write(&ctx.db, "stop").await {
        tracing::error!(error = %e, "could not write the audit checkpoint at stop");
    }
    served?;
    ctx.db.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn calendar(command: CalendarCommand) -> Result<ExitCode> {
    let (db, provisional, result) = match command {
        CalendarCommand::AddWorkdays {
            start,
            n,
            db,
            provisional,
        } => (db, provisional, Op::Workdays(start, n)),
        CalendarCommand::AddMonths {
            start,
            n,
            db,
            provisional,
        } => (db, provisional, Op::Months(start, n)),
        CalendarCommand::IsWorkday {
            date,
            db,
            provisional,
        } => (db, provisional, Op::IsWorkday(date)),
    };
    let cal = match db.database_url {
        Some(url) => {
            let database = db::Db::connect(&url)
                .await
                .with_context(|| format!("无法连接数据库 {}", redact(&url)))?;
            database.migrate().await.context("数据库迁移失败")?;
            let mut c = database.read().await?;
            app::calendar::load(&mut c)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message()))?
        }
        None => kernel::calendar::Calendar::built_in(),
    };
    let cal = if provisional {
        cal.with_provisional()
    } else {
        cal
    };
    let parse = |s: &str| kernel::calendar::parse_date(s).map_err(|e| anyhow::anyhow!("{e}"));
    // The answer alone on stdout; a provisional one says so on stderr.
    let out = match result {
        Op::Workdays(s, n) => cal
            .add_working_days(parse(&s)?, n)
            .map(|d| (d.due.to_string(), d.provisional_reason())),
        Op::Months(s, n) => cal
            .add_months(parse(&s)?, n)
            .map(|d| (d.due.to_string(), d.provisional_reason())),
        Op::IsWorkday(s) => {
            let day = parse(&s)?;
            cal.is_workday(day).map(|b| {
                let note = cal.is_provisional(day.year()).then(|| {
                    format!(
                        "暂定：{} 年节假日安排尚未发布，按{}推算",
                        day.year(),
                        kernel::holidays::CITATION
                    )
                });
                (b.to_string(), note)
            })
        }
    };
    match out {
        Ok((v, note)) => {
            println!("{v}");
            if let Some(note) = note {
                eprintln!("{note}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => bail!("{e}"),
    }
}

enum Op {
    Workdays(String, i64),
    Months(String, i64),
    IsWorkday(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://data/renda.db"), "sqlite://data/renda.db");
    }

    #[test]
    fn cli_parses() {
        let c = Cli::try_parse_from(["renda", "calendar", "add-months", "2025-07-01", "3"])
            .expect("parse");
        assert!(matches!(c.command, Command::Calendar { .. }));
        let c = Cli::try_parse_from(["renda", "demo", "--database-url", "sqlite:///tmp/x.db"])
            .expect("parse");
        assert!(
            matches!(c.command, Command::Demo { db } if db.database_url == "sqlite:///tmp/x.db")
        );
    }
}
