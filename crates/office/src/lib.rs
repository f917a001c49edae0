//! Office files. Spreadsheets are read into plain rows of cells and written
//! from rows, so the importers and exporters in the service layer never touch
//! a spreadsheet library's types.

pub mod docx;
pub mod xlsx;
