//! Customer API: the public listing, bookings decided by the launch actors, and what happens
//! under contention and failure.

use std::time::Duration;

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{SignedIn, TestApp, assert_problem, eventually, spawn_app, spawn_app_with};

async fn travelers(app: &TestApp, count: usize) -> Vec<SignedIn> {
    join_all((0..count).map(|_| app.register_traveler())).await
}

/// Every traveller books 1–4 seats at once; returns (status, body) per request.
async fn storm(app: &TestApp, launch_id: &str, travelers: &[SignedIn]) -> Vec<(StatusCode, Value)> {
    join_all(
        travelers
            .iter()
            .enumerate()
            .map(|(index, traveler)| async move {
                let seats = index % 4 + 1;
                let response = app
                    .book(traveler, launch_id, seats, &format!("storm-{index}"))
                    .await;
                let status = response.status();
                (
                    status,
                    response.json::<Value>().await.unwrap_or(Value::Null),
                )
            }),
    )
    .await
}

#[actix_web::test]
async fn anonymous_visitors_see_free_seats_and_a_booking_takes_them() {
    let app = spawn_app().await;
    let launch = app.bookable_launch(6).await;
    let launch_id = launch["id"].as_str().unwrap();
    assert_eq!(launch["free_seats"], 6);

    let by_slug = app
        .get(
            format!(
                "{}/api/customer/launches/{}",
                app.customer_url,
                launch["slug"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(by_slug.status(), StatusCode::OK);

    let traveler = app.register_traveler().await;
    let response = app.book(&traveler, launch_id, 2, "first").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let booking: Value = response.json().await.unwrap();
    assert_eq!(booking["seats"], 2);
    assert_eq!(booking["total_cents"], 200_000);
    assert_eq!(booking["seat_numbers"], json!([1, 2]));

    let listed = app.wait_for_public_launch(launch_id).await;
    assert_eq!(
        listed["free_seats"], 4,
        "free seats come from memory right after the booking"
    );

    let mine: Value = app
        .get(
            format!("{}/api/customer/bookings", app.customer_url),
            Some(&traveler.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["id"], booking["id"]);

    let again = app.book(&traveler, launch_id, 1, "second").await;
    assert_problem(again, StatusCode::CONFLICT, "already_booked").await;
    app.stop().await;
}

#[actix_web::test]
async fn a_storm_of_bookings_sells_exactly_the_capacity() {
    let app = spawn_app().await;
    let capacity = 10;
    let launch = app.bookable_launch(capacity).await;
    let launch_id = launch["id"].as_str().unwrap();
    let crowd = travelers(&app, 24).await;

    let outcomes = storm(&app, launch_id, &crowd).await;

    let mut sold = 0;
    for (status, body) in &outcomes {
        match *status {
            StatusCode::CREATED => sold += body["seats"].as_u64().unwrap(),
            StatusCode::CONFLICT => {
                assert!(
                    ["not_enough_seats", "sold_out"].contains(&body["code"].as_str().unwrap()),
                    "{body}"
                );
                assert!(
                    body["free_seats"].as_u64().is_some(),
                    "a refusal says how many seats are free: {body}"
                );
            }
            other => panic!("unexpected status {other}: {body}"),
        }
    }
    assert_eq!(sold, u64::from(capacity), "every seat sold, none twice");
    let mut stored = 0;
    for (traveler, (status, body)) in crowd.iter().zip(&outcomes) {
        if *status == StatusCode::CREATED {
            let mine: Value = app
                .get(
                    format!("{}/api/customer/bookings", app.customer_url),
                    Some(&traveler.token),
                )
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(mine["items"][0]["id"], body["id"], "every 201 is stored");
            stored += mine["items"][0]["seats"].as_u64().unwrap();
        }
    }
    assert_eq!(stored, u64::from(capacity));
    assert!(
        app.public_launches()
            .await
            .iter()
            .all(|listed| listed["id"] != launch_id),
        "sold out: no longer listed"
    );
    app.stop().await;
}

#[actix_web::test]
async fn a_replayed_request_returns_the_original_booking() {
    let app = spawn_app().await;
    let launch = app.bookable_launch(8).await;
    let launch_id = launch["id"].as_str().unwrap();
    let traveler = app.register_traveler().await;

    let replays = join_all((0..5).map(|_| app.book(&traveler, launch_id, 3, "same-key"))).await;
    let mut ids = Vec::new();
    let mut created = 0;
    for response in replays {
        let status = response.status();
        assert!(
            status == StatusCode::CREATED || status == StatusCode::OK,
            "status {status}"
        );
        created += usize::from(status == StatusCode::CREATED);
        ids.push(response.json::<Value>().await.unwrap()["id"].clone());
    }
    assert_eq!(created, 1, "exactly one request created the booking");
    assert!(
        ids.windows(2).all(|pair| pair[0] == pair[1]),
        "every replay answers the same booking"
    );
    let listed = app.wait_for_public_launch(launch_id).await;
    assert_eq!(listed["free_seats"], 5, "seats taken once");
    app.stop().await;
}

#[actix_web::test]
async fn a_panicking_launch_actor_is_restarted_and_loses_nothing() {
    let app = spawn_app().await;
    let launch = app.bookable_launch(5).await;
    let launch_id = launch["id"].as_str().unwrap().to_owned();
    let traveler = app.register_traveler().await;
    assert_eq!(
        app.book(&traveler, &launch_id, 2, "before").await.status(),
        StatusCode::CREATED
    );

    let actor = app.panic_and_wait_for_restart(&launch_id).await;
    assert!(actor["restarts"].as_u64().unwrap() >= 1);

    let other = app.register_traveler().await;
    let response = app.book(&other, &launch_id, 3, "after").await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "the rebuilt actor knows the 2 seats sold before"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["seat_numbers"], json!([3, 4, 5]));
    let third = app.register_traveler().await;
    assert_problem(
        app.book(&third, &launch_id, 1, "too-late").await,
        StatusCode::CONFLICT,
        "sold_out",
    )
    .await;
    app.stop().await;
}

#[actix_web::test]
async fn a_full_mailbox_answers_503_with_retry_after() {
    let app = spawn_app_with(&[("ASTRO_LAUNCH_MAILBOX_CAPACITY", "1")]).await;
    let launch = app.bookable_launch(100).await;
    let launch_id = launch["id"].as_str().unwrap();
    let crowd = travelers(&app, 20).await;

    let keys: Vec<String> = (0..crowd.len()).map(|index| format!("k{index}")).collect();
    let responses = join_all(
        crowd
            .iter()
            .zip(&keys)
            .map(|(traveler, key)| app.book(traveler, launch_id, 1, key)),
    )
    .await;
    let mut busy = 0;
    for response in responses {
        match response.status() {
            StatusCode::CREATED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert_eq!(response.headers()["retry-after"], "1");
                assert_problem(response, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        busy > 0,
        "with room for one waiting caller, a burst of 20 meets back-pressure"
    );
    app.stop().await;
}

#[actix_web::test]
async fn bad_booking_requests_get_json_problems() {
    let app = spawn_app().await;
    let launch = app.bookable_launch(4).await;
    let launch_id = launch["id"].as_str().unwrap();
    let traveler = app.register_traveler().await;
    let url = format!("{}/api/customer/bookings", app.customer_url);

    let no_token = app
        .client
        .post(&url)
        .header("Idempotency-Key", "x")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(no_token, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let agency = app.create_agency().await;
    assert_problem(
        app.book(&agency, launch_id, 1, "agency").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let malformed = app
        .client
        .post(&url)
        .bearer_auth(&traveler.token)
        .header("Idempotency-Key", "m")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, StatusCode::BAD_REQUEST, "bad_request").await;

    let missing_field = app
        .client
        .post(&url)
        .bearer_auth(&traveler.token)
        .header("Idempotency-Key", "f")
        .json(&json!({"launch_id": launch_id}))
        .send()
        .await
        .unwrap();
    assert_problem(missing_field, StatusCode::BAD_REQUEST, "bad_request").await;

    let no_key = app
        .client
        .post(&url)
        .bearer_auth(&traveler.token)
        .json(&json!({"launch_id": launch_id, "passengers": []}))
        .send()
        .await
        .unwrap();
    assert_problem(no_key, StatusCode::BAD_REQUEST, "validation_failed").await;

    let child = app.client.post(&url).bearer_auth(&traveler.token).header("Idempotency-Key", "c")
        .json(&json!({"launch_id": launch_id, "passengers": [{"name": "Kid", "email": "kid@astro.test", "phone": "+1 555 0100", "age": 12}]}))
        .send().await.unwrap();
    assert_problem(child, StatusCode::BAD_REQUEST, "validation_failed").await;

    let too_many = app.book(&traveler, launch_id, 5, "five").await;
    assert_problem(too_many, StatusCode::BAD_REQUEST, "validation_failed").await;

    let unknown = app
        .book(&traveler, &uuid::Uuid::new_v4().to_string(), 1, "u")
        .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;

    let bad_filter = app
        .get(
            format!(
                "{}/api/customer/launches?destination=venus",
                app.customer_url
            ),
            None,
        )
        .await;
    assert_problem(bad_filter, StatusCode::BAD_REQUEST, "validation_failed").await;
    let bad_date = app
        .get(
            format!("{}/api/customer/launches?from=yesterday", app.customer_url),
            None,
        )
        .await;
    assert_problem(bad_date, StatusCode::BAD_REQUEST, "bad_request").await;
    let unknown_slug = app
        .get(
            format!("{}/api/customer/launches/no-such-launch", app.customer_url),
            None,
        )
        .await;
    assert_problem(unknown_slug, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}

#[actix_web::test]
async fn two_processes_owning_the_same_launch_never_oversell() {
    let app = spawn_app().await;
    let capacity = 12;
    let launch = app.bookable_launch(capacity).await;
    let launch_id = launch["id"].as_str().unwrap();
    let (second_process, second) = app.second_customer_process().await;
    eventually(
        Duration::from_secs(10),
        "second process knows the launch",
        || async {
            let body: Value = app
                .client
                .get(format!("{second}/api/customer/launches"))
                .send()
                .await
                .ok()?
                .json()
                .await
                .ok()?;
            body["items"]
                .as_array()?
                .iter()
                .any(|listed| listed["id"] == launch_id)
                .then_some(())
        },
    )
    .await;

    let crowd = travelers(&app, 24).await;
    let outcomes = join_all(crowd.iter().enumerate().map(|(index, traveler)| {
        let base = if index % 2 == 0 { app.customer_url.clone() } else { second.clone() };
        let client = app.client.clone();
        async move {
            let passengers: Vec<Value> = (0..(index % 3 + 1))
                .map(|seat| json!({"name": format!("P{seat}"), "email": "p@astro.test", "phone": "+1 555 0100", "age": 40}))
                .collect();
            let response = client
                .post(format!("{base}/api/customer/bookings"))
                .bearer_auth(&traveler.token)
                .header("Idempotency-Key", format!("two-{index}"))
                .json(&json!({"launch_id": launch_id, "passengers": passengers}))
                .send()
                .await
                .unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap_or(Value::Null))
        }
    }))
    .await;
    let sold: u64 = outcomes
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .map(|(_, body)| body["seats"].as_u64().unwrap())
        .sum();
    for (status, body) in &outcomes {
        assert!(
            [
                StatusCode::CREATED,
                StatusCode::CONFLICT,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(status),
            "unexpected {status}: {body}"
        );
    }
    assert!(sold <= u64::from(capacity), "sold {sold} of {capacity}");
    let mut seats: Vec<u64> = outcomes
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .flat_map(|(_, body)| {
            body["seat_numbers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|seat| seat.as_u64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    let before = seats.len();
    seats.sort_unstable();
    seats.dedup();
    assert_eq!(seats.len(), before, "no seat number was sold twice");
    eventually(
        Duration::from_secs(5),
        "both processes agree on free seats",
        || async {
            let free = |base: String| {
                let client = app.client.clone();
                let launch_id = launch_id.to_owned();
                async move {
                    let body: Value = client
                        .get(format!("{base}/api/customer/launches"))
                        .send()
                        .await
                        .ok()?
                        .json()
                        .await
                        .ok()?;
                    Some(
                        body["items"]
                            .as_array()?
                            .iter()
                            .find(|listed| listed["id"] == launch_id)
                            .map_or(0, |listed| listed["free_seats"].as_u64().unwrap_or(0)),
                    )
                }
            };
            let (first_free, second_free) = (
                free(app.customer_url.clone()).await?,
                free(second.clone()).await?,
            );
            (first_free == second_free && first_free == u64::from(capacity) - sold).then_some(())
        },
    )
    .await;
    second_process.stop().await;
    app.stop().await;
}

#[actix_web::test]
async fn killing_the_process_mid_storm_loses_no_confirmed_booking() {
    use crate::helpers::{CustomerProcess, free_port};
    let app = spawn_app().await;
    let capacity = 40;
    let (agency, launch) = app.bookable_launch_with_agency(capacity).await;
    let launch_id = launch["id"].as_str().unwrap().to_owned();
    let crowd = travelers(&app, 60).await;
    let mut process = CustomerProcess::start(&app.settings, free_port()).await;
    let base = process.url.clone();

    // The kill waits for a first confirmation, however slow the machine: a kill at a fixed time
    // could come before the process has confirmed anything.
    let first_confirmed = tokio::sync::Notify::new();
    let storm = join_all(crowd.iter().enumerate().map(|(index, traveler)| {
        let client = app.client.clone();
        let base = base.clone();
        let launch_id = launch_id.clone();
        let first_confirmed = &first_confirmed;
        async move {
            // Spread the requests over the kill.
            tokio::time::sleep(Duration::from_millis(5 * index as u64)).await;
            let passengers: Vec<Value> = (0..(index % 4 + 1))
                .map(|seat| json!({"name": format!("P{seat}"), "email": "p@astro.test", "phone": "+1 555 0100", "age": 33}))
                .collect();
            let response = client
                .post(format!("{base}/api/customer/bookings"))
                .bearer_auth(&traveler.token)
                .header("Idempotency-Key", format!("crash-{index}"))
                .json(&json!({"launch_id": launch_id, "passengers": passengers}))
                .send()
                .await
                .ok()?;
            let status = response.status();
            let body = response.json::<Value>().await.ok()?;
            if status == StatusCode::CREATED {
                first_confirmed.notify_one();
            }
            Some((status, body))
        }
    }));
    let killer = async {
        let _ = tokio::time::timeout(Duration::from_secs(30), first_confirmed.notified()).await;
        process.kill();
    };
    let (outcomes, ()) = futures_util::join!(storm, killer);
    let confirmed: Vec<(usize, Value)> = outcomes
        .into_iter()
        .enumerate()
        .filter_map(|(index, outcome)| {
            outcome
                .filter(|(status, _)| *status == StatusCode::CREATED)
                .map(|(_, body)| (index, body))
        })
        .collect();

    assert!(
        !confirmed.is_empty(),
        "some bookings were confirmed before the kill"
    );
    assert!(confirmed.len() < crowd.len(), "the kill cut the storm");
    let process = process.restart(&app.settings).await;
    let mut sold = 0;
    let mut seats = Vec::new();
    let mut stored_ids = Vec::new();
    for traveler in &crowd {
        let mine: Value = app
            .get(
                format!("{}/api/customer/bookings", process.url),
                Some(&traveler.token),
            )
            .await
            .json()
            .await
            .unwrap();
        for booking in mine["items"].as_array().unwrap() {
            stored_ids.push(booking["id"].as_str().unwrap().to_owned());
            sold += booking["seats"].as_u64().unwrap();
            seats.extend(
                booking["seat_numbers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|seat| seat.as_u64().unwrap()),
            );
        }
    }
    for (index, body) in &confirmed {
        let mine: Value = app
            .get(
                format!("{}/api/customer/bookings", process.url),
                Some(&crowd[*index].token),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            mine["items"][0]["id"], body["id"],
            "a booking answered 201 survives kill -9"
        );
    }
    assert!(sold <= u64::from(capacity), "sold {sold} of {capacity}");
    let before = seats.len();
    seats.sort_unstable();
    seats.dedup();
    assert_eq!(seats.len(), before, "no seat sold twice");

    // After the restart the launch still sells what is left, and no more.
    let free = u64::from(capacity) - sold;
    let listed: Value = app
        .client
        .get(format!("{}/api/customer/launches", process.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let shown = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == launch_id.as_str())
        .map_or(0, |item| item["free_seats"].as_u64().unwrap());
    assert!(
        shown <= free,
        "free seats shown {shown}, at most {free} (seats of unfinished writes are held back until swept)"
    );

    // Every stored booking reaches the operations DB, and the outbox empties.
    app.wait_until_bookings_synced(&agency, &launch_id, &stored_ids)
        .await;
    drop(process);
    app.stop().await;
}

#[actix_web::test]
async fn events_a_dead_process_left_unpublished_are_published_by_the_outbox_poll() {
    use astro_bookings::storage::mongo::customer::{BookingDocument, LedgerEntry, OutboxEntry};
    let app = spawn_app().await;
    let (agency, public) = app.bookable_launch_with_agency(6).await;
    let launch_id = public["id"].as_str().unwrap().to_owned();
    let traveler = app.register_traveler().await;
    let store = app.customer_store().await;
    let made = app.book(&traveler, &launch_id, 1, "through-the-api").await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let made_id = made.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let template = store.booking(&made_id).await.unwrap().unwrap();

    // What a process killed after storing a batch, before publishing its events or telling the
    // other processes, leaves behind: its outbox entry and the batch's ledger entry, which takes
    // the seats this process would pick next.
    let now = chrono::Utc::now();
    let bookings: Vec<BookingDocument> = [2_u32, 3]
        .into_iter()
        .map(|seat| BookingDocument {
            id: uuid::Uuid::new_v4().to_string(),
            traveler_id: uuid::Uuid::new_v4().to_string(),
            idempotency_key: format!("left-behind-{seat}"),
            seat_numbers: vec![seat],
            created_at: now,
            event_id: uuid::Uuid::now_v7().to_string(),
            ..template.clone()
        })
        .collect();
    store
        .insert_outbox(&OutboxEntry::for_bookings(&bookings))
        .await
        .unwrap();
    let position = store.ledger_of(&launch_id).await.unwrap().len() as u64;
    store
        .append_ledger(&LedgerEntry::new(&launch_id, position, bookings.clone()))
        .await
        .unwrap();

    // This process's next write finds the position taken, reads the entry and decides again.
    let other = app.register_traveler().await;
    let next = app.book(&other, &launch_id, 1, "after-the-dead-one").await;
    assert_eq!(next.status(), StatusCode::CREATED);
    let next: Value = next.json().await.unwrap();
    assert_eq!(next["seat_numbers"], json!([4]), "seats 2 and 3 are sold");

    let mut ids: Vec<String> = bookings.iter().map(|booking| booking.id.clone()).collect();
    ids.push(made_id);
    ids.push(next["id"].as_str().unwrap().to_owned());
    app.wait_until_bookings_synced(&agency, &launch_id, &ids)
        .await;
    app.stop().await;
}
