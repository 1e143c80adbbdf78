//! Several customer-API processes are the normal deployment: every launch change reaches each
//! one's board and launch actors, and a process that missed the change still never sells on a
//! launch that stopped being bookable (the seat ledger fences it). A launch past its date takes no
//! booking and leaves the listing on every process, by the clock.

use std::time::{Duration, Instant};

use astro_bookings::domain::launch::LaunchStatus;
use astro_bookings::storage::mongo::customer::LaunchDocument;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, assert_problem, eventually, spawn_app};

async fn listed_on(app: &TestApp, base: &str, launch_id: &str) -> bool {
    app.public_launches_at(base)
        .await
        .iter()
        .any(|launch| launch["id"] == launch_id)
}

/// Waits until the launch is listed on every process (or on none); returns how long it took.
async fn until_listed(app: &TestApp, bases: &[&str], launch_id: &str, listed: bool) -> Duration {
    let started = Instant::now();
    eventually(
        Duration::from_secs(15),
        "the listing on every process",
        || async {
            for base in bases {
                if listed_on(app, base, launch_id).await != listed {
                    return None;
                }
            }
            Some(())
        },
    )
    .await;
    started.elapsed()
}

/// A launch scheduled after both processes started, once both list it; returns its id.
async fn launch_listed_on_both(app: &TestApp, second: &str) -> String {
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 10).await;
    let launch = app
        .schedule_launch(&agency, rocket["id"].as_str().unwrap(), 50_000)
        .await;
    let launch_id = launch["id"].as_str().unwrap().to_owned();
    until_listed(app, &[app.customer_url.as_str(), second], &launch_id, true).await;
    launch_id
}

/// Aborts the launch in the customer DB only, as the shared sync consumer's write does, with no
/// broadcast and no ledger record; returns the launch as stored.
async fn abort_in_store(app: &TestApp, launch_id: &str) -> LaunchDocument {
    let store = app.customer_store().await;
    let mut aborted = store.launch(launch_id).await.unwrap().unwrap();
    aborted.status = LaunchStatus::Aborted;
    aborted.status_reason = Some("range safety".to_owned());
    aborted.revision += 1;
    store.apply_launch(&aborted).await.unwrap();
    aborted
}

#[actix_web::test]
async fn a_launch_scheduled_then_aborted_after_both_processes_started_reaches_both() {
    let app = spawn_app().await;
    let (second_process, second) = app.second_customer_process().await;
    let bases = [app.customer_url.as_str(), second.as_str()];
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 10).await;
    let launch = app
        .schedule_launch(&agency, rocket["id"].as_str().unwrap(), 50_000)
        .await;
    let launch_id = launch["id"].as_str().unwrap();
    let first_listed = until_listed(&app, &bases[..1], launch_id, true).await;
    let both_listed = until_listed(&app, &bases, launch_id, true).await;
    println!(
        "scheduled: listed on the first process after {first_listed:?}, on both {both_listed:?} later"
    );
    assert!(
        both_listed < Duration::from_secs(1),
        "second process {both_listed:?} behind"
    );

    // One booking per traveller and launch: one traveller on each process.
    for base in bases {
        let traveler = app.register_traveler().await;
        let booked = app.book_at(base, &traveler, launch_id, 1, "before").await;
        assert_eq!(booked.status(), StatusCode::CREATED);
    }
    let traveler = app.register_traveler().await;

    let abort = app
        .post_json(
            format!("{}/api/admin/launches/{launch_id}/abort", app.admin_url),
            Some(&agency.token),
            &json!({"reason": "range safety"}),
        )
        .await;
    assert_eq!(abort.status(), StatusCode::OK);
    let unlisted = until_listed(&app, &bases, launch_id, false).await;
    println!("aborted: unlisted on both processes after {unlisted:?}");
    for (index, base) in bases.iter().enumerate() {
        assert_problem(
            app.book_at(base, &traveler, launch_id, 1, &format!("after-{index}"))
                .await,
            StatusCode::CONFLICT,
            "launch_not_bookable",
        )
        .await;
    }
    second_process.stop().await;
    app.stop().await;
}

