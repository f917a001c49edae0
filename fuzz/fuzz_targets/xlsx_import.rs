//! Any bytes uploaded as a roster or a unit list: refused or read, never a
//! panic that escapes, and a table read has a header row.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // libFuzzer's panic hook aborts before `read_table` can catch the
    // reader's own panics (which it turns into "unreadable"); with the
    // default hook, a panic that escapes still aborts at the FFI boundary
    // and is reported as a crash.
    static DEFAULT_HOOK: std::sync::Once = std::sync::Once::new();
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    if let Ok(table) = app::imports::read(data, &["姓名"]) {
        let _ = format!("{table:?}");
    }
});
