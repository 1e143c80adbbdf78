//! Email templates: files under `templates/email/`, embedded in the binary at build time and
//! rendered by minijinja. An email `<name>` is three templates: `<name>.subject.txt`,
//! `<name>.txt` (the plain-text part) and `<name>.html` (the HTML part). minijinja escapes every
//! value written into a `.html` template and none written into a `.txt` one, so a mission named
//! `Sun & "Moon"` reads the same in both parts.

use std::sync::LazyLock;

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, Error, UndefinedBehavior, Value, context};

/// Reads `templates/email/<file>` into the binary.
macro_rules! embed {
    ($file:expr) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/templates/email/",
            $file
        ))
    };
}

/// Declares the emails (each three files) and the parts they share, so that the list of
/// templates and the files embedded cannot disagree.
macro_rules! templates {
    (emails: [$($variant:ident => $name:literal),* $(,)?], shared: [$($shared:literal),* $(,)?]) => {
        /// One email the mailer can send.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum EmailTemplate {
            $($variant),*
        }

        impl EmailTemplate {
            pub const ALL: &[EmailTemplate] = &[$(EmailTemplate::$variant),*];

            pub fn name(self) -> &'static str {
                match self {
                    $(EmailTemplate::$variant => $name),*
                }
            }
        }

        const FILES: &[(&str, &str)] = &[
            $(
                (concat!($name, ".subject.txt"), embed!(concat!($name, ".subject.txt"))),
                (concat!($name, ".txt"), embed!(concat!($name, ".txt"))),
                (concat!($name, ".html"), embed!(concat!($name, ".html"))),
            )*
            $(($shared, embed!($shared))),*
        ];
    };
}

templates! {
    emails: [
        Welcome => "welcome",
        BookingConfirmedTraveler => "booking_confirmed_traveler",
        BookingConfirmedAgency => "booking_confirmed_agency",
        BookingCancelledTraveler => "booking_cancelled_traveler",
        BookingCancelledAgency => "booking_cancelled_agency",
        LaunchAbortedTraveler => "launch_aborted_traveler",
        LaunchAbortedAgency => "launch_aborted_agency",
        LaunchChangedTraveler => "launch_changed_traveler",
        LaunchChangedAgency => "launch_changed_agency",
        LaunchVipNotice => "launch_vip_notice",
    ],
    shared: [
        "layout.txt",
        "layout.html",
        "macros.html",
        "launch_change.subject.txt",
        "launch_change.txt",
        "launch_change.html",
        "seats_note.txt",
        "seats_note.html",
    ]
}

/// An email's three parts, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

static ENVIRONMENT: LazyLock<Result<Environment<'static>, Error>> = LazyLock::new(environment);

fn environment() -> Result<Environment<'static>, Error> {
    let mut environment = Environment::new();
    // A placeholder the context lacks is an error, not an empty gap in a sent email.
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    // Block tags on lines of their own leave no blank lines behind in the plain text.
    environment.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    for (name, source) in FILES {
        environment.add_template(name, source)?;
    }
    Ok(environment)
}

/// Renders the email's subject (on one line), text and HTML parts with `values` (a map).
/// The HTML part also sees the rendered `subject` (its `<title>`).
pub fn render(template: EmailTemplate, values: Value) -> Result<RenderedEmail, Error> {
    let environment = ENVIRONMENT
        .as_ref()
        .map_err(|error| Error::new(error.kind(), error.to_string()))?;
    let part = |suffix: &str, values: &Value| {
        environment
            .get_template(&format!("{}.{suffix}", template.name()))?
            .render(values)
    };
    let subject = one_line(&part("subject.txt", &values)?);
    let text = part("txt", &values)?;
    let html = part("html", &context! { subject => &subject, ..values })?;
    Ok(RenderedEmail {
        subject,
        text,
        html,
    })
}

/// A subject header is one line: line breaks and runs of spaces become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_the_templates_folder_is_embedded_and_parses() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/email");
        let mut on_disk: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(name, _)| (*name).to_owned()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
        assert!(ENVIRONMENT.is_ok(), "{:?}", ENVIRONMENT.as_ref().err());
    }

    #[test]
    fn a_missing_placeholder_is_an_error() {
        let error = render(EmailTemplate::Welcome, context! { name => "Ada" }).unwrap_err();
        assert_eq!(error.kind(), minijinja::ErrorKind::UndefinedError);
    }

    #[test]
    fn subjects_are_one_line() {
        assert_eq!(
            one_line("Launch delayed:\n  Lunar Loop\n"),
            "Launch delayed: Lunar Loop"
        );
    }
}
