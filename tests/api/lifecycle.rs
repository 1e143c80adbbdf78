//! The launch lifecycle over HTTP: every transition by the launch's agency and its refusals, a
//! delay reaching every customer process and the travellers' notices, a final launch leaving
//! the listing while its page answers, and the passenger list.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use astro_bookings::clock::OffsetClock;
use astro_bookings::storage::amqp::Bus;
use astro_bookings::storage::amqp::events::{BOOKING_LAUNCH_CHANGED, BookingLaunchChanged};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cancellation::book_seats;
use crate::helpers::{
    SignedIn, TestApp, assert_problem, eventually, spawn_app, spawn_app_with_clock,
};

async fn change_status(
    app: &TestApp,
    agency: &SignedIn,
    launch_id: &str,
    body: Value,
) -> reqwest::Response {
    app.post_json(
        format!("{}/api/admin/launches/{launch_id}/status", app.admin_url),
        Some(&agency.token),
        &body,
    )
    .await
}

pub async fn changed(app: &TestApp, agency: &SignedIn, launch_id: &str, body: Value) -> Value {
    let response = change_status(app, agency, launch_id, body.clone()).await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
    response.json().await.unwrap()
}

async fn admin_launch(app: &TestApp, agency: &SignedIn, launch_id: &str) -> Value {
    app.get_json(
        format!("{}/api/admin/launches/{launch_id}", app.admin_url),
        Some(&agency.token),
    )
    .await
    .unwrap()
}

/// The change to `status` is refused with 409 `invalid_transition`, naming what is allowed.
async fn assert_refused(
    app: &TestApp,
    agency: &SignedIn,
    launch_id: &str,
    status: &str,
    allowed: &[&str],
) {
    let refused = assert_problem(
        change_status(app, agency, launch_id, json!({ "status": status })).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    assert_eq!(statuses(&refused["allowed_transitions"]), allowed);
}

fn statuses(values: &Value) -> Vec<&str> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value.as_str().unwrap())
        .collect()
}

async fn launch_with_agency(
    app: &TestApp,
    capacity: u32,
    launch_at: DateTime<Utc>,
) -> (SignedIn, Value) {
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, capacity).await;
    let launch = app
        .schedule_launch_at(&agency, rocket["id"].as_str().unwrap(), 100_000, launch_at)
        .await;
    app.wait_for_public_launch(launch["id"].as_str().unwrap())
        .await;
    (agency, launch)
}

/// The launch's page on the process at `base`, once it shows `status`.
async fn page_once(app: &TestApp, base: &str, slug: &str, status: &str) -> Value {
    eventually(Duration::from_secs(15), "the launch page", || async {
        let page = app
            .get_json(format!("{base}/api/customer/launches/{slug}"), None)
            .await?;
        (page["status"] == status).then_some(page)
    })
    .await
}

