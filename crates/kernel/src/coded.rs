//! Enums with a stable code (stored, and used in the API) and a Chinese label
//! (shown), defined once for every capability.

/// Declares an enum whose variants each have a stable snake_case code and a
/// Chinese label, with `ALL`, `code()`, `label()`, `parse()` (accepting
/// either) and `Display` (the label). The calling crate needs `serde` and
/// `utoipa`.
#[macro_export]
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($var:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$var => $code),+ }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$var => $label),+ }
            }
            /// Accepts the code or the Chinese label.
            pub fn parse(s: &str) -> Option<Self> {
                let t = s.trim();
                $(if t == $code || t == $label { return Some($name::$var); })+
                None
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
