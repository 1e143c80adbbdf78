//! The public launch listing, served from memory: each launch actor publishes its launch and
//! free seats here after every change, and the listing endpoint reads it without a database
//! round trip or an actor message. The unfiltered listing is kept serialised until a launch
//! changes or the first listed launch's date passes: a launch leaves the listing by the clock,
//! whatever its status says. A launch's page answers whatever its status; a final launch leaves
//! the board (its actor retires) and its page is read from the customer DB.

use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use dashmap::DashMap;
use serde::Serialize;

use crate::domain::launch::{LaunchStatus, Reach};
use crate::storage::mongo::customer::LaunchDocument;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicLaunch {
    pub id: String,
    pub slug: String,
    pub mission_name: String,
    pub rocket_name: String,
    pub spaceport: String,
    pub destination: Reach,
    pub launch_at: DateTime<Utc>,
    pub price_per_seat_cents: i64,
    pub capacity: u32,
    pub free_seats: u32,
    pub status: LaunchStatus,
}

impl PublicLaunch {
    pub fn new(launch: &LaunchDocument, free_seats: u32) -> Self {
        Self {
            id: launch.id.clone(),
            slug: launch.slug.clone(),
            mission_name: launch.mission_name.clone(),
            rocket_name: launch.rocket_name.clone(),
            spaceport: launch.spaceport.clone(),
            destination: launch.destination,
            launch_at: launch.launch_at,
            price_per_seat_cents: launch.price_per_seat_cents,
            capacity: launch.capacity,
            free_seats,
            status: launch.status,
        }
    }

    /// Visitors see only launches that still sell seats.
    pub fn is_listed(&self, now: DateTime<Utc>) -> bool {
        self.free_seats > 0 && self.status.accepts_bookings() && now < self.launch_at
    }
}

#[derive(Serialize)]
struct Listing<'a> {
    items: &'a [PublicLaunch],
}

#[derive(Default)]
pub struct LaunchBoard {
    launches: DashMap<String, PublicLaunch>,
    slugs: DashMap<String, String>,
    version: AtomicU64,
    cached_listing: RwLock<Option<CachedListing>>,
}

struct CachedListing {
    version: u64,
    /// The first listed launch's date: the listing is stale from then on.
    expires_at: Option<DateTime<Utc>>,
    body: Bytes,
}

/// Filters and order of the public listing.
#[derive(Debug, Default, Clone)]
pub struct ListingQuery {
    pub destination: Option<Reach>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub max_price_cents: Option<i64>,
    pub sort: ListingOrder,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum ListingOrder {
    #[default]
    LaunchDate,
    PriceAscending,
    PriceDescending,
    FreeSeatsDescending,
}

impl ListingQuery {
    pub fn is_default(&self) -> bool {
        self.destination.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.max_price_cents.is_none()
            && self.sort == ListingOrder::LaunchDate
    }

    fn accepts(&self, launch: &PublicLaunch, now: DateTime<Utc>) -> bool {
        launch.is_listed(now)
            && self
                .destination
                .is_none_or(|destination| launch.destination == destination)
            && self.from.is_none_or(|from| launch.launch_at >= from)
            && self.to.is_none_or(|to| launch.launch_at <= to)
            && self
                .max_price_cents
                .is_none_or(|max| launch.price_per_seat_cents <= max)
    }
}

impl LaunchBoard {
    pub fn publish(&self, launch: PublicLaunch) {
        self.slugs.insert(launch.slug.clone(), launch.id.clone());
        self.launches.insert(launch.id.clone(), launch);
        self.version.fetch_add(1, Ordering::Release);
    }

    /// A launch's page, whatever its status, seats or date (final launches are not on the board:
    /// their page is read from the customer DB).
    pub fn by_slug(&self, slug: &str) -> Option<PublicLaunch> {
        let id = self.slugs.get(slug)?.value().clone();
        self.launches.get(&id).map(|entry| entry.value().clone())
    }

    /// A final launch leaves the board: memory stays bounded by the launches that can still
    /// sell.
    pub fn remove(&self, id: &str) {
        if let Some((_, launch)) = self.launches.remove(id) {
            self.slugs.remove(&launch.slug);
            self.version.fetch_add(1, Ordering::Release);
        }
    }

    pub fn by_id(&self, id: &str) -> Option<PublicLaunch> {
        self.launches.get(id).map(|entry| entry.value().clone())
    }

    pub fn list(&self, query: &ListingQuery, now: DateTime<Utc>) -> Vec<PublicLaunch> {
        let mut launches: Vec<PublicLaunch> = self
            .launches
            .iter()
            .map(|entry| entry.value().clone())
            .filter(|launch| query.accepts(launch, now))
            .collect();
        match query.sort {
            ListingOrder::LaunchDate => {
                launches.sort_by(|a, b| a.launch_at.cmp(&b.launch_at).then(a.id.cmp(&b.id)))
            }
            ListingOrder::PriceAscending => {
                launches.sort_by_key(|launch| launch.price_per_seat_cents)
            }
            ListingOrder::PriceDescending => {
                launches.sort_by_key(|launch| std::cmp::Reverse(launch.price_per_seat_cents))
            }
            ListingOrder::FreeSeatsDescending => {
                launches.sort_by_key(|launch| std::cmp::Reverse(launch.free_seats))
            }
        }
        launches
    }

