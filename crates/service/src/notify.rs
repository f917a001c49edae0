//! Notifications: an in-app inbox for every user, and for users with an
//! e-mail address a message in the outbox, which a channel delivers later.
//! Written in the caller's transaction, so a failed use case notifies nobody.

use store::Tx;
pub use store::users::Audience;

use crate::error::Result;

/// Sends one notice to every member of the audiences, once per user.
pub async fn send(
    tx: &mut Tx,
    to: &[Audience],
    title: &str,
    body: &str,
    link: &str,
) -> Result<usize> {
    let now = domain::time::now_ms();
    let notified =
        store::notifications::insert_for_audiences(tx, to, title, body, link, now).await?;
    for (_, email) in &notified {
        if let Some(addr) = email.as_deref().filter(|e| e.contains('@')) {
            store::notifications::enqueue(
                tx,
                "email",
                addr,
                title,
                &format!("{body}\n\n{link}"),
                now,
            )
            .await?;
        }
    }
    Ok(notified.len())
}
