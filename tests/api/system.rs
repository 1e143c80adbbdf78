//! System API: accounts, sessions and what IT reads.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{IT_EMAIL, IT_PASSWORD, assert_problem, spawn_app};

#[actix_web::test]
async fn register_sign_in_refresh_and_log_out() {
    let app = spawn_app().await;
    let traveler = app.register_traveler().await;
    let me: Value = app
        .get(
            format!("{}/api/system/auth/me", app.system_url),
            Some(&traveler.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["id"].as_str(), me["role"].as_str()),
        (Some(traveler.user_id.as_str()), Some("traveler"))
    );
    assert_eq!(me["name"], traveler.name.as_str());

    let session: Value = app
        .post_json(
            format!("{}/api/system/auth/login", app.system_url),
            None,
            &json!({"email": traveler.email.to_uppercase(), "password": "traveler-pass-1"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let refresh_token = session["refresh_token"].as_str().unwrap();
    let refresh_url = format!("{}/api/system/auth/refresh", app.system_url);
    let rotated = app
        .post_json(
            refresh_url.clone(),
            None,
            &json!({"refresh_token": refresh_token}),
        )
        .await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let rotated: Value = rotated.json().await.unwrap();
    assert_ne!(rotated["refresh_token"], session["refresh_token"]);
    let reused = app
        .post_json(
            refresh_url.clone(),
            None,
            &json!({"refresh_token": refresh_token}),
        )
        .await;
    assert_problem(reused, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let logout = app
        .post_json(
            format!("{}/api/system/auth/logout", app.system_url),
            None,
            &json!({"refresh_token": rotated["refresh_token"]}),
        )
        .await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let after_logout = app
        .post_json(
            refresh_url,
            None,
            &json!({"refresh_token": rotated["refresh_token"]}),
        )
        .await;
    assert_problem(after_logout, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    app.stop().await;
}

#[actix_web::test]
async fn bad_credentials_and_registrations_are_refused_clearly() {
    let app = spawn_app().await;
    let traveler = app.register_traveler().await;
    let login_url = format!("{}/api/system/auth/login", app.system_url);
    let wrong_password = app
        .post_json(
            login_url.clone(),
            None,
            &json!({"email": traveler.email, "password": "wrong-pass-12"}),
        )
        .await;
    let unknown_email = app
        .post_json(
            login_url.clone(),
            None,
            &json!({"email": "nobody@astro.test", "password": "wrong-pass-12"}),
        )
        .await;
    let first = assert_problem(
        wrong_password,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let second = assert_problem(
        unknown_email,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        first["message"], second["message"],
        "the same answer for both"
    );

    let register_url = format!("{}/api/system/auth/register", app.system_url);
    let taken = app
        .post_json(
            register_url.clone(),
            None,
            &json!({"name": "Twin", "email": traveler.email, "password": "another-pass-1"}),
        )
        .await;
    assert_problem(taken, StatusCode::CONFLICT, "email_taken").await;
    let weak = app
        .post_json(
            register_url.clone(),
            None,
            &json!({"name": "Weak", "email": "weak@astro.test", "password": "short1"}),
        )
        .await;
    assert_problem(weak, StatusCode::BAD_REQUEST, "validation_failed").await;
    let missing = app
        .post_json(
            register_url.clone(),
            None,
            &json!({"email": "x@astro.test"}),
        )
        .await;
    assert_problem(missing, StatusCode::BAD_REQUEST, "bad_request").await;
    let malformed = app
        .client
        .post(&register_url)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, StatusCode::BAD_REQUEST, "bad_request").await;

    for _ in 0..10 {
        app.post_json(
            login_url.clone(),
            None,
            &json!({"email": "target@astro.test", "password": "guess-pass-12"}),
        )
        .await;
    }
    let limited = app
        .post_json(
            login_url,
            None,
            &json!({"email": "target@astro.test", "password": "guess-pass-12"}),
        )
        .await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_problem(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    app.stop().await;
}

#[actix_web::test]
async fn only_it_creates_accounts_and_reads_the_logs() {
    let app = spawn_app().await;
    let it = app.it_employee().await;
    let traveler = app.register_traveler().await;
    let users_url = format!("{}/api/system/users", app.system_url);
    let account = json!({"name": "Fin", "email": "fin@astro.test", "password": "ledger-pass-12", "role": "financial"});

    let as_traveler = app
        .post_json(users_url.clone(), Some(&traveler.token), &account)
        .await;
    assert_problem(as_traveler, StatusCode::FORBIDDEN, "forbidden").await;
    let anonymous = app.post_json(users_url.clone(), None, &account).await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let bad_role = app.post_json(users_url.clone(), Some(&it.token), &json!({"name": "X", "email": "x@astro.test", "password": "x-password-1", "role": "pilot"})).await;
    assert_problem(bad_role, StatusCode::BAD_REQUEST, "validation_failed").await;
    let created = app.post_json(users_url, Some(&it.token), &account).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let financial = app.login("fin@astro.test", "ledger-pass-12").await;

    for path in ["logs", "notifications", "sync-jobs"] {
        let url = format!("{}/api/system/{path}", app.system_url);
        assert_eq!(
            app.get(url.clone(), Some(&it.token)).await.status(),
            StatusCode::OK
        );
        assert_problem(
            app.get(url, Some(&financial.token)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let bad_level = app
        .get(
            format!("{}/api/system/logs?level=loud", app.system_url),
            Some(&it.token),
        )
        .await;
    assert_problem(bad_level, StatusCode::BAD_REQUEST, "validation_failed").await;
    let bad_limit = app
        .get(
            format!("{}/api/system/logs?limit=abc", app.system_url),
            Some(&it.token),
        )
        .await;
    assert_problem(bad_limit, StatusCode::BAD_REQUEST, "bad_request").await;
    let relogin = app.login(crate::helpers::IT_EMAIL, IT_PASSWORD).await;
    assert_eq!(relogin.user_id, it.user_id);
    app.stop().await;
}

#[actix_web::test]
async fn the_log_search_finds_old_entries_and_takes_the_text_literally() {
    use astro_bookings::storage::amqp::events::{LogLevel, LogRecorded};
    use astro_bookings::storage::mongo::system::{LogDocument, SystemStore};
    let app = spawn_app().await;
    let database = astro_bookings::storage::mongo::connect(
        &app.settings.system_mongo_url,
        &app.settings.system_mongo_db,
        "tests",
    )
    .await
    .unwrap();
    let store = SystemStore::new(&database);
    let entry = |minutes_ago: i64, message: String| LogDocument {
        id: uuid::Uuid::new_v4().to_string(),
        entry: LogRecorded {
            time: chrono::Utc::now() - chrono::Duration::minutes(minutes_ago),
            level: LogLevel::Info,
            service: "customer".into(),
            event: "booking.confirmed".into(),
            user_id: None,
            entity_type: None,
            entity_id: None,
            request_id: None,
            message,
            data: json!({}),
        },
    };
    // One old entry, then more newer ones than any page holds.
    store
        .insert_logs(&[entry(600, "Refund of 1.5 seats (x2) for Ada".into())])
        .await
        .unwrap();
    let newer: Vec<LogDocument> = (0..2_100)
        .map(|index| entry(60, format!("Refund of 105 seats x2 for traveller {index}")))
        .collect();
    for chunk in newer.chunks(500) {
        store.insert_logs(chunk).await.unwrap();
    }

    let it = app.login(IT_EMAIL, IT_PASSWORD).await;
    let search = |text: &str| {
        let url = reqwest::Url::parse_with_params(
            &format!("{}/api/system/logs", app.system_url),
            &[("q", text)],
        )
        .unwrap();
        app.get(url.to_string(), Some(&it.token))
    };
    for text in ["1.5 SEATS (X2)", "ada"] {
        let response = search(text).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        let messages: Vec<&str> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|item| item["message"].as_str())
            .collect();
        assert_eq!(
            messages,
            ["Refund of 1.5 seats (x2) for Ada"],
            "search {text:?}"
        );
    }
    app.stop().await;
}
