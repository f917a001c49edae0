//! Importing handling units from .xlsx into one congress. A unit is matched by
//! its credit code, or else by its name within the congress, so a second
//! import updates. Parents are named in the 上级单位 column and may be units
//! already stored or rows of the same file.

use std::collections::{HashMap, HashSet};

use db::Conn;
use kernel::roles::Permission;

use crate::service::units::{ContactInput, UnitInput, check_unit};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::imports::{self, CellError, Outcome, Preview, RowCells};
use app::validate::Check;

const KIND: &str = "units";
const REQUIRED: &[&str] = &["单位名称", "单位类型"];

const FIELD_HEADERS: &[(&str, &str)] = &[
    ("name", "单位名称"),
    ("kind", "单位类型"),
    ("credit_code", "统一社会信用代码"),
    ("leader_name", "分管领导"),
    ("leader_title", "分管领导职务"),
    ("address", "地址"),
    ("contact_name_0", "联系人"),
    ("contact_title_0", "联系人职务"),
    ("contact_phone_0", "联系电话"),
    ("congress_id", "所属人大"),
];

struct Row {
    line: usize,
    input: UnitInput,
    parent_name: String,
}

async fn validate(
    ctx: &Ctx,
    conn: &mut Conn,
    actor: &Actor,
    congress_id: i64,
    table: &office::xlsx::Table,
) -> Result<(Vec<Row>, Vec<CellError>)> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut names_in_file: HashMap<String, usize> = HashMap::new();
    let mut codes_in_file: HashMap<String, usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let r = RowCells { table, cells };
        let contact = ContactInput {
            name: r.text("联系人"),
            title: r.text("联系人职务"),
            phone: r.text("联系电话"),
        };
        let input = UnitInput {
            congress_id: Some(congress_id),
            name: r.text("单位名称"),
            kind: r.text("单位类型"),
            parent_id: None,
            credit_code: r.text("统一社会信用代码"),
            leader_name: r.text("分管领导"),
            leader_title: r.text("分管领导职务"),
            leader_user_id: None,
            address: r.text("地址"),
            active: true,
            contacts: vec![contact],
        };
        // Matching an existing unit makes this row an update, so its own name and code are not duplicates.
        let existing = existing_unit(conn, congress_id, &input).await?;
        let mut check = Check::new();
        check_unit(ctx, conn, actor, &input, existing.as_ref(), &mut check).await?;
        let mut row_errors = imports::to_cell_errors(*line, check.into_errors(), FIELD_HEADERS);
        if let Some(first) = names_in_file.get(&input.name) {
            row_errors.push(CellError {
                row: *line,
                column: "单位名称".into(),
                message: format!("与第 {first} 行重名"),
            });
        } else if !input.name.is_empty() {
            names_in_file.insert(input.name.clone(), *line);
        }
        let code = input.credit_code.trim().to_ascii_uppercase();
        if !code.is_empty() {
            if let Some(first) = codes_in_file.get(&code) {
                row_errors.push(CellError {
                    row: *line,
                    column: "统一社会信用代码".into(),
                    message: format!("与第 {first} 行重复"),
                });
            } else {
                codes_in_file.insert(code, *line);
            }
        }
        let parent_name = r.text("上级单位");
        if row_errors.is_empty() {
            rows.push(Row {
                line: *line,
                input,
                parent_name,
            });
        } else {
            errors.extend(row_errors);
        }
    }
    // Parents must exist in the file or the congress, and not be the unit itself.
    let file_names: HashSet<&str> = rows.iter().map(|r| r.input.name.as_str()).collect();
    for r in &rows {
        if r.parent_name.is_empty() {
            continue;
        }
        let line = r.line;
        if r.parent_name == r.input.name {
            errors.push(CellError {
                row: line,
                column: "上级单位".into(),
                message: "上级单位不能是自身".into(),
            });
        } else if !file_names.contains(r.parent_name.as_str())
            && crate::store::units::find_by_name(conn, congress_id, &r.parent_name)
                .await?
                .is_none()
        {
            errors.push(CellError {
                row: line,
                column: "上级单位".into(),
                message: format!(
                    "上级单位“{}”不存在，请先导入或在本文件中列出",
                    r.parent_name
                ),
            });
        }
    }
    errors.sort_by_key(|e| e.row);
    Ok((rows, errors))
}

async fn existing_unit(
    conn: &mut Conn,
    congress_id: i64,
    input: &UnitInput,
) -> Result<Option<crate::store::units::UnitRow>> {
    let code = input.credit_code.trim().to_ascii_uppercase();
    if !code.is_empty()
        && let Some(u) = crate::store::units::find_by_credit_code(conn, &code).await?
        && u.congress_id == congress_id
    {
        return Ok(Some(u));
    }
    Ok(crate::store::units::find_by_name(conn, congress_id, input.name.trim()).await?)
}

async fn target_congress(conn: &mut Conn, actor: &Actor, congress_id: Option<i64>) -> Result<i64> {
    let Some(cid) = congress_id.filter(|v| *v > 0) else {
        return Err(Error::field("congress_id", "请选择导入到哪个人大"));
    };
    let visible = crate::scope::visible_congresses(conn, actor).await?;
    if crate::store::congresses::get(conn, cid).await?.is_none()
        || visible.is_some_and(|v| !v.contains(&cid))
    {
        return Err(Error::field(
            "congress_id",
            "所属人大不存在或不在您的管理范围内",
        ));
    }
    Ok(cid)
}

