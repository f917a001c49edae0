//! Importing the deputy roster from .xlsx. A person is identified by their ID
//! number (through its keyed hash), a seat by person and term, so importing
//! the same file again updates rather than duplicates.

use std::collections::HashMap;

use crate::store::deputies::{DeputyData, MandateData};
use db::Conn;
use kernel::org::DeputyStatus;
use kernel::roles::Permission;

use crate::service::deputies::{DeputyInput, check_mandate_fields, check_person};
use app::actor::Actor;
use app::ctx::Ctx;
use app::error::{Error, Result};
use app::imports::{self, CellError, Outcome, Preview, RowCells};
use app::validate::Check;

const KIND: &str = "deputies";

const REQUIRED: &[&str] = &[
    "姓名",
    "民族",
    "政治面貌",
    "身份证号",
    "所属人大",
    "届次",
    "选区或选举单位",
];

/// Form field → column header, for error messages.
const FIELD_HEADERS: &[(&str, &str)] = &[
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("party", "政治面貌"),
    ("occupation", "职业及职务"),
    ("phone", "手机号"),
    ("id_card", "身份证号"),
    ("constituency", "选区或选举单位"),
    ("delegation", "代表团"),
    ("professional_group", "专业代表小组"),
];

struct Row {
    person: DeputyData,
    mandate: MandateData,
}

/// Caches congress and term look-ups over one file.
struct Lookups {
    visible: Option<Vec<i64>>,
    congresses: HashMap<String, Option<(i64, String)>>,
    terms: HashMap<(i64, i64), Option<i64>>,
}

impl Lookups {
    async fn congress(&mut self, conn: &mut Conn, name: &str) -> Result<Option<(i64, String)>> {
        if let Some(v) = self.congresses.get(name) {
            return Ok(v.clone());
        }
        let found = crate::store::congresses::find_by_name(conn, name)
            .await?
            .filter(|c| self.visible.as_ref().is_none_or(|ids| ids.contains(&c.id)))
            .map(|c| (c.id, c.level));
        self.congresses.insert(name.to_string(), found.clone());
        Ok(found)
    }

    async fn term(
        &mut self,
        conn: &mut Conn,
        congress_id: i64,
        number: i64,
    ) -> Result<Option<i64>> {
        if let Some(v) = self.terms.get(&(congress_id, number)) {
            return Ok(*v);
        }
        let found = crate::store::congresses::find_term(conn, congress_id, number)
            .await?
            .map(|t| t.id);
        self.terms.insert((congress_id, number), found);
        Ok(found)
    }
}

