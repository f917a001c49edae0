//! Collects field errors so a form shows every problem at once.

use crate::error::{Error, FieldError};

#[derive(Default)]
pub struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// Keeps the value of a parse, or records its error.
    pub fn take<T, E: std::fmt::Display>(&mut self, field: &str, r: Result<T, E>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    /// A required text of at most `max` characters, trimmed.
    pub fn text(&mut self, field: &str, label: &str, v: &str, max: usize) -> String {
        let t = v.trim();
        if t.is_empty() {
            self.add(field, format!("请填写{label}"));
        } else if t.chars().count() > max {
            self.add(field, format!("{label}不能超过 {max} 个字"));
        }
        t.to_string()
    }

    /// An optional text of at most `max` characters.
    pub fn optional(&mut self, field: &str, label: &str, v: &str, max: usize) -> String {
        let t = v.trim();
        if t.chars().count() > max {
            self.add(field, format!("{label}不能超过 {max} 个字"));
        }
        t.to_string()
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn finish(self) -> Result<(), Error> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.errors))
        }
    }

    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }
}
