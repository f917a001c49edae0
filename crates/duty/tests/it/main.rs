//! HTTP tests of the duty record, in one test binary.

mod duty;