#[tracing::instrument(name = "org::unit_import::preview", skip_all, fields(actor = %actor.username))]
pub async fn preview(
    ctx: &Ctx,
    actor: &Actor,
    congress_id: Option<i64>,
    file_name: &str,
    bytes: &[u8],
) -> Result<Preview> {
    actor.require(Permission::ManageUnits)?;
    let mut c = ctx.db.read().await?;
    let cid = target_congress(&mut c, actor, congress_id).await?;
    let table = imports::read(bytes, REQUIRED)?;
    let (rows, errors) = validate(ctx, &mut c, actor, cid, &table).await?;
    let (mut creates, mut updates) = (0, 0);
    if errors.is_empty() {
        for r in &rows {
            if existing_unit(&mut c, cid, &r.input).await?.is_some() {
                updates += 1;
            } else {
                creates += 1;
            }
        }
    }
    drop(c);
    let upload_id = if errors.is_empty() {
        Some(imports::keep(ctx, actor, KIND, file_name, bytes, Some(cid)).await?)
    } else {
        None
    };
    Ok(Preview {
        upload_id,
        file_name: file_name.to_string(),
        rows: table.rows.len(),
        creates,
        updates,
        errors,
        sample: imports::sample(&table, 10),
        headers: table.headers.clone(),
    })
}

#[tracing::instrument(name = "org::unit_import::confirm", skip_all, fields(actor = %actor.username))]
pub async fn confirm(ctx: &Ctx, actor: &Actor, upload_id: i64) -> Result<Outcome> {
    actor.require(Permission::ManageUnits)?;
    let mut tx = ctx.begin().await?;
    let up = imports::take(&mut tx, actor, KIND, upload_id).await?;
    let cid = target_congress(&mut tx, actor, up.congress_id).await?;
    let table = imports::read(&up.content, REQUIRED)?;
    let (rows, errors) = validate(ctx, &mut tx, actor, cid, &table).await?;
    if let Some(e) = errors.first() {
        return Err(Error::Conflict(format!(
            "数据在预览后发生了变化，第 {} 行“{}”：{}。请重新上传",
            e.row, e.column, e.message
        )));
    }
    let now = ctx.now_ms();
    let (mut created, mut updated) = (0, 0);
    let mut ids: HashMap<String, i64> = HashMap::new();
    for r in &rows {
        let existing = existing_unit(&mut tx, cid, &r.input).await?;
        let mut check = Check::new();
        let k = check_unit(ctx, &mut tx, actor, &r.input, existing.as_ref(), &mut check)
            .await?
            .ok_or_else(|| Error::internal("no value where one is stored"))?;
        check.finish()?;
        let mut data = k.data;
        let id = match &existing {
            Some(u) => {
                data.parent_id = u.parent_id;
                data.leader_user_id = u.leader_user_id;
                crate::store::units::update(&mut tx, u.id, &data, now).await?;
                updated += 1;
                u.id
            }
            None => {
                created += 1;
                crate::store::units::insert(&mut tx, &data, None, now).await?
            }
        };
        if !k.contacts.is_empty() {
            crate::store::units::replace_contacts(&mut tx, id, &k.contacts).await?;
        }
        ids.insert(r.input.name.clone(), id);
    }
    // Second pass: parents, now that every unit of the file exists.
    for r in rows.iter().filter(|r| !r.parent_name.is_empty()) {
        let id = ids[&r.input.name];
        let parent = crate::store::units::find_by_name(&mut tx, cid, &r.parent_name)
            .await?
            .ok_or_else(|| Error::internal("no value where one is stored"))?;
        let me = crate::store::units::get(&mut tx, id)
            .await?
            .ok_or_else(|| Error::internal("no value where one is stored"))?;
        if me.parent_id == Some(parent.id) {
            continue;
        }
        if parent.path.starts_with(&me.path) {
            return Err(Error::Conflict(format!(
                "“{}”与“{}”互为上下级，形成循环",
                me.name, parent.name
            )));
        }
        crate::store::units::move_to(&mut tx, id, &me.path, Some((parent.id, &parent.path)))
            .await?;
    }
    app::audit::record(
        &mut tx,
        actor,
        "unit.import",
        "unit",
        "-",
        format!(
            "导入承办单位“{}”（SM3 {}）：新增 {created} 个，更新 {updated} 个",
            up.file_name,
            &up.sha[..16]
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome { created, updated })
}

pub fn template() -> Result<Vec<u8>> {
    let cols: Vec<office::xlsx::Column> = crate::service::units::COLUMNS
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let mut w = office::xlsx::SheetWriter::new("承办单位", &cols)?;
    w.push(&[
        "示例：县交通运输局".into(),
        "政府部门".into(),
        "".into(),
        "".into(),
        "张某某".into(),
        "副县长".into(),
        "某某路 1 号".into(),
        "李某".into(),
        "办公室主任".into(),
        "0859-1234567".into(),
    ])?;
    w.notes(
        "填写说明",
        &[
            ("必填列", "单位名称、单位类型"),
            (
                "单位类型",
                "政府部门、监察委员会、人民法院、人民检察院、其他单位",
            ),
            (
                "上级单位",
                "填写上级单位的名称；上级须已存在或在本文件中列出",
            ),
            ("统一社会信用代码", "18 位，按 GB 32100 校验；可不填"),
            ("联系电话", "手机号或带区号的固定电话，如 0859-1234567"),
            ("重复导入", "按统一社会信用代码（无则按名称）更新已有单位"),
            ("示例行", "第 2 行为示例，导入前请删除"),
        ],
    )?;
    Ok(w.finish()?)
}
