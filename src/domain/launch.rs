//! Rockets and launches: ranges, the lifecycle and the rules for scheduling.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::RuleViolation;

/// How far a rocket can go; also a launch's destination. Ordered by distance, so a rocket can fly
/// to any destination up to its range.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    Suborbital,
    LowEarthOrbit,
    Moon,
    Mars,
}

impl Reach {
    pub fn as_str(self) -> &'static str {
        match self {
            Reach::Suborbital => "suborbital",
            Reach::LowEarthOrbit => "low_earth_orbit",
            Reach::Moon => "moon",
            Reach::Mars => "mars",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        match raw {
            "suborbital" => Ok(Reach::Suborbital),
            "low_earth_orbit" => Ok(Reach::LowEarthOrbit),
            "moon" => Ok(Reach::Moon),
            "mars" => Ok(Reach::Mars),
            other => Err(RuleViolation::new(format!(
                "{other:?} is not one of suborbital, low_earth_orbit, moon, mars"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LaunchStatus {
    Scheduled,
    Confirmed,
    Delayed,
    Launched,
    Failed,
    Aborted,
}

impl LaunchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchStatus::Scheduled => "scheduled",
            LaunchStatus::Confirmed => "confirmed",
            LaunchStatus::Delayed => "delayed",
            LaunchStatus::Launched => "launched",
            LaunchStatus::Failed => "failed",
            LaunchStatus::Aborted => "aborted",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        match raw {
            "scheduled" => Ok(LaunchStatus::Scheduled),
            "confirmed" => Ok(LaunchStatus::Confirmed),
            "delayed" => Ok(LaunchStatus::Delayed),
            "launched" => Ok(LaunchStatus::Launched),
            "failed" => Ok(LaunchStatus::Failed),
            "aborted" => Ok(LaunchStatus::Aborted),
            other => Err(RuleViolation::new(format!(
                "unknown launch status {other:?}"
            ))),
        }
    }

    /// Bookings are accepted only while scheduled or confirmed.
    pub fn accepts_bookings(self) -> bool {
        matches!(self, LaunchStatus::Scheduled | LaunchStatus::Confirmed)
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            LaunchStatus::Launched | LaunchStatus::Failed | LaunchStatus::Aborted
        )
    }

    /// The lifecycle graph of domain.md. Date and reason conditions are checked by the caller.
    pub fn can_become(self, next: LaunchStatus) -> bool {
        use LaunchStatus::*;
        matches!(
            (self, next),
            (Scheduled, Confirmed)
                | (Scheduled, Delayed)
                | (Scheduled, Aborted)
                | (Confirmed, Delayed)
                | (Confirmed, Launched)
                | (Confirmed, Failed)
                | (Confirmed, Aborted)
                | (Delayed, Scheduled)
                | (Delayed, Confirmed)
                | (Delayed, Aborted)
        )
    }
}

/// One step of a launch's status history: who moved it, when, from what, to what and why. `by`
/// is the acting user's id, or `scheduler` for the minimum-passenger decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    /// None for the first entry (the launch was scheduled).
    pub from: Option<LaunchStatus>,
    pub to: LaunchStatus,
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: Option<String>,
}

/// A text field of a launch or rocket: plain text of at most 120 characters.
pub fn parse_label(field: &str, raw: &str) -> Result<String, RuleViolation> {
    const MAX_LENGTH: usize = 120;
    super::text::parse_plain_text(field, raw, MAX_LENGTH)
}

/// The most seats a rocket may have. The largest crewed vehicles planned carry about 100
/// people (Starship's stated figure); ten times that leaves room for what comes next while a
/// typing slip (10,000 for 100) is refused instead of putting thousands of unsellable seats on
/// sale, and one launch's seat inventory stays small in its actor's memory.
pub const MAX_ROCKET_CAPACITY: u32 = 1_000;

/// Seats on a rocket: 1 to `MAX_ROCKET_CAPACITY`.
pub fn parse_capacity(raw: i64) -> Result<u32, RuleViolation> {
    u32::try_from(raw)
        .ok()
        .filter(|capacity| (1..=MAX_ROCKET_CAPACITY).contains(capacity))
        .ok_or_else(|| {
            RuleViolation::new(format!(
                "capacity must be between 1 and {MAX_ROCKET_CAPACITY}"
            ))
        })
}

/// What an agency asks to change on one of its rockets, parsed; at least one field is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RocketChanges {
    pub name: Option<String>,
    pub model: Option<String>,
    pub capacity: Option<u32>,
    pub reach: Option<Reach>,
}

impl RocketChanges {
    pub fn parse(
        name: Option<&str>,
        model: Option<&str>,
        capacity: Option<i64>,
        range: Option<&str>,
    ) -> Result<Self, RuleViolation> {
        if name.is_none() && model.is_none() && capacity.is_none() && range.is_none() {
            return Err(RuleViolation::new(
                "give at least one of name, model, capacity, range",
            ));
        }
        Ok(Self {
            name: name.map(|raw| parse_label("name", raw)).transpose()?,
            model: model.map(|raw| parse_label("model", raw)).transpose()?,
            capacity: capacity.map(parse_capacity).transpose()?,
            reach: range.map(Reach::parse).transpose()?,
        })
    }
}

/// A launch of the rocket that is not final yet, as far as the rocket's rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLaunch {
    pub mission_name: String,
    pub destination: Reach,
}

