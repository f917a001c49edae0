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
        } else if has_control(t) {
            self.add(field, control_message(label));
        }
        t.to_string()
    }

    /// An optional text of at most `max` characters.
    pub fn optional(&mut self, field: &str, label: &str, v: &str, max: usize) -> String {
        let t = v.trim();
        if t.chars().count() > max {
            self.add(field, format!("{label}不能超过 {max} 个字"));
        } else if has_control(t) {
            self.add(field, control_message(label));
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

/// Whether a text holds a control character other than tab, line feed and
/// carriage return (NUL and the rest of C0, DEL, C1): they cannot appear in
/// a Word or Excel document, and nobody types them.
pub fn has_control(v: &str) -> bool {
    v.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

pub fn control_message(label: &str) -> String {
    format!("{label}含有不可见的控制字符，请删除后重新填写（可从其他文档粘贴时带入）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_tabs_and_newlines_kept() {
        assert!(!has_control("第一行\n第二行\t制表\r\n"));
        for bad in ["a\u{0}b", "a\u{7}", "\u{1b}[31m", "x\u{7f}", "x\u{85}"] {
            assert!(has_control(bad), "{bad:?}");
        }
        let mut c = Check::new();
        let kept = c.text("title", "标题", "关于\u{0}道路", 50);
        assert_eq!(kept, "关于\u{0}道路", "what was typed is kept for the form");
        c.optional("note", "备注", "ok\u{8}", 50);
        let errors = c.into_errors();
        assert_eq!(errors.len(), 2);
        assert!(errors[0].message.contains("控制字符"));
        assert_eq!(errors[1].field, "note");
    }
}
