//! Any bytes uploaded as a roster or a unit list: refused or read, never a
//! panic, and a table read has a header row.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = app::imports::read(data, &["姓名"]) {
        let _ = format!("{table:?}");
    }
});
