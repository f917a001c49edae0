//! The database plumbing on real databases, in one test binary.

mod audit_chain;
mod backup;
mod transactions;
mod writer;
