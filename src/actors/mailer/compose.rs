//! Which emails an event means, to whom, with which template and values: pure, no I/O.

use chrono::{DateTime, Utc};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Serialize;

use super::templates::{EmailTemplate, render};
use crate::actors::sync::HandlerError;
use crate::domain::booking::{Cancellation, CancellationCause};
use crate::domain::launch::{LaunchStatus, Reach, StatusChange};
use crate::domain::money::dollars;
use crate::domain::user::UserRole;
use crate::storage::amqp::EventEnvelope;
use crate::storage::amqp::events::{
    BOOKING_CANCELLED, BOOKING_CONFIRMED, BOOKING_LAUNCH_CHANGED, BookingCancelled,
    BookingConfirmed, BookingLaunchChanged, LAUNCH_CHANGED, LAUNCH_VIP_NOTICE, LaunchSnapshot,
    LaunchVipNotice, USER_REGISTERED, UserRegistered,
};

/// One email to one recipient, both parts rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub recipient_name: String,
    pub recipient_email: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The addresses emails link to, under the public base URL: each app at its own path.
pub struct Links<'a> {
    base: &'a str,
}

impl<'a> Links<'a> {
    pub fn new(public_base_url: &'a str) -> Self {
        Self {
            base: public_base_url.trim_end_matches('/'),
        }
    }

    /// The app a user of this role signs in to: travellers the customer app, agencies the
    /// supplier app, financial and IT employees the employee app.
    pub fn app_of(&self, role: UserRole) -> String {
        match role {
            UserRole::Traveler => format!("{}/", self.base),
            UserRole::Agency => format!("{}/supplier/", self.base),
            UserRole::Financial | UserRole::It => format!("{}/employee/", self.base),
        }
    }

    fn launch_page(&self, slug: &str) -> String {
        format!("{}/launches/{slug}", self.base)
    }

    fn my_bookings(&self) -> String {
        format!("{}/bookings", self.base)
    }

    fn agency_launches(&self) -> String {
        format!("{}/supplier/launches", self.base)
    }
}

/// The emails `event` means (none for a change nobody is told of).
pub fn emails_for(links: &Links<'_>, event: &EventEnvelope) -> Result<Vec<Email>, HandlerError> {
    let malformed = |error: serde_json::Error| {
        HandlerError::Permanent(format!("malformed event data: {error}"))
    };
    match event.event_type.as_str() {
        USER_REGISTERED => welcome(links, &event.data_as().map_err(malformed)?),
        BOOKING_CONFIRMED => booking_confirmed(links, &event.data_as().map_err(malformed)?),
        BOOKING_CANCELLED => booking_cancelled(links, &event.data_as().map_err(malformed)?),
        BOOKING_LAUNCH_CHANGED => {
            booking_launch_changed(links, &event.data_as().map_err(malformed)?)
        }
        LAUNCH_CHANGED => launch_changed(links, &event.data_as().map_err(malformed)?),
        LAUNCH_VIP_NOTICE => vip_notice(links, &event.data_as().map_err(malformed)?),
        other => Err(HandlerError::Permanent(format!("no email for {other}"))),
    }
}

fn email(
    template: EmailTemplate,
    recipient_name: &str,
    recipient_email: &str,
    context: Value,
) -> Result<Email, HandlerError> {
    let rendered = render(template, context).map_err(|error| {
        HandlerError::Permanent(format!("email {} not rendered: {error}", template.name()))
    })?;
    Ok(Email {
        recipient_name: recipient_name.to_owned(),
        recipient_email: recipient_email.to_owned(),
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
    })
}

fn welcome(links: &Links<'_>, user: &UserRegistered) -> Result<Vec<Email>, HandlerError> {
    let context = context! {
        name => &user.name,
        email => &user.email,
        role => user.role.as_str(),
        link => links.app_of(user.role),
    };
    Ok(vec![email(
        EmailTemplate::Welcome,
        &user.name,
        &user.email,
        context,
    )?])
}

