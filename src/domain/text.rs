//! The one rule for free text that people type and other people read: names of persons and
//! agencies, rockets, missions, spaceports, reasons.
//!
//! Text is stored in three stores and sent in emails. A NUL is refused by PostgreSQL ("invalid
//! byte sequence 0x00") after MongoDB already took it; a zero-width space makes two names look
//! the same; a right-to-left override makes a name read backwards; markup ends up in HTML mail.
//! So what we keep is what a person sees.

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

use super::RuleViolation;

/// The first character of `text` that plain text may not hold, if any.
///
/// Refused by Unicode general category, not by a hand-kept list: every `C*` category (control
/// `Cc` such as NUL, tab and newline; format `Cf` such as U+200B zero-width space, U+202E
/// right-to-left override and U+FEFF byte-order mark; private use `Co`; unassigned `Cn`; `Cs`
/// cannot occur in a `str`) and the line and paragraph separators `Zl`, `Zp`. The format
/// category also holds the joiners U+200C/U+200D; they change how some scripts and emoji are
/// drawn but not what they say, so a name without them is still the same name. `<` and `>`
/// are refused so that no text is taken for markup where it is shown.
pub fn forbidden_character(text: &str) -> Option<char> {
    text.chars().find(|&character| {
        matches!(character, '<' | '>')
            || character.general_category_group() == GeneralCategoryGroup::Other
            || matches!(
                character.general_category(),
                GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator
            )
    })
}

/// Says which character was refused, readable even when the character is invisible.
pub fn forbidden_character_violation(field: &str, character: char) -> RuleViolation {
    RuleViolation::new(format!(
        "{field} must not contain {character:?} (U+{:04X}): control, invisible and markup \
         characters are refused",
        u32::from(character)
    ))
}

/// Trimmed, 1 to `max_chars` characters, none of them forbidden.
pub fn parse_plain_text(field: &str, raw: &str, max_chars: usize) -> Result<String, RuleViolation> {
    let trimmed = raw.trim();
    if let Some(character) = forbidden_character(trimmed) {
        return Err(forbidden_character_violation(field, character));
    }
    if trimmed.is_empty() || trimmed.chars().count() > max_chars {
        return Err(RuleViolation::new(format!(
            "{field} must have 1–{max_chars} characters"
        )));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hidden_or_markup_character_class_is_refused() {
        for (what, bad) in [
            ("NUL", "Ada\u{0}Lovelace"),
            ("tab", "Ada\tLovelace"),
            ("newline", "Ada\nLovelace"),
            ("carriage return", "Ada\rLovelace"),
            ("C1 control", "Ada\u{85}Lovelace"),
            ("zero-width space", "Ada\u{200B}Lovelace"),
            ("zero-width joiner", "Ada\u{200D}Lovelace"),
            ("right-to-left override", "Ada\u{202E}ecalevoL"),
            ("left-to-right isolate", "Ada\u{2066}Lovelace"),
            ("byte-order mark", "\u{FEFF}Ada"),
            ("soft hyphen", "Love\u{AD}lace"),
            ("line separator", "Ada\u{2028}Lovelace"),
            ("paragraph separator", "Ada\u{2029}Lovelace"),
            ("private use", "Ada\u{E000}"),
            ("noncharacter", "Ada\u{FFFF}"),
            ("markup", "<script>alert(1)</script>"),
            ("a lone bracket", "Ada > Bob"),
        ] {
            let refused = parse_plain_text("name", bad, 120);
            assert!(refused.is_err(), "{what}: {bad:?} should be refused");
        }
    }

    #[test]
    fn the_refusal_names_the_invisible_character() {
        let message = parse_plain_text("rocket name", "Falcon\u{200B}9", 120)
            .unwrap_err()
            .0;
        assert!(
            message.starts_with("rocket name must not contain"),
            "{message}"
        );
        assert!(message.contains("U+200B"), "{message}");
    }

    #[test]
    fn international_text_is_kept_as_typed() {
        for good in [
            "Zoë Ñúñez-O'Brien",
            "李小龙",
            "Ōtsuka Ryūnosuke",
            "Анна Каренина",
            "محمد بن سلمان",
            "Smith & Sons",
            "Ground Station #5 (Kourou)",
            "José\u{301}",
            "Ana\u{A0}María",
            "Mission 🚀",
        ] {
            assert_eq!(parse_plain_text("name", good, 120).unwrap(), good);
        }
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(parse_plain_text("name", "  Ada  ", 120).unwrap(), "Ada");
        assert!(parse_plain_text("name", " \u{3000} ", 120).is_err());
        assert!(parse_plain_text("name", &"é".repeat(121), 120).is_err());
        assert!(parse_plain_text("name", &"é".repeat(120), 120).is_ok());
    }
}
