//! Cancellation by the traveller (refund schedule, seat release) and abort by the agency (every
//! booking cancelled with a full refund), through the launch actors and the sync path.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{SignedIn, TestApp, assert_problem, emails_to, eventually, spawn_app};

const PRICE: i64 = 100_000;

async fn cancel(
    app: &TestApp,
    traveler: &SignedIn,
    booking_id: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let request = app
        .client
        .post(format!(
            "{}/api/customer/bookings/{booking_id}/cancel",
            app.customer_url
        ))
        .bearer_auth(&traveler.token);
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    request.send().await.expect("cancel request sent")
}

async fn free_seats(app: &TestApp, slug: &str) -> u64 {
    let response = app
        .get(
            format!("{}/api/customer/launches/{slug}", app.customer_url),
            None,
        )
        .await;
    let launch: Value = response.json().await.unwrap();
    launch["free_seats"].as_u64().unwrap()
}

async fn book_seats(app: &TestApp, traveler: &SignedIn, launch_id: &str, seats: usize) -> Value {
    let response = app
        .book(
            traveler,
            launch_id,
            seats,
            &uuid::Uuid::new_v4().to_string(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

/// The booking as the operations DB has it, once the sync path has carried `status` there.
async fn admin_booking_with_status(
    app: &TestApp,
    agency: &SignedIn,
    booking_id: &str,
    status: &str,
) -> Value {
    eventually(
        Duration::from_secs(15),
        "booking status in PostgreSQL",
        || async {
            let response = app
                .get(
                    format!("{}/api/admin/bookings", app.admin_url),
                    Some(&agency.token),
                )
                .await;
            let body: Value = response.json().await.ok()?;
            body["items"]
                .as_array()?
                .iter()
                .find(|booking| booking["id"] == booking_id && booking["status"] == status)
                .cloned()
        },
    )
    .await
}

async fn admin_launch(app: &TestApp, agency: &SignedIn, launch_id: &str) -> Value {
    let response = app
        .get(
            format!("{}/api/admin/launches/{launch_id}", app.admin_url),
            Some(&agency.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn scheduled_launch(app: &TestApp, capacity: u32, days_ahead: i64) -> (SignedIn, Value) {
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, capacity).await;
    let launch_at = chrono::Utc::now() + chrono::Duration::days(days_ahead);
    let launch = app
        .schedule_launch_at(&agency, rocket["id"].as_str().unwrap(), PRICE, launch_at)
        .await;
    let public = app
        .wait_for_public_launch(launch["id"].as_str().unwrap())
        .await;
    (agency, public)
}

async fn wait_for_email(app: &TestApp, address: &str, subject: &str) {
    eventually(Duration::from_secs(15), "email in the catcher", || async {
        emails_to(&app.client, address)
            .await
            .into_iter()
            .find(|message| message["Subject"] == subject)
    })
    .await;
}

#[actix_web::test]
async fn an_early_cancellation_refunds_90_percent_and_frees_the_seats() {
    let app = spawn_app().await;
    let (agency, launch) = scheduled_launch(&app, 4, 500).await;
    let launch_id = launch["id"].as_str().unwrap();
    let slug = launch["slug"].as_str().unwrap();
    let traveler = app.register_traveler().await;
    let booking = book_seats(&app, &traveler, launch_id, 2).await;
    let booking_id = booking["id"].as_str().unwrap();
    assert_eq!(free_seats(&app, slug).await, 2);

    let preview: Value = app
        .get(
            format!(
                "{}/api/customer/bookings/{booking_id}/refund",
                app.customer_url
            ),
            Some(&traveler.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["refund_percent"], 90);
    assert_eq!(preview["refund_cents"], 180_000);
    assert_eq!(preview["seats_released"], true);
    assert_eq!(preview["cancellable"], true);

    // Someone else's booking is not found, and a malformed body is refused before anything changes.
    let stranger = app.register_traveler().await;
    assert_problem(
        cancel(&app, &stranger, booking_id, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let malformed = app
        .client
        .post(format!(
            "{}/api/customer/bookings/{booking_id}/cancel",
            app.customer_url
        ))
        .bearer_auth(&traveler.token)
        .header("Content-Type", "application/json")
        .body("{\"reason\":")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, StatusCode::BAD_REQUEST, "bad_request").await;
    for refused in [
        "x".repeat(501),
        "plans\u{0}changed".to_owned(),
        "<b>plans</b>".to_owned(),
    ] {
        assert_problem(
            cancel(
                &app,
                &traveler,
                booking_id,
                Some(json!({"reason": refused})),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "validation_failed",
        )
        .await;
    }
    assert_eq!(free_seats(&app, slug).await, 2);

    let response = cancel(
        &app,
        &traveler,
        booking_id,
        Some(json!({"reason": "plans changed"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cancelled: Value = response.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancellation"]["cause"], "traveler");
    assert_eq!(cancelled["cancellation"]["refund_percent"], 90);
    assert_eq!(cancelled["cancellation"]["refund_cents"], 180_000);
    assert_eq!(cancelled["cancellation"]["seats_released"], true);
    assert_eq!(cancelled["cancellation"]["reason"], "plans changed");
    assert_eq!(
        free_seats(&app, slug).await,
        4,
        "the seats are on sale again at once"
    );

    // Cancelling again changes nothing; the traveller may book this launch again.
    let again: Value = cancel(&app, &traveler, booking_id, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["cancellation"], cancelled["cancellation"]);
    let rebooked = book_seats(&app, &traveler, launch_id, 1).await;
    assert_eq!(free_seats(&app, slug).await, 3);

    let stored = admin_booking_with_status(&app, &agency, booking_id, "cancelled").await;
    assert_eq!(stored["refund_cents"], 180_000);
    assert_eq!(stored["cancellation_reason"], "plans changed");
    admin_booking_with_status(&app, &agency, rebooked["id"].as_str().unwrap(), "confirmed").await;
    let launch_row = admin_launch(&app, &agency, launch_id).await;
    assert_eq!(
        launch_row["seats_sold"], 1,
        "released seats are not counted as sold"
    );
    wait_for_email(&app, &traveler.email, "Booking cancelled: Lunar Loop").await;
    wait_for_email(
        &app,
        &agency.email,
        "Booking cancelled on Lunar Loop: 2 seats",
    )
    .await;
    app.stop().await;
}

#[actix_web::test]
async fn a_late_cancellation_refunds_nothing_and_keeps_the_seats_sold() {
    let app = spawn_app().await;
    let (agency, launch) = scheduled_launch(&app, 4, 30).await;
    let launch_id = launch["id"].as_str().unwrap();
    let slug = launch["slug"].as_str().unwrap();
    let traveler = app.register_traveler().await;
    let booking = book_seats(&app, &traveler, launch_id, 2).await;
    let booking_id = booking["id"].as_str().unwrap();

    let cancelled: Value = cancel(&app, &traveler, booking_id, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancellation"]["refund_percent"], 0);
    assert_eq!(cancelled["cancellation"]["refund_cents"], 0);
    assert_eq!(cancelled["cancellation"]["seats_released"], false);
    assert_eq!(
        free_seats(&app, slug).await,
        2,
        "late cancellations are not resold"
    );

    let stored = admin_booking_with_status(&app, &agency, booking_id, "cancelled").await;
    assert_eq!(stored["refund_cents"], 0);
    let launch_row = admin_launch(&app, &agency, launch_id).await;
    assert_eq!(
        launch_row["seats_sold"], 2,
        "seats kept by a late cancellation stay sold"
    );
    app.stop().await;
}

#[actix_web::test]
async fn aborting_a_launch_cancels_every_booking_with_a_full_refund() {
    let app = spawn_app().await;
    let (agency, launch) = scheduled_launch(&app, 6, 500).await;
    let launch_id = launch["id"].as_str().unwrap();
    let first = app.register_traveler().await;
    let second = app.register_traveler().await;
    let first_booking = book_seats(&app, &first, launch_id, 2).await;
    let second_booking = book_seats(&app, &second, launch_id, 1).await;
    let abort_url = format!("{}/api/admin/launches/{launch_id}/abort", app.admin_url);

    // Bad input and other agencies change nothing.
    let other_agency = app.create_agency().await;
    let reason = json!({"reason": "engine anomaly in static fire"});
    assert_problem(
        app.post_json(abort_url.clone(), Some(&other_agency.token), &reason)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_problem(
        app.post_json(abort_url.clone(), Some(&first.token), &reason)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_json(abort_url.clone(), Some(&agency.token), &json!({}))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert_problem(
        app.post_json(
            abort_url.clone(),
            Some(&agency.token),
            &json!({"reason": "  "}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "validation_failed",
    )
    .await;
    let unknown = format!(
        "{}/api/admin/launches/{}/abort",
        app.admin_url,
        uuid::Uuid::new_v4()
    );
    assert_problem(
        app.post_json(unknown, Some(&agency.token), &reason).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let response = app
        .post_json(abort_url.clone(), Some(&agency.token), &reason)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let aborted: Value = response.json().await.unwrap();
    assert_eq!(aborted["status"], "aborted");
    assert_problem(
        app.post_json(abort_url, Some(&agency.token), &reason).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    for (traveler, booking, total) in [
        (&first, &first_booking, 200_000),
        (&second, &second_booking, 100_000),
    ] {
        let booking_id = booking["id"].as_str().unwrap();
        let cancelled = eventually(
            Duration::from_secs(15),
            "booking cancelled by the abort",
            || async {
                let body: Value = app
                    .get(
                        format!("{}/api/customer/bookings", app.customer_url),
                        Some(&traveler.token),
                    )
                    .await
                    .json()
                    .await
                    .ok()?;
                body["items"]
                    .as_array()?
                    .iter()
                    .find(|item| item["id"] == booking_id && item["status"] == "cancelled")
                    .cloned()
            },
        )
        .await;
        assert_eq!(cancelled["cancellation"]["cause"], "launch_aborted");
        assert_eq!(cancelled["cancellation"]["refund_percent"], 100);
        assert_eq!(cancelled["cancellation"]["refund_cents"], total);
        assert_eq!(
            cancelled["cancellation"]["reason"],
            "engine anomaly in static fire"
        );
        let stored = admin_booking_with_status(&app, &agency, booking_id, "cancelled").await;
        assert_eq!(stored["refund_cents"], total);
        wait_for_email(&app, &traveler.email, "Launch aborted: Lunar Loop").await;
    }
    wait_for_email(&app, &agency.email, "Launch aborted: Lunar Loop").await;

    // The launch leaves the listing and takes no more bookings.
    assert!(
        app.public_launches()
            .await
            .iter()
            .all(|item| item["id"] != launch_id)
    );
    let late = app.register_traveler().await;
    let response = app.book(&late, launch_id, 1, "after-abort").await;
    assert_problem(response, StatusCode::CONFLICT, "launch_not_bookable").await;
    app.stop().await;
}

#[actix_web::test]
async fn a_launch_scheduled_event_arriving_after_the_abort_does_not_reopen_the_launch() {
    use astro_bookings::storage::amqp::events::LAUNCH_SCHEDULED;
    let app = spawn_app().await;
    let (agency, launch) = scheduled_launch(&app, 4, 500).await;
    let launch_id = launch["id"].as_str().unwrap().to_owned();
    let store = app.customer_store().await;
    // The launch.scheduled.v1 event again, as a redelivery or a republished outbox entry brings it.
    let stale = app.launch_snapshot(&launch_id).await;
    assert_eq!(stale.revision, 0);
    let response = app
        .post_json(
            format!("{}/api/admin/launches/{launch_id}/abort", app.admin_url),
            Some(&agency.token),
            &json!({"reason": "range closed"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    eventually(
        Duration::from_secs(15),
        "abort in the customer DB",
        || async {
            let stored = store.launch(&launch_id).await.ok()??;
            (stored.status.as_str() == "aborted" && stored.revision == 1).then_some(())
        },
    )
    .await;

    let event = app.publish(LAUNCH_SCHEDULED, &stale).await;
    let it = app.it_employee().await;
    let job_id = format!("{}:customer_db", event.event_id);
    let sync_jobs = format!("{}/api/system/sync-jobs", app.system_url);
    eventually(Duration::from_secs(15), "stale event handled", || async {
        let body = app.get_json(sync_jobs.clone(), Some(&it.token)).await?;
        body["items"]
            .as_array()?
            .iter()
            .any(|job| job["id"] == job_id.as_str() && job["status"] == "completed")
            .then_some(())
    })
    .await;

    let stored = store.launch(&launch_id).await.unwrap().unwrap();
    assert_eq!(stored.status.as_str(), "aborted");
    assert_eq!(stored.revision, 1);
    assert!(
        app.public_launches()
            .await
            .iter()
            .all(|listed| listed["id"] != launch_id.as_str()),
        "an aborted launch is not listed"
    );
    let traveler = app.register_traveler().await;
    let refused = app.book(&traveler, &launch_id, 1, "after-the-abort").await;
    assert_problem(refused, StatusCode::CONFLICT, "launch_not_bookable").await;
    app.stop().await;
}
