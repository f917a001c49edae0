//! Deputies (a person) and their mandates (one per level and term).
//!
//! One person can sit in congresses of several levels: the person's data lives
//! once in `deputy`, each seat in `deputy_mandate`. The roster lists mandates.
//! Phone and ID number are stored only encrypted (SM4-GCM); the ID number's
//! keyed hash (`id_card_index`) identifies a person on re-import.

use db::sql::{bind_all, bind_all_scalar};
use db::{Conn, Page, Paged, Result, Where};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeputyRow {
    pub id: i64,
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub party: String,
    pub occupation: String,
    pub phone_enc: Option<String>,
    pub id_card_enc: String,
    pub id_card_index: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const DEPUTY_COLS: &str = "id, name, gender, ethnicity, birth_date, party, occupation, phone_enc, id_card_enc, id_card_index, created_at, updated_at";

#[derive(Debug, Clone)]
pub struct DeputyData {
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub party: String,
    pub occupation: String,
    pub phone_enc: Option<String>,
    pub id_card_enc: String,
    pub id_card_index: String,
}

pub async fn insert(conn: &mut Conn, d: &DeputyData, now: i64) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO deputy (name, gender, ethnicity, birth_date, party, occupation, phone_enc, id_card_enc, id_card_index, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(&d.name)
    .bind(&d.gender)
    .bind(&d.ethnicity)
    .bind(&d.birth_date)
    .bind(&d.party)
    .bind(&d.occupation)
    .bind(&d.phone_enc)
    .bind(&d.id_card_enc)
    .bind(&d.id_card_index)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn update(conn: &mut Conn, id: i64, d: &DeputyData, now: i64) -> Result<u64> {
    sqlx::query(
        "UPDATE deputy SET name = $1, gender = $2, ethnicity = $3, birth_date = $4, party = $5, occupation = $6,
         phone_enc = $7, id_card_enc = $8, id_card_index = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(&d.name)
    .bind(&d.gender)
    .bind(&d.ethnicity)
    .bind(&d.birth_date)
    .bind(&d.party)
    .bind(&d.occupation)
    .bind(&d.phone_enc)
    .bind(&d.id_card_enc)
    .bind(&d.id_card_index)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<DeputyRow>> {
    sqlx::query_as(&format!("SELECT {DEPUTY_COLS} FROM deputy WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn find_by_id_card_index(conn: &mut Conn, index: &str) -> Result<Option<DeputyRow>> {
    sqlx::query_as(&format!(
        "SELECT {DEPUTY_COLS} FROM deputy WHERE id_card_index = $1"
    ))
    .bind(index)
    .fetch_optional(conn)
    .await
}

/// Rows per multi-row INSERT: well under both backends' parameter limits.
const BATCH: usize = 200;

/// Inserts many persons with one statement per batch; returns their ids by ID-number index.
pub async fn insert_many(
    conn: &mut Conn,
    people: &[&DeputyData],
    now: i64,
) -> Result<std::collections::HashMap<String, i64>> {
    let mut out = std::collections::HashMap::new();
    for chunk in people.chunks(BATCH) {
        let mut w = Where::new();
        let mut values = Vec::with_capacity(chunk.len());
        for d in chunk {
            let marks = [
                w.arg(d.name.clone()),
                w.arg(d.gender.clone()),
                w.arg(d.ethnicity.clone()),
                w.arg(d.birth_date.clone()),
                w.arg(d.party.clone()),
                w.arg(d.occupation.clone()),
                match &d.phone_enc {
                    Some(p) => w.arg(p.clone()),
                    None => "NULL".to_string(),
                },
                w.arg(d.id_card_enc.clone()),
                w.arg(d.id_card_index.clone()),
                w.arg(now),
                w.arg(now),
            ];
            values.push(format!("({})", marks.join(", ")));
        }
        let sql = format!(
            "INSERT INTO deputy (name, gender, ethnicity, birth_date, party, occupation, phone_enc, id_card_enc, id_card_index, created_at, updated_at)
             VALUES {} RETURNING id_card_index, id",
            values.join(", ")
        );
        let rows: Vec<(String, i64)> = bind_all(sqlx::query_as(&sql), &w.args)
            .fetch_all(&mut *conn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Inserts many mandates with one statement per batch.
pub async fn insert_mandates_many(
    conn: &mut Conn,
    mandates: &[(i64, &MandateData)],
    now: i64,
) -> Result<()> {
    for chunk in mandates.chunks(BATCH) {
        let mut w = Where::new();
        let mut values = Vec::with_capacity(chunk.len());
        for (deputy_id, m) in chunk {
            let opt = |w: &mut Where, v: &Option<String>| match v {
                Some(x) => w.arg(x.clone()),
                None => "NULL".to_string(),
            };
            let marks = [
                w.arg(*deputy_id),
                w.arg(m.congress_id),
                w.arg(m.term_id),
                w.arg(m.level.clone()),
                w.arg(m.constituency.clone()),
                w.arg(m.delegation.clone()),
                w.arg(m.professional_group.clone()),
                w.arg(m.status.clone()),
                opt(&mut w, &m.terminated_on),
                opt(&mut w, &m.termination_reason),
                w.arg(now),
                w.arg(now),
            ];
            values.push(format!("({})", marks.join(", ")));
        }
        let sql = format!(
            "INSERT INTO deputy_mandate (deputy_id, congress_id, term_id, level, constituency, delegation, professional_group,
             status, terminated_on, termination_reason, created_at, updated_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for a in &w.args {
            q = match a {
                db::Arg::Int(i) => q.bind(*i),
                db::Arg::Text(t) => q.bind(t.clone()),
            };
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct MandateData {
    pub congress_id: i64,
    pub term_id: i64,
    pub level: String,
    pub constituency: String,
    pub delegation: String,
    pub professional_group: String,
    pub status: String,
    pub terminated_on: Option<String>,
    pub termination_reason: Option<String>,
}

/// Records a mandate's delegation and group in the menus' table; call it with
/// every mandate written.
pub async fn note_groups(conn: &mut Conn, m: &MandateData) -> Result<()> {
    for (kind, name) in [
        ("delegation", &m.delegation),
        ("professional_group", &m.professional_group),
    ] {
        if name.is_empty() {
            continue;
        }
        sqlx::query("INSERT INTO roster_group (congress_id, kind, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(m.congress_id)
            .bind(kind)
            .bind(name)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert_mandate(
    conn: &mut Conn,
    deputy_id: i64,
    m: &MandateData,
    now: i64,
) -> Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO deputy_mandate (deputy_id, congress_id, term_id, level, constituency, delegation, professional_group,
         status, terminated_on, termination_reason, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(deputy_id)
    .bind(m.congress_id)
    .bind(m.term_id)
    .bind(&m.level)
    .bind(&m.constituency)
    .bind(&m.delegation)
    .bind(&m.professional_group)
    .bind(&m.status)
    .bind(&m.terminated_on)
    .bind(&m.termination_reason)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn update_mandate(conn: &mut Conn, id: i64, m: &MandateData, now: i64) -> Result<u64> {
    sqlx::query(
        "UPDATE deputy_mandate SET congress_id = $1, term_id = $2, level = $3, constituency = $4, delegation = $5,
         professional_group = $6, status = $7, terminated_on = $8, termination_reason = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(m.congress_id)
    .bind(m.term_id)
    .bind(&m.level)
    .bind(&m.constituency)
    .bind(&m.delegation)
    .bind(&m.professional_group)
    .bind(&m.status)
    .bind(&m.terminated_on)
    .bind(&m.termination_reason)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

pub async fn find_mandate(conn: &mut Conn, deputy_id: i64, term_id: i64) -> Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM deputy_mandate WHERE deputy_id = $1 AND term_id = $2")
        .bind(deputy_id)
        .bind(term_id)
        .fetch_optional(conn)
        .await
}

/// A roster row: one mandate with its person, congress and term.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MandateView {
    pub mandate_id: i64,
    pub deputy_id: i64,
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub party: String,
    pub occupation: String,
    pub phone_enc: Option<String>,
    pub id_card_enc: String,
    pub congress_id: i64,
    pub congress_name: String,
    pub term_id: i64,
    pub term_number: i64,
    pub level: String,
    pub constituency: String,
    pub delegation: String,
    pub professional_group: String,
    pub status: String,
    pub terminated_on: Option<String>,
    pub termination_reason: Option<String>,
}

const VIEW_SELECT: &str = "SELECT m.id AS mandate_id, d.id AS deputy_id, d.name, d.gender, d.ethnicity, d.birth_date, d.party,
    d.occupation, d.phone_enc, d.id_card_enc, m.congress_id, c.name AS congress_name, m.term_id, t.number AS term_number, m.level,
    m.constituency, m.delegation, m.professional_group, m.status, m.terminated_on, m.termination_reason
    FROM deputy_mandate m JOIN deputy d ON d.id = m.deputy_id JOIN congress c ON c.id = m.congress_id
    JOIN term t ON t.id = m.term_id";

#[derive(Debug, Default, Clone)]
pub struct MandateFilter {
    /// Congresses the caller may see; `None` = all.
    pub congress_ids: Option<Vec<i64>>,
    pub deputy_id: Option<i64>,
    pub congress_id: Option<i64>,
    pub term_id: Option<i64>,
    pub level: Option<String>,
    pub status: Option<String>,
    pub name: Option<String>,
    pub delegation: Option<String>,
    pub professional_group: Option<String>,
    pub constituency: Option<String>,
}

fn where_of(f: &MandateFilter) -> (Where, bool) {
    let mut w = Where::new();
    let mut needs_person = false;
    if let Some(ids) = &f.congress_ids {
        w.in_list("m.congress_id", ids);
    }
    if let Some(id) = f.deputy_id {
        w.eq("m.deputy_id", id);
    }
    if let Some(id) = f.congress_id {
        w.eq("m.congress_id", id);
    }
    if let Some(id) = f.term_id {
        w.eq("m.term_id", id);
    }
    if let Some(l) = &f.level {
        w.eq("m.level", l.as_str());
    }
    if let Some(s) = &f.status {
        w.eq("m.status", s.as_str());
    }
    if let Some(n) = &f.name {
        w.contains("d.name", n);
        needs_person = true;
    }
    if let Some(v) = &f.delegation {
        w.eq("m.delegation", v.as_str());
    }
    if let Some(v) = &f.professional_group {
        w.eq("m.professional_group", v.as_str());
    }
    if let Some(v) = &f.constituency {
        w.contains("m.constituency", v);
    }
    (w, needs_person)
}

pub async fn list(conn: &mut Conn, f: &MandateFilter, page: Page) -> Result<Paged<MandateView>> {
    let (w, needs_person) = where_of(f);
    // The count joins the person only when a filter needs it.
    let from = if needs_person {
        format!(
            "deputy_mandate m JOIN deputy d ON d.id = m.deputy_id{}",
            w.sql()
        )
    } else {
        format!("deputy_mandate m{}", w.sql())
    };
    let (total, capped) = db::sql::count_capped(conn, &from, &w.args).await?;
    // The page's ids are chosen from the indexes alone; only its 20 rows are joined.
    let sql = format!(
        "{VIEW_SELECT} WHERE m.id IN (SELECT m.id FROM {from} ORDER BY m.id{}) ORDER BY m.id",
        page.sql()
    );
    let items = bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Paged {
        items,
        total,
        capped,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Rows for export, keyset-batched by mandate id.
pub async fn batch_after(
    conn: &mut Conn,
    f: &MandateFilter,
    after_id: i64,
    limit: i64,
) -> Result<Vec<MandateView>> {
    let (mut w, _) = where_of(f);
    w.raw("m.id > {}", vec![after_id.into()]);
    let sql = format!("{VIEW_SELECT}{} ORDER BY m.id LIMIT {limit}", w.sql());
    bind_all(sqlx::query_as(&sql), &w.args)
        .fetch_all(conn)
        .await
}

pub async fn get_mandate(conn: &mut Conn, mandate_id: i64) -> Result<Option<MandateView>> {
    sqlx::query_as(&format!("{VIEW_SELECT} WHERE m.id = $1"))
        .bind(mandate_id)
        .fetch_optional(conn)
        .await
}

pub async fn mandates_of(conn: &mut Conn, deputy_id: i64) -> Result<Vec<MandateView>> {
    sqlx::query_as(&format!(
        "{VIEW_SELECT} WHERE m.deputy_id = $1 ORDER BY t.start_date DESC"
    ))
    .bind(deputy_id)
    .fetch_all(conn)
    .await
}

/// Delegations and professional groups of some congresses, for filter menus.
pub async fn groups(
    conn: &mut Conn,
    congress_ids: Option<&[i64]>,
) -> Result<(Vec<String>, Vec<String>)> {
    let mut out = (Vec::new(), Vec::new());
    for kind in ["delegation", "professional_group"] {
        let mut w = Where::new();
        if let Some(ids) = congress_ids {
            w.in_list("congress_id", ids);
        }
        w.eq("kind", kind);
        let names: Vec<String> = bind_all_scalar(
            sqlx::query_scalar(&format!(
                "SELECT DISTINCT name FROM roster_group{} ORDER BY name",
                w.sql()
            )),
            &w.args,
        )
        .fetch_all(&mut *conn)
        .await?;
        if kind == "delegation" {
            out.0 = names;
        } else {
            out.1 = names;
        }
    }
    Ok(out)
}

/// Person ids by ID-number index, for many rows at once (imports).
pub async fn ids_by_index(
    conn: &mut Conn,
    indexes: &[String],
) -> Result<std::collections::HashMap<String, i64>> {
    let mut out = std::collections::HashMap::new();
    for chunk in indexes.chunks(500) {
        let mut w = Where::new();
        let marks: Vec<String> = chunk.iter().map(|i| w.arg(i.clone())).collect();
        let sql = format!(
            "SELECT id_card_index, id FROM deputy WHERE id_card_index IN ({})",
            marks.join(", ")
        );
        let rows: Vec<(String, i64)> = bind_all(sqlx::query_as(&sql), &w.args)
            .fetch_all(&mut *conn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Mandate ids by (person, term), for many persons at once (imports).
pub async fn mandates_of_many(
    conn: &mut Conn,
    deputy_ids: &[i64],
) -> Result<std::collections::HashMap<(i64, i64), i64>> {
    let mut out = std::collections::HashMap::new();
    for chunk in deputy_ids.chunks(500) {
        let mut w = Where::new();
        w.in_list("deputy_id", chunk);
        let sql = format!(
            "SELECT deputy_id, term_id, id FROM deputy_mandate{}",
            w.sql()
        );
        let rows: Vec<(i64, i64, i64)> = bind_all(sqlx::query_as(&sql), &w.args)
            .fetch_all(&mut *conn)
            .await?;
        out.extend(rows.into_iter().map(|(d, t, id)| ((d, t), id)));
    }
    Ok(out)
}

/// In-office deputies of a congress as (person id, name, constituency), for choosing co-signers.
pub async fn in_office_of(conn: &mut Conn, congress_id: i64) -> Result<Vec<(i64, String, String)>> {
    sqlx::query_as(
        "SELECT d.id, d.name, m.constituency FROM deputy_mandate m JOIN deputy d ON d.id = m.deputy_id
         WHERE m.congress_id = $1 AND m.status = 'in_office' ORDER BY m.constituency, d.name LIMIT 3000",
    )
    .bind(congress_id)
    .fetch_all(conn)
    .await
}

/// Whether the deputy holds a mandate in office in this congress.
pub async fn serves_in(conn: &mut Conn, deputy_id: i64, congress_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM deputy_mandate WHERE deputy_id = $1 AND congress_id = $2 AND status = 'in_office'",
    )
    .bind(deputy_id)
    .bind(congress_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
