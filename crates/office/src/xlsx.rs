//! .xlsx reading (calamine) and writing (rust_xlsxwriter).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("无法读取文件：请上传 Excel 2007 及以上版本的 .xlsx 文件")]
    Unreadable,
    #[error("文件中没有工作表")]
    NoSheet,
    #[error("工作表是空的")]
    Empty,
    #[error("生成 Excel 文件失败：{0}")]
    Write(String),
}

impl From<XlsxError> for SheetError {
    fn from(e: XlsxError) -> Self {
        SheetError::Write(e.to_string())
    }
}

/// A cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number; Excel keeps 15 significant digits, so long codes typed as
    /// numbers arrive damaged and the importer says so.
    Number(f64),
    /// A date cell, as ISO `YYYY-MM-DD`.
    Date(String),
    Bool(bool),
}

impl Cell {
    /// The cell as text, as a person would read it.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
            Cell::Date(d) => d.clone(),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
    /// A number too long for Excel's precision (e.g. an 18-digit ID typed as a number).
    pub fn is_long_number(&self) -> bool {
        matches!(self, Cell::Number(n) if n.abs() >= 1e15)
    }
}

/// The first worksheet: its header row and the data rows with their 1-based
/// row numbers as Excel shows them. Wholly empty rows are skipped.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

impl Table {
    /// The position of a header, ignoring spaces and a trailing asterisk.
    pub fn column(&self, name: &str) -> Option<usize> {
        let norm = |s: &str| s.trim().trim_end_matches('*').trim().to_string();
        self.headers.iter().position(|h| norm(h) == norm(name))
    }
}

/// Reads the first worksheet of an .xlsx file.
pub fn read_table(bytes: &[u8]) -> Result<Table, SheetError> {
    // The reader parses untrusted bytes; a malformed cell reference made it
    // overflow an integer (found by the fuzzer), so a panic inside it is a
    // file that cannot be read, not a failed request.
    let range = std::panic::catch_unwind(|| {
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| SheetError::Unreadable)?;
        let name = wb
            .sheet_names()
            .first()
            .cloned()
            .ok_or(SheetError::NoSheet)?;
        wb.worksheet_range(&name)
            .map_err(|_| SheetError::Unreadable)
    })
    .unwrap_or(Err(SheetError::Unreadable))?;
    let (start_row, _) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows().peekable();
    let mut headers: Vec<String> = rows
        .next()
        .ok_or(SheetError::Empty)?
        .iter()
        .map(|c| convert(c).text())
        .collect();
    // An exported sheet starts with its title row (one cell); the headers follow.
    let mut skipped = 0;
    let filled = |h: &[String]| h.iter().filter(|c| !c.is_empty()).count();
    if filled(&headers) == 1
        && let Some(next) = rows.peek()
    {
        let next: Vec<String> = next.iter().map(|c| convert(c).text()).collect();
        if filled(&next) > 1 {
            headers = next;
            rows.next();
            skipped = 1;
        }
    }
    let mut out = Vec::new();
    for (i, r) in rows.enumerate() {
        let cells: Vec<Cell> = r.iter().map(convert).collect();
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        // Excel rows are 1-based; the header is the first row of the range.
        out.push((start_row as usize + skipped + i + 2, cells));
    }
    Ok(Table { headers, rows: out })
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match excel_serial_to_date(dt.as_f64()) {
            Some(d) => Cell::Date(d),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => Cell::Date(s.chars().take(10).collect()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

/// Excel's serial day numbers count from 1899-12-30 (the 1900 leap-year bug
/// included), for dates after 1900-03-01.
fn excel_serial_to_date(serial: f64) -> Option<String> {
    use jiff::ToSpan;
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = jiff::civil::Date::new(1899, 12, 30).ok()?;
    let d = base.checked_add((serial.floor() as i64).days()).ok()?;
    Some(d.to_string())
}

/// A column of an exported sheet.
pub struct Column<'a> {
    pub header: &'a str,
    pub width: f64,
}

/// A cell to write: text stays text (codes keep their leading zeros),
/// numbers are numbers a clerk can sum and sort.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    /// A ratio (0.333), shown as a percentage.
    Percent(f64),
    /// A number shown with one decimal.
    Decimal(f64),
    Empty,
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}
impl From<Option<i64>> for Value {
    fn from(n: Option<i64>) -> Self {
        n.map_or(Value::Empty, Value::Int)
    }
}