/// Why a change to a rocket is refused while some of its launches are not final.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RocketRefusal {
    #[error(
        "launch {mission_name:?} flies to {}, beyond the range {}; abort or finish it first",
        destination.as_str(),
        range.as_str()
    )]
    RangeBelowLaunch {
        mission_name: String,
        destination: Reach,
        range: Reach,
    },
    #[error(
        "the rocket has {count} launch(es) not yet launched, failed or aborted; a rocket is \
         deactivated only once all its launches are final"
    )]
    HasFutureLaunches { count: usize },
}

impl RocketRefusal {
    /// The stable code of docs/api.md.
    pub fn code(&self) -> &'static str {
        match self {
            RocketRefusal::RangeBelowLaunch { .. } => "range_below_launch_destination",
            RocketRefusal::HasFutureLaunches { .. } => "rocket_has_future_launches",
        }
    }
}

/// Whether the changes may apply while these launches of the rocket are not final. Name and
/// model may always change; a launch keeps the capacity it was scheduled with (its seats are on
/// sale against it), so a new capacity applies to later launches only and is always allowed;
/// the range may not shrink below where a pending launch flies.
pub fn check_rocket_changes(
    changes: &RocketChanges,
    pending: &[PendingLaunch],
) -> Result<(), RocketRefusal> {
    let Some(range) = changes.reach else {
        return Ok(());
    };
    match pending.iter().find(|launch| launch.destination > range) {
        Some(launch) => Err(RocketRefusal::RangeBelowLaunch {
            mission_name: launch.mission_name.clone(),
            destination: launch.destination,
            range,
        }),
        None => Ok(()),
    }
}

/// A rocket is deactivated (never deleted) only once every launch of it is final.
pub fn check_deactivation(pending: &[PendingLaunch]) -> Result<(), RocketRefusal> {
    if pending.is_empty() {
        Ok(())
    } else {
        Err(RocketRefusal::HasFutureLaunches {
            count: pending.len(),
        })
    }
}

/// What an agency asks for when it schedules a launch, before it is accepted.
pub struct LaunchRequest<'a> {
    pub mission_name: &'a str,
    pub spaceport: &'a str,
    pub destination: &'a str,
    pub launch_at: DateTime<Utc>,
    pub price_per_seat_cents: i64,
    pub minimum_passengers: i64,
}

/// A launch that passed every scheduling rule against its rocket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLaunch {
    pub mission_name: String,
    pub spaceport: String,
    pub destination: Reach,
    pub launch_at: DateTime<Utc>,
    pub price_per_seat_cents: i64,
    pub minimum_passengers: u32,
    pub slug: String,
}

impl NewLaunch {
    pub fn parse(
        request: LaunchRequest<'_>,
        rocket_name: &str,
        rocket_reach: Reach,
        rocket_capacity: u32,
        now: DateTime<Utc>,
    ) -> Result<Self, RuleViolation> {
        const MAX_PRICE_CENTS: i64 = 100_000_000_000;
        let mission_name = parse_label("mission_name", request.mission_name)?;
        let spaceport = parse_label("spaceport", request.spaceport)?;
        let destination = Reach::parse(request.destination)?;
        if destination > rocket_reach {
            return Err(RuleViolation::new(format!(
                "rocket {rocket_name:?} reaches {} at most, not {}",
                rocket_reach.as_str(),
                destination.as_str()
            )));
        }
        if request.launch_at <= now {
            return Err(RuleViolation::new("launch_at must be in the future"));
        }
        if !(1..=MAX_PRICE_CENTS).contains(&request.price_per_seat_cents) {
            return Err(RuleViolation::new(
                "price_per_seat_cents must be a positive amount",
            ));
        }
        let minimum_passengers = u32::try_from(request.minimum_passengers)
            .ok()
            .filter(|minimum| (1..=rocket_capacity).contains(minimum))
            .ok_or_else(|| {
                RuleViolation::new(format!(
                    "minimum_passengers must be between 1 and the capacity {rocket_capacity}"
                ))
            })?;
        let slug = launch_slug(rocket_name, &spaceport, destination, request.launch_at);
        Ok(Self {
            mission_name,
            spaceport,
            destination,
            launch_at: request.launch_at,
            price_per_seat_cents: request.price_per_seat_cents,
            minimum_passengers,
            slug,
        })
    }
}

