//! Attachments: PDF, images and Word files, size-limited and checked by their
//! content (not by the name the browser sent).

pub use crate::store::attachments::AttachmentMeta;
use serde::Serialize;

use crate::actor::Actor;
use crate::error::{Error, Result};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The type of a file from its first bytes, or `None` when not allowed.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        return Some(("application/pdf", "pdf"));
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Some(("image/png", "png"));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(("image/jpeg", "jpg"));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(("application/msword", "doc"));
    }
    // A .docx is a zip whose parts include word/document.xml.
    if bytes.starts_with(b"PK\x03\x04") && bytes.windows(17).any(|w| w == b"word/document.xml") {
        return Some((
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ));
    }
    None
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Stored {
    pub id: i64,
    pub file_name: String,
}

/// Checks and stores a file inside the caller's transaction.
pub async fn store_file(
    tx: &mut db::Tx,
    actor: &Actor,
    owner_kind: &str,
    owner_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<Stored> {
    if bytes.is_empty() {
        return Err(Error::field("file", "文件是空的"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(Error::field("file", "附件不能超过 10 MB"));
    }
    let Some((ctype, ext)) = sniff(bytes) else {
        return Err(Error::field(
            "file",
            "只能上传 PDF、图片（PNG、JPEG）或 Word 文件",
        ));
    };
    let base: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("附件")
        .chars()
        .filter(|c| !c.is_control())
        .take(80)
        .collect();
    let name = if base.to_lowercase().ends_with(&format!(".{ext}")) {
        base
    } else {
        format!("{base}.{ext}")
    };
    let sha = crypto::sm3_hex(bytes);
    let at = tx.at();
    let id = crate::store::attachments::insert(
        tx,
        owner_kind,
        owner_id,
        &name,
        ctype,
        &sha,
        bytes,
        actor.user_id,
        at,
    )
    .await?;
    Ok(Stored {
        id,
        file_name: name,
    })
}

pub async fn list(
    conn: &mut db::Conn,
    owner_kind: &str,
    owner_id: i64,
) -> Result<Vec<AttachmentMeta>> {
    Ok(crate::store::attachments::list(conn, owner_kind, owner_id).await?)
}

/// The attachments of several owners of one kind (the replies of an item).
pub async fn list_many(
    conn: &mut db::Conn,
    owner_kind: &str,
    owner_ids: &[i64],
) -> Result<Vec<AttachmentMeta>> {
    Ok(crate::store::attachments::list_many(conn, owner_kind, owner_ids).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_type() {
        assert_eq!(sniff(b"%PDF-1.7 ...").map(|x| x.1), Some("pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|x| x.1), Some("jpg"));
        assert_eq!(sniff(b"MZ\x90\x00 an executable"), None);
        assert_eq!(sniff(b"PK\x03\x04 some zip without word parts"), None);
        assert_eq!(sniff(b"<html>"), None);
    }
}
