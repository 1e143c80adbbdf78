//! Rockets after registration (change, deactivate, the maximum capacity), the agency's profile
//! and the traveller's profile, which reaches the operations DB through the customer DB's
//! profile outbox.

use std::time::Duration;

use astro_bookings::domain::profile::TravelerProfile;
use astro_bookings::domain::user::UserRole;
use astro_bookings::storage::amqp::events::{TravelerProfileUpdated, UserRegistered};
use astro_bookings::storage::mongo::customer::{ProfileOutboxEntry, TravelerDocument};
use astro_bookings::storage::postgres::profiles::apply_traveler_profile;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{SignedIn, TestApp, assert_problem, eventually, spawn_app};

/// Over the 64 KiB body limit.
fn megabyte() -> String {
    "x".repeat(1024 * 1024)
}

impl TestApp {
    async fn patch_rocket(
        &self,
        agency: &SignedIn,
        rocket_id: &str,
        body: &Value,
    ) -> reqwest::Response {
        self.send_json(
            Method::PATCH,
            format!("{}/api/admin/rockets/{rocket_id}", self.admin_url),
            Some(&agency.token),
            body,
        )
        .await
    }

    async fn deactivate_rocket(&self, agency: &SignedIn, rocket_id: &str) -> reqwest::Response {
        self.post_json(
            format!(
                "{}/api/admin/rockets/{rocket_id}/deactivate",
                self.admin_url
            ),
            Some(&agency.token),
            &json!({}),
        )
        .await
    }

    async fn rocket(&self, agency: &SignedIn, rocket_id: &str) -> Value {
        let rockets: Value = self
            .get(
                format!("{}/api/admin/rockets", self.admin_url),
                Some(&agency.token),
            )
            .await
            .json()
            .await
            .unwrap();
        rockets["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|rocket| rocket["id"] == rocket_id)
            .cloned()
            .expect("rocket listed")
    }

    async fn put_profile(&self, url: String, token: &str, body: &Value) -> reqwest::Response {
        self.send_json(Method::PUT, url, Some(token), body).await
    }

    fn agency_profile_url(&self) -> String {
        format!("{}/api/admin/profile", self.admin_url)
    }

    fn traveler_profile_url(&self) -> String {
        format!("{}/api/customer/profile", self.customer_url)
    }

    /// The traveller's profile as the operations DB holds it: phone, tax id and revision.
    async fn operations_profile(
        &self,
        user_id: &str,
    ) -> Option<(Option<String>, Option<String>, i64)> {
        let pool = self.operations_db().await;
        let row = sqlx::query_as(
            "SELECT phone, tax_id, profile_revision FROM travelers WHERE user_id = $1::uuid",
        )
        .bind(user_id)
        .fetch_optional(&pool)
        .await
        .unwrap();
        pool.close().await;
        row
    }
}

#[actix_web::test]
async fn an_agency_changes_its_rocket_within_what_its_launches_allow() {
    let app = spawn_app().await;
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 8).await;
    let rocket_id = rocket["id"].as_str().unwrap();

    let renamed = app
        .patch_rocket(
            &agency,
            rocket_id,
            &json!({"name": "Selene II", "capacity": 12}),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    let renamed: Value = renamed.json().await.unwrap();
    assert_eq!(renamed["name"], "Selene II");
    assert_eq!(renamed["capacity"], 12);
    assert_eq!(renamed["model"], rocket["model"], "fields not sent stay");

    // A launch keeps the capacity it was scheduled with: its seats are on sale against it.
    let launch = app.schedule_launch(&agency, rocket_id, 100_000).await;
    assert_eq!(launch["capacity"], 12);
    let smaller = app
        .patch_rocket(&agency, rocket_id, &json!({"capacity": 4}))
        .await;
    assert_eq!(smaller.status(), StatusCode::OK);
    let launch_url = format!(
        "{}/api/admin/launches/{}",
        app.admin_url,
        launch["id"].as_str().unwrap()
    );
    let unchanged = app.get_json(launch_url, Some(&agency.token)).await.unwrap();
    assert_eq!(unchanged["capacity"], 12);

    // The range may not shrink below where a pending launch flies; wider is fine.
    let closer = app
        .patch_rocket(&agency, rocket_id, &json!({"range": "low_earth_orbit"}))
        .await;
    assert_problem(
        closer,
        StatusCode::CONFLICT,
        "range_below_launch_destination",
    )
    .await;
    assert_eq!(app.rocket(&agency, rocket_id).await["range"], "moon");
    let farther = app
        .patch_rocket(&agency, rocket_id, &json!({"range": "mars"}))
        .await;
    assert_eq!(farther.status(), StatusCode::OK);

    // The named maximum capacity, on registration and on change.
    let at_most = app
        .patch_rocket(&agency, rocket_id, &json!({"capacity": 1000}))
        .await;
    assert_eq!(at_most.status(), StatusCode::OK);
    let too_many = app
        .patch_rocket(&agency, rocket_id, &json!({"capacity": 1001}))
        .await;
    assert_problem(too_many, StatusCode::BAD_REQUEST, "validation_failed").await;
    let huge = app
        .post_json(
            format!("{}/api/admin/rockets", app.admin_url),
            Some(&agency.token),
            &json!({"name": "Ark", "model": "A1", "capacity": 100_000, "range": "moon"}),
        )
        .await;
    assert_problem(huge, StatusCode::BAD_REQUEST, "validation_failed").await;
    assert_eq!(app.rocket(&agency, rocket_id).await["capacity"], 1000);
}

#[actix_web::test]
async fn a_rocket_is_deactivated_only_once_its_launches_are_final_and_only_by_its_agency() {
    let app = spawn_app().await;
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 4).await;
    let rocket_id = rocket["id"].as_str().unwrap();
    let launch = app.schedule_launch(&agency, rocket_id, 100_000).await;

