//! Profiles people keep about themselves: an agency's legal details (its contact email is where
//! the platform writes to it) and a traveller's contact details (the tax id goes on invoices).

use serde::{Deserialize, Serialize};

use super::RuleViolation;
use super::text::parse_plain_text;
use super::user::{Email, PhoneNumber};

/// Legal names and tax ids are short; a postal address fits on a few lines of an envelope.
const MAX_LEGAL_NAME_CHARS: usize = 200;
const MAX_TAX_ID_CHARS: usize = 64;
const MAX_ADDRESS_CHARS: usize = 300;
const MAX_DESCRIPTION_CHARS: usize = 2_000;
/// A traveller's emergency contact: a name and a way to reach them, as one line.
const MAX_EMERGENCY_CONTACT_CHARS: usize = 200;

/// An optional text field: absent, null and blank all mean "not given".
fn optional_text(
    field: &str,
    raw: Option<&str>,
    max_chars: usize,
) -> Result<Option<String>, RuleViolation> {
    match raw {
        Some(text) if !text.trim().is_empty() => parse_plain_text(field, text, max_chars).map(Some),
        _ => Ok(None),
    }
}

fn required_text(
    field: &str,
    raw: Option<&str>,
    max_chars: usize,
) -> Result<String, RuleViolation> {
    match raw {
        Some(text) if !text.trim().is_empty() => parse_plain_text(field, text, max_chars),
        _ => Err(RuleViolation::new(format!("{field} is required"))),
    }
}

/// What an agency sends for its profile, before it is accepted.
pub struct AgencyProfileRequest<'a> {
    pub legal_name: Option<&'a str>,
    pub tax_id: Option<&'a str>,
    pub legal_address: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub description: Option<&'a str>,
}

/// An agency's profile as accepted: tax id, legal address and contact email are required (the
/// platform invoices the agency and writes to it), the legal name and description are not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyProfile {
    pub legal_name: Option<String>,
    pub tax_id: String,
    pub legal_address: String,
    pub contact_email: Email,
    pub description: Option<String>,
}

impl AgencyProfile {
    pub fn parse(request: AgencyProfileRequest<'_>) -> Result<Self, RuleViolation> {
        let contact_email = match request.contact_email {
            Some(raw) if !raw.trim().is_empty() => Email::parse(raw)?,
            _ => return Err(RuleViolation::new("contact_email is required")),
        };
        Ok(Self {
            legal_name: optional_text("legal_name", request.legal_name, MAX_LEGAL_NAME_CHARS)?,
            tax_id: required_text("tax_id", request.tax_id, MAX_TAX_ID_CHARS)?,
            legal_address: required_text(
                "legal_address",
                request.legal_address,
                MAX_ADDRESS_CHARS,
            )?,
            contact_email,
            description: optional_text("description", request.description, MAX_DESCRIPTION_CHARS)?,
        })
    }
}

/// What a traveller sends for their profile, before it is accepted.
pub struct TravelerProfileRequest<'a> {
    pub phone: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub emergency_contact: Option<&'a str>,
    pub tax_id: Option<&'a str>,
}

/// A traveller's profile: every field optional (blank means not given).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TravelerProfile {
    pub phone: Option<String>,
    pub contact_email: Option<String>,
    pub emergency_contact: Option<String>,
    pub tax_id: Option<String>,
}

impl TravelerProfile {
    pub fn parse(request: TravelerProfileRequest<'_>) -> Result<Self, RuleViolation> {
        fn given(raw: Option<&str>) -> Option<&str> {
            raw.filter(|text| !text.trim().is_empty())
        }
        Ok(Self {
            phone: given(request.phone)
                .map(|raw| PhoneNumber::parse(raw).map(|phone| phone.as_str().to_owned()))
                .transpose()?,
            contact_email: given(request.contact_email)
                .map(|raw| Email::parse(raw).map(|email| email.as_str().to_owned()))
                .transpose()?,
            emergency_contact: optional_text(
                "emergency_contact",
                request.emergency_contact,
                MAX_EMERGENCY_CONTACT_CHARS,
            )?,
            tax_id: optional_text("tax_id", request.tax_id, MAX_TAX_ID_CHARS)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency(
        tax_id: Option<&'static str>,
        legal_address: Option<&'static str>,
    ) -> AgencyProfileRequest<'static> {
        AgencyProfileRequest {
            legal_name: Some(" Orbital Tours Ltd "),
            tax_id,
            legal_address,
            contact_email: Some("Ops@Orbital.Example"),
            description: None,
        }
    }

    #[test]
    fn an_agency_profile_needs_its_tax_id_legal_address_and_contact_email() {
        let profile = AgencyProfile::parse(agency(Some("GB123"), Some("1 Launch Rd"))).unwrap();
        assert_eq!(profile.legal_name.as_deref(), Some("Orbital Tours Ltd"));
        assert_eq!(profile.contact_email.as_str(), "ops@orbital.example");
        assert_eq!(profile.description, None);
        for (tax_id, address) in [
            (None, Some("1 Launch Rd")),
            (Some("  "), Some("1 Launch Rd")),
            (Some("GB123"), None),
            (Some("GB123"), Some("")),
        ] {
            assert!(AgencyProfile::parse(agency(tax_id, address)).is_err());
        }
        let no_email = AgencyProfileRequest {
            contact_email: None,
            ..agency(Some("GB123"), Some("1 Launch Rd"))
        };
        assert!(AgencyProfile::parse(no_email).is_err());
    }

    #[test]
    fn agency_texts_are_plain_and_bounded() {
        let nul = AgencyProfileRequest {
            description: Some("We fly\u{0}"),
            ..agency(Some("GB123"), Some("1 Launch Rd"))
        };
        assert!(AgencyProfile::parse(nul).is_err());
        let long = "x".repeat(MAX_TAX_ID_CHARS + 1);
        let too_long = AgencyProfileRequest {
            tax_id: Some(&long),
            ..agency(Some("GB123"), Some("1 Launch Rd"))
        };
        assert!(AgencyProfile::parse(too_long).is_err());
    }

    #[test]
    fn a_traveller_profile_takes_blanks_as_not_given_and_checks_the_rest() {
        let profile = TravelerProfile::parse(TravelerProfileRequest {
            phone: Some(" +44 (20) 7946-0958 "),
            contact_email: Some(""),
            emergency_contact: None,
            tax_id: Some("X-99"),
        })
        .unwrap();
        assert_eq!(profile.phone.as_deref(), Some("+44 (20) 7946-0958"));
        assert_eq!(profile.contact_email, None);
        assert_eq!(profile.tax_id.as_deref(), Some("X-99"));
        for bad in [
            TravelerProfileRequest {
                phone: Some("call me"),
                contact_email: None,
                emergency_contact: None,
                tax_id: None,
            },
            TravelerProfileRequest {
                phone: None,
                contact_email: Some("not an email"),
                emergency_contact: None,
                tax_id: None,
            },
            TravelerProfileRequest {
                phone: None,
                contact_email: None,
                emergency_contact: Some("Mum <script>"),
                tax_id: None,
            },
        ] {
            assert!(TravelerProfile::parse(bad).is_err());
        }
    }
}
