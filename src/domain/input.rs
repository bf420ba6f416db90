//! Parsers for what people type. Raw strings stop here: each type can only hold a valid value.
//! The browser may run these for inline hints; the server always does.

use super::error::AppError;
use crate::domain::msg::Msg;
use serde::{Deserialize, Serialize};

/// An email address, trimmed, at most 254 characters, with one `@` and a dotted domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str, field: &str) -> Result<Email, AppError> {
        let v = raw.trim();
        let err = || AppError::field(field, Msg::InvalidEmail);
        if v.is_empty() || v.len() > 254 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(err());
        }
        let (local, domain) = v.split_once('@').ok_or_else(err)?;
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || v.contains('<')
            || v.contains('>')
        {
            return Err(err());
        }
        Ok(Email(v.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used for uniqueness: the whole address lower-cased.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A person's first or last name: trimmed, 1–255 characters, no control characters.
/// Any other character is allowed and is always escaped on output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str, field: &str) -> Result<PersonName, AppError> {
        let v = raw.trim();
        if v.is_empty() {
            return Err(AppError::field(field, Msg::Required));
        }
        if v.chars().count() > 255 {
            return Err(AppError::field(field, Msg::TooLong { max: 255 }));
        }
        if v.chars().any(char::is_control) {
            return Err(AppError::field(field, Msg::BadCharacters));
        }
        Ok(PersonName(v.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8–256 characters, with at least three of lower case, upper case,
/// digits and other characters (the storefront rule of the reference platform).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str, field: &str) -> Result<NewPassword, AppError> {
        let n = raw.chars().count();
        if n < 8 {
            return Err(AppError::field(field, Msg::PasswordTooShort { min: 8 }));
        }
        if n > 256 {
            return Err(AppError::field(field, Msg::TooLong { max: 256 }));
        }
        let classes = [
            raw.chars().any(|c| c.is_lowercase()),
            raw.chars().any(|c| c.is_uppercase()),
            raw.chars().any(|c| c.is_ascii_digit()),
            raw.chars().any(|c| !c.is_alphanumeric()),
        ];
        if classes.iter().filter(|b| **b).count() < 3 {
            return Err(AppError::field(field, Msg::PasswordClasses));
        }
        Ok(NewPassword(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// An admin username: 1–40 characters of letters, digits, `.`, `_` and `-`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str, field: &str) -> Result<Username, AppError> {
        let v = raw.trim();
        if v.is_empty() || v.len() > 40 || !v.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            return Err(AppError::field(field, Msg::UsernameFormat));
        }
        Ok(Username(v.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short code for a website or store view: a lower-case letter, then letters, digits or `_`.
pub fn parse_code(raw: &str, field: &str) -> Result<String, AppError> {
    let v = raw.trim();
    let ok = v.len() <= 32
        && v.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(v.to_string())
    } else {
        Err(AppError::field(field, Msg::CodeFormat))
    }
}

/// A parsed record id from a form or a URL; anything else is `missing` (404).
pub fn parse_id(raw: &str, missing: Msg) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or(AppError::not_found(missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked() {
        for good in ["a@b.co", " Jane.Doe+x@example.com "] {
            assert!(Email::parse(good, "email").is_ok(), "{good}");
        }
        for bad in ["", "plain", "a@b", "a@@b.co", "a b@c.de", "@b.co", "a@.co", "<x>@a.co", &"a".repeat(300)] {
            assert!(Email::parse(bad, "email").is_err(), "{bad}");
        }
        assert_eq!(Email::parse("Ab@Ex.COM", "e").unwrap().normalized(), "ab@ex.com");
    }

    #[test]
    fn names_keep_any_printable_text_but_not_control_characters() {
        assert_eq!(
            PersonName::parse(" <img src=x onerror=alert(1)> ", "f").unwrap().as_str(),
            "<img src=x onerror=alert(1)>"
        );
        assert!(PersonName::parse("   ", "f").is_err());
        assert!(PersonName::parse("a\u{0}b", "f").is_err());
    }

    #[test]
    fn passwords_need_length_and_three_classes() {
        assert!(NewPassword::parse("short1A", "p").is_err());
        assert!(NewPassword::parse("alllowercase", "p").is_err());
        assert!(NewPassword::parse("Lower1234", "p").is_ok());
        assert_eq!(format!("{:?}", NewPassword::parse("Lower1234", "p").unwrap()), "NewPassword(***)");
    }

    #[test]
    fn codes_and_usernames() {
        assert!(parse_code("default", "c").is_ok());
        assert!(parse_code("Default", "c").is_err());
        assert!(parse_code("1x", "c").is_err());
        assert!(Username::parse("admin.jane", "u").is_ok());
        assert!(Username::parse("bad name", "u").is_err());
    }
}