/// Validates every row; returns the rows ready to write, or every cell error.
async fn validate(
    ctx: &Ctx,
    conn: &mut Conn,
    actor: &Actor,
    table: &office::xlsx::Table,
) -> Result<(Vec<Row>, Vec<CellError>)> {
    let mut lookups = Lookups {
        visible: crate::scope::visible_congresses(conn, actor).await?,
        congresses: HashMap::new(),
        terms: HashMap::new(),
    };
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    let mut seen: HashMap<(String, i64), usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let r = RowCells { table, cells };
        let input = DeputyInput {
            name: r.text("姓名"),
            gender: r.text("性别"),
            ethnicity: r.text("民族"),
            birth_date: r.text("出生日期"),
            party: r.text("政治面貌"),
            occupation: r.text("职业及职务"),
            phone: r.text("手机号"),
            id_card: r.text("身份证号"),
            term_id: None,
            constituency: r.text("选区或选举单位"),
            delegation: r.text("代表团"),
            professional_group: r.text("专业代表小组"),
        };
        let mut check = Check::new();
        if r.cell("身份证号")
            .is_some_and(office::xlsx::Cell::is_long_number)
        {
            check.add(
                "id_card",
                "身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写",
            );
        }
        let person = check_person(ctx, &input, &mut check);
        let (constituency, delegation, professional_group) =
            check_mandate_fields(&input, &mut check);
        let mut row_errors = imports::to_cell_errors(*line, check.into_errors(), FIELD_HEADERS);
        let mut err = |column: &str, message: String| {
            row_errors.push(CellError {
                row: *line,
                column: column.into(),
                message,
            });
        };
        let congress_name = r.text("所属人大");
        let congress = if congress_name.is_empty() {
            err("所属人大", "请填写所属人大".into());
            None
        } else {
            let c = lookups.congress(conn, &congress_name).await?;
            if c.is_none() {
                err(
                    "所属人大",
                    format!("“{congress_name}”不存在或不在您的管理范围内"),
                );
            }
            c
        };
        let term_text = r.text("届次");
        let term_number = term_text
            .trim_start_matches('第')
            .trim_end_matches('届')
            .parse::<i64>()
            .ok();
        if term_number.is_none() {
            err("届次", format!("届次“{term_text}”应为数字，例如 17"));
        }
        let term_id = match (congress.as_ref(), term_number) {
            (Some((cid, _)), Some(n)) => {
                let t = lookups.term(conn, *cid, n).await?;
                if t.is_none() {
                    err(
                        "届次",
                        format!("{congress_name}没有第 {n} 届，请先在“人大与届次”中录入"),
                    );
                }
                t
            }
            _ => None,
        };
        let status_text = r.text("状态");
        let status = if status_text.is_empty() {
            Some(DeputyStatus::InOffice)
        } else {
            let s = DeputyStatus::parse(&status_text);
            if s.is_none() {
                err("状态", format!("状态“{status_text}”应为 在任 或 终止"));
            }
            s
        };
        let mut terminated_on = None;
        let mut termination_reason = None;
        if status == Some(DeputyStatus::Terminated) {
            match kernel::calendar::parse_date(&r.text("终止日期")) {
                Ok(d) => terminated_on = Some(d.to_string()),
                Err(e) => err("终止日期", format!("状态为终止时须填写终止日期：{e}")),
            }
            let reason = r.text("终止原因");
            if reason.is_empty() {
                err("终止原因", "状态为终止时须填写终止原因".into());
            }
            termination_reason = Some(reason);
        }
        if let (Some(p), Some(tid)) = (&person, term_id) {
            let key = (p.id_card_index.clone(), tid);
            if let Some(first) = seen.get(&key) {
                err(
                    "身份证号",
                    format!("与第 {first} 行是同一代表的同一届次，重复"),
                );
            } else {
                seen.insert(key, *line);
            }
        }
        if row_errors.is_empty()
            && let (Some(person), Some((congress_id, level)), Some(term_id), Some(status)) =
                (person, congress, term_id, status)
        {
            rows.push(Row {
                person,
                mandate: MandateData {
                    congress_id,
                    term_id,
                    level,
                    constituency,
                    delegation,
                    professional_group,
                    status: status.code().into(),
                    terminated_on,
                    termination_reason,
                },
            });
        }
        errors.extend(row_errors);
    }
    Ok((rows, errors))
}

/// Existing persons and seats for the rows, looked up in bulk.
struct Existing {
    persons: HashMap<String, i64>,
    mandates: HashMap<(i64, i64), i64>,
}

async fn existing(conn: &mut Conn, rows: &[Row]) -> Result<Existing> {
    let indexes: Vec<String> = rows
        .iter()
        .map(|r| r.person.id_card_index.clone())
        .collect();
    let persons = crate::store::deputies::ids_by_index(conn, &indexes).await?;
    let ids: Vec<i64> = persons.values().copied().collect();
    let mandates = crate::store::deputies::mandates_of_many(conn, &ids).await?;
    Ok(Existing { persons, mandates })
}

/// How many rows would create a new seat and how many would update one.
async fn count_changes(conn: &mut Conn, rows: &[Row]) -> Result<(usize, usize)> {
    let e = existing(conn, rows).await?;
    let updates = rows
        .iter()
        .filter(|r| {
            e.persons
                .get(&r.person.id_card_index)
                .is_some_and(|p| e.mandates.contains_key(&(*p, r.mandate.term_id)))
        })
        .count();
    Ok((rows.len() - updates, updates))
}

