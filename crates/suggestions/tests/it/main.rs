//! HTTP tests of the suggestion loop, in one test binary (one link instead of one per file).

mod batch;
mod cosigning;
mod drafts;
mod forms;
mod idempotency;
mod list;
mod local_rule;
mod numbering;
mod provisional;
mod stats_page;
mod suggestions;
