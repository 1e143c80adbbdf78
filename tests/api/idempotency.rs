//! Idempotency keys as Stripe's behave: scoped to the traveller, bound to the request they first
//! came with; the same request returns the original booking, another request is refused and
//! changes nothing.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{assert_problem, spawn_app};

fn free_seats(listing: &[Value], launch_id: &str) -> Option<u64> {
    listing
        .iter()
        .find(|launch| launch["id"] == launch_id)
        .and_then(|launch| launch["free_seats"].as_u64())
}

#[actix_web::test]
async fn a_key_reused_for_another_request_is_refused_and_overwrites_nothing() {
    let app = spawn_app().await;
    let (agency, first) = app.bookable_launch_with_agency(10).await;
    let second = app.bookable_launch(10).await;
    let (l0, l1) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );
    let traveler = app.register_traveler().await;

    let response = app.book(&traveler, l0, 1, "key-k").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let original: Value = response.json().await.unwrap();

    // The same key on another launch, and with other passengers: 422, nothing changes.
    let body = assert_problem(
        app.book(&traveler, l1, 1, "key-k").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("Idempotency-Key")
    );
    assert_problem(
        app.book(&traveler, l0, 3, "key-k").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;

    // The same request again returns the original booking.
    let replay = app.book(&traveler, l0, 1, "key-k").await;
    assert_eq!(replay.status(), StatusCode::OK);
    let replayed: Value = replay.json().await.unwrap();
    assert_eq!(replayed["id"], original["id"]);
    assert_eq!(replayed["seats"], 1);

    // Another key books L1 as a booking of its own.
    let response = app.book(&traveler, l1, 2, "key-other").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let on_l1: Value = response.json().await.unwrap();
    assert_ne!(on_l1["id"], original["id"]);

    let mine = app
        .get_json(
            format!("{}/api/customer/bookings", app.customer_url),
            Some(&traveler.token),
        )
        .await
        .unwrap();
    let mut ids: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|booking| booking["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    let mut expected = vec![
        original["id"].as_str().unwrap(),
        on_l1["id"].as_str().unwrap(),
    ];
    expected.sort_unstable();
    assert_eq!(ids, expected, "both bookings are the traveller's");

    let listing = app.public_launches().await;
    assert_eq!(free_seats(&listing, l0), Some(9));
    assert_eq!(free_seats(&listing, l1), Some(8));
    app.wait_until_bookings_synced(&agency, l0, &[original["id"].as_str().unwrap().to_owned()])
        .await;
    let l0_admin = app
        .get_json(
            format!("{}/api/admin/launches/{l0}", app.admin_url),
            Some(&agency.token),
        )
        .await
        .unwrap();
    assert_eq!(l0_admin["seats_sold"], 1, "admin: {l0_admin}");
    app.stop().await;
}

#[actix_web::test]
async fn keys_are_scoped_to_their_traveller() {
    let app = spawn_app().await;
    let launch = app.bookable_launch(10).await;
    let launch_id = launch["id"].as_str().unwrap();
    let (alice, bob) = (app.register_traveler().await, app.register_traveler().await);
    let first = app.book(&alice, launch_id, 1, "shared-key").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let second = app.book(&bob, launch_id, 1, "shared-key").await;
    assert_eq!(second.status(), StatusCode::CREATED);
    let (first, second): (Value, Value) =
        (first.json().await.unwrap(), second.json().await.unwrap());
    assert_ne!(first["id"], second["id"]);
    app.stop().await;
}
