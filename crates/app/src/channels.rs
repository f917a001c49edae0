//! Outbound channels for notifications beyond the in-app inbox. Messages wait
//! in the outbox table (written in the use case's transaction) and a worker
//! delivers them; a channel is anything that can send one message. E-mail over
//! SMTP is built in; an SMS gateway fits the same trait.
//!
//! The SMTP channel speaks plain SMTP to a relay (the usual set-up on a
//! government intranet, where the relay handles TLS and the outside world).

use std::future::Future;
use std::pin::Pin;

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::ctx::Ctx;
use crate::error::Result;

pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = std::result::Result<(), String>> + Send + 'a>>;

/// One way of reaching people.
pub trait Channel: Send + Sync {
    /// The `channel` value of outbox rows this channel delivers.
    fn name(&self) -> &'static str;
    fn send<'a>(&'a self, recipient: &'a str, subject: &'a str, body: &'a str) -> SendFuture<'a>;
}

/// E-mail through an SMTP relay.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: String,
}

impl Smtp {
    /// From `smtp://[user:password@]host[:port]` and a sender address.
    pub fn new(url: &str, from: &str) -> std::result::Result<Smtp, String> {
        let rest = url
            .strip_prefix("smtp://")
            .ok_or("SMTP 地址应以 smtp:// 开头")?;
        let (creds, hostport) = match rest.rsplit_once('@') {
            Some((c, h)) => (Some(c), h),
            None => (None, rest),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| "SMTP 端口不正确")?),
            None => (hostport, 25),
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
        if let Some(c) = creds {
            let (u, p) = c.split_once(':').unwrap_or((c, ""));
            b = b.credentials(Credentials::new(u.to_string(), p.to_string()));
        }
        from.parse::<lettre::message::Mailbox>()
            .map_err(|_| "发件人地址不正确")?;
        Ok(Smtp {
            transport: b.build(),
            from: from.to_string(),
        })
    }
}

impl Channel for Smtp {
    fn name(&self) -> &'static str {
        "email"
    }

    fn send<'a>(&'a self, recipient: &'a str, subject: &'a str, body: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let msg = Message::builder()
                .from(self.from.parse().map_err(|e| format!("{e}"))?)
                .to(recipient
                    .parse()
                    .map_err(|e| format!("收件人地址不正确：{e}"))?)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body.to_string())
                .map_err(|e| e.to_string())?;
            self.transport
                .send(msg)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }
}

/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i64 = 5;

/// Delivers pending outbox messages of the given channels; returns how many were sent.
pub async fn deliver(ctx: &Ctx, channels: &[Box<dyn Channel>]) -> Result<usize> {
    let pending = {
        let mut c = ctx.db.read().await?;
        crate::store::notifications::pending(&mut c, 100).await?
    };
    let mut sent = 0;
    for m in pending {
        let Some(ch) = channels.iter().find(|c| c.name() == m.channel) else {
            continue;
        };
        let outcome = ch.send(&m.recipient, &m.subject, &m.body).await;
        let mut tx = ctx.begin().await?;
        match outcome {
            Ok(()) => {
                crate::store::notifications::mark_sent(&mut tx, m.id, ctx.now_ms()).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(id = m.id, channel = m.channel, error = %e, "delivery failed");
                crate::store::notifications::mark_failed(
                    &mut tx,
                    m.id,
                    &e.chars().take(500).collect::<String>(),
                    MAX_ATTEMPTS,
                )
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls() {
        assert!(Smtp::new("smtp://relay.gov.local:2525", "renda@gov.local").is_ok());
        assert!(Smtp::new("smtp://u:p@relay", "renda@gov.local").is_ok());
        assert!(Smtp::new("http://relay", "renda@gov.local").is_err());
        assert!(Smtp::new("smtp://relay:abc", "renda@gov.local").is_err());
        assert!(Smtp::new("smtp://relay", "not an address").is_err());
    }
}
