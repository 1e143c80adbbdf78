//! Sign-in throttling: per account and client address, and per address across accounts; the
//! client address comes from `X-Forwarded-For` only through a trusted proxy.

use reqwest::{Response, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, assert_problem, spawn_app, spawn_app_with};

/// The default number of accounts one address may fail to sign into in one window.
const ACCOUNTS_PER_ADDRESS: usize = 10;
/// The default number of failed sign-ins for one account from one address in one window.
const FAILURES_PER_ACCOUNT: usize = 5;
const WINDOW_SECS: u64 = 15 * 60;

/// The statuses of `attempts` failed sign-ins of which the first `allowed` are let through.
fn refused_after(allowed: usize, attempts: usize) -> Vec<u16> {
    (0..attempts)
        .map(|attempt| if attempt < allowed { 401 } else { 429 })
        .collect()
}

async fn login_via(app: &TestApp, forwarded_for: &str, email: &str, password: &str) -> Response {
    app.client
        .post(format!("{}/api/system/auth/login", app.system_url))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("request sent")
}

/// Asserts a 429 `rate_limited` whose `Retry-After` is a whole number of seconds within the window.
async fn assert_throttled(response: Response) {
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    assert!(
        retry_after.is_some_and(|seconds| (1..=WINDOW_SECS).contains(&seconds)),
        "Retry-After {retry_after:?}"
    );
    assert_problem(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[actix_web::test]
async fn spraying_accounts_from_forged_forwarded_addresses_is_throttled() {
    // No trusted proxy: the forged X-Forwarded-For values are ignored, every attempt is the
    // test's own address.
    let app = spawn_app().await;
    let mut statuses = Vec::new();
    let mut last = None;
    for number in 0..25 {
        let response = login_via(
            &app,
            &format!("198.51.100.{number}"),
            &format!("victim-{number}@astro.test"),
            "guess-pass-12",
        )
        .await;
        statuses.push(response.status().as_u16());
        last = Some(response);
    }
    assert_eq!(statuses, refused_after(ACCOUNTS_PER_ADDRESS, 25));
    assert_throttled(last.unwrap()).await;
    app.stop().await;
}

#[actix_web::test]
async fn wrong_passwords_from_elsewhere_do_not_lock_the_owner_out() {
    let app = spawn_app_with(&[("ASTRO_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let owner = app.register_traveler().await;
    let attacker = "203.0.113.7";
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let response = login_via(&app, attacker, &owner.email, "guess-pass-12").await;
        statuses.push(response.status().as_u16());
    }

    let from_home = login_via(&app, "192.0.2.20", &owner.email, "traveler-pass-1").await;
    assert_eq!(from_home.status(), StatusCode::OK);

    assert_eq!(statuses, refused_after(FAILURES_PER_ACCOUNT, 10));
    // From the attacker's address even the right password waits for the window.
    assert_throttled(login_via(&app, attacker, &owner.email, "traveler-pass-1").await).await;
    app.stop().await;
}

#[actix_web::test]
async fn guesses_sent_at_once_get_no_more_tries_than_the_limit() {
    let app = spawn_app().await;
    let owner = app.register_traveler().await;
    let guesses = (0..20).map(|_| login_via(&app, "203.0.113.7", &owner.email, "guess-pass-12"));
    let statuses: Vec<u16> = futures_util::future::join_all(guesses)
        .await
        .iter()
        .map(|response| response.status().as_u16())
        .collect();
    let tried = statuses.iter().filter(|status| **status == 401).count();
    assert_eq!(tried, FAILURES_PER_ACCOUNT, "statuses: {statuses:?}");
    assert_eq!(statuses.len() - tried, 20 - FAILURES_PER_ACCOUNT);
    app.stop().await;
}