fn booking_confirmed(
    links: &Links<'_>,
    booking: &BookingConfirmed,
) -> Result<Vec<Email>, HandlerError> {
    let view = BookingView::of(booking, booking.launch_at);
    let to_traveler = context! {
        name => &booking.traveler_name,
        booking => Serde(&view),
        link => links.launch_page(&booking.launch_slug),
        my_bookings => links.my_bookings(),
    };
    let to_agency = context! {
        name => &booking.agency_name,
        booking => Serde(&view),
        link => links.agency_launches(),
    };
    Ok(vec![
        email(
            EmailTemplate::BookingConfirmedTraveler,
            &booking.traveler_name,
            &booking.traveler_email,
            to_traveler,
        )?,
        email(
            EmailTemplate::BookingConfirmedAgency,
            &booking.agency_name,
            &booking.agency_email,
            to_agency,
        )?,
    ])
}

fn booking_cancelled(
    links: &Links<'_>,
    cancelled: &BookingCancelled,
) -> Result<Vec<Email>, HandlerError> {
    let booking = &cancelled.booking;
    let view = BookingView::of(booking, booking.launch_at);
    let cancellation = CancellationView::of(&cancelled.cancellation);
    let to_traveler = context! {
        name => &booking.traveler_name,
        booking => Serde(&view),
        cancellation => Serde(&cancellation),
        link => links.launch_page(&booking.launch_slug),
        my_bookings => links.my_bookings(),
    };
    if cancelled.cancellation.cause == CancellationCause::LaunchAborted {
        // The agency hears of the abort once, from the launch change.
        return Ok(vec![email(
            EmailTemplate::LaunchAbortedTraveler,
            &booking.traveler_name,
            &booking.traveler_email,
            to_traveler,
        )?]);
    }
    let to_agency = context! {
        name => &booking.agency_name,
        booking => Serde(&view),
        cancellation => Serde(&cancellation),
        link => links.agency_launches(),
    };
    Ok(vec![
        email(
            EmailTemplate::BookingCancelledTraveler,
            &booking.traveler_name,
            &booking.traveler_email,
            to_traveler,
        )?,
        email(
            EmailTemplate::BookingCancelledAgency,
            &booking.agency_name,
            &booking.agency_email,
            to_agency,
        )?,
    ])
}

/// The traveller of one active booking hears of its launch's change (an abort comes as the
/// booking's cancellation instead, with its refund).
fn booking_launch_changed(
    links: &Links<'_>,
    changed: &BookingLaunchChanged,
) -> Result<Vec<Email>, HandlerError> {
    if changed.change.to == LaunchStatus::Aborted {
        return Ok(Vec::new());
    }
    let booking = &changed.booking;
    let context = context! {
        name => &booking.traveler_name,
        mission => &booking.mission_name,
        launch_at => utc_minutes(changed.launch_at),
        change => Serde(ChangeView::of(&changed.change)),
        booking => Serde(BookingView::of(booking, changed.launch_at)),
        link => links.launch_page(&booking.launch_slug),
        my_bookings => links.my_bookings(),
    };
    Ok(vec![email(
        EmailTemplate::LaunchChangedTraveler,
        &booking.traveler_name,
        &booking.traveler_email,
        context,
    )?])
}

/// The agency hears of each status change of its launch: the last entry of the history.
fn launch_changed(links: &Links<'_>, launch: &LaunchSnapshot) -> Result<Vec<Email>, HandlerError> {
    let Some(change) = latest_change(launch) else {
        return Ok(Vec::new());
    };
    let template = if change.to == LaunchStatus::Aborted.as_str() {
        EmailTemplate::LaunchAbortedAgency
    } else {
        EmailTemplate::LaunchChangedAgency
    };
    let context = context! {
        name => &launch.agency_name,
        mission => &launch.mission_name,
        launch_at => utc_minutes(launch.launch_at),
        change => Serde(change),
        launch => Serde(LaunchView::of(launch)),
        link => links.agency_launches(),
    };
    Ok(vec![email(
        template,
        &launch.agency_name,
        &launch.agency_email,
        context,
    )?])
}

