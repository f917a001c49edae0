//! HTTP tests of the meetings, in one test binary.

mod meetings;
