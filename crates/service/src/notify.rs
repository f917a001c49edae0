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
    let mut seen = std::collections::HashSet::new();
    let mut users = Vec::new();
    let mut mail = Vec::new();
    for a in to {
        for (uid, email) in store::users::audience(tx, *a).await? {
            if !seen.insert(uid) {
                continue;
            }
            users.push(uid);
            if let Some(addr) = email.filter(|e| e.contains('@')) {
                mail.push(addr);
            }
        }
    }
    store::notifications::insert_for(tx, &users, title, body, link, now).await?;
    for addr in mail {
        store::notifications::enqueue(tx, "email", &addr, title, &format!("{body}\n\n{link}"), now)
            .await?;
    }
    Ok(seen.len())
}
