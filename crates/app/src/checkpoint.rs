//! Signed checkpoints of the audit chain, kept outside the database.
//!
//! Every hour and at every start and stop, the server appends one line to
//! the checkpoint log beside the deployment key: the head's sequence number
//! and hash, where keyed links begin, the time, the SM3 of the previous line,
//! and an SM2 signature over all of it. Whoever can write the database can
//! neither recompute the keyed chain nor sign a checkpoint, so a rewritten,
//! renumbered or cut-off history disagrees with the log; and whoever holds
//! only the public key (`renda audit pubkey`) can check the log itself.
//!
//! A copy of each line may also leave the machine ([`Forward`]): to a syslog
//! host or by e-mail, so that a copy exists that the machine's own
//! administrators cannot reach. The local log is the anchor; a copy that
//! cannot be sent is logged and does not stop the server.

use std::io::Write;
use std::path::{Path, PathBuf};

use crypto::chain::{CheckpointSigner, CheckpointVerifier};
use db::Db;
use db::audit::Anchor;
use serde::{Deserialize, Serialize};

/// The first line's `prev`.
pub const LOG_GENESIS: &str = "genesis";

/// One line of the checkpoint log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Checkpoint {
    /// The line's number in the log, from 1.
    pub n: i64,
    pub seq: i64,
    pub head: String,
    pub keyed_from: i64,
    /// UTC ms.
    pub at: i64,
    /// Why it was written: start, hourly, stop, manual.
    pub event: String,
    /// SM3 of the previous line as written, or [`LOG_GENESIS`].
    pub prev: String,
    /// SM2 signature (r ‖ s, hex) of [`Checkpoint::message`].
    pub sig: String,
}

impl Checkpoint {
    /// What is signed: every field but the signature, in fixed order.
    pub fn message(&self) -> String {
        serde_json::json!([
            "renda-audit-checkpoint/1",
            self.n,
            self.seq,
            self.head,
            self.keyed_from,
            self.at,
            self.event,
            self.prev
        ])
        .to_string()
    }

    pub fn anchor(&self) -> Anchor {
        Anchor {
            seq: self.seq,
            hash: self.head.clone(),
            keyed_from: self.keyed_from,
            at: self.at,
        }
    }
}

/// Something wrong with the log itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogFinding {
    Unreadable {
        line: usize,
    },
    BadSignature {
        line: usize,
    },
    /// A line is missing or changed before this one.
    Broken {
        line: usize,
    },
}

impl std::fmt::Display for LogFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LogFinding::Unreadable { line } => write!(f, "checkpoint line {line}: unreadable"),
            LogFinding::BadSignature { line } => {
                write!(
                    f,
                    "checkpoint line {line}: signature does not verify (forged or altered)"
                )
            }
            LogFinding::Broken { line } => write!(
                f,
                "checkpoint line {line}: does not follow the line before it (a checkpoint was removed or changed)"
            ),
        }
    }
}

/// The checkpoints of a log whose signatures verify, and what was wrong.
pub fn check_log(text: &str, verifier: &CheckpointVerifier) -> (Vec<Checkpoint>, Vec<LogFinding>) {
    let mut good = Vec::new();
    let mut findings = Vec::new();
    let mut prev = LOG_GENESIS.to_string();
    let mut expected_n = 1;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let Ok(c) = serde_json::from_str::<Checkpoint>(raw) else {
            findings.push(LogFinding::Unreadable { line });
            prev = crypto::sm3_hex(raw.as_bytes());
            continue;
        };
        if verifier.verify_hex(c.message().as_bytes(), &c.sig).is_err() {
            findings.push(LogFinding::BadSignature { line });
        } else {
            if c.prev != prev || c.n != expected_n {
                findings.push(LogFinding::Broken { line });
            }
            expected_n = c.n + 1;
            good.push(c);
        }
        prev = crypto::sm3_hex(raw.as_bytes());
    }
    (good, findings)
}

/// The checkpoint log beside the key, and the key that signs it.
#[derive(Clone, Debug)]
pub struct Log {
    pub path: PathBuf,
    signer: CheckpointSigner,
    forwards: Vec<Forward>,
}

