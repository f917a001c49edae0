//! Password policy (GB/T 22239-2019 8.1.4.1 a: identification and complexity).

/// At least 8 characters from at least 3 of the 4 classes (lower case, upper
/// case, digits, other printable characters), and not containing the username.
pub fn check_password_policy(username: &str, password: &str) -> Result<(), String> {
    if password.chars().count() < 8 {
        return Err("密码至少 8 位".into());
    }
    if password.chars().count() > 128 {
        return Err("密码不能超过 128 位".into());
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err("密码须包含大写字母、小写字母、数字、符号中的至少 3 类".into());
    }
    let u = username.trim().to_lowercase();
    if !u.is_empty() && password.to_lowercase().contains(&u) {
        return Err("密码不能包含用户名".into());
    }
    Ok(())
}

/// Usernames: 3–32 characters of letters, digits, `.`, `_`, `-`.
pub fn check_username(username: &str) -> Result<(), String> {
    let n = username.chars().count();
    if !(3..=32).contains(&n) {
        return Err("用户名长度应为 3 到 32 个字符".into());
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err("用户名只能包含字母、数字、点、下划线和连字符".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_edges() {
        assert!(check_password_policy("zhang", "Abcdef1!").is_ok());
        assert!(
            check_password_policy("zhang", "abcdef12").is_err(),
            "two classes"
        );
        assert!(
            check_password_policy("zhang", "Abcdef1").is_err(),
            "seven characters"
        );
        assert!(
            check_password_policy("zhang", "abcdeF12").is_ok(),
            "three classes"
        );
        assert!(
            check_password_policy("zhang", "Zhang2026!").is_err(),
            "contains username"
        );
        assert!(check_password_policy("zhang", "ABCDEFG1!").is_ok());
    }

    #[test]
    fn usernames() {
        assert!(check_username("admin").is_ok());
        assert!(check_username("ab").is_err());
        assert!(check_username("张三").is_err());
        assert!(check_username("a b c").is_err());
    }
}
