//! A suggestion as a kind of tracked item: its rules ([`crate::rules::RULES`]),
//! who else may read it (co-signers and the originators of merged items),
//! the key-supervised queue and mark, the reply letter, and its page.

use app::{Actor, Result};
use axum::http::StatusCode;
use axum::response::Response;
use db::Conn;
use engine::kind::{Kind, PickedQueue};
use engine::rules::KindRules;
use engine::store::{ItemRow, Subjects};
use futures_util::future::BoxFuture;
use kernel::roles::Role;
use webkit::AppState;
use webkit::auth::Session;
use webkit::error::AppResult;

/// Key-supervised suggestions (重点督办), for the engine's queue of them.
pub const KEY_SUPERVISED: Subjects = Subjects {
    kind: "suggestion",
    ids_sql: "SELECT id FROM suggestion WHERE key_supervision = 1",
};

pub struct SuggestionKind;

/// An accepted motion: the same subject and page, its own rules
/// ([`crate::rules::MOTION_RULES`]).
pub struct MotionKind;

impl Kind for SuggestionKind {
    fn rules(&self) -> &'static KindRules {
        &crate::rules::RULES
    }

    fn also_reads<'a>(
        &'a self,
        conn: &'a mut Conn,
        actor: &'a Actor,
        item: &'a ItemRow,
    ) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move {
            let (Role::Deputy, Some(me), Some(id)) = (actor.role, actor.deputy_id, item.subject_id)
            else {
                return Ok(false);
            };
            Ok(crate::store::suggestions::signers(conn, id)
                .await?
                .iter()
                .any(|g| g.deputy_id == me && g.status != "declined"))
        })
    }

    fn picked_queues(&self) -> Vec<PickedQueue> {
        vec![PickedQueue {
            key: "key",
            title: "重点督办事项",
            subjects: KEY_SUPERVISED,
        }]
    }

    fn marks<'a>(
        &'a self,
        conn: &'a mut Conn,
        subject_ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<(i64, &'static str)>>> {
        Box::pin(async move {
            Ok(
                crate::store::suggestions::key_supervised_among(conn, subject_ids)
                    .await?
                    .into_iter()
                    .map(|id| (id, "重点督办"))
                    .collect(),
            )
        })
    }

    fn reply_letter(&self, item: &ItemRow, assignment_id: i64) -> Option<String> {
        Some(format!(
            "{}/assignments/{assignment_id}/letter.docx",
            item.link
        ))
    }

    fn page<'a>(
        &'a self,
        st: &'a AppState,
        session: &'a Session,
        actor: &'a Actor,
        item: &'a ItemRow,
        kept: webkit::extract::Kept,
        status: StatusCode,
    ) -> BoxFuture<'a, AppResult<Response>> {
        Box::pin(async move {
            let id = item.subject_id.unwrap_or(0);
            crate::web::pages::detail_page(st, session, actor, id, kept, status).await
        })
    }
}

impl Kind for MotionKind {
    fn rules(&self) -> &'static KindRules {
        &crate::rules::MOTION_RULES
    }

    fn also_reads<'a>(
        &'a self,
        conn: &'a mut Conn,
        actor: &'a Actor,
        item: &'a ItemRow,
    ) -> BoxFuture<'a, Result<bool>> {
        SuggestionKind.also_reads(conn, actor, item)
    }

    fn reply_letter(&self, item: &ItemRow, assignment_id: i64) -> Option<String> {
        SuggestionKind.reply_letter(item, assignment_id)
    }

    fn marks<'a>(
        &'a self,
        conn: &'a mut Conn,
        subject_ids: &'a [i64],
    ) -> BoxFuture<'a, Result<Vec<(i64, &'static str)>>> {
        SuggestionKind.marks(conn, subject_ids)
    }

    fn page<'a>(
        &'a self,
        st: &'a AppState,
        session: &'a Session,
        actor: &'a Actor,
        item: &'a ItemRow,
        kept: webkit::extract::Kept,
        status: StatusCode,
    ) -> BoxFuture<'a, AppResult<Response>> {
        SuggestionKind.page(st, session, actor, item, kept, status)
    }
}
