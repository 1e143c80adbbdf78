//! Input that must not be stored: control and invisible characters or markup in emails and
//! names, passwords that repeat the email, and request bodies with fields the API does not know.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, eventually, spawn_app};

/// One of each kind of character that broke a welcome mail or a sync job, or that hides what a
/// person reads: NUL, a tab, a zero-width space, a right-to-left override, a byte-order mark,
/// and markup.
const BAD_PIECES: [&str; 6] = [
    "\u{0}", "\t", "\u{200B}", "\u{202E}", "\u{FEFF}", "<script>",
];

fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}@astro.test", uuid::Uuid::new_v4().simple())
}

/// Asserts a 400 problem with this code whose message names `what` (a field, or its value).
async fn assert_refused(response: reqwest::Response, code: &str, what: &str) {
    let body = assert_problem(response, StatusCode::BAD_REQUEST, code).await;
    let message = body["message"].as_str().unwrap();
    assert!(message.contains(what), "{what} not named: {body}");
}

/// Asserts that the system DB holds no account under this (normalised) email.
async fn assert_no_account(app: &TestApp, email: &str) {
    let stored = app
        .system_store()
        .await
        .user_by_email(&email.trim().to_lowercase())
        .await
        .unwrap();
    assert!(stored.is_none(), "an account for {email:?} was stored");
}