    let other = app.create_agency().await;
    let foreign = app
        .patch_rocket(&other, rocket_id, &json!({"name": "Mine now"}))
        .await;
    assert_problem(foreign, StatusCode::NOT_FOUND, "not_found").await;
    let foreign = app.deactivate_rocket(&other, rocket_id).await;
    assert_problem(foreign, StatusCode::NOT_FOUND, "not_found").await;
    let traveler = app.register_traveler().await;
    let refused = app.deactivate_rocket(&traveler, rocket_id).await;
    assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;

    let busy = app.deactivate_rocket(&agency, rocket_id).await;
    assert_problem(busy, StatusCode::CONFLICT, "rocket_has_future_launches").await;
    assert_eq!(app.rocket(&agency, rocket_id).await["active"], true);

    let aborted = app
        .post_json(
            format!(
                "{}/api/admin/launches/{}/abort",
                app.admin_url,
                launch["id"].as_str().unwrap()
            ),
            Some(&agency.token),
            &json!({"reason": "Range closed"}),
        )
        .await;
    assert_eq!(aborted.status(), StatusCode::OK);
    for _ in 0..2 {
        let deactivated = app.deactivate_rocket(&agency, rocket_id).await;
        assert_eq!(deactivated.status(), StatusCode::OK);
        let deactivated: Value = deactivated.json().await.unwrap();
        assert_eq!(deactivated["active"], false);
    }
    let no_new_launch = app
        .post_json(
            format!("{}/api/admin/launches", app.admin_url),
            Some(&agency.token),
            &json!({
                "rocket_id": rocket_id, "mission_name": "Late", "spaceport": "Kourou",
                "destination": "moon", "launch_at": (chrono::Utc::now() + chrono::Duration::days(400)).to_rfc3339(),
                "price_per_seat_cents": 100_000, "minimum_passengers": 1
            }),
        )
        .await;
    assert_problem(no_new_launch, StatusCode::BAD_REQUEST, "validation_failed").await;
}

#[actix_web::test]
async fn bad_rocket_changes_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 4).await;
    let rocket_id = rocket["id"].as_str().unwrap();
    for (body, code) in [
        (json!({}), "validation_failed"),
        (json!({"name": "Ok", "active": false}), "bad_request"),
        (json!({"name": "Sel\u{0}ene"}), "validation_failed"),
        (json!({"model": "<b>F9</b>"}), "validation_failed"),
        (json!({"range": "venus"}), "validation_failed"),
        (json!({"capacity": 0}), "validation_failed"),
        (json!({"capacity": "many"}), "bad_request"),
    ] {
        let response = app.patch_rocket(&agency, rocket_id, &body).await;
        assert_problem(response, StatusCode::BAD_REQUEST, code).await;
    }
    let huge = app
        .patch_rocket(&agency, rocket_id, &json!({"name": megabyte()}))
        .await;
    assert_problem(huge, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    let unknown = app
        .patch_rocket(
            &agency,
            &uuid::Uuid::new_v4().to_string(),
            &json!({"name": "X"}),
        )
        .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let stored = app.rocket(&agency, rocket_id).await;
    for field in ["name", "model", "capacity", "range", "active"] {
        assert_eq!(stored[field], rocket[field], "{field} changed");
    }
}

