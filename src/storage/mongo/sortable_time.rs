//! Serde adapter for an optional UTC time stored as a fixed-width RFC 3339 string
//! (`2026-12-03T12:00:00.000Z`): string order is then time order, so a range filter on it works
//! alike on MongoDB and FerretDB (chrono's own format drops zero fractions and breaks that).

use chrono::{DateTime, Utc};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

pub fn text(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub fn serialize<S: Serializer>(
    time: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => serializer.serialize_str(&text(*time)),
        None => serializer.serialize_none(),
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|raw| {
            DateTime::parse_from_rfc3339(&raw)
                .map(|time| time.with_timezone(&Utc))
                .map_err(D::Error::custom)
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_order_is_time_order_whatever_the_fraction() {
        let whole = DateTime::parse_from_rfc3339("2026-12-03T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let later = whole + chrono::Duration::milliseconds(500);
        assert!(text(whole) < text(later));
        assert_eq!(text(whole), "2026-12-03T12:00:00.000Z");
    }
}
