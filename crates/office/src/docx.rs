//! .docx documents: the reply letter (答复函) in the letter format of
//! GB/T 9704-2012 (党政机关公文格式), and the handling record (全程纪实表).
//!
//! GB/T 9704-2012 measures used here: A4 (210 × 297 mm); top margin 37 mm,
//! left (binding) margin 28 mm; text block 156 × 225 mm, so the right margin is
//! 26 mm and the bottom 35 mm; body in 3号仿宋 (16 pt), 22 lines of 28
//! characters a page; title in 2号小标宋 (22 pt), centred. Letter format
//! (信函格式, §10.2): the issuing organ's name 30 mm from the top edge in red,
//! a red double rule (thick over thin) below it, 170 mm long and centred; no
//! page number on the first page. 版记 between rules at the foot of the last page.

use docx_rs::{
    AlignmentType, BorderType, Docx, Footer, Header, LineSpacing, LineSpacingType, PageMargin,
    PageNum, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts,
    SpecialIndentType, Table, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellMargins, TablePositionProperty, TableRow, WidthType,
};

/// 2026-11-22 → 2026年11月22日 (GB/T 9704: 成文日期用阿拉伯数字, 不编虚位).
pub fn chinese_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!(
            "{y}年{}月{}日",
            m.trim_start_matches('0'),
            d.trim_start_matches('0')
        ),
        _ => iso.to_string(),
    }
}

/// Millimetres to twentieths of a point (1 mm = 56.69 twips).
pub fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

pub const A4_WIDTH_MM: f64 = 210.0;
pub const A4_HEIGHT_MM: f64 = 297.0;
pub const TOP_MM: f64 = 37.0;
pub const LEFT_MM: f64 = 28.0;
pub const TEXT_WIDTH_MM: f64 = 156.0;
pub const TEXT_HEIGHT_MM: f64 = 225.0;
/// 3号 = 16 pt; docx sizes are half-points.
pub const BODY_HALF_POINTS: usize = 32;
/// 2号 = 22 pt.
pub const TITLE_HALF_POINTS: usize = 44;
/// 4号 = 14 pt, for 版记 and page numbers.
pub const SMALL_HALF_POINTS: usize = 28;
pub const LINES_PER_PAGE: f64 = 22.0;
pub const CHARS_PER_LINE: f64 = 28.0;

const FANGSONG: &str = "仿宋_GB2312";
const XIAOBIAOSONG: &str = "方正小标宋简体";
const HEITI: &str = "黑体";
const RED: &str = "FF0000";

/// The exact line pitch: 225 mm over 22 lines.
pub fn line_pitch() -> i32 {
    mm(TEXT_HEIGHT_MM / LINES_PER_PAGE)
}

/// Character spacing (twips) so 28 characters of 16 pt fill 156 mm.
pub fn char_spacing() -> i32 {
    let per_char = mm(TEXT_WIDTH_MM / CHARS_PER_LINE);
    per_char - 16 * 20
}

fn fonts(name: &str) -> RunFonts {
    RunFonts::new().east_asia(name).ascii(name).hi_ansi(name)
}

fn run(text: &str, size: usize, font: &str) -> Run {
    Run::new()
        .add_text(text)
        .size(size)
        .fonts(fonts(font))
        .character_spacing(char_spacing())
}

fn body_paragraph(text: &str) -> Paragraph {
    // First line indented by two characters of 16 pt.
    Paragraph::new()
        .add_run(run(text, BODY_HALF_POINTS, FANGSONG))
        .line_spacing(
            LineSpacing::new()
                .line(line_pitch())
                .line_rule(LineSpacingType::Exact),
        )
        .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
        .align(AlignmentType::Both)
}

fn plain(text: &str, align: AlignmentType) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_HALF_POINTS, FANGSONG))
        .line_spacing(
            LineSpacing::new()
                .line(line_pitch())
                .line_rule(LineSpacingType::Exact),
        )
        .align(align)
}

fn blank() -> Paragraph {
    plain("", AlignmentType::Left)
}

fn rule(
    position: ParagraphBorderPosition,
    kind: BorderType,
    color: &str,
    size: usize,
) -> ParagraphBorders {
    ParagraphBorders::with_empty().set(
        ParagraphBorder::new(position)
            .val(kind)
            .size(size)
            .space(4)
            .color(color),
    )
}

