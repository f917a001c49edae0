//! HTTP tests of the whole platform, in one test binary (one link instead of one per file).

mod contract;
mod demo;
mod errors;
mod mail;
mod matrix;
