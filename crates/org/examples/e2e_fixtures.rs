//! Writes the spreadsheets the browser tests upload: a roster with one bad
//! row, and the same roster corrected. Usage: `e2e_fixtures OUT_DIR`.

fn id_card(i: u32) -> String {
    let body = format!("522921198{}0{}15{:03}", i % 10, 1 + i % 9, 200 + i);
    format!(
        "{body}{}",
        kernel::ids::id_card_check_char(&body).unwrap_or('0')
    )
}

fn roster(bad: bool) -> Vec<u8> {
    let cols: Vec<office::xlsx::Column> = org::service::deputies::COLUMNS
        .iter()
        .map(|(h, w)| office::xlsx::Column {
            header: h,
            width: *w,
        })
        .collect();
    let mut w = office::xlsx::SheetWriter::new("代表名册", &cols).expect("writer");
    let people = [
        ("浏览器甲", "13700001111"),
        ("浏览器乙", "13700002222"),
        ("浏览器丙", "13700003333"),
    ];
    for (i, (name, phone)) in people.iter().enumerate() {
        let id = id_card(i as u32 + 1);
        // The second row's ID number has a wrong check character in the bad file.
        let id = if bad && i == 1 {
            format!("{}{}", &id[..17], if id.ends_with('1') { '2' } else { '1' })
        } else {
            id
        };
        let row = [
            *name,
            "",
            "汉族",
            "",
            "中共党员",
            "村委会主任",
            &id,
            phone,
            "清溪县人民代表大会",
            "17",
            "城关镇第5选区",
            "城关镇代表团",
            "农业农村",
            "在任",
            "",
            "",
        ];
        w.push(&row.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .expect("row");
    }
    w.finish().expect("bytes")
}

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    std::fs::create_dir_all(&out).expect("out dir");
    std::fs::write(format!("{out}/roster_bad.xlsx"), roster(true)).expect("write");
    std::fs::write(format!("{out}/roster_good.xlsx"), roster(false)).expect("write");
    println!("{out}/roster_bad.xlsx {out}/roster_good.xlsx");
}