#[actix_web::test]
async fn a_process_that_missed_the_abort_still_refuses_to_sell() {
    let app = spawn_app().await;
    let (second_process, second) = app.second_customer_process().await;
    let launch_id = &launch_listed_on_both(&app, &second).await;

    // From now on the second process hears no launch broadcast, and its board still shows the
    // launch as bookable; the change is recorded in the seat ledger by the first process alone
    // (what the process that consumed the shared `customer.sync` message does).
    second_process
        .customer_directory()
        .unwrap()
        .ignore_launch_broadcasts();
    let aborted = abort_in_store(&app, launch_id).await;
    app.customer_directory().record(aborted).await.unwrap();

    let traveler = app.register_traveler().await;
    let refused = app
        .book_at(&second, &traveler, launch_id, 1, "on-the-deaf-process")
        .await;
    assert_problem(refused, StatusCode::CONFLICT, "launch_not_bookable").await;
    until_listed(&app, &[second.as_str()], launch_id, false).await;
    let mine = app
        .get_json(
            format!("{second}/api/customer/bookings"),
            Some(&traveler.token),
        )
        .await
        .unwrap();
    assert_eq!(mine["items"], json!([]), "no booking was stored");
    second_process.stop().await;
    app.stop().await;
}

#[actix_web::test]
async fn a_process_that_reconnects_to_the_broker_catches_up_on_what_it_missed() {
    let app = spawn_app().await;
    let (second_process, second) = app.second_customer_process().await;
    let launch_id = &launch_listed_on_both(&app, &second).await;

    // The change reaches the store while the second process hears nothing of it.
    second_process
        .customer_directory()
        .unwrap()
        .ignore_launch_broadcasts();
    abort_in_store(&app, launch_id).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        listed_on(&app, &second, launch_id).await,
        "nothing told it yet"
    );

    second_process.sever_broker_connection().await;
    until_listed(&app, &[second.as_str()], launch_id, false).await;
    let traveler = app.register_traveler().await;
    let refused = app
        .book_at(&second, &traveler, launch_id, 1, "after-reconnect")
        .await;
    assert_problem(refused, StatusCode::CONFLICT, "launch_not_bookable").await;
    second_process.stop().await;
    app.stop().await;
}

#[actix_web::test]
async fn a_launch_whose_date_passed_takes_no_booking_and_leaves_every_listing() {
    let app = spawn_app().await;
    let (second_process, second) = app.second_customer_process().await;
    let bases = [app.customer_url.as_str(), second.as_str()];
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 10).await;
    let launch_at = chrono::Utc::now() + chrono::Duration::seconds(8);
    let launch = app
        .schedule_launch_at(&agency, rocket["id"].as_str().unwrap(), 50_000, launch_at)
        .await;
    let launch_id = launch["id"].as_str().unwrap();
    until_listed(&app, &bases, launch_id, true).await;
    let traveler = app.register_traveler().await;
    let before = app.book(&traveler, launch_id, 1, "before-the-date").await;
    assert_eq!(
        before.status(),
        StatusCode::CREATED,
        "still ahead of {launch_at}"
    );

    let wait = (launch_at - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(200)).await;
    for (index, base) in bases.iter().enumerate() {
        assert!(
            !listed_on(&app, base, launch_id).await,
            "{base} still lists it"
        );
        let page = app
            .get(
                format!(
                    "{base}/api/customer/launches/{}",
                    launch["slug"].as_str().unwrap()
                ),
                None,
            )
            .await;
        // Its page still answers (a traveller's link from My bookings), saying it is past.
        assert_eq!(page.status(), StatusCode::OK);
        let body = assert_problem(
            app.book_at(base, &traveler, launch_id, 1, &format!("after-{index}"))
                .await,
            StatusCode::CONFLICT,
            "launch_not_bookable",
        )
        .await;
        assert!(body["message"].as_str().unwrap().contains("date"), "{body}");
    }
    second_process.stop().await;
    app.stop().await;
}