/// Checks a file and lists every invalid cell; a valid file is kept for confirmation.
#[tracing::instrument(name = "org::deputy_import::preview", skip_all, fields(actor = %actor.username))]
pub async fn preview(ctx: &Ctx, actor: &Actor, file_name: &str, bytes: &[u8]) -> Result<Preview> {
    actor.require(Permission::ManageDeputies)?;
    let table = imports::read(bytes, REQUIRED)?;
    let mut c = ctx.db.read().await?;
    let (rows, errors) = validate(ctx, &mut c, actor, &table).await?;
    let (creates, updates) = if errors.is_empty() {
        count_changes(&mut c, &rows).await?
    } else {
        (0, 0)
    };
    drop(c);
    let upload_id = if errors.is_empty() {
        Some(imports::keep(ctx, actor, KIND, file_name, bytes, None).await?)
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

/// Writes a previewed file, all rows or none.
#[tracing::instrument(name = "org::deputy_import::confirm", skip_all, fields(actor = %actor.username))]
pub async fn confirm(ctx: &Ctx, actor: &Actor, upload_id: i64) -> Result<Outcome> {
    actor.require(Permission::ManageDeputies)?;
    let mut tx = ctx.begin().await?;
    let up = imports::take(&mut tx, actor, KIND, upload_id).await?;
    let table = imports::read(&up.content, REQUIRED)?;
    let (rows, errors) = validate(ctx, &mut tx, actor, &table).await?;
    if let Some(e) = errors.first() {
        return Err(Error::Conflict(format!(
            "数据在预览后发生了变化，第 {} 行“{}”：{}。请重新上传",
            e.row, e.column, e.message
        )));
    }
    let now = ctx.now_ms();
    let (mut created, mut updated) = (0usize, 0usize);
    let mut e = existing(&mut tx, &rows).await?;
    // New persons in bulk (a person may appear in several rows, for several terms).
    let mut fresh: Vec<&crate::store::deputies::DeputyData> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in &rows {
        match e.persons.get(&r.person.id_card_index) {
            Some(id) => crate::store::deputies::update(&mut tx, *id, &r.person, now).await?,
            None if seen.insert(r.person.id_card_index.clone()) => {
                fresh.push(&r.person);
                0
            }
            None => 0,
        };
    }
    e.persons
        .extend(crate::store::deputies::insert_many(&mut tx, &fresh, now).await?);
    let mut new_mandates = Vec::new();
    let mut groups = std::collections::HashSet::new();
    for r in &rows {
        let deputy_id = *e
            .persons
            .get(&r.person.id_card_index)
            .ok_or_else(|| Error::internal("no value where one is stored"))?;
        match e.mandates.get(&(deputy_id, r.mandate.term_id)) {
            Some(mid) => {
                crate::store::deputies::update_mandate(&mut tx, *mid, &r.mandate, now).await?;
                updated += 1;
            }
            None => {
                new_mandates.push((deputy_id, &r.mandate));
                created += 1;
            }
        }
        if groups.insert((
            r.mandate.congress_id,
            r.mandate.delegation.clone(),
            r.mandate.professional_group.clone(),
        )) {
            crate::store::deputies::note_groups(&mut tx, &r.mandate).await?;
        }
    }
    crate::store::deputies::insert_mandates_many(&mut tx, &new_mandates, now).await?;
    app::audit::record(
        &mut tx,
        actor,
        "deputy.import",
        "deputy",
        "-",
        format!(
            "导入代表名册“{}”（SM3 {}）：新增 {created} 条，更新 {updated} 条",
            up.file_name,
            &up.sha[..16]
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome { created, updated })
}

/// The import template: the export's columns, one example row, and notes.
pub fn template() -> Result<Vec<u8>> {
    let cols: Vec<office::xlsx::Column> = crate::service::deputies::COLUMNS
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let mut w = office::xlsx::SheetWriter::new("代表名册", &cols)?;
    w.push(&[
        "示例：王某某".into(),
        "女".into(),
        "布依族".into(),
        "".into(),
        "中共党员".into(),
        "某镇某村党支部书记".into(),
        "11010519491231002X".into(),
        "13800000000".into(),
        "（填写系统中已有的人大名称）".into(),
        "17".into(),
        "第一选区".into(),
        "".into(),
        "农业农村".into(),
        "在任".into(),
        "".into(),
        "".into(),
    ])?;
    w.notes(
        "填写说明",
        &[
            (
                "必填列",
                "姓名、民族、政治面貌、身份证号、所属人大、届次、选区或选举单位",
            ),
            (
                "身份证号",
                "18 位，按 GB 11643 校验；请将该列设为“文本”格式，否则 Excel 会把它变成科学计数法",
            ),
            (
                "性别、出生日期",
                "可不填，将从身份证号读取；填写时须与身份证号一致",
            ),
            ("民族", "56 个民族的规范名称，如 汉族、布依族"),
            ("政治面貌", "如 中共党员、民盟盟员、无党派人士、群众"),
            ("所属人大", "与系统中“人大与届次”里的名称完全一致"),
            ("届次", "数字，如 17 表示第十七届"),
            (
                "状态",
                "在任 或 终止；终止时须填写终止日期（YYYY-MM-DD）和终止原因",
            ),
            (
                "重复导入",
                "同一身份证号、同一届次的行会更新已有记录，不会重复新增",
            ),
            ("示例行", "第 2 行为示例，导入前请删除"),
        ],
    )?;
    Ok(w.finish()?)
}