/// The change a `launch.changed.v1` snapshot tells: its history's last entry, unless that is the
/// scheduling itself (`launch.scheduled.v1` tells that). A snapshot without history (published
/// before launches kept one) tells its status, with its reason.
fn latest_change(launch: &LaunchSnapshot) -> Option<ChangeView<'_>> {
    match launch.status_history.last() {
        Some(change) => change.from.is_some().then(|| ChangeView::of(change)),
        None => (launch.status != LaunchStatus::Scheduled).then(|| ChangeView {
            from: None,
            to: launch.status.as_str(),
            reason: launch.status_reason.as_deref(),
        }),
    }
}

fn vip_notice(links: &Links<'_>, notice: &LaunchVipNotice) -> Result<Vec<Email>, HandlerError> {
    let launch = LaunchView::of(&notice.launch);
    let link = links.launch_page(&notice.launch.slug);
    notice
        .recipients
        .iter()
        .map(|recipient| {
            let context = context! {
                name => &recipient.name,
                launch => Serde(&launch),
                link => &link,
            };
            email(
                EmailTemplate::LaunchVipNotice,
                &recipient.name,
                &recipient.email,
                context,
            )
        })
        .collect()
}

fn utc_minutes(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn reach_label(reach: Reach) -> &'static str {
    match reach {
        Reach::Suborbital => "suborbital flight",
        Reach::LowEarthOrbit => "low Earth orbit",
        Reach::Moon => "the Moon",
        Reach::Mars => "Mars",
    }
}

/// A booking as its emails show it.
#[derive(Serialize)]
struct BookingView<'a> {
    id: &'a str,
    mission: &'a str,
    launch_at: String,
    seats: u32,
    /// "1 seat", "3 seats".
    seats_label: String,
    seat_numbers: String,
    passengers: String,
    total: String,
    traveler: &'a str,
}

impl<'a> BookingView<'a> {
    fn of(booking: &'a BookingConfirmed, launch_at: DateTime<Utc>) -> Self {
        let passengers: Vec<&str> = booking
            .passengers
            .iter()
            .map(|passenger| passenger.name.as_str())
            .collect();
        let seat_numbers: Vec<String> = booking.seat_numbers.iter().map(u32::to_string).collect();
        let seats_label = match booking.seats {
            1 => "1 seat".to_owned(),
            seats => format!("{seats} seats"),
        };
        Self {
            id: &booking.booking_id,
            mission: &booking.mission_name,
            launch_at: utc_minutes(launch_at),
            seats: booking.seats,
            seats_label,
            seat_numbers: seat_numbers.join(", "),
            passengers: passengers.join(", "),
            total: dollars(booking.total_cents),
            traveler: &booking.traveler_name,
        }
    }
}

#[derive(Serialize)]
struct CancellationView<'a> {
    refund: String,
    refund_percent: u32,
    reason: Option<&'a str>,
    seats_released: bool,
}

impl<'a> CancellationView<'a> {
    fn of(cancellation: &'a Cancellation) -> Self {
        Self {
            refund: dollars(cancellation.refund_cents),
            refund_percent: cancellation.refund_percent,
            reason: cancellation.reason.as_deref(),
            seats_released: cancellation.seats_released,
        }
    }
}

#[derive(Serialize)]
struct LaunchView<'a> {
    mission: &'a str,
    rocket: &'a str,
    spaceport: &'a str,
    destination: &'static str,
    launch_at: String,
    price_per_seat: String,
    capacity: u32,
}

impl<'a> LaunchView<'a> {
    fn of(launch: &'a LaunchSnapshot) -> Self {
        Self {
            mission: &launch.mission_name,
            rocket: &launch.rocket_name,
            spaceport: &launch.spaceport,
            destination: reach_label(launch.destination),
            launch_at: utc_minutes(launch.launch_at),
            price_per_seat: dollars(launch.price_per_seat_cents),
            capacity: launch.capacity,
        }
    }
}

