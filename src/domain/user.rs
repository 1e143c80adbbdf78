//! People and their credentials' rules.

use serde::{Deserialize, Serialize};

use super::RuleViolation;

/// A person has exactly one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    Traveler,
    Agency,
    Financial,
    It,
}

impl UserRole {
    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::Traveler => "traveler",
            UserRole::Agency => "agency",
            UserRole::Financial => "financial",
            UserRole::It => "it",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        match raw {
            "traveler" => Ok(UserRole::Traveler),
            "agency" => Ok(UserRole::Agency),
            "financial" => Ok(UserRole::Financial),
            "it" => Ok(UserRole::It),
            other => Err(RuleViolation::new(format!("unknown role {other:?}"))),
        }
    }
}

/// Whether an account may be used. IT disables an account, which revokes its sessions, and may
/// enable it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn may_sign_in(self) -> bool {
        self == AccountStatus::Active
    }
}

/// An IT employee may disable any account but their own, which would lock them out (and, for the
/// last IT employee, everyone).
pub fn may_disable(acting_user_id: &str, account_user_id: &str) -> Result<(), RuleViolation> {
    if acting_user_id == account_user_id {
        return Err(RuleViolation::new("you cannot disable your own account"));
    }
    Ok(())
}

/// An email address, trimmed and lower-cased so that uniqueness is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        let normalized = raw.trim().to_lowercase();
        let invalid =
            || RuleViolation::new(format!("{:?} is not a valid email address", raw.trim()));
        if normalized.len() > 254 || normalized.chars().any(char::is_whitespace) {
            return Err(invalid());
        }
        let (local, domain) = normalized.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.is_empty()
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && domain.contains('.');
        if local.is_empty() || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the rule: at least 10 characters, with a letter and a digit.
pub struct Password(String);

impl Password {
    pub const MIN_LENGTH: usize = 10;
    /// Longer inputs only cost hashing time; nobody types more.
    pub const MAX_LENGTH: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        let length = raw.chars().count();
        let has_letter = raw.chars().any(char::is_alphabetic);
        let has_digit = raw.chars().any(|c| c.is_ascii_digit());
        if !(Self::MIN_LENGTH..=Self::MAX_LENGTH).contains(&length) || !has_letter || !has_digit {
            return Err(RuleViolation::new(format!(
                "password must have {}–{} characters with at least one letter and one digit",
                Self::MIN_LENGTH,
                Self::MAX_LENGTH
            )));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A non-empty, trimmed display name of bounded length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LENGTH: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        let trimmed = raw.trim();
        if trimmed.is_empty()
            || trimmed.chars().count() > Self::MAX_LENGTH
            || trimmed.chars().any(char::is_control)
        {
            return Err(RuleViolation::new(format!(
                "name must have 1–{} printable characters",
                Self::MAX_LENGTH
            )));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_active_accounts_sign_in_and_nobody_disables_themselves() {
        assert!(AccountStatus::Active.may_sign_in());
        assert!(!AccountStatus::Disabled.may_sign_in());
        assert_eq!(
            serde_json::to_value(AccountStatus::Disabled).unwrap(),
            "disabled"
        );
        assert!(may_disable("it-1", "agency-1").is_ok());
        assert!(may_disable("it-1", "it-1").is_err());
    }

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@example",
            "a b@example.com",
            "ada@.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn passwords_need_length_letter_and_digit() {
        assert!(Password::parse("abcdefghi1").is_ok());
        assert!(Password::parse("abcdefgh1").is_err(), "9 characters");
        assert!(Password::parse("abcdefghij").is_err(), "no digit");
        assert!(Password::parse("1234567890").is_err(), "no letter");
        assert!(Password::parse(&"a1".repeat(200)).is_err(), "too long");
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            PersonName::parse("  Ada Lovelace ").unwrap().as_str(),
            "Ada Lovelace"
        );
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"x".repeat(121)).is_err());
        assert!(PersonName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn roles_round_trip() {
        for role in [
            UserRole::Traveler,
            UserRole::Agency,
            UserRole::Financial,
            UserRole::It,
        ] {
            assert_eq!(UserRole::parse(role.as_str()).unwrap(), role);
        }
        assert!(UserRole::parse("admin").is_err());
    }
}