fn page_number_footer() -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(
                Run::new()
                    .add_text("— ")
                    .size(SMALL_HALF_POINTS)
                    .fonts(fonts("宋体")),
            )
            .add_page_num(PageNum::new())
            .add_run(
                Run::new()
                    .add_text(" —")
                    .size(SMALL_HALF_POINTS)
                    .fonts(fonts("宋体")),
            )
            .align(AlignmentType::Center),
    )
}

fn a4(doc: Docx) -> Docx {
    let right = A4_WIDTH_MM - LEFT_MM - TEXT_WIDTH_MM;
    let bottom = A4_HEIGHT_MM - TOP_MM - TEXT_HEIGHT_MM;
    doc.page_size(mm(A4_WIDTH_MM) as u32, mm(A4_HEIGHT_MM) as u32)
        .page_margin(
            PageMargin::new()
                .top(mm(TOP_MM))
                .left(mm(LEFT_MM))
                .right(mm(right))
                .bottom(mm(bottom))
                .header(mm(30.0))
                .footer(mm(20.0)),
        )
}

fn pack(doc: Docx) -> Result<Vec<u8>, String> {
    let mut xml = doc.build();
    xml.document = normalize_tblpr(&normalize_ppr(&xml_chars_only(&String::from_utf8_lossy(
        &xml.document,
    ))))
    .into_bytes();
    for h in xml.headers.iter_mut().chain(xml.footers.iter_mut()) {
        *h = normalize_ppr(&xml_chars_only(&String::from_utf8_lossy(h))).into_bytes();
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    xml.pack(&mut buf).map_err(|e| e.to_string())?;
    Ok(buf.into_inner())
}

/// Drops what XML 1.0 cannot hold (§2.2 Char: C0 controls but tab, line
/// feed and carriage return; U+FFFE, U+FFFF). The forms refuse such
/// characters, but text stored earlier or imported may hold them, and one of
/// them makes Word refuse the whole file. Markup never contains them, so the
/// whole part can be filtered.
pub fn xml_chars_only(xml: &str) -> String {
    xml.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect()
}

/// Paragraph properties must appear in the order of the OOXML schema
/// (CT_PPrBase); word processors ignore those out of place (LibreOffice drops
/// a border written after the alignment). The writer emits them in its own
/// order, so each `<w:pPr>` is put in schema order before packing.
pub fn normalize_ppr(xml: &str) -> String {
    const ORDER: &[&str] = &[
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:framePr",
        "w:widowControl",
        "w:numPr",
        "w:suppressLineNumbers",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    ];
    in_schema_order(xml, "w:pPr", ORDER)
}

/// Table properties in the order of CT_TblPr: a floating position written
/// after the width is ignored.
pub fn normalize_tblpr(xml: &str) -> String {
    const ORDER: &[&str] = &[
        "w:tblStyle",
        "w:tblpPr",
        "w:tblOverlap",
        "w:bidiVisual",
        "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize",
        "w:tblW",
        "w:jc",
        "w:tblCellSpacing",
        "w:tblInd",
        "w:tblBorders",
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
    ];
    in_schema_order(xml, "w:tblPr", ORDER)
}

/// Puts the children of every `<element>` in the given order (unknown ones
/// last, stable otherwise) and drops empty `<w:rPr />` children.
fn in_schema_order(xml: &str, element: &str, order: &[&str]) -> String {
    let (open, close) = (format!("<{element}>"), format!("</{element}>"));
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let Some(end) = rest[start..].find(&close).map(|e| start + e) else {
            break;
        };
        out.push_str(&rest[..start + open.len()]);
        let inner = &rest[start + open.len()..end];
        let mut children = split_children(inner);
        children.sort_by_key(|c| {
            let name: String = c
                .trim_start_matches('<')
                .chars()
                .take_while(|ch| !ch.is_whitespace() && *ch != '>' && *ch != '/')
                .collect();
            order.iter().position(|o| *o == name).unwrap_or(order.len())
        });
        // An empty run-property element says nothing and is dropped.
        for c in children.into_iter().filter(|c| c.trim() != "<w:rPr />") {
            out.push_str(c);
        }
        out.push_str(&close);
        rest = &rest[end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// Splits an element's content into its top-level child elements.
fn split_children(inner: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = inner.as_bytes();
    let (mut depth, mut begin, mut i) = (0i32, 0usize, 0usize);
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let close = inner[i..]
                .find('>')
                .map(|e| i + e)
                .unwrap_or(bytes.len() - 1);
            let tag = &inner[i..=close];
            if depth == 0 {
                begin = i;
            }
            if tag.starts_with("</") {
                depth -= 1;
            } else if !tag.ends_with("/>") {
                depth += 1;
            }
            if depth == 0 {
                out.push(&inner[begin..=close]);
            }
            i = close + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// A reply letter's parts, already worded.
#[derive(Debug, Clone, Default)]
pub struct ReplyLetter {
    /// 发文机关标志, e.g. 清溪县交通运输局.
    pub organ: String,
    /// 发文字号, e.g. 清交答〔2026〕57号.
    pub number: String,
    pub title: String,
    /// 主送, e.g. 吕雪梅代表.
    pub addressee: String,
    pub paragraphs: Vec<String>,
    /// 发文机关署名.
    pub signature: String,
    /// 成文日期, e.g. 2026年11月22日.
    pub date: String,
    /// 附注, e.g. （联系人：李某，联系电话：0859-1234567）.
    pub note: String,
    /// 抄送.
    pub copy_to: String,
    /// 印发机关.
    pub issuer: String,
}

/// Writes a document in the letter format of GB/T 9704-2012 (a reply letter,
/// a standing committee's decision or deliberation opinion).
pub fn reply_letter(l: &ReplyLetter) -> Result<Vec<u8>, String> {
    let head = Header::new().add_paragraph(
        Paragraph::new()
            .add_run(
                Run::new()
                    .add_text(&l.organ)
                    .size(52)
                    .fonts(fonts(XIAOBIAOSONG))
                    .color(RED)
                    .character_spacing(40),
            )
            .align(AlignmentType::Center)
            .indent(Some(-mm(7.0)), None, Some(-mm(7.0)), None)
            .set_borders(rule(
                ParagraphBorderPosition::Bottom,
                BorderType::ThickThinSmallGap,
                RED,
                24,
            )),
    );
    let mut doc = a4(Docx::new())
        .first_header(head)
        .first_footer(Footer::new().add_paragraph(Paragraph::new()))
        .footer(page_number_footer())
        .title_pg()
        .default_fonts(fonts(FANGSONG))
        .default_size(BODY_HALF_POINTS);
    doc = doc.add_paragraph(plain(&l.number, AlignmentType::Right));
    doc = doc.add_paragraph(blank());
    doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(
                Run::new()
                    .add_text(&l.title)
                    .size(TITLE_HALF_POINTS)
                    .fonts(fonts(XIAOBIAOSONG)),
            )
            .line_spacing(
                LineSpacing::new()
                    .line(mm(12.0))
                    .line_rule(LineSpacingType::Exact),
            )
            .align(AlignmentType::Center),
    );
    doc = doc.add_paragraph(blank());
    // A decision or resolution is addressed to no one.
    if !l.addressee.is_empty() {
        doc = doc.add_paragraph(plain(&format!("{}：", l.addressee), AlignmentType::Left));
    }
    for p in &l.paragraphs {
        doc = doc.add_paragraph(body_paragraph(p));
    }
    doc = doc.add_paragraph(blank());
    doc = doc.add_paragraph(plain(&l.signature, AlignmentType::Right).indent(
        None,
        None,
        Some(mm(22.0)),
        None,
    ));
    doc = doc.add_paragraph(plain(&l.date, AlignmentType::Right).indent(
        None,
        None,
        Some(mm(22.0)),
        None,
    ));
    if !l.note.is_empty() {
        doc = doc.add_paragraph(body_paragraph(&l.note));
    }
    doc = doc.add_paragraph(blank());
    // The floating table anchors to the paragraph after it.
    pack(doc.add_table(imprint(l)).add_paragraph(Paragraph::new()))
}

/// 版记 (GB/T 9704 §8): 抄送 and 印发 between rules at the foot of the last
/// page — first and last rules 0.35 mm, the one between 0.25 mm. It is a
/// table as wide as the text area, floating at the bottom margin, so it
/// stays there however long the body runs. Paragraph frames would do the
/// same in Word, but LibreOffice drops a frame whose paragraphs carry
/// borders; LibreOffice 7.4 also shows a full-width floating table inline,
/// right after the body (newer versions float it).
fn imprint(l: &ReplyLetter) -> Table {
    // One 4号 character of indent on each side, inside the rules.
    let one_char = SMALL_HALF_POINTS as i32 * 10;
    let small = |t: &str, align: AlignmentType| {
        Paragraph::new()
            .add_run(run(t, SMALL_HALF_POINTS, FANGSONG))
            .indent(Some(one_char), None, Some(one_char), None)
            .align(align)
    };
    let half = (mm(TEXT_WIDTH_MM) / 2) as usize;
    let cell = |p: Paragraph| {
        TableCell::new()
            .add_paragraph(p)
            .width(half, WidthType::Dxa)
    };
    let rule = |pos: TableBorderPosition, eighths: usize| {
        TableBorder::new(pos)
            .border_type(BorderType::Single)
            .size(eighths)
            .color("000000")
    };
    let mut rows = Vec::new();
    // No 抄送 line when the document is copied to no one.
    if !l.copy_to.is_empty() {
        rows.push(TableRow::new(vec![
            cell(small(
                &format!("抄送：{}。", l.copy_to),
                AlignmentType::Left,
            ))
            .grid_span(2),
        ]));
    }
    rows.push(TableRow::new(vec![
        cell(small(&l.issuer, AlignmentType::Left)),
        cell(small(&format!("{}印发", l.date), AlignmentType::Right)),
    ]));
    Table::new(rows)
        .set_grid(vec![half, half])
        .width(mm(TEXT_WIDTH_MM) as usize, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
        .set_borders(
            TableBorders::with_empty()
                .set(rule(TableBorderPosition::Top, 8))
                .set(rule(TableBorderPosition::InsideH, 6))
                .set(rule(TableBorderPosition::Bottom, 8)),
        )
        .position(
            TablePositionProperty::new()
                .vertical_anchor("margin")
                .horizontal_anchor("margin")
                .position_x_alignment("center")
                .position_y_alignment("bottom"),
        )
}

/// A two-column record: label and content, under a title.
pub fn record(title: &str, subtitle: &str, rows: &[(String, String)]) -> Result<Vec<u8>, String> {
    let mut doc = a4(Docx::new())
        .footer(page_number_footer())
        .default_fonts(fonts(FANGSONG))
        .default_size(24);
    doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(
                Run::new()
                    .add_text(title)
                    .size(TITLE_HALF_POINTS)
                    .fonts(fonts(XIAOBIAOSONG)),
            )
            .align(AlignmentType::Center),
    );
    if !subtitle.is_empty() {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(subtitle).size(24).fonts(fonts(HEITI)))
                .align(AlignmentType::Center),
        );
    }
    let label_w = mm(28.0) as usize;
    let content_w = mm(TEXT_WIDTH_MM - 28.0) as usize;
    let mut table_rows = Vec::new();
    for (label, content) in rows {
        let mut cell = TableCell::new().width(content_w, WidthType::Dxa);
        for line in content.lines() {
            cell = cell.add_paragraph(Paragraph::new().add_run(Run::new().add_text(line).size(24)));
        }
        if content.is_empty() {
            cell = cell.add_paragraph(Paragraph::new());
        }
        table_rows.push(TableRow::new(vec![
            TableCell::new()
                .width(label_w, WidthType::Dxa)
                .add_paragraph(
                    Paragraph::new()
                        .add_run(Run::new().add_text(label).size(24).fonts(fonts(HEITI))),
                ),
            cell,
        ]));
    }
    doc = doc.add_table(
        Table::new(table_rows)
            .set_grid(vec![label_w, content_w])
            .width(label_w + content_w, WidthType::Dxa),
    );
    pack(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
        let mut s = String::new();
        zip.by_name("word/document.xml")
            .expect("document.xml")
            .read_to_string(&mut s)
            .expect("read");
        s
    }

    #[test]
    fn measures_of_gb_t_9704() {
        assert_eq!(mm(210.0), 11906);
        assert_eq!(mm(297.0), 16838);
        assert_eq!(mm(37.0), 2098);
        assert_eq!(mm(28.0), 1587);
        // 22 lines in 225 mm: about 29 pt a line.
        assert_eq!(line_pitch(), 580);
        // 28 characters in 156 mm: a little tighter than 16 pt.
        assert_eq!(char_spacing(), -4);
    }

    #[test]
    fn the_letter_has_a4_margins_fonts_and_parts() {
        let bytes = reply_letter(&ReplyLetter {
            organ: "清溪县交通运输局".into(),
            number: "清交答〔2026〕57号".into(),
            title: "关于县十七届人大六次会议第57号建议的答复".into(),
            addressee: "吕雪梅代表".into(),
            paragraphs: vec!["您提出的建议收悉。".into()],
            signature: "清溪县交通运输局".into(),
            date: "2026年11月22日".into(),
            note: "（联系人：李某，联系电话：0859-1234567）".into(),
            copy_to: "县人大常委会代表工作委员会，县人民政府办公室".into(),
            issuer: "清溪县交通运输局办公室".into(),
        })
        .expect("letter");
        let xml = document_xml(&bytes);
        assert!(
            xml.contains("w:w=\"11906\"") && xml.contains("w:h=\"16838\""),
            "A4"
        );
        assert!(
            xml.contains("w:top=\"2098\"") && xml.contains("w:left=\"1587\""),
            "margins"
        );
        assert!(
            xml.contains("w:titlePg"),
            "no page number on the first page"
        );
        assert!(xml.contains("仿宋_GB2312") && xml.contains("方正小标宋简体"));
        assert!(xml.contains("w:val=\"44\""), "2号 title");
        assert!(xml.contains("吕雪梅代表：") && xml.contains("抄送："));
        // 版记 floats at the foot of the page, its position first in tblPr.
        assert!(
            xml.contains("<w:tblPr><w:tblpPr w:vertAnchor=\"margin\"")
                && xml.contains("w:tblpYSpec=\"bottom\""),
            "imprint at the bottom margin"
        );
    }

    #[test]
    fn paragraph_properties_follow_the_schema_order() {
        let xml = "<w:p><w:pPr><w:rPr /><w:jc w:val=\"center\" /><w:ind w:left=\"1\" /><w:pBdr><w:bottom w:val=\"double\" /></w:pBdr></w:pPr><w:r/></w:p>";
        assert_eq!(
            normalize_ppr(xml),
            "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"double\" /></w:pBdr><w:ind w:left=\"1\" /><w:jc w:val=\"center\" /></w:pPr><w:r/></w:p>"
        );
    }

    #[test]
    fn control_characters_never_reach_the_document() {
        let rows = vec![(
            "内容".to_string(),
            "a\u{0}b\u{1}c\u{1b}d\u{ffff}e\n第二行".to_string(),
        )];
        let bytes = record("标题\u{7}", "副\u{0}标题", &rows).expect("docx");
        let xml = document_xml(&bytes);
        assert!(
            !xml.chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        );
        assert!(xml.contains("abcde"));
        assert!(xml.contains("副标题"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any text in, a document whose XML parses.
        #[test]
        fn any_text_gives_a_well_formed_document(text in "\\PC*|[\\x00-\\x1f<>&\"']{0,40}") {
            let rows = vec![("内容".to_string(), text.clone())];
            let bytes = record(&text, &text, &rows).expect("docx");
            let xml = document_xml(&bytes);
            proptest::prop_assert!(well_formed(&xml), "malformed: {xml}");
        }
    }

    /// Parses the whole part with an XML parser: any error (a forbidden
    /// character, a bad entity, unbalanced tags) fails.
    fn well_formed(xml: &str) -> bool {
        let mut r = quick_xml::Reader::from_str(xml);
        r.config_mut().check_end_names = true;
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => return true,
                Ok(quick_xml::events::Event::Text(t)) => {
                    if t.unescape().is_err() {
                        return false;
                    }
                    if t.iter()
                        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
                    {
                        return false;
                    }
                }
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    }

    #[test]
    fn the_record_is_a_table() {
        let bytes = record(
            "代表建议办理全程纪实表",
            "第 57 号",
            &[
                ("标题".into(), "关于…的建议".into()),
                ("答复".into(), "第一行\n第二行".into()),
            ],
        )
        .expect("record");
        let xml = document_xml(&bytes);
        assert!(xml.contains("<w:tbl>") && xml.contains("第二行"));
    }
}