/// A status change as the templates test it: statuses by name (`"delayed"`).
#[derive(Serialize)]
struct ChangeView<'a> {
    from: Option<&'static str>,
    to: &'static str,
    reason: Option<&'a str>,
}

impl<'a> ChangeView<'a> {
    fn of(change: &'a StatusChange) -> Self {
        Self {
            from: change.from.map(LaunchStatus::as_str),
            to: change.to.as_str(),
            reason: change.reason.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::booking::Passenger;
    use crate::storage::amqp::Origin;
    use crate::storage::amqp::events::Recipient;

    /// A mission name that HTML must escape and plain text must keep.
    const MISSION: &str = r#"Sun & "Moon" <Loop>"#;
    const MISSION_IN_HTML: &str = "Sun &amp; &quot;Moon&quot; &lt;Loop&gt;";
    const BASE: &str = "https://astro.example";

    fn at(month: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, month, day, 14, 30, 0).unwrap()
    }

    fn envelope(event_type: &str, data: &impl Serialize) -> EventEnvelope {
        let origin = Origin {
            service: "test".to_owned(),
            user_id: None,
            action: "test".to_owned(),
        };
        EventEnvelope::new(
            event_type,
            origin,
            None,
            serde_json::to_value(data).unwrap(),
        )
    }

    fn emails(event_type: &str, data: &impl Serialize) -> Vec<Email> {
        emails_for(&Links::new(BASE), &envelope(event_type, data)).unwrap()
    }

    fn only(mut emails: Vec<Email>) -> Email {
        assert_eq!(emails.len(), 1, "{emails:?}");
        emails.remove(0)
    }

    fn passenger(name: &str) -> Passenger {
        Passenger {
            name: name.to_owned(),
            email: "p@astro.test".to_owned(),
            phone: "+1 555 0100".to_owned(),
            age: 30,
        }
    }

    fn booking() -> BookingConfirmed {
        BookingConfirmed {
            booking_id: "b-1".to_owned(),
            launch_id: "l-1".to_owned(),
            launch_slug: "sun-moon-loop".to_owned(),
            mission_name: MISSION.to_owned(),
            launch_at: at(3, 4),
            agency_id: "a-1".to_owned(),
            agency_name: "Orbital Tours".to_owned(),
            agency_email: "agency@astro.test".to_owned(),
            traveler_id: "t-1".to_owned(),
            traveler_name: "Tess Traveler".to_owned(),
            traveler_email: "tess@astro.test".to_owned(),
            seats: 2,
            seat_numbers: vec![3, 4],
            price_per_seat_cents: 2_500_000,
            total_cents: 5_000_000,
            passengers: vec![passenger("Tess Traveler"), passenger("Tom Traveler")],
            created_at: at(1, 2),
        }
    }

    fn launch(status: LaunchStatus, history: Vec<StatusChange>) -> LaunchSnapshot {
        LaunchSnapshot {
            launch_id: "l-1".to_owned(),
            agency_id: "a-1".to_owned(),
            agency_name: "Orbital Tours".to_owned(),
            agency_email: "agency@astro.test".to_owned(),
            rocket_name: "Falcon".to_owned(),
            mission_name: MISSION.to_owned(),
            spaceport: "Cape".to_owned(),
            destination: Reach::Moon,
            launch_at: at(3, 4),
            price_per_seat_cents: 2_500_000,
            minimum_passengers: 2,
            capacity: 6,
            status,
            slug: "sun-moon-loop".to_owned(),
            status_reason: None,
            revision: u32::try_from(history.len()).unwrap(),
            status_history: history,
        }
    }

    fn change(from: Option<LaunchStatus>, to: LaunchStatus, reason: Option<&str>) -> StatusChange {
        StatusChange {
            from,
            to,
            at: at(1, 10),
            by: "agency-user".to_owned(),
            reason: reason.map(str::to_owned),
        }
    }

    fn scheduled() -> StatusChange {
        change(None, LaunchStatus::Scheduled, None)
    }

    /// Every placeholder filled: nothing of the template syntax and no `none` (a missing optional
    /// value) left in any part.
    fn assert_complete(email: &Email) {
        for part in [&email.subject, &email.text, &without_styles(&email.html)] {
            assert!(!part.contains("{{") && !part.contains("{%"), "{part}");
            let mut words = part.split(|character: char| !character.is_alphanumeric());
            assert!(!words.any(|word| word == "none"), "{part}");
        }
        assert!(!email.subject.contains('\n'));
        assert!(email.html.starts_with("<!DOCTYPE html>"));
        assert!(
            email
                .html
                .contains(&format!("<title>{}</title>", html_escaped(&email.subject)))
        );
        assert!(
            email
                .text
                .starts_with(&format!("Hello {},", email.recipient_name))
        );
    }

    /// The HTML without its `style` attributes (whose CSS says `none` on purpose).
    fn without_styles(html: &str) -> String {
        html.split("style=\"")
            .enumerate()
            .map(|(index, piece)| match piece.split_once('"') {
                Some((_style, rest)) if index > 0 => rest,
                _ => piece,
            })
            .collect()
    }

    /// Text as minijinja writes it into HTML.
    fn html_escaped(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('/', "&#x2f;")
    }

    fn html_link(url: &str) -> String {
        format!("href=\"{}\"", html_escaped(url))
    }

    /// The mission reads verbatim in the subject and text, escaped in the HTML.
    fn assert_mission_escaped_in_html_only(email: &Email) {
        assert!(email.subject.contains(MISSION), "{}", email.subject);
        assert!(email.text.contains(MISSION), "{}", email.text);
        assert!(email.html.contains(MISSION_IN_HTML), "{}", email.html);
        assert!(!email.html.contains(MISSION), "{}", email.html);
    }

    #[test]
    fn the_welcome_email_links_each_role_to_its_own_app() {
        for (role, link) in [
            (UserRole::Traveler, "https://astro.example/"),
            (UserRole::Agency, "https://astro.example/supplier/"),
            (UserRole::Financial, "https://astro.example/employee/"),
            (UserRole::It, "https://astro.example/employee/"),
        ] {
            let user = UserRegistered {
                user_id: "u-1".to_owned(),
                email: "ada@astro.test".to_owned(),
                name: "Ada & Co".to_owned(),
                role,
            };
            let email = only(emails(USER_REGISTERED, &user));
            assert_complete(&email);
            assert_eq!(email.recipient_email, "ada@astro.test");
            assert_eq!(email.subject, "Welcome to Astro Bookings, Ada & Co");
            assert!(email.text.contains("ada@astro.test) is ready"));
            assert!(email.text.contains(link), "{role:?}: {}", email.text);
            assert!(
                email.html.contains(&html_link(link)),
                "{role:?}: {}",
                email.html
            );
            assert!(email.html.contains("Hello Ada &amp; Co,"));
            let other_apps = ["/supplier/", "/employee/"]
                .into_iter()
                .filter(|path| !link.ends_with(path));
            for path in other_apps {
                assert!(!email.text.contains(path));
                assert!(!email.html.contains(&html_escaped(path)));
            }
        }
    }

    #[test]
    fn a_trailing_slash_on_the_base_url_makes_no_double_slash() {
        let links = Links::new("https://astro.example/");
        assert_eq!(
            links.app_of(UserRole::Agency),
            "https://astro.example/supplier/"
        );
        assert_eq!(links.launch_page("x"), "https://astro.example/launches/x");
    }

    #[test]
    fn a_confirmed_booking_tells_the_traveller_and_the_agency() {
        let sent = emails(BOOKING_CONFIRMED, &booking());
        let [to_traveler, to_agency] = sent.as_slice() else {
            panic!("two emails: {sent:?}");
        };
        assert_eq!(to_traveler.recipient_email, "tess@astro.test");
        assert_eq!(
            to_traveler.subject,
            format!("Booking confirmed: {MISSION} (2 seats)")
        );
        assert_eq!(to_agency.recipient_email, "agency@astro.test");
        assert_eq!(
            to_agency.subject,
            format!("New booking on {MISSION}: 2 seats")
        );
        for email in [to_traveler, to_agency] {
            assert_complete(email);
            assert_mission_escaped_in_html_only(email);
            for part in [&email.text, &email.html] {
                for value in [
                    "b-1",
                    "2027-03-04 14:30 UTC",
                    "3, 4",
                    "Tess Traveler, Tom Traveler",
                    "$50,000.00",
                ] {
                    assert!(part.contains(value), "{value} in {part}");
                }
            }
        }
        assert!(
            to_traveler
                .text
                .contains("https://astro.example/launches/sun-moon-loop")
        );
        assert!(
            to_traveler
                .html
                .contains(&html_link("https://astro.example/launches/sun-moon-loop"))
        );
        assert!(
            to_agency
                .text
                .contains("https://astro.example/supplier/launches")
        );
    }

    fn cancellation(cause: CancellationCause, seats_released: bool) -> BookingCancelled {
        BookingCancelled {
            booking: booking(),
            cancellation: Cancellation {
                cause,
                cancelled_at: at(1, 20),
                reason: (cause == CancellationCause::LaunchAborted)
                    .then(|| "range closed & windy".to_owned()),
                refund_percent: if seats_released { 90 } else { 50 },
                refund_cents: if seats_released { 4_500_000 } else { 2_500_000 },
                seats_released,
            },
        }
    }

    #[test]
    fn a_cancelled_booking_tells_both_the_refund_and_what_becomes_of_the_seats() {
        for (seats_released, refund, note) in [
            (
                true,
                "$45,000.00 (90 % of $50,000.00)",
                "The seats are free again.",
            ),
            (
                false,
                "$25,000.00 (50 % of $50,000.00)",
                "the seats stay sold.",
            ),
        ] {
            let sent = emails(
                BOOKING_CANCELLED,
                &cancellation(CancellationCause::Traveler, seats_released),
            );
            let [to_traveler, to_agency] = sent.as_slice() else {
                panic!("two emails: {sent:?}");
            };
            assert_eq!(to_traveler.subject, format!("Booking cancelled: {MISSION}"));
            assert_eq!(
                to_agency.subject,
                format!("Booking cancelled on {MISSION}: 2 seats")
            );
            assert_eq!(to_agency.recipient_email, "agency@astro.test");
            for email in [to_traveler, to_agency] {
                assert_complete(email);
                assert_mission_escaped_in_html_only(email);
                for part in [&email.text, &email.html] {
                    assert!(part.contains(refund), "{part}");
                    assert!(part.contains(note), "{part}");
                }
            }
        }
    }

    #[test]
    fn a_booking_cancelled_by_an_abort_tells_only_the_traveller_the_reason_and_full_refund() {
        let email = only(emails(
            BOOKING_CANCELLED,
            &cancellation(CancellationCause::LaunchAborted, true),
        ));
        assert_complete(&email);
        assert_mission_escaped_in_html_only(&email);
        assert_eq!(email.recipient_email, "tess@astro.test");
        assert_eq!(email.subject, format!("Launch aborted: {MISSION}"));
        assert!(
            email
                .text
                .contains("was aborted by the agency.\nReason: range closed & windy\n")
        );
        assert!(email.html.contains("range closed &amp; windy"));
        for part in [&email.text, &email.html] {
            assert!(
                part.contains("full refund") && part.contains("$45,000.00"),
                "{part}"
            );
        }
    }

    #[test]
    fn an_abort_tells_the_agency_its_reason() {
        let snapshot = launch(
            LaunchStatus::Aborted,
            vec![
                scheduled(),
                change(
                    Some(LaunchStatus::Scheduled),
                    LaunchStatus::Aborted,
                    Some("insufficient_passengers"),
                ),
            ],
        );
        let email = only(emails(LAUNCH_CHANGED, &snapshot));
        assert_complete(&email);
        assert_mission_escaped_in_html_only(&email);
        assert_eq!(email.recipient_email, "agency@astro.test");
        assert_eq!(email.subject, format!("Launch aborted: {MISSION}"));
        for part in [&email.text, &email.html] {
            assert!(part.contains("insufficient_passengers"), "{part}");
            assert!(part.contains("cancelled with a full refund"), "{part}");
        }
    }

    #[test]
    fn an_abort_snapshot_without_history_still_tells_the_agency() {
        let mut snapshot = launch(LaunchStatus::Aborted, Vec::new());
        snapshot.status_reason = Some("range closed".to_owned());
        let email = only(emails(LAUNCH_CHANGED, &snapshot));
        assert_eq!(email.subject, format!("Launch aborted: {MISSION}"));
        assert!(email.text.contains("is aborted.\nReason: range closed\n"));
    }

    #[test]
    fn a_snapshot_whose_last_entry_is_the_scheduling_tells_nobody() {
        assert!(
            emails(
                LAUNCH_CHANGED,
                &launch(LaunchStatus::Scheduled, vec![scheduled()])
            )
            .is_empty()
        );
        assert!(emails(LAUNCH_CHANGED, &launch(LaunchStatus::Scheduled, Vec::new())).is_empty());
    }

    /// Each change of the graph but abort, its subject and the sentence both parts carry.
    fn status_changes() -> Vec<(StatusChange, String, &'static str)> {
        use LaunchStatus::{Confirmed, Delayed, Failed, Launched, Scheduled};
        vec![
            (
                change(Some(Scheduled), Confirmed, None),
                format!("Launch confirmed: {MISSION}, 2027-03-04 14:30 UTC"),
                "is confirmed: it launches on",
            ),
            (
                change(Some(Confirmed), Delayed, Some("weather")),
                format!("Launch delayed: {MISSION}, now 2027-03-04 14:30 UTC"),
                "is delayed: it now launches on",
            ),
            (
                change(Some(Delayed), Scheduled, None),
                format!("Launch back on schedule: {MISSION}, 2027-03-04 14:30 UTC"),
                "is back on schedule: it launches on",
            ),
            (
                change(Some(Delayed), Confirmed, None),
                format!("Launch confirmed: {MISSION}, 2027-03-04 14:30 UTC"),
                "is confirmed again: it launches on",
            ),
            (
                change(Some(Confirmed), Launched, None),
                format!("Lift-off: {MISSION}"),
                "has launched",
            ),
            (
                change(Some(Launched), Failed, Some("lost telemetry")),
                format!("Launch failed: {MISSION}"),
                "failed",
            ),
        ]
    }

    #[test]
    fn every_status_change_tells_the_agency_once() {
        for (last, subject, sentence) in status_changes() {
            let status = last.to;
            let reason = last.reason.clone();
            let email = only(emails(
                LAUNCH_CHANGED,
                &launch(status, vec![scheduled(), last]),
            ));
            assert_complete(&email);
            assert_mission_escaped_in_html_only(&email);
            assert_eq!(email.recipient_email, "agency@astro.test");
            assert_eq!(email.subject, subject);
            for part in [&email.text, &email.html] {
                assert!(part.contains(sentence), "{sentence} in {part}");
                if let Some(reason) = &reason {
                    assert!(part.contains(&format!("Reason: {reason}")), "{part}");
                }
            }
            assert!(
                email
                    .html
                    .contains(&html_link("https://astro.example/supplier/launches"))
            );
        }
    }

    #[test]
    fn every_status_change_tells_the_traveller_of_each_active_booking() {
        for (change, subject, sentence) in status_changes() {
            let changed = BookingLaunchChanged {
                booking: booking(),
                change,
                launch_at: at(3, 4),
            };
            let email = only(emails(BOOKING_LAUNCH_CHANGED, &changed));
            assert_complete(&email);
            assert_mission_escaped_in_html_only(&email);
            assert_eq!(email.recipient_email, "tess@astro.test");
            assert_eq!(email.subject, subject);
            for part in [&email.text, &email.html] {
                assert!(part.contains(sentence), "{sentence} in {part}");
                assert!(part.contains("b-1"), "{part}");
            }
            assert!(
                email
                    .text
                    .contains("https://astro.example/launches/sun-moon-loop")
            );
            assert!(email.text.contains("https://astro.example/bookings"));
        }
    }

    #[test]
    fn the_delay_email_names_the_new_date() {
        let changed = BookingLaunchChanged {
            booking: booking(),
            change: change(Some(LaunchStatus::Scheduled), LaunchStatus::Delayed, None),
            launch_at: at(6, 18),
        };
        let email = only(emails(BOOKING_LAUNCH_CHANGED, &changed));
        assert_eq!(
            email.subject,
            format!("Launch delayed: {MISSION}, now 2027-06-18 14:30 UTC")
        );
        for part in [&email.text, &email.html] {
            assert!(part.contains("2027-06-18 14:30 UTC"), "{part}");
            assert!(!part.contains("2027-03-04"), "the old date: {part}");
        }
        assert!(email.text.contains("stays as it is"));
    }

    #[test]
    fn an_abort_told_per_booking_is_left_to_the_cancellation() {
        let changed = BookingLaunchChanged {
            booking: booking(),
            change: change(
                Some(LaunchStatus::Scheduled),
                LaunchStatus::Aborted,
                Some("x"),
            ),
            launch_at: at(3, 4),
        };
        assert!(emails(BOOKING_LAUNCH_CHANGED, &changed).is_empty());
    }

    #[test]
    fn the_vip_notice_goes_to_each_recipient_with_the_launch_link() {
        let recipient = |name: &str, email: &str| Recipient {
            user_id: format!("u-{name}"),
            name: name.to_owned(),
            email: email.to_owned(),
        };
        let notice = LaunchVipNotice {
            launch: launch(LaunchStatus::Scheduled, vec![scheduled()]),
            recipients: vec![
                recipient("Vera VIP", "vera@astro.test"),
                recipient("Victor VIP", "victor@astro.test"),
            ],
        };
        let sent = emails(LAUNCH_VIP_NOTICE, &notice);
        let recipients: Vec<&str> = sent
            .iter()
            .map(|email| email.recipient_email.as_str())
            .collect();
        assert_eq!(recipients, ["vera@astro.test", "victor@astro.test"]);
        for email in &sent {
            assert_complete(email);
            assert_mission_escaped_in_html_only(email);
            assert_eq!(
                email.subject,
                format!("Early notice for VIPs: {MISSION} to the Moon, 2027-03-04 14:30 UTC")
            );
            for part in [&email.text, &email.html] {
                for value in ["$25,000.00", "Cape", "Falcon"] {
                    assert!(part.contains(value), "{value} in {part}");
                }
            }
            let link = "https://astro.example/launches/sun-moon-loop";
            assert!(email.text.contains(link));
            assert!(email.html.contains(&html_link(link)));
        }
        assert!(sent[0].text.starts_with("Hello Vera VIP,"));
    }

    #[test]
    fn malformed_data_and_unknown_events_are_permanent_errors() {
        let links = Links::new(BASE);
        let malformed = envelope(LAUNCH_VIP_NOTICE, &serde_json::json!({"launch": 1}));
        assert!(matches!(
            emails_for(&links, &malformed),
            Err(HandlerError::Permanent(_))
        ));
        let unknown = envelope("something.else.v1", &serde_json::json!({}));
        assert!(matches!(
            emails_for(&links, &unknown),
            Err(HandlerError::Permanent(_))
        ));
    }
}
