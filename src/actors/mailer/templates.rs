//! Email templates with `{placeholders}`, rendered without I/O.

use std::collections::HashMap;

pub use crate::domain::money::dollars;

pub struct Template {
    pub subject: &'static str,
    pub body: &'static str,
}

pub const WELCOME: Template = Template {
    subject: "Welcome to Astro Bookings, {name}",
    body: "Hello {name},\n\nyour Astro Bookings account ({email}) is ready. Sign in at {link}.\n\nAstro Bookings",
};

pub const BOOKING_CONFIRMED_TRAVELER: Template = Template {
    subject: "Booking confirmed: {mission} ({seats} seats)",
    body: "Hello {name},\n\nyour booking {booking_id} on {mission} ({launch_at}) is confirmed.\nSeats: {seat_numbers}\nPassengers: {passengers}\nTotal: {total}\n\nLaunch page: {link}\n\nAstro Bookings",
};

pub const BOOKING_CONFIRMED_AGENCY: Template = Template {
    subject: "New booking on {mission}: {seats} seats",
    body: "Hello {name},\n\n{traveler} booked {seats} seats ({seat_numbers}) on {mission} ({launch_at}).\nPassengers: {passengers}\nTotal: {total}\n\nAstro Bookings",
};

pub const BOOKING_CANCELLED_TRAVELER: Template = Template {
    subject: "Booking cancelled: {mission}",
    body: "Hello {name},\n\nyour booking {booking_id} on {mission} ({launch_at}) is cancelled.\nRefund: {refund} ({refund_percent} % of {total})\n{seats_note}\n\nAstro Bookings",
};

pub const BOOKING_CANCELLED_AGENCY: Template = Template {
    subject: "Booking cancelled on {mission}: {seats} seats",
    body: "Hello {name},\n\n{traveler} cancelled booking {booking_id} ({seats} seats: {seat_numbers}) on {mission} ({launch_at}).\nRefund owed: {refund} ({refund_percent} % of {total})\n{seats_note}\n\nAstro Bookings",
};

pub const LAUNCH_ABORTED_TRAVELER: Template = Template {
    subject: "Launch aborted: {mission}",
    body: "Hello {name},\n\n{mission} ({launch_at}) was aborted by the agency: {reason}\nYour booking {booking_id} is cancelled with a full refund of {refund}.\n\nAstro Bookings",
};

pub const LAUNCH_ABORTED_AGENCY: Template = Template {
    subject: "Launch aborted: {mission}",
    body: "Hello {name},\n\n{mission} ({launch_at}) is aborted: {reason}\nEvery active booking is cancelled with a full refund; the travellers are told.\n\nAstro Bookings",
};

/// Replaces every `{key}` with its value; unknown placeholders stay visible so they get noticed.
pub fn render(text: &str, values: &HashMap<&str, String>) -> String {
    let mut rendered = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let (before, after) = rest.split_at(start);
        rendered.push_str(before);
        match after.find('}') {
            Some(end) => {
                let key = after.get(1..end).unwrap_or_default();
                match values.get(key) {
                    Some(value) => rendered.push_str(value),
                    None => rendered.push_str(after.get(..=end).unwrap_or_default()),
                }
                rest = after.get(end + 1..).unwrap_or_default();
            }
            None => {
                rendered.push_str(after);
                rest = "";
            }
        }
    }
    rendered.push_str(rest);
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let values = HashMap::from([("name", "Ada".to_owned()), ("seats", "2".to_owned())]);
        assert_eq!(
            render("Hi {name}, {seats} seats, {other}", &values),
            "Hi Ada, 2 seats, {other}"
        );
        assert_eq!(render("no braces", &values), "no braces");
        assert_eq!(render("open { brace", &values), "open { brace");
    }
}