#[actix_web::test]
async fn each_transition_by_its_agency_and_every_refusal() {
    let clock = Arc::new(OffsetClock::default());
    let app = spawn_app_with_clock(&[], clock.clone()).await;
    let launch_at = Utc::now() + chrono::Duration::days(10);
    let (agency, launch) = launch_with_agency(&app, 4, launch_at).await;
    let launch_id = launch["id"].as_str().unwrap();
    assert_eq!(
        statuses(&launch["allowed_transitions"]),
        ["confirmed", "delayed", "aborted"]
    );
    assert_eq!(launch["status_history"].as_array().unwrap().len(), 1);
    assert_eq!(launch["seats_free"], 4);
    assert_eq!(launch["occupancy_percent"], 0.0);

    // Refusals: each a JSON problem, and nothing changes.
    let other_agency = app.create_agency().await;
    assert_problem(
        change_status(
            &app,
            &other_agency,
            launch_id,
            json!({"status": "confirmed"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let traveler = app.register_traveler().await;
    assert_problem(
        change_status(&app, &traveler, launch_id, json!({"status": "confirmed"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    for unknown in [uuid::Uuid::new_v4().to_string(), "not-an-id".to_owned()] {
        assert_problem(
            change_status(&app, &agency, &unknown, json!({"status": "confirmed"})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let in_the_past = (Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    for (body, why) in [
        (json!({"status": "exploded"}), "unknown status"),
        (json!({"status": "delayed"}), "a delay without a date"),
        (
            json!({"status": "delayed", "launch_at": "next tuesday"}),
            "a malformed date",
        ),
        (
            json!({"status": "delayed", "launch_at": "2027-02-30T10:00:00Z"}),
            "an impossible date",
        ),
        (
            json!({"status": "delayed", "launch_at": in_the_past}),
            "a past date",
        ),
        (json!({"status": "aborted"}), "an abort without a reason"),
        (
            json!({"status": "aborted", "reason": "x".repeat(501)}),
            "a reason over 500 characters",
        ),
        (
            json!({"status": "confirmed", "launch_at": launch_at.to_rfc3339()}),
            "a date without a delay",
        ),
    ] {
        let response = change_status(&app, &agency, launch_id, body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{why}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "validation_failed", "{why}: {problem}");
    }
    let megabyte = change_status(
        &app,
        &agency,
        launch_id,
        json!({"status": "aborted", "reason": "x".repeat(1 << 20)}),
    )
    .await;
    assert!(megabyte.status().is_client_error(), "{}", megabyte.status());
    let problem: Value = megabyte.json().await.unwrap();
    assert!(problem["code"].is_string());
    assert_problem(
        change_status(
            &app,
            &agency,
            launch_id,
            json!({"status": "confirmed", "extra": 1}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert_refused(
        &app,
        &agency,
        launch_id,
        "launched",
        &["confirmed", "delayed", "aborted"],
    )
    .await;
    let unchanged = admin_launch(&app, &agency, launch_id).await;
    assert_eq!(
        (unchanged["status"].as_str(), unchanged["revision"].as_i64()),
        (Some("scheduled"), Some(0))
    );

    // Confirmed; launched is refused before the launch date.
    let confirmed = changed(&app, &agency, launch_id, json!({"status": "confirmed"})).await;
    assert_eq!(confirmed["status"], "confirmed");
    assert_eq!(
        statuses(&confirmed["allowed_transitions"]),
        ["delayed", "failed", "aborted"]
    );
    assert_refused(
        &app,
        &agency,
        launch_id,
        "launched",
        &["delayed", "failed", "aborted"],
    )
    .await;

    // Delayed to a new date, then confirmed again.
    let new_date = launch_at + chrono::Duration::days(5);
    let delayed = changed(
        &app,
        &agency,
        launch_id,
        json!({"status": "delayed", "launch_at": new_date.to_rfc3339(), "reason": "weather"}),
    )
    .await;
    assert_eq!(delayed["status"], "delayed");
    assert_eq!(delayed["status_reason"], "weather");
    let stored_date: DateTime<Utc> = delayed["launch_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(stored_date.timestamp(), new_date.timestamp());
    assert_eq!(
        statuses(&delayed["allowed_transitions"]),
        ["scheduled", "confirmed", "aborted"]
    );
    changed(&app, &agency, launch_id, json!({"status": "confirmed"})).await;

    // At the new date by the clock, it can be marked launched; then nothing more.
    clock.advance(chrono::Duration::days(16));
    let launched = changed(&app, &agency, launch_id, json!({"status": "launched"})).await;
    assert_eq!(launched["status"], "launched");
    assert_eq!(launched["revision"], 4);
    assert!(
        launched["allowed_transitions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let history = launched["status_history"].as_array().unwrap();
    let steps: Vec<(Value, Value)> = history
        .iter()
        .map(|step| (step["from"].clone(), step["to"].clone()))
        .collect();
    assert_eq!(
        steps,
        [
            (Value::Null, json!("scheduled")),
            (json!("scheduled"), json!("confirmed")),
            (json!("confirmed"), json!("delayed")),
            (json!("delayed"), json!("confirmed")),
            (json!("confirmed"), json!("launched")),
        ]
    );
    assert!(
        history
            .iter()
            .all(|step| step["by"] == agency.user_id.as_str())
    );
    assert_problem(
        change_status(&app, &agency, launch_id, json!({"status": "failed"})).await,
        StatusCode::CONFLICT,
        "invalid_transition",
    )
    .await;
    app.stop().await;
}

/// Every `booking.launch_changed.v1` published in the test's namespace, read from a queue of
/// the test's own.
struct Notices {
    bus: Bus,
    stream: astro_bookings::storage::amqp::EventStream,
}

impl Notices {
    async fn bind(app: &TestApp) -> Self {
        let bus = Bus::connect(app.settings.amqp_url.expose(), &app.settings.amqp_namespace)
            .await
            .unwrap();
        let queue = bus
            .declare_private_queue(&[BOOKING_LAUNCH_CHANGED])
            .await
            .unwrap();
        let stream = bus.consume(&queue, 32).await.unwrap();
        Self { bus, stream }
    }

    /// The next notices, waiting a while after the last for any extra one.
    async fn take(&mut self, expected: usize) -> Vec<(uuid::Uuid, BookingLaunchChanged)> {
        let mut notices = Vec::new();
        loop {
            let wait = if notices.len() < expected {
                Duration::from_secs(20)
            } else {
                Duration::from_secs(2)
            };
            let Ok(Some(received)) = tokio::time::timeout(wait, self.stream.next()).await else {
                break;
            };
            let event = received.decode().unwrap();
            received.ack().await.unwrap();
            notices.push((event.event_id, event.data_as().unwrap()));
        }
        notices
    }
}

#[actix_web::test]
async fn a_delay_reaches_every_customer_process_and_tells_each_active_booking_once() {
    let app = spawn_app().await;
    let (second, second_url) = app.second_customer_process().await;
    let mut notices = Notices::bind(&app).await;
    let launch_at = Utc::now() + chrono::Duration::days(400);
    let (agency, launch) = launch_with_agency(&app, 8, launch_at).await;
    let launch_id = launch["id"].as_str().unwrap();
    let slug = launch["slug"].as_str().unwrap();
    let first = app.register_traveler().await;
    let second_traveler = app.register_traveler().await;
    let leaving = app.register_traveler().await;
    let mut active = HashSet::new();
    for (traveler, seats) in [(&first, 2), (&second_traveler, 1)] {
        let booking = book_seats(&app, traveler, launch_id, seats).await;
        active.insert(booking["id"].as_str().unwrap().to_owned());
    }
    let response = app.book(&leaving, launch_id, 1, "leaving").await;
    let cancelled: Value = response.json().await.unwrap();
    let cancel = app
        .post_json(
            format!(
                "{}/api/customer/bookings/{}/cancel",
                app.customer_url,
                cancelled["id"].as_str().unwrap()
            ),
            Some(&leaving.token),
            &json!({}),
        )
        .await;
    assert_eq!(cancel.status(), StatusCode::OK);
    let mut all_ids: Vec<String> = active.iter().cloned().collect();
    all_ids.push(cancelled["id"].as_str().unwrap().to_owned());
    app.wait_until_bookings_synced(&agency, launch_id, &all_ids)
        .await;

    // The passengers of the active bookings only; another agency's launch is not found.
    let passengers = app
        .get_json(
            format!(
                "{}/api/admin/launches/{launch_id}/passengers",
                app.admin_url
            ),
            Some(&agency.token),
        )
        .await
        .unwrap();
    let items = passengers["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(
        items
            .iter()
            .all(|item| active.contains(item["booking_id"].as_str().unwrap()))
    );
    assert!(items.iter().all(|item| item["name"].is_string()
        && item["email"].is_string()
        && item["phone"].is_string()
        && item["age"].is_number()));
    let other_agency = app.create_agency().await;
    let hidden = app
        .get(
            format!(
                "{}/api/admin/launches/{launch_id}/passengers",
                app.admin_url
            ),
            Some(&other_agency.token),
        )
        .await;
    assert_problem(hidden, StatusCode::NOT_FOUND, "not_found").await;
    let with_money = admin_launch(&app, &agency, launch_id).await;
    assert_eq!(with_money["seats_free"], 5);
    assert_eq!(with_money["occupancy_percent"], 37.5);
    // Paid 400,000, refunded 90 % of the cancelled 100,000.
    assert_eq!(with_money["refunds_cents"], 90_000);
    assert_eq!(with_money["revenue_cents"], 310_000);

    // Delayed: it leaves the listings, and its page, the bookings and the notices say so on
    // both processes.
    let new_date = launch_at + chrono::Duration::days(30);
    changed(
        &app,
        &agency,
        launch_id,
        json!({"status": "delayed", "launch_at": new_date.to_rfc3339(), "reason": "range conflict"}),
    )
    .await;
    for base in [app.customer_url.as_str(), second_url.as_str()] {
        let page = page_once(&app, base, slug, "delayed").await;
        let shown: DateTime<Utc> = page["launch_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(shown.timestamp(), new_date.timestamp());
        assert!(
            app.public_launches_at(base)
                .await
                .iter()
                .all(|listed| listed["id"] != launch_id)
        );
        let bookings = app
            .get_json(format!("{base}/api/customer/bookings"), Some(&first.token))
            .await
            .unwrap();
        let booking = &bookings["items"][0];
        assert_eq!(booking["launch_status"], "delayed");
        let booked_date: DateTime<Utc> = booking["launch_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(booked_date.timestamp(), new_date.timestamp());
        let history = booking["launch_status_history"].as_array().unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1]["reason"], "range conflict");
        assert!(
            history[1].get("by").is_none(),
            "who changed it is not shown to travellers"
        );
    }
    let delay_notices = notices.take(2).await;
    assert_eq!(delay_notices.len(), 2, "one notice per active booking");
    let told: HashSet<String> = delay_notices
        .iter()
        .map(|(_, notice)| notice.booking.booking_id.clone())
        .collect();
    assert_eq!(told, active);
    for (_, notice) in &delay_notices {
        assert_eq!(notice.change.to.as_str(), "delayed");
        assert_eq!(notice.launch_at.timestamp(), new_date.timestamp());
    }

    // Back to scheduled: listed again with its new date on both processes, and sells.
    changed(&app, &agency, launch_id, json!({"status": "scheduled"})).await;
    for base in [app.customer_url.as_str(), second_url.as_str()] {
        let listed = eventually(Duration::from_secs(15), "listed again", || async {
            app.public_launches_at(base)
                .await
                .into_iter()
                .find(|listed| listed["id"] == launch_id)
        })
        .await;
        let shown: DateTime<Utc> = listed["launch_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(shown.timestamp(), new_date.timestamp());
    }
    let back_notices = notices.take(2).await;
    assert_eq!(back_notices.len(), 2);
    let ids: HashSet<uuid::Uuid> = delay_notices
        .iter()
        .chain(&back_notices)
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(
        ids.len(),
        4,
        "each change and booking has its own notice id"
    );
    let late = app.register_traveler().await;
    let response = app
        .book_at(&second_url, &late, launch_id, 1, "after-the-delay")
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    notices.bus.close().await;
    second.stop().await;
    app.stop().await;
}

#[actix_web::test]
async fn a_final_launch_leaves_the_listing_and_its_actor_while_its_page_answers() {
    let app = spawn_app().await;
    let (second, second_url) = app.second_customer_process().await;
    let (agency, launch) =
        launch_with_agency(&app, 3, Utc::now() + chrono::Duration::days(200)).await;
    let launch_id = launch["id"].as_str().unwrap();
    let slug = launch["slug"].as_str().unwrap();
    let traveler = app.register_traveler().await;
    let response = app.book(&traveler, launch_id, 1, "before-failure").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    changed(&app, &agency, launch_id, json!({"status": "confirmed"})).await;
    changed(
        &app,
        &agency,
        launch_id,
        json!({"status": "failed", "reason": "second stage"}),
    )
    .await;

    let directory = app.customer_directory();
    eventually(
        Duration::from_secs(15),
        "the launch actor retired",
        || async { (!directory.knows(launch_id)).then_some(()) },
    )
    .await;
    for base in [app.customer_url.as_str(), second_url.as_str()] {
        eventually(
            Duration::from_secs(15),
            "the failed launch off the listing",
            || async {
                app.public_launches_at(base)
                    .await
                    .iter()
                    .all(|listed| listed["id"] != launch_id)
                    .then_some(())
            },
        )
        .await;
        let page = page_once(&app, base, slug, "failed").await;
        assert_eq!(page["id"], launch_id);
        let refused = app
            .book_at(base, &traveler, launch_id, 1, &format!("after-{base}"))
            .await;
        assert_problem(refused, StatusCode::CONFLICT, "launch_not_bookable").await;
    }
    let bookings = app
        .get_json(
            format!("{}/api/customer/bookings", app.customer_url),
            Some(&traveler.token),
        )
        .await
        .unwrap();
    assert_eq!(bookings["items"][0]["launch_status"], "failed");
    let unknown = app
        .get(
            format!("{}/api/customer/launches/no-such-launch", app.customer_url),
            None,
        )
        .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    second.stop().await;
    app.stop().await;
}

/// Schedules a launch with this minimum, `launch_at` ahead.
pub async fn launch_with_minimum(
    app: &TestApp,
    agency: &SignedIn,
    minimum_passengers: u32,
    launch_at: DateTime<Utc>,
) -> String {
    let rocket = app.create_rocket(agency, 4).await;
    let response = app
        .post_json(
            format!("{}/api/admin/launches", app.admin_url),
            Some(&agency.token),
            &json!({
                "rocket_id": rocket["id"], "mission_name": "Decided", "spaceport": "Kourou",
                "destination": "moon", "launch_at": launch_at.to_rfc3339(),
                "price_per_seat_cents": 100_000, "minimum_passengers": minimum_passengers
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let launch: Value = response.json().await.unwrap();
    launch["id"].as_str().unwrap().to_owned()
}

/// No launch is due, and deciding these changes none of them.
async fn nothing_to_decide(
    decisions: &astro_bookings::usecases::launches::LaunchUseCases,
    launch_ids: &[&String],
) {
    use astro_bookings::usecases::launches::DecisionOutcome;
    assert!(
        decisions
            .launches_due_for_decision()
            .await
            .unwrap()
            .is_empty()
    );
    for launch_id in launch_ids {
        let outcome = decisions
            .decide_minimum_passengers(launch_id.parse().unwrap())
            .await
            .unwrap();
        assert_eq!(outcome, DecisionOutcome::Unchanged);
    }
}

#[actix_web::test]
async fn the_minimum_passenger_decision_confirms_or_aborts_once_at_three_months() {
    use astro_bookings::actors::audit_log::AuditLog;
    use astro_bookings::actors::supervisor::AddressSlot;
    use astro_bookings::usecases::launches::{DecisionOutcome, LaunchUseCases};

    let clock = Arc::new(OffsetClock::default());
    let app = spawn_app_with_clock(&[], clock.clone()).await;
    let agency = app.create_agency().await;
    // Three calendar months and a minute ahead: scheduled before its decision point.
    let ahead = Utc::now()
        .checked_add_months(chrono::Months::new(3))
        .unwrap()
        + chrono::Duration::minutes(1);
    let too_few = launch_with_minimum(&app, &agency, 2, ahead).await;
    let enough = launch_with_minimum(&app, &agency, 1, ahead).await;
    let inside_window =
        launch_with_minimum(&app, &agency, 2, ahead - chrono::Duration::days(20)).await;
    app.wait_for_public_launch(&enough).await;
    let traveler = app.register_traveler().await;
    let booked = app.book(&traveler, &enough, 1, "enough").await;
    let booking: Value = booked.json().await.unwrap();
    app.wait_until_bookings_synced(
        &agency,
        &enough,
        &[booking["id"].as_str().unwrap().to_owned()],
    )
    .await;

    let decisions = LaunchUseCases {
        pool: astro_bookings::storage::postgres::connect(&app.settings)
            .await
            .unwrap(),
        audit: AuditLog::new("scheduler", AddressSlot::default()),
        relay: AddressSlot::default(),
        clock: clock.clone(),
    };
    nothing_to_decide(&decisions, &[&too_few, &enough]).await;

    clock.advance(chrono::Duration::minutes(2));
    let due: HashSet<String> = decisions
        .launches_due_for_decision()
        .await
        .unwrap()
        .into_iter()
        .map(|id| id.to_string())
        .collect();
    assert_eq!(due, HashSet::from([too_few.clone(), enough.clone()]));
    let first_run = [
        decisions
            .decide_minimum_passengers(too_few.parse().unwrap())
            .await
            .unwrap(),
        decisions
            .decide_minimum_passengers(enough.parse().unwrap())
            .await
            .unwrap(),
        decisions
            .decide_minimum_passengers(inside_window.parse().unwrap())
            .await
            .unwrap(),
    ];
    assert_eq!(
        first_run,
        [
            DecisionOutcome::Aborted,
            DecisionOutcome::Confirmed,
            DecisionOutcome::Unchanged
        ]
    );
    // Deciding again changes nothing.
    nothing_to_decide(&decisions, &[&too_few, &enough]).await;

    let aborted = admin_launch(&app, &agency, &too_few).await;
    assert_eq!(aborted["status"], "aborted");
    assert_eq!(aborted["revision"], 1);
    assert_eq!(aborted["status_reason"], "insufficient_passengers");
    let last = aborted["status_history"]
        .as_array()
        .unwrap()
        .last()
        .cloned()
        .unwrap();
    assert_eq!(last["by"], "scheduler");
    assert_eq!(
        admin_launch(&app, &agency, &enough).await["status"],
        "confirmed"
    );
    assert_eq!(
        admin_launch(&app, &agency, &inside_window).await["status"],
        "scheduled"
    );
    decisions.pool.close().await;
    app.stop().await;
}
