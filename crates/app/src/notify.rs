//! Notifications: an in-app inbox for every user, and for users with an
//! e-mail address a message in the outbox, which a channel delivers later.
//! Written in the caller's transaction, so a failed use case notifies nobody.

pub use crate::store::users::Audience;
use db::Tx;

use crate::error::Result;

/// Sends one notice to every member of the audiences, once per user.
pub async fn send(
    tx: &mut Tx,
    to: &[Audience],
    title: &str,
    body: &str,
    link: &str,
) -> Result<usize> {
    let now = tx.at();
    let notified =
        crate::store::notifications::insert_for_audiences(tx, to, title, body, link, now).await?;
    for (_, email) in &notified {
        if let Some(addr) = email.as_deref().filter(|e| e.contains('@')) {
            crate::store::notifications::enqueue(
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

/// How many items a combined notice names before "……等 N 件".
const NAMED: usize = 5;

/// The notices of a batch action, gathered per recipient group and sent at
/// its end: a group the batch concerns once gets that item's own notice, a
/// group it concerns several times gets one notice naming the items (a unit
/// sent fifty suggestions at a 交办会 finds one notice, not fifty).
#[derive(Debug, Default)]
pub struct Batch {
    notes: std::collections::BTreeMap<Audience, Vec<Note>>,
}

#[derive(Debug)]
struct Note {
    title: String,
    body: String,
    link: String,
}

impl Batch {
    pub fn add(&mut self, to: Audience, title: &str, body: String, link: String) {
        self.notes.entry(to).or_default().push(Note {
            title: title.to_string(),
            body,
            link,
        });
    }

    /// Sends them; a combined notice links to `list`, the recipient's list.
    pub async fn send(self, tx: &mut Tx, list: impl Fn(Audience) -> String) -> Result<()> {
        for (to, notes) in self.notes {
            match notes.as_slice() {
                [] => {}
                [one] => {
                    send(tx, &[to], &one.title, &one.body, &one.link).await?;
                }
                [first, ..] => {
                    let n = notes.len();
                    let mut body: Vec<&str> =
                        notes.iter().take(NAMED).map(|x| x.body.as_str()).collect();
                    let more = format!("……等 {n} 件");
                    if n > NAMED {
                        body.push(&more);
                    }
                    send(
                        tx,
                        &[to],
                        &format!("{}（{n} 件）", first.title),
                        &body.join("\n"),
                        &list(to),
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }
}