    /// The unfiltered listing as JSON, rebuilt only when a launch changed since the last call
    /// or the first listed launch's date has passed.
    pub fn default_listing_json(&self, now: DateTime<Utc>) -> Result<Bytes, serde_json::Error> {
        let version = self.version.load(Ordering::Acquire);
        if let Ok(cached) = self.cached_listing.read()
            && let Some(cached) = cached.as_ref()
            && cached.version == version
            && cached.expires_at.is_none_or(|expires_at| now < expires_at)
        {
            return Ok(cached.body.clone());
        }
        let launches = self.list(&ListingQuery::default(), now);
        let body = Bytes::from(serde_json::to_vec(&Listing { items: &launches })?);
        if let Ok(mut cached) = self.cached_listing.write() {
            *cached = Some(CachedListing {
                version,
                expires_at: launches.iter().map(|launch| launch.launch_at).min(),
                body: body.clone(),
            });
        }
        Ok(body)
    }

    pub fn listing_json(launches: &[PublicLaunch]) -> Result<Bytes, serde_json::Error> {
        Ok(Bytes::from(serde_json::to_vec(&Listing {
            items: launches,
        })?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn launch(id: &str, free_seats: u32, price: i64, destination: Reach) -> PublicLaunch {
        PublicLaunch {
            id: id.into(),
            slug: format!("slug-{id}"),
            mission_name: "m".into(),
            rocket_name: "r".into(),
            spaceport: "s".into(),
            destination,
            launch_at: Utc::now() + Duration::days(100),
            price_per_seat_cents: price,
            capacity: 10,
            free_seats,
            status: LaunchStatus::Scheduled,
        }
    }

    #[test]
    fn sold_out_launches_are_not_listed_but_keep_their_page() {
        let board = LaunchBoard::default();
        board.publish(launch("a", 3, 100, Reach::Moon));
        board.publish(launch("b", 0, 100, Reach::Moon));
        let listed: Vec<String> = board
            .list(&ListingQuery::default(), Utc::now())
            .into_iter()
            .map(|launch| launch.id)
            .collect();
        assert_eq!(listed, vec!["a"]);
        assert!(board.by_slug("slug-a").is_some());
        assert_eq!(
            board.by_slug("slug-b").map(|launch| launch.free_seats),
            Some(0)
        );
        board.remove("b");
        assert!(board.by_slug("slug-b").is_none());
        assert!(board.by_id("b").is_none());
    }

    #[test]
    fn filters_and_sorting_apply() {
        let board = LaunchBoard::default();
        board.publish(launch("cheap", 3, 100, Reach::Moon));
        board.publish(launch("dear", 3, 900, Reach::Mars));
        let query = ListingQuery {
            max_price_cents: Some(500),
            ..ListingQuery::default()
        };
        assert_eq!(board.list(&query, Utc::now()).len(), 1);
        let query = ListingQuery {
            destination: Some(Reach::Mars),
            ..ListingQuery::default()
        };
        assert_eq!(
            board
                .list(&query, Utc::now())
                .first()
                .map(|launch| launch.id.as_str()),
            Some("dear")
        );
        let query = ListingQuery {
            sort: ListingOrder::PriceDescending,
            ..ListingQuery::default()
        };
        assert_eq!(
            board
                .list(&query, Utc::now())
                .first()
                .map(|launch| launch.id.as_str()),
            Some("dear")
        );
    }

    #[test]
    fn cached_listing_follows_changes() {
        let board = LaunchBoard::default();
        board.publish(launch("a", 3, 100, Reach::Moon));
        let first = board.default_listing_json(Utc::now()).unwrap();
        assert_eq!(first, board.default_listing_json(Utc::now()).unwrap());
        board.publish(launch("a", 1, 100, Reach::Moon));
        let second = board.default_listing_json(Utc::now()).unwrap();
        assert_ne!(first, second);
        assert!(String::from_utf8_lossy(&second).contains("\"free_seats\":1"));
    }

    #[test]
    fn a_launch_whose_date_passed_leaves_the_listing_but_keeps_its_page() {
        let board = LaunchBoard::default();
        let soon = PublicLaunch {
            launch_at: Utc::now() + Duration::seconds(30),
            ..launch("soon", 3, 100, Reach::Moon)
        };
        board.publish(soon.clone());
        board.publish(launch("later", 3, 100, Reach::Moon));
        let now = Utc::now();
        let before = board.default_listing_json(now).unwrap();
        assert!(String::from_utf8_lossy(&before).contains("\"soon\""));
        let after_date = soon.launch_at + Duration::seconds(1);
        let after = board.default_listing_json(after_date).unwrap();
        assert!(!String::from_utf8_lossy(&after).contains("\"soon\""));
        assert!(String::from_utf8_lossy(&after).contains("\"later\""));
        assert!(board.by_slug("slug-soon").is_some());
    }
}