/// Writes one sheet in constant-memory mode: rows stream to a temporary file
/// rather than being held, so exports of large lists stay small in memory.
pub struct SheetWriter {
    wb: Workbook,
    row: u32,
    text_fmt: Format,
    percent_fmt: Format,
    decimal_fmt: Format,
}

impl SheetWriter {
    /// A sheet whose first row is the headers (templates to fill and re-import).
    pub fn new(sheet_name: &str, columns: &[Column<'_>]) -> Result<Self, SheetError> {
        Self::make(sheet_name, None, columns)
    }

    /// An export: a title row saying what and when (e.g. 「议案建议清单（导出时间
    /// 2026-12-04 14:03）」) above the headers. [`read_table`] skips it.
    pub fn titled(
        sheet_name: &str,
        title: &str,
        columns: &[Column<'_>],
    ) -> Result<Self, SheetError> {
        Self::make(sheet_name, Some(title), columns)
    }

    fn make(
        sheet_name: &str,
        title: Option<&str>,
        columns: &[Column<'_>],
    ) -> Result<Self, SheetError> {
        let mut wb = Workbook::new();
        let head_row: u32 = if title.is_some() { 1 } else { 0 };
        let head = Format::new()
            .set_bold()
            .set_background_color(0xDDEBF7)
            .set_align(FormatAlign::Center);
        let text_fmt = Format::new().set_num_format("@");
        {
            let ws = wb.add_worksheet_with_constant_memory();
            ws.set_name(sheet_name)?;
            for (i, c) in columns.iter().enumerate() {
                let col = i as u16;
                ws.set_column_width(col, c.width)?;
            }
            // Constant-memory mode writes rows in order: the title first.
            if let Some(t) = title {
                let big = Format::new().set_bold().set_font_size(14);
                ws.write_string_with_format(0, 0, t, &big)?;
            }
            for (i, c) in columns.iter().enumerate() {
                ws.write_string_with_format(head_row, i as u16, c.header, &head)?;
            }
            ws.set_freeze_panes(head_row + 1, 0)?;
        }
        Ok(SheetWriter {
            wb,
            row: head_row + 1,
            text_fmt,
            percent_fmt: Format::new().set_num_format("0.0%"),
            decimal_fmt: Format::new().set_num_format("0.0"),
        })
    }

    /// A row of typed cells.
    pub fn push_values(&mut self, cells: &[Value]) -> Result<(), SheetError> {
        let ws = self
            .wb
            .worksheet_from_index(0)
            .map_err(|e| SheetError::Write(e.to_string()))?;
        for (i, v) in cells.iter().enumerate() {
            let col = i as u16;
            match v {
                Value::Text(t) => {
                    ws.write_string_with_format(self.row, col, t, &self.text_fmt)?;
                }
                Value::Int(n) => {
                    ws.write_number(self.row, col, *n as f64)?;
                }
                Value::Percent(x) => {
                    ws.write_number_with_format(self.row, col, *x, &self.percent_fmt)?;
                }
                Value::Decimal(x) => {
                    ws.write_number_with_format(self.row, col, *x, &self.decimal_fmt)?;
                }
                Value::Empty => {}
            }
        }
        self.row += 1;
        Ok(())
    }

    pub fn push(&mut self, cells: &[String]) -> Result<(), SheetError> {
        let ws = self
            .wb
            .worksheet_from_index(0)
            .map_err(|e| SheetError::Write(e.to_string()))?;
        for (i, v) in cells.iter().enumerate() {
            ws.write_string_with_format(self.row, i as u16, v, &self.text_fmt)?;
        }
        self.row += 1;
        Ok(())
    }

    /// Adds a second sheet with notes (e.g. how to fill a template).
    pub fn notes(&mut self, name: &str, lines: &[(&str, &str)]) -> Result<(), SheetError> {
        let bold = Format::new().set_bold();
        let ws = self.wb.add_worksheet();
        ws.set_name(name)?;
        ws.set_column_width(0, 18)?;
        ws.set_column_width(1, 80)?;
        for (i, (k, v)) in lines.iter().enumerate() {
            ws.write_string_with_format(i as u32, 0, *k, &bold)?;
            ws.write_string(i as u32, 1, *v)?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>, SheetError> {
        Ok(self.wb.save_to_buffer()?)
    }
}

#[cfg(test)]
mod tests {

    /// The fuzzer's file whose cell reference overflowed inside the reader.
    #[test]
    fn a_file_that_breaks_the_reader_is_unreadable_not_a_panic() {
        let bytes = include_bytes!("../tests/data/overflowing_cell_reference.xlsx");
        assert!(matches!(read_table(bytes), Err(SheetError::Unreadable)));
    }

    use super::*;

    #[test]
    fn write_then_read_round_trip() {
        let cols = [
            Column {
                header: "姓名*",
                width: 10.0,
            },
            Column {
                header: "身份证号",
                width: 22.0,
            },
        ];
        let mut w = SheetWriter::new("代表", &cols).expect("writer");
        w.push(&["张三".into(), "11010519491231002X".into()])
            .expect("row");
        w.push(&["".into(), "".into()]).expect("empty row");
        w.push(&["李四".into(), "012".into()]).expect("row");
        w.notes("说明", &[("姓名", "必填")]).expect("notes");
        let bytes = w.finish().expect("bytes");
        let t = read_table(&bytes).expect("read");
        assert_eq!(t.headers, vec!["姓名*", "身份证号"]);
        assert_eq!(t.column("姓名"), Some(0));
        assert_eq!(t.rows.len(), 2, "empty row skipped");
        assert_eq!(t.rows[0].0, 2);
        assert_eq!(t.rows[1].0, 4, "row numbers as Excel shows them");
        assert_eq!(
            t.rows[1].1[1].text(),
            "012",
            "text kept with its leading zero"
        );
    }

    #[test]
    fn an_export_has_a_title_row_and_numbers_as_numbers() {
        let cols = [
            Column {
                header: "编号",
                width: 8.0,
            },
            Column {
                header: "标题",
                width: 20.0,
            },
            Column {
                header: "满意率",
                width: 8.0,
            },
        ];
        let mut w = SheetWriter::titled("清单", "议案建议清单（导出时间 2026-12-04 09:00）", &cols)
            .expect("writer");
        w.push_values(&[Value::Int(7), "修路".into(), Value::Percent(0.5)])
            .expect("row");
        w.push_values(&[Value::Empty, "公交".into(), Value::Percent(1.0)])
            .expect("row");
        let bytes = w.finish().expect("bytes");
        let t = read_table(&bytes).expect("read");
        assert_eq!(
            t.headers,
            vec!["编号", "标题", "满意率"],
            "title row skipped"
        );
        assert_eq!(t.rows[0].0, 3, "row numbers as Excel shows them");
        assert_eq!(t.rows[0].1[0], Cell::Number(7.0), "a number, not text");
        assert_eq!(t.rows[0].1[2], Cell::Number(0.5));
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(&bytes[..])).expect("open");
        let r = wb.worksheet_range("清单").expect("sheet");
        assert_eq!(
            r.get_value((0, 0)),
            Some(&Data::String(
                "议案建议清单（导出时间 2026-12-04 09:00）".into()
            ))
        );
    }

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial_to_date(45292.0).as_deref(), Some("2024-01-01"));
        assert_eq!(
            excel_serial_to_date(45292.75).as_deref(),
            Some("2024-01-01")
        );
        assert_eq!(excel_serial_to_date(10.0), None);
    }

    #[test]
    fn garbage_is_refused() {
        assert!(matches!(
            read_table(b"not a spreadsheet"),
            Err(SheetError::Unreadable)
        ));
    }

    #[test]
    fn long_numbers_are_flagged() {
        assert!(Cell::Number(1.1010519491231e17).is_long_number());
        assert_eq!(Cell::Number(13812345678.0).text(), "13812345678");
    }
}