/// Where a copy of each checkpoint goes besides the log.
#[derive(Clone)]
pub enum Forward {
    /// A syslog host: one RFC 5424 message over UDP (facility 13, log audit;
    /// severity 6, informational) whose message is the log line.
    Syslog(std::net::SocketAddr),
    /// An e-mail address, through the deployment's SMTP relay.
    Mail {
        to: String,
        channel: std::sync::Arc<dyn crate::channels::Channel>,
    },
}

impl std::fmt::Debug for Forward {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Forward {
    async fn send(&self, c: &Checkpoint, line: &str) -> Result<(), String> {
        match self {
            Forward::Syslog(addr) => {
                let host = std::fs::read_to_string("/etc/hostname")
                    .ok()
                    .map(|h| h.trim().to_string())
                    .filter(|h| !h.is_empty() && h.is_ascii() && !h.contains(' '))
                    .unwrap_or_else(|| "-".into());
                let message = format!("<110>1 - {host} renda - checkpoint - {line}");
                let local = if addr.is_ipv4() {
                    "0.0.0.0:0"
                } else {
                    "[::]:0"
                };
                let socket = tokio::net::UdpSocket::bind(local)
                    .await
                    .map_err(|e| e.to_string())?;
                socket
                    .send_to(message.as_bytes(), addr)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            Forward::Mail { to, channel } => {
                let subject = format!("renda 审计检查点 {}（第 {} 条记录）", c.n, c.seq);
                let body = format!(
                    "审计链检查点，{}（{}）。用 renda audit check-log --public-key 公钥 校验：\n\n{line}\n",
                    kernel::time::format_ms(c.at),
                    c.event
                );
                channel.send(to, &subject, &body).await
            }
        }
    }

    fn describe(&self) -> String {
        match self {
            Forward::Syslog(addr) => format!("syslog {addr}"),
            Forward::Mail { to, .. } => format!("mail {to}"),
        }
    }
}

/// The log's default place: `renda.checkpoints` beside the key file.
pub fn default_path(key_file: &Path) -> PathBuf {
    key_file.with_file_name("renda.checkpoints")
}

static WRITING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Log {
    pub fn new(path: PathBuf, signer: CheckpointSigner) -> Self {
        Log {
            path,
            signer,
            forwards: Vec::new(),
        }
    }

    /// Also sends every checkpoint to `forward`.
    pub fn add(&mut self, forward: Forward) {
        self.forwards.push(forward);
    }

    /// Also sends every checkpoint to these places.
    pub fn forwarding(mut self, forwards: Vec<Forward>) -> Self {
        self.forwards = forwards;
        self
    }

    /// Reads the head, signs it and appends the line (opened for appending
    /// only, synced before returning).
    pub async fn write(&self, db: &Db, event: &str) -> anyhow::Result<Checkpoint> {
        let _one_at_a_time = WRITING.lock().await;
        let head = {
            let mut c = db.read().await?;
            db::audit::head(&mut c).await?
        };
        let (n, prev) = match std::fs::read_to_string(&self.path) {
            Ok(text) => match text.lines().rfind(|l| !l.trim().is_empty()) {
                Some(last) => {
                    let n = serde_json::from_str::<Checkpoint>(last).map_or(0, |c| c.n);
                    (n + 1, crypto::sm3_hex(last.as_bytes()))
                }
                None => (1, LOG_GENESIS.to_string()),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (1, LOG_GENESIS.to_string()),
            Err(e) => return Err(e.into()),
        };
        let mut c = Checkpoint {
            n,
            seq: head.seq,
            head: head.hash,
            keyed_from: head.keyed_from,
            at: kernel::time::system_now_ms(),
            event: event.to_string(),
            prev,
            sig: String::new(),
        };
        c.sig = self.signer.sign_hex(c.message().as_bytes());
        let line = serde_json::to_string(&c)?;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        f.write_all(format!("{line}\n").as_bytes())?;
        f.sync_all()?;
        for forward in &self.forwards {
            if let Err(e) = forward.send(&c, &line).await {
                tracing::warn!(to = %forward.describe(), error = %e, "could not send a copy of the audit checkpoint");
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_log_verifies_with_the_public_key_and_shows_tampering() {
        let t = db::testing::fresh().await;
        let key = crypto::MasterKey::from_hex(&"44".repeat(32)).expect("key");
        let dir = tempfile::tempdir().expect("dir");
        let log = Log::new(
            dir.path().join("renda.checkpoints"),
            key.checkpoint_signer(),
        );
        let first = log.write(&t.db, "start").await.expect("write");
        let second = log.write(&t.db, "hourly").await.expect("write");
        assert_eq!((first.n, second.n), (1, 2));
        assert_eq!(first.seq, 0);
        let text = std::fs::read_to_string(&log.path).expect("read");
        let public = key.checkpoint_signer().public_hex();
        let verifier = CheckpointVerifier::from_hex(&public).expect("public key");
        let (good, bad) = check_log(&text, &verifier);
        assert_eq!(good, vec![first.clone(), second.clone()]);
        assert!(bad.is_empty());

        // An altered line no longer verifies, nor does the next link to it.
        let altered = text.replacen("\"seq\":0", "\"seq\":7", 1);
        let (_, bad) = check_log(&altered, &verifier);
        assert_eq!(
            bad,
            vec![
                LogFinding::BadSignature { line: 1 },
                LogFinding::Broken { line: 2 }
            ]
        );
        // A removed line breaks the links of the next.
        let without_first: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
        let (_, bad) = check_log(&without_first, &verifier);
        assert_eq!(bad, vec![LogFinding::Broken { line: 1 }]);
        // Another deployment's key does not verify this log.
        let other = crypto::MasterKey::from_hex(&"55".repeat(32)).expect("key");
        let (good, bad) = check_log(&text, &other.checkpoint_signer().verifier());
        assert!(good.is_empty() && bad.len() == 2);
    }

    struct Recorder(std::sync::Mutex<Vec<(String, String, String)>>);

    impl crate::channels::Channel for Recorder {
        fn name(&self) -> &'static str {
            "email"
        }
        fn send<'a>(
            &'a self,
            recipient: &'a str,
            subject: &'a str,
            body: &'a str,
        ) -> crate::channels::SendFuture<'a> {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((recipient.into(), subject.into(), body.into()));
            Box::pin(async { Ok(()) })
        }
    }

    #[tokio::test]
    async fn a_copy_of_each_checkpoint_leaves_by_syslog_and_mail() {
        let t = db::testing::fresh().await;
        let key = crypto::MasterKey::from_hex(&"44".repeat(32)).expect("key");
        let dir = tempfile::tempdir().expect("dir");
        let syslog = tokio::net::UdpSocket::bind("127.0.0.1:0")
            .await
            .expect("udp");
        let mail = std::sync::Arc::new(Recorder(std::sync::Mutex::new(Vec::new())));
        let log = Log::new(
            dir.path().join("renda.checkpoints"),
            key.checkpoint_signer(),
        )
        .forwarding(vec![
            Forward::Syslog(syslog.local_addr().expect("addr")),
            Forward::Mail {
                to: "auditor@example.org".into(),
                channel: mail.clone(),
            },
            // Nobody listens here: the checkpoint is still written.
            Forward::Syslog("127.0.0.1:9".parse().expect("addr")),
        ]);
        let c = log.write(&t.db, "start").await.expect("write");
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(std::time::Duration::from_secs(5), syslog.recv(&mut buf))
            .await
            .expect("in time")
            .expect("recv");
        let got = String::from_utf8_lossy(&buf[..n]).into_owned();
        assert!(got.starts_with("<110>1 - "), "{got}");
        let line = got.split(" checkpoint - ").nth(1).expect("line");
        assert_eq!(
            line,
            std::fs::read_to_string(&log.path).expect("log").trim_end()
        );
        let (good, bad) = check_log(line, &key.checkpoint_signer().verifier());
        assert_eq!((good, bad.len()), (vec![c.clone()], 0));
        let sent = mail.0.lock().expect("lock").clone();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0, "auditor@example.org");
        assert!(sent[0].2.contains(line), "{}", sent[0].2);
    }
}
