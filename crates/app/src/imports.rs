//! What spreadsheet imports share: the upload kept between preview and
//! confirmation, the cell-by-cell error list, and header look-up.
//!
//! An import is validated twice: at preview, to show every invalid cell, and
//! again at confirmation inside the writing transaction, because the database
//! may have changed in between. Nothing is written unless every row is valid,
//! and an upload can be confirmed once.

use office::xlsx::{Cell, Table};
use serde::Serialize;

use crate::actor::Actor;
use crate::ctx::Ctx;
use crate::error::{Error, FieldError, Result};

/// Largest spreadsheet accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Most data rows in one import.
pub const MAX_ROWS: usize = 50_000;
/// An upload must be confirmed within this time.
pub const UPLOAD_TTL_MS: i64 = 2 * 3600 * 1000;

#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct CellError {
    /// Row number as Excel shows it.
    pub row: usize,
    /// The column's header.
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Preview {
    /// Present only when the whole file is valid.
    pub upload_id: Option<i64>,
    pub file_name: String,
    pub rows: usize,
    pub creates: usize,
    pub updates: usize,
    pub errors: Vec<CellError>,
    /// The first rows as read, for a look before confirming.
    pub sample: Vec<Vec<String>>,
    pub headers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
}

/// Reads a workbook and checks its shape: size, readability, row count, required headers.
pub fn read(bytes: &[u8], required: &[&str]) -> Result<Table> {
    if bytes.is_empty() {
        return Err(Error::field("file", "请选择要导入的 .xlsx 文件"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::field(
            "file",
            format!("文件不能超过 {} MB", MAX_FILE_BYTES / 1024 / 1024),
        ));
    }
    let table = office::xlsx::read_table(bytes).map_err(|e| Error::field("file", e.to_string()))?;
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|h| table.column(h).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(Error::field(
            "file",
            format!(
                "表头缺少以下列：{}。请使用下载的导入模板",
                missing.join("、")
            ),
        ));
    }
    if table.rows.is_empty() {
        return Err(Error::field("file", "文件中没有数据行"));
    }
    if table.rows.len() > MAX_ROWS {
        return Err(Error::field("file", format!("一次最多导入 {MAX_ROWS} 行")));
    }
    Ok(table)
}

/// One row's cells by header.
pub struct RowCells<'a> {
    pub table: &'a Table,
    pub cells: &'a [Cell],
}

impl RowCells<'_> {
    pub fn cell(&self, header: &str) -> Option<&Cell> {
        self.table.column(header).and_then(|i| self.cells.get(i))
    }
    pub fn text(&self, header: &str) -> String {
        self.cell(header).map(Cell::text).unwrap_or_default()
    }
}

/// Turns a form validator's field errors into cell errors via a field → header map.
pub fn to_cell_errors(row: usize, fields: Vec<FieldError>, map: &[(&str, &str)]) -> Vec<CellError> {
    fields
        .into_iter()
        .map(|f| CellError {
            row,
            column: map
                .iter()
                .find(|(field, _)| *field == f.field)
                .map(|(_, h)| (*h).to_string())
                .unwrap_or(f.field),
            message: f.message,
        })
        .collect()
}

pub fn sample(table: &Table, n: usize) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .take(n)
        .map(|(_, cells)| cells.iter().map(Cell::text).collect())
        .collect()
}

/// Keeps a validated upload for confirmation.
pub async fn keep(
    ctx: &Ctx,
    actor: &Actor,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
    congress_id: Option<i64>,
) -> Result<i64> {
    let uid = actor.user_id.ok_or(Error::Forbidden)?;
    let now = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    crate::store::uploads::purge_before(&mut tx, now - UPLOAD_TTL_MS).await?;
    let id = crate::store::uploads::insert(
        &mut tx,
        uid,
        kind,
        &file_name.chars().take(120).collect::<String>(),
        &crypto::sm3_hex(bytes),
        bytes,
        congress_id,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes an upload for confirmation inside the writing transaction; a second
/// confirmation of the same upload, another user's upload, or an expired one is refused.
pub async fn take(
    tx: &mut db::Tx,
    actor: &Actor,
    kind: &str,
    id: i64,
) -> Result<crate::store::uploads::UploadRow> {
    let now = tx.at();
    let up = crate::store::uploads::get(tx, id)
        .await?
        .ok_or(Error::NotFound("导入文件"))?;
    if Some(up.user_id) != actor.user_id || up.kind != kind {
        return Err(Error::NotFound("导入文件"));
    }
    if now - up.created_at > UPLOAD_TTL_MS {
        return Err(Error::Conflict("预览已过期，请重新上传文件".into()));
    }
    if !crate::store::uploads::mark_used(tx, id, now).await? {
        return Err(Error::Conflict("该文件已经导入过，请勿重复提交".into()));
    }
    Ok(up)
}
