//! The engine with a kind of its own, in one test binary.

mod test_kind;
