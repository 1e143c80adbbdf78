//! Admin API: rockets and launches of agencies, and who may see what.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

#[actix_web::test]
async fn agencies_manage_their_own_rockets_and_launches() {
    let app = spawn_app().await;
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 8).await;
    assert_eq!(rocket["range"], "moon");
    let launch = app
        .schedule_launch(&agency, rocket["id"].as_str().unwrap(), 150_000)
        .await;
    assert_eq!(launch["status"], "scheduled");
    assert_eq!(launch["capacity"], 8);
    assert!(
        launch["slug"]
            .as_str()
            .unwrap()
            .contains("cape-canaveral-moon")
    );

    let again = app
        .schedule_launch(&agency, rocket["id"].as_str().unwrap(), 150_000)
        .await;
    assert_ne!(again["slug"], launch["slug"], "slugs stay unique");

    let other = app.create_agency().await;
    let foreign = app
        .get(
            format!(
                "{}/api/admin/launches/{}",
                app.admin_url,
                launch["id"].as_str().unwrap()
            ),
            Some(&other.token),
        )
        .await;
    assert_problem(foreign, StatusCode::NOT_FOUND, "not_found").await;
    let theirs: Value = app
        .get(
            format!("{}/api/admin/launches", app.admin_url),
            Some(&other.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs["items"].as_array().unwrap().is_empty());
    let it = app.it_employee().await;
    let all: Value = app
        .get(
            format!("{}/api/admin/launches", app.admin_url),
            Some(&it.token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    app.stop().await;
}

#[actix_web::test]
async fn bad_admin_requests_get_json_problems() {
    let app = spawn_app().await;
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 4).await;
    let launches_url = format!("{}/api/admin/launches", app.admin_url);
    let launch = |destination: &str, rocket_id: &str| {
        json!({"rocket_id": rocket_id, "mission_name": "Red", "spaceport": "Kourou", "destination": destination,
               "launch_at": (chrono::Utc::now() + chrono::Duration::days(90)).to_rfc3339(), "price_per_seat_cents": 100, "minimum_passengers": 1})
    };
    let beyond_range = app
        .post_json(
            launches_url.clone(),
            Some(&agency.token),
            &launch("mars", rocket["id"].as_str().unwrap()),
        )
        .await;
    assert_problem(beyond_range, StatusCode::BAD_REQUEST, "validation_failed").await;
    let unknown_rocket = app
        .post_json(
            launches_url.clone(),
            Some(&agency.token),
            &launch("moon", &uuid::Uuid::new_v4().to_string()),
        )
        .await;
    assert_problem(unknown_rocket, StatusCode::NOT_FOUND, "not_found").await;
    // The role is judged before the body: a traveller gets 403 whatever it sent, and the
    // agency gets 400 for the same malformed body.
    let traveler = app.register_traveler().await;
    for (token, status, code) in [
        (&traveler.token, StatusCode::FORBIDDEN, "forbidden"),
        (&agency.token, StatusCode::BAD_REQUEST, "bad_request"),
    ] {
        let malformed = app
            .client
            .post(launches_url.clone())
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_problem(malformed, status, code).await;
    }
    let other = app.create_agency().await;
    let foreign_rocket = app
        .post_json(
            launches_url.clone(),
            Some(&other.token),
            &launch("moon", rocket["id"].as_str().unwrap()),
        )
        .await;
    assert_problem(foreign_rocket, StatusCode::NOT_FOUND, "not_found").await;
    let traveler = app.register_traveler().await;
    let as_traveler = app
        .post_json(
            launches_url.clone(),
            Some(&traveler.token),
            &launch("moon", rocket["id"].as_str().unwrap()),
        )
        .await;
    assert_problem(as_traveler, StatusCode::FORBIDDEN, "forbidden").await;
    let anonymous = app.get(launches_url.clone(), None).await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let malformed = app
        .client
        .post(&launches_url)
        .bearer_auth(&agency.token)
        .header("content-type", "application/json")
        .body("[1,")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, StatusCode::BAD_REQUEST, "bad_request").await;
    let zero_capacity = app
        .post_json(
            format!("{}/api/admin/rockets", app.admin_url),
            Some(&agency.token),
            &json!({"name": "N", "model": "M", "capacity": 0, "range": "moon"}),
        )
        .await;
    assert_problem(zero_capacity, StatusCode::BAD_REQUEST, "validation_failed").await;
    let bad_id = app
        .get(format!("{launches_url}/not-a-uuid"), Some(&agency.token))
        .await;
    assert_problem(bad_id, StatusCode::NOT_FOUND, "not_found").await;
    let bad_filter = app
        .get(
            format!("{}/api/admin/bookings?launch_id=nope", app.admin_url),
            Some(&agency.token),
        )
        .await;
    assert_problem(bad_filter, StatusCode::NOT_FOUND, "not_found").await;
    let unknown_route = app
        .get(format!("{}/api/admin/nothing", app.admin_url), None)
        .await;
    assert_problem(unknown_route, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}
