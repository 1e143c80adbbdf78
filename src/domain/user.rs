//! People and their credentials' rules.

use serde::{Deserialize, Serialize};

use super::{RuleViolation, text};

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
///
/// Parsed by `email_address`, the parser lettre checks its addresses with, so every address
/// kept here can be mailed. On top of the RFC we refuse what the RFC allows but no mailbox
/// provider hands out and what broke mails and syncs here: control, invisible and markup
/// characters, whitespace, quoted local parts (they may hold `@`, spaces and anything else),
/// display names (`Ada <ada@example.com>`), IP literals and domains that are not host names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LENGTH: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        let trimmed = raw.trim();
        if let Some(character) = text::forbidden_character(trimmed) {
            return Err(text::forbidden_character_violation("email", character));
        }
        let normalized = trimmed.to_lowercase();
        let invalid = || RuleViolation::new(format!("{trimmed:?} is not a valid email address"));
        if normalized.len() > Self::MAX_LENGTH
            || normalized.chars().any(|c| c.is_whitespace() || c == '"')
        {
            return Err(invalid());
        }
        let options = email_address::Options::default()
            .with_required_tld()
            .without_display_text()
            .without_domain_literal();
        let address = email_address::EmailAddress::parse_with_options(&normalized, options)
            .map_err(|_| invalid())?;
        // email_address lets a domain label hold any atom character (`!`, `$`, `{`…); a host
        // name has letters (any script, for international domains), digits and hyphens.
        let host_name = address
            .domain()
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if !host_name {
            return Err(invalid());
        }
        Ok(Self(normalized))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@` (quoted local parts are refused, so it holds no `@`).
    pub fn local_part(&self) -> &str {
        self.0
            .split_once('@')
            .map_or(self.as_str(), |(local, _)| local)
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

    /// A local part this short ("al", "it") is too likely in any password to refuse it.
    pub const MIN_REFUSED_LOCAL_PART: usize = 3;

    /// The rule, and the password must not contain the part of the account's email before the
    /// `@`, in any case: it is the first thing a guesser tries.
    pub fn parse_for(raw: &str, email: &Email) -> Result<Self, RuleViolation> {
        let password = Self::parse(raw)?;
        let local_part = email.local_part();
        if local_part.chars().count() >= Self::MIN_REFUSED_LOCAL_PART
            && raw.to_lowercase().contains(local_part)
        {
            return Err(RuleViolation::new(
                "password must not contain the part of your email before the @",
            ));
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A person's or an agency's display name: plain text of bounded length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LENGTH: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        text::parse_plain_text("name", raw, Self::MAX_LENGTH).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as people write it: 6 to 20 digits, with spaces, `+`, `-`, `.` and
/// parentheses between them, at most 32 characters in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub const MAX_LENGTH: usize = 32;

    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        let phone = raw.trim();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let phone_ok = (6..=20).contains(&digits)
            && phone.len() <= Self::MAX_LENGTH
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
        if !phone_ok {
            let shown: String = phone.chars().take(Self::MAX_LENGTH).collect();
            return Err(RuleViolation::new(format!(
                "{shown:?} is not a valid phone number"
            )));
        }
        Ok(Self(phone.to_owned()))
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
            "ada..b@example.com",
            "ada@exa!mple.com",
            "ada@[127.0.0.1]",
            "Ada <ada@example.com>",
            "<ada@example.com>",
            "\"ada b\"@example.com",
            "\"<b>ada</b>\"@example.com",
            "<script>@example.com",
            "ada@example.com<script>",
            "ada\u{0}@example.com",
            "ada\t@example.com",
            "ada\u{200B}@example.com",
            "ada\u{202E}@example.com",
            "\u{FEFF}ada@example.com",
            "ada@exam\u{200D}ple.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let hidden = Email::parse("ada\u{202E}@example.com").unwrap_err().0;
        assert!(hidden.contains("U+202E"), "{hidden}");
    }

    #[test]
    fn every_kept_email_can_be_mailed() {
        for good in [
            "ada@example.com",
            "ada.lovelace+rockets@mail.example.co.uk",
            "o'brien@example.ie",
            "zoë@example.com",
            "ada@bücher.example",
            "李@例子.中国",
        ] {
            let email = Email::parse(good).unwrap();
            let mailbox: Result<lettre::Address, _> = email.as_str().parse();
            assert!(mailbox.is_ok(), "{good:?} is kept but lettre refuses it");
        }
    }

    #[test]
    fn the_local_part_is_what_comes_before_the_at() {
        let email = Email::parse("Galileo.G@Example.com").unwrap();
        assert_eq!(email.local_part(), "galileo.g");
    }

    #[test]
    fn a_password_must_not_contain_the_emails_local_part() {
        let galileo = Email::parse("galileo@example.com").unwrap();
        assert!(Password::parse_for("jupiter-moons-1610", &galileo).is_ok());
        for bad in ["galileo1610x", "1610-GALILEO", "MyGaLiLeO-pass1"] {
            let refused = Password::parse_for(bad, &galileo);
            assert!(refused.is_err(), "{bad:?} holds the local part");
        }
        let short = Email::parse("it@example.com").unwrap();
        assert!(
            Password::parse_for("itpassword123", &short).is_ok(),
            "a two-letter local part is not refused"
        );
        assert!(
            Password::parse_for("short1", &galileo).is_err(),
            "the base rule still holds"
        );
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
    fn names_are_plain_text() {
        assert!(PersonName::parse("Zoë Ñúñez-O'Brien").is_ok());
        assert!(PersonName::parse("李小龙").is_ok());
        for bad in [
            "Ada\u{200B}",
            "Ada\u{202E}",
            "\u{FEFF}Ada",
            "<b>Ada</b>",
            "Ada\tL",
        ] {
            assert!(PersonName::parse(bad).is_err(), "{bad:?} should be refused");
        }
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
