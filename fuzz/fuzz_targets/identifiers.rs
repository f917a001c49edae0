//! Any text as an ID card number, a unified social credit code, a phone
//! number or a region code: refused or accepted, never a panic; what is
//! accepted parses again from its own text, and masking never shows the
//! whole of a valid number.
#![no_main]

use kernel::ids::{CreditCode, IdCardNo, PhoneNo, RegionCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = kernel::ids::mask_id_card(s);
    let _ = kernel::ids::mask_phone(s);
    let _ = kernel::calendar::parse_date(s);
    if let Ok(id) = IdCardNo::parse(s) {
        assert!(IdCardNo::parse(id.as_str()).is_ok());
        assert_ne!(id.masked(), id.as_str());
        let _ = (id.birth_date(), id.gender());
    }
    if let Ok(c) = CreditCode::parse(s) {
        assert!(CreditCode::parse(c.as_str()).is_ok());
    }
    if let Ok(p) = PhoneNo::parse(s) {
        assert!(PhoneNo::parse(p.as_str()).is_ok());
        assert_ne!(p.masked(), p.as_str());
    }
    if let Ok(r) = RegionCode::parse(s) {
        assert!(RegionCode::parse(r.as_str()).is_ok());
        let _ = (r.level(), r.parent());
    }
});