#[actix_web::test]
async fn emails_with_hidden_characters_or_markup_are_refused_and_not_stored() {
    let app = spawn_app().await;
    let mut bad_emails: Vec<String> = BAD_PIECES
        .iter()
        .map(|piece| format!("ada{piece}@astro.test"))
        .collect();
    bad_emails.extend([
        "\u{FEFF}ada@astro.test".to_owned(),
        "ada@astro.test<script>".to_owned(),
        "\"<b>ada</b>\"@astro.test".to_owned(),
        "Ada <ada@astro.test>".to_owned(),
        "ada@[127.0.0.1]".to_owned(),
    ]);
    for email in &bad_emails {
        let response = app
            .register(&json!({"name": "Ada", "email": email, "password": "lunar-pass-12"}))
            .await;
        assert_refused(response, "validation_failed", "email").await;
        assert_no_account(&app, email).await;
    }
    let login = app
        .post_json(
            format!("{}/api/system/auth/login", app.system_url),
            None,
            &json!({"email": "ada\u{0}@astro.test", "password": "lunar-pass-12"}),
        )
        .await;
    assert_problem(login, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    app.stop().await;
}

#[actix_web::test]
async fn names_with_control_or_invisible_characters_are_refused_and_international_names_kept() {
    let app = spawn_app().await;
    for piece in BAD_PIECES.iter().chain(&["\n"]) {
        let email = unique_email("named");
        let response = app
            .register(&json!({"name": format!("Ada{piece}Lovelace"), "email": email, "password": "lunar-pass-12"}))
            .await;
        assert_refused(response, "validation_failed", "name").await;
        assert_no_account(&app, &email).await;
    }

    let mut kept = Vec::new();
    for name in ["Zoë Ñúñez-O'Brien", "李小龙", "Smith & Sons"] {
        let response = app
            .register(
                &json!({"name": name, "email": unique_email("kept"), "password": "lunar-pass-12"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{name:?}");
        let user: Value = response.json().await.unwrap();
        assert_eq!(user["name"], name);
        kept.push(user["id"].as_str().unwrap().to_owned());
    }

    // Only the kept names travel, and every store takes them: no sync job fails.
    let it = app.it_employee().await;
    let jobs_url = format!("{}/api/system/sync-jobs", app.system_url);
    eventually(
        Duration::from_secs(20),
        "the kept travellers synced",
        || async {
            let body = app.get_json(jobs_url.clone(), Some(&it.token)).await?;
            let jobs = body["items"].as_array()?.clone();
            let failed: Vec<&Value> = jobs
                .iter()
                .filter(|job| job["status"] == "failed")
                .collect();
            assert!(failed.is_empty(), "failed sync jobs: {failed:?}");
            kept.iter()
                .all(|user_id| {
                    let of_user: Vec<&Value> = jobs
                        .iter()
                        .filter(|job| job["origin_user_id"] == user_id.as_str())
                        .collect();
                    of_user.len() == 2 && of_user.iter().all(|job| job["status"] == "completed")
                })
                .then_some(())
        },
    )
    .await;
    app.stop().await;
}

#[actix_web::test]
async fn rocket_and_launch_names_with_control_or_invisible_characters_are_refused() {
    let app = spawn_app().await;
    let agency = app.create_agency().await;
    let rockets_url = format!("{}/api/admin/rockets", app.admin_url);
    for piece in BAD_PIECES.iter().chain(&["\u{7}"]) {
        for (name, model) in [
            (format!("Falcon{piece}9"), "F9".to_owned()),
            ("Falcon 9".to_owned(), format!("F{piece}9")),
        ] {
            let response = app
                .post_json(
                    rockets_url.clone(),
                    Some(&agency.token),
                    &json!({"name": name, "model": model, "capacity": 4, "range": "moon"}),
                )
                .await;
            assert_problem(response, StatusCode::BAD_REQUEST, "validation_failed").await;
        }
    }
    let listed = app
        .get_json(rockets_url, Some(&agency.token))
        .await
        .unwrap();
    assert_eq!(listed["items"], json!([]), "no rocket was stored");

    let rocket = app.create_rocket(&agency, 4).await;
    let launches_url = format!("{}/api/admin/launches", app.admin_url);
    let launch_at = (chrono::Utc::now() + chrono::Duration::days(500)).to_rfc3339();
    for (mission_name, spaceport) in [
        ("Lunar\u{200B}Loop", "Cape Canaveral"),
        ("Lunar Loop", "Cape\u{202E}Canaveral"),
    ] {
        let response = app
            .post_json(
                launches_url.clone(),
                Some(&agency.token),
                &json!({
                    "rocket_id": rocket["id"], "mission_name": mission_name, "spaceport": spaceport,
                    "destination": "moon", "launch_at": launch_at, "price_per_seat_cents": 100_000,
                    "minimum_passengers": 1
                }),
            )
            .await;
        assert_problem(response, StatusCode::BAD_REQUEST, "validation_failed").await;
    }
    app.stop().await;
}

#[actix_web::test]
async fn a_password_holding_the_emails_local_part_is_refused() {
    let app = spawn_app().await;
    let email = unique_email("galileo");
    let local_part = email.split('@').next().unwrap().to_uppercase();
    let response = app
        .register(
            &json!({"name": "Galileo", "email": email, "password": format!("{local_part}-1610")}),
        )
        .await;
    assert_refused(response, "validation_failed", "email").await;
    assert_no_account(&app, &email).await;

    let it = app.it_employee().await;
    let staff_email = unique_email("kepler");
    let staff_password = format!("x{}9", staff_email.split('@').next().unwrap());
    let response = app
        .post_json(
            format!("{}/api/system/users", app.system_url),
            Some(&it.token),
            &json!({"name": "Kepler", "email": staff_email, "password": staff_password, "role": "financial"}),
        )
        .await;
    assert_refused(response, "validation_failed", "email").await;
    assert_no_account(&app, &staff_email).await;
    app.stop().await;
}

#[actix_web::test]
async fn request_bodies_with_unknown_fields_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let email = unique_email("climber");
    let response = app
        .register(&json!({"name": "Climber", "email": email, "password": "lunar-pass-12", "role": "admin"}))
        .await;
    assert_refused(response, "bad_request", "`role`").await;
    assert_no_account(&app, &email).await;

    let agency = app.create_agency().await;
    let response = app
        .post_json(
            format!("{}/api/admin/rockets", app.admin_url),
            Some(&agency.token),
            &json!({"name": "Falcon", "model": "F9", "capacity": 4, "range": "moon", "active": false}),
        )
        .await;
    assert_refused(response, "bad_request", "`active`").await;

    let launch = app.bookable_launch(4).await;
    let traveler = app.register_traveler().await;
    let passenger =
        json!({"name": "Pat", "email": "pat@astro.test", "phone": "+1 555 0100", "age": 30});
    let mut passenger_with_seat = passenger.clone();
    passenger_with_seat["seat_number"] = json!(1);
    for (booking, field) in [
        (
            json!({"launch_id": launch["id"], "passengers": [passenger], "total_cents": 1}),
            "`total_cents`",
        ),
        (
            json!({"launch_id": launch["id"], "passengers": [passenger_with_seat]}),
            "`seat_number`",
        ),
    ] {
        let response = app
            .client
            .post(format!("{}/api/customer/bookings", app.customer_url))
            .bearer_auth(&traveler.token)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&booking)
            .send()
            .await
            .unwrap();
        assert_refused(response, "bad_request", field).await;
    }
    let mine = app
        .get_json(
            format!("{}/api/customer/bookings", app.customer_url),
            Some(&traveler.token),
        )
        .await
        .unwrap();
    assert_eq!(mine["items"], json!([]), "no booking was made");
    app.stop().await;
}

#[actix_web::test]
async fn bodies_of_the_wrong_type_or_size_get_a_json_problem() {
    let app = spawn_app().await;
    let register_url = format!("{}/api/system/auth/register", app.system_url);
    let plain_text = app
        .client
        .post(&register_url)
        .header("content-type", "text/plain")
        .body(r#"{"name": "Ada", "email": "ada@astro.test", "password": "lunar-pass-12"}"#)
        .send()
        .await
        .unwrap();
    assert_problem(plain_text, StatusCode::BAD_REQUEST, "bad_request").await;
    let not_an_object = app.register(&json!(["Ada"])).await;
    assert_problem(not_an_object, StatusCode::BAD_REQUEST, "bad_request").await;
    let oversized = app
        .register(&json!({"name": "x".repeat(100 * 1024), "email": "ada@astro.test", "password": "lunar-pass-12"}))
        .await;
    assert_problem(
        oversized,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    app.stop().await;
}