/// Readable, URL-safe slug: rocket-spaceport-destination-date. Uniqueness is the store's job
/// (it appends a short suffix on a clash).
pub fn launch_slug(
    rocket_name: &str,
    spaceport: &str,
    destination: Reach,
    launch_at: DateTime<Utc>,
) -> String {
    let raw = format!(
        "{rocket_name}-{spaceport}-{}-{}",
        destination.as_str(),
        launch_at.format("%Y-%m-%d")
    );
    let mut slug = String::with_capacity(raw.len());
    for character in raw.chars().flat_map(char::to_lowercase) {
        if character.is_ascii_alphanumeric() {
            slug.push(character);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn request(destination: &str, launch_at: DateTime<Utc>) -> LaunchRequest<'_> {
        LaunchRequest {
            mission_name: "Artemis Tourist I",
            spaceport: "Cape Canaveral",
            destination,
            launch_at,
            price_per_seat_cents: 25_000_000,
            minimum_passengers: 2,
        }
    }

    #[test]
    fn destination_must_be_within_the_rocket_range() {
        let now = Utc::now();
        let later = now + Duration::days(400);
        assert!(NewLaunch::parse(request("moon", later), "Falcon", Reach::Moon, 10, now).is_ok());
        assert!(
            NewLaunch::parse(request("suborbital", later), "Falcon", Reach::Moon, 10, now).is_ok()
        );
        let error =
            NewLaunch::parse(request("mars", later), "Falcon", Reach::Moon, 10, now).unwrap_err();
        assert!(error.0.contains("reaches moon at most"));
    }

    #[test]
    fn launch_must_be_in_the_future_with_a_sane_minimum() {
        let now = Utc::now();
        assert!(
            NewLaunch::parse(
                request("moon", now - Duration::seconds(1)),
                "F",
                Reach::Mars,
                10,
                now
            )
            .is_err()
        );
        let mut too_many = request("moon", now + Duration::days(1));
        too_many.minimum_passengers = 11;
        assert!(NewLaunch::parse(too_many, "F", Reach::Mars, 10, now).is_err());
        let mut free = request("moon", now + Duration::days(1));
        free.price_per_seat_cents = 0;
        assert!(NewLaunch::parse(free, "F", Reach::Mars, 10, now).is_err());
    }

    #[test]
    fn slug_is_readable() {
        let date = Utc.with_ymd_and_hms(2027, 3, 14, 9, 30, 0).unwrap();
        assert_eq!(
            launch_slug(
                "Falcon 9 Heavy",
                "Cape Canaveral SLC-40",
                Reach::LowEarthOrbit,
                date
            ),
            "falcon-9-heavy-cape-canaveral-slc-40-low-earth-orbit-2027-03-14"
        );
    }

    #[test]
    fn lifecycle_follows_the_graph() {
        use LaunchStatus::*;
        assert!(Scheduled.can_become(Confirmed));
        assert!(Delayed.can_become(Scheduled));
        assert!(!Scheduled.can_become(Launched));
        assert!(!Aborted.can_become(Scheduled));
        for status in [Launched, Failed, Aborted] {
            assert!(status.is_final());
            assert!(!status.accepts_bookings());
        }
        assert!(Confirmed.accepts_bookings());
        assert!(!Delayed.accepts_bookings());
    }

    #[test]
    fn reach_parses() {
        assert_eq!(
            Reach::parse("low_earth_orbit").unwrap(),
            Reach::LowEarthOrbit
        );
        assert!(Reach::parse("venus").is_err());
        assert!(parse_capacity(0).is_err());
        assert_eq!(parse_capacity(12).unwrap(), 12);
    }
}
