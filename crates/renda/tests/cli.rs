//! The calendar commands, run as a user would.

use std::process::Command;

fn renda(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_renda"))
        .args(args)
        .env("RENDA_LOG", "error")
        .output()
        .expect("renda runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        String::from_utf8_lossy(&out.stderr).trim().to_string(),
    )
}

#[test]
fn a_year_without_an_arrangement_is_refused_unless_asked_for_provisionally() {
    let (ok, out, err) = renda(&["calendar", "add-months", "2026-12-02", "3"]);
    assert!(!ok, "{out}");
    assert!(err.contains("2027"), "{err}");
    let (ok, out, err) = renda(&["calendar", "add-months", "2026-12-02", "3", "--provisional"]);
    assert!(ok, "{err}");
    assert_eq!(out, "2027-03-02", "the date alone on stdout");
    assert!(err.contains("暂定：2027 年节假日安排尚未发布"), "{err}");
    assert_eq!(err.lines().count(), 1, "a one-line note: {err}");
    let (ok, out, _) = renda(&["calendar", "is-workday", "2027-02-09", "--provisional"]);
    assert!(ok);
    assert_eq!(out, "false", "春节 made up by 第六条");
    let (ok, out, err) = renda(&[
        "calendar",
        "add-workdays",
        "2026-03-10",
        "15",
        "--provisional",
    ]);
    assert!(ok);
    assert_eq!(out, "2026-03-31");
    assert!(err.is_empty(), "a published year needs no note: {err}");
}