#[actix_web::test]
async fn an_agency_keeps_its_profile_and_new_launch_events_carry_its_contact_email() {
    let app = spawn_app().await;
    let agency = app.create_agency().await;
    let first: Value = app
        .get_json(app.agency_profile_url(), Some(&agency.token))
        .await
        .unwrap();
    assert_eq!(first["contact_email"], agency.email.as_str());
    assert_eq!(first["tax_id"], Value::Null);

    let traveler = app.register_traveler().await;
    let refused = app
        .get(app.agency_profile_url(), Some(&traveler.token))
        .await;
    assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;

    let profile = json!({
        "legal_name": "Orbital Tours Ltd",
        "tax_id": "GB123456789",
        "legal_address": "1 Launch Road, Cape Canaveral, FL",
        "contact_email": "Bookings@Orbital.Example",
        "description": "Lunar loops since 2025."
    });
    for (field, value, status, code) in [
        (
            "tax_id",
            Value::Null,
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "legal_address",
            json!("  "),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "contact_email",
            json!("not an email"),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "legal_name",
            json!("Orbital\u{0}Tours"),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "description",
            json!("x".repeat(3_000)),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "description",
            json!(megabyte()),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            "vat_rate",
            json!("20%"),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ] {
        let response = app
            .put_profile(
                app.agency_profile_url(),
                &agency.token,
                &with(&profile, field, value),
            )
            .await;
        assert_problem(response, status, code).await;
    }
    let still_first: Value = app
        .get_json(app.agency_profile_url(), Some(&agency.token))
        .await
        .unwrap();
    assert_eq!(still_first, first, "refused profiles changed nothing");
    let by_traveler = app
        .put_profile(app.agency_profile_url(), &traveler.token, &profile)
        .await;
    assert_problem(by_traveler, StatusCode::FORBIDDEN, "forbidden").await;

    let saved = app
        .put_profile(app.agency_profile_url(), &agency.token, &profile)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: Value = saved.json().await.unwrap();
    let expected = with(&profile, "contact_email", json!("bookings@orbital.example"));
    assert_eq!(saved, expected);
    let read: Value = app
        .get_json(app.agency_profile_url(), Some(&agency.token))
        .await
        .unwrap();
    assert_eq!(read, expected);

    // The launch's event (and so every email about it) goes to the contact email now.
    let rocket = app.create_rocket(&agency, 4).await;
    let launch = app
        .schedule_launch(&agency, rocket["id"].as_str().unwrap(), 100_000)
        .await;
    let pool = app.operations_db().await;
    let (agency_email,): (String,) = sqlx::query_as(
        "SELECT payload->'data'->>'agency_email' FROM outbox WHERE payload->'data'->>'launch_id' = $1",
    )
    .bind(launch["id"].as_str().unwrap())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(agency_email, "bookings@orbital.example");
}

/// The profile with one field replaced (or added).
fn with(profile: &Value, field: &str, value: Value) -> Value {
    let mut changed = profile.clone();
    changed[field] = value;
    changed
}

#[actix_web::test]
async fn a_traveller_keeps_a_profile_that_reaches_the_operations_db() {
    let app = spawn_app().await;
    let traveler = app.register_traveler().await;
    let empty: Value = app
        .get_json(app.traveler_profile_url(), Some(&traveler.token))
        .await
        .unwrap();
    assert_eq!(
        empty,
        json!({"phone": null, "contact_email": null, "emergency_contact": null, "tax_id": null})
    );
    let agency = app.create_agency().await;
    let refused = app
        .get(app.traveler_profile_url(), Some(&agency.token))
        .await;
    assert_problem(refused, StatusCode::FORBIDDEN, "forbidden").await;

    let profile = json!({
        "phone": "+1 (321) 555-0100",
        "contact_email": "Tess@Example.COM",
        "emergency_contact": "Sam Traveler, +1 321 555 0101",
        "tax_id": null
    });
    let saved = app
        .put_profile(app.traveler_profile_url(), &traveler.token, &profile)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let expected = with(&profile, "contact_email", json!("tess@example.com"));
    assert_eq!(saved.json::<Value>().await.unwrap(), expected);
    let read = app
        .get_json(app.traveler_profile_url(), Some(&traveler.token))
        .await
        .unwrap();
    assert_eq!(read, expected);
    eventually(
        Duration::from_secs(15),
        "profile in the operations DB",
        || async {
            let copied = app.operations_profile(&traveler.user_id).await?;
            (copied == (Some("+1 (321) 555-0100".to_owned()), None, 1)).then_some(())
        },
    )
    .await;

    let with_tax_id = with(&expected, "tax_id", json!("US-123-45"));
    let saved = app
        .put_profile(app.traveler_profile_url(), &traveler.token, &with_tax_id)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    eventually(
        Duration::from_secs(15),
        "second save in the operations DB",
        || async {
            let copied = app.operations_profile(&traveler.user_id).await?;
            (copied.1.as_deref() == Some("US-123-45") && copied.2 == 2).then_some(())
        },
    )
    .await;

    for (field, value, status, code) in [
        (
            "phone",
            json!("call me maybe"),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "phone",
            json!("1".repeat(40)),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "contact_email",
            json!("tess@"),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "emergency_contact",
            json!("Sam\u{0}"),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "tax_id",
            json!("<script>"),
            StatusCode::BAD_REQUEST,
            "validation_failed",
        ),
        (
            "tax_id",
            json!(megabyte()),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            "passport",
            json!("X1"),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "phone",
            json!(12345678),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ] {
        let response = app
            .put_profile(
                app.traveler_profile_url(),
                &traveler.token,
                &with(&with_tax_id, field, value),
            )
            .await;
        assert_problem(response, status, code).await;
    }
    let by_agency = app
        .put_profile(app.traveler_profile_url(), &agency.token, &profile)
        .await;
    assert_problem(by_agency, StatusCode::FORBIDDEN, "forbidden").await;
    let kept = app
        .get_json(app.traveler_profile_url(), Some(&traveler.token))
        .await
        .unwrap();
    assert_eq!(kept, with_tax_id, "refused saves changed nothing");
    let stored = app
        .customer_store()
        .await
        .traveler(&traveler.user_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.profile_revision, 2);
}

/// A save whose event was not published at the time (the broker was down, the process died
/// before its nudge) is published by the relay's poll; a registration copied afterwards keeps
/// the profile.
#[actix_web::test]
async fn a_profile_saved_but_not_yet_published_still_reaches_the_operations_db() {
    let app = spawn_app().await;
    let store = app.customer_store().await;
    let user_id = uuid::Uuid::new_v4().to_string();
    let event_id = uuid::Uuid::now_v7().to_string();
    store
        .insert_profile_outbox(&ProfileOutboxEntry {
            id: event_id.clone(),
            traveler_id: user_id.clone(),
            written_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    let profile = TravelerProfile {
        phone: Some("+33 1 23 45 67 89".to_owned()),
        tax_id: Some("FR-77".to_owned()),
        ..TravelerProfile::default()
    };
    let saved = store
        .save_traveler_profile(
            &TravelerDocument {
                id: user_id.clone(),
                name: "Late Registrant".to_owned(),
                email: "late@astro.test".to_owned(),
                profile: profile.clone(),
                profile_revision: 1,
                profile_updated_at: Some(chrono::Utc::now()),
                profile_event_id: Some(event_id),
            },
            0,
        )
        .await
        .unwrap();
    assert!(saved);
    store
        .upsert_traveler(&UserRegistered {
            user_id: user_id.clone(),
            email: "late@astro.test".to_owned(),
            name: "Late Registrant".to_owned(),
            role: UserRole::Traveler,
        })
        .await
        .unwrap();
    assert_eq!(
        store.traveler(&user_id).await.unwrap().unwrap().profile,
        profile
    );
    eventually(
        Duration::from_secs(15),
        "profile in the operations DB",
        || async {
            let copied = app.operations_profile(&user_id).await?;
            (copied == (profile.phone.clone(), profile.tax_id.clone(), 1)).then_some(())
        },
    )
    .await;
    eventually(Duration::from_secs(10), "outbox entry removed", || async {
        store
            .profile_outbox_entries(10)
            .await
            .unwrap()
            .is_empty()
            .then_some(())
    })
    .await;
}

#[actix_web::test]
async fn an_older_profile_event_never_overwrites_a_newer_one() {
    let app = spawn_app().await;
    let pool = app.operations_db().await;
    let user_id = uuid::Uuid::new_v4().to_string();
    let event = |revision: i64, phone: &str| TravelerProfileUpdated {
        user_id: user_id.clone(),
        name: "Tess".to_owned(),
        email: "tess@astro.test".to_owned(),
        profile: TravelerProfile {
            phone: Some(phone.to_owned()),
            ..TravelerProfile::default()
        },
        revision,
        updated_at: chrono::Utc::now(),
    };
    apply_traveler_profile(&pool, &event(2, "222222"))
        .await
        .unwrap();
    apply_traveler_profile(&pool, &event(1, "111111"))
        .await
        .unwrap();
    assert_eq!(
        app.operations_profile(&user_id).await,
        Some((Some("222222".to_owned()), None, 2))
    );
    apply_traveler_profile(&pool, &event(3, "333333"))
        .await
        .unwrap();
    assert_eq!(
        app.operations_profile(&user_id).await,
        Some((Some("333333".to_owned()), None, 3))
    );
}
