//! Trust in tokens and sessions: who can sign, logout and refresh reuse cutting sessions on every
//! role, accounts IT disables and enables, and the IT-only supervision tree.

use std::time::{Duration, Instant};

use astro_bookings::auth::{AccessClaims, TokenIssuer, generate_key_pair, private_key_from_pem};
use astro_bookings::domain::user::UserRole;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{CustomerProcess, TestApp, assert_problem, free_port, spawn_app};

const REVOCATION_DEADLINE: Duration = Duration::from_secs(1);

/// The IT-only supervision tree of every role of the app, plus those of `more` customer URLs:
/// a URL any valid IT token opens, on every role.
fn actors_urls(app: &TestApp, more: &[&str]) -> Vec<String> {
    let mut urls: Vec<String> = [
        (&app.customer_url, "customer"),
        (&app.admin_url, "admin"),
        (&app.system_url, "system"),
        (&app.scheduler_url, "scheduler"),
    ]
    .iter()
    .map(|(base, role)| format!("{base}/api/{role}/health/actors"))
    .collect();
    urls.extend(
        more.iter()
            .map(|base| format!("{base}/api/customer/health/actors")),
    );
    urls
}

async fn statuses(app: &TestApp, urls: &[String], token: &str) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    for url in urls {
        statuses.push(app.get(url.clone(), Some(token)).await.status());
    }
    statuses
}

/// Polls until every URL refuses the token with 401; returns how long that took.
async fn refused_everywhere_within(
    app: &TestApp,
    urls: &[String],
    token: &str,
    deadline: Duration,
) -> Duration {
    let started = Instant::now();
    loop {
        let statuses = statuses(app, urls, token).await;
        if statuses
            .iter()
            .all(|status| *status == StatusCode::UNAUTHORIZED)
        {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < deadline,
            "still accepted after {:?}: {statuses:?} for {urls:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> reqwest::Response {
    app.post_json(format!("{}{path}", app.system_url), token, &body)
        .await
}

#[actix_web::test]
async fn a_token_signed_with_another_key_is_refused_by_every_role() {
    let app = spawn_app().await;
    let it = app.it_employee().await;
    let genuine = app.mint(&it.user_id, "session-of-mallory", UserRole::It);
    let urls = actors_urls(&app, &[]);
    assert!(
        statuses(&app, &urls, &genuine)
            .await
            .iter()
            .all(|status| *status == StatusCode::OK)
    );

    // The same claims, signed with a key pair the system role does not have.
    let (other_private, _) = generate_key_pair().unwrap();
    let other_key = private_key_from_pem(other_private.expose()).unwrap();
    let forger = TokenIssuer::new(&other_key, Duration::from_secs(600)).unwrap();
    let claims: AccessClaims = {
        let now = chrono::Utc::now().timestamp();
        AccessClaims {
            sub: it.user_id.clone(),
            sid: "session-of-mallory".into(),
            role: UserRole::It,
            name: "Mallory".into(),
            email: it.email.clone(),
            iat: now,
            exp: now + 600,
        }
    };
    let forged = forger.sign(&claims).unwrap();
    // And the old way: HS256 with the secret the repository used to default to.
    let shared_secret = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"dev-only-secret-change-me"),
    )
    .unwrap();
    for token in [&forged, &shared_secret] {
        assert!(
            statuses(&app, &urls, token)
                .await
                .iter()
                .all(|status| *status == StatusCode::UNAUTHORIZED)
        );
        let created = post(
            &app,
            "/api/system/users",
            Some(token),
            json!({"name": "Evil", "email": "evil@astro.test", "password": "evil-pass-123", "role": "it"}),
        )
        .await;
        assert_problem(created, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
    app.stop().await;
}

#[actix_web::test]
async fn a_customer_process_runs_with_the_public_key_alone_and_cannot_sign() {
    let app = spawn_app().await;
    // The real binary, not in development, given the public key only: it starts, verifies the
    // system role's tokens, and has nothing to sign one with.
    let process = CustomerProcess::start(&app.settings, free_port()).await;
    let it = app.it_employee().await;
    let url = format!("{}/api/customer/health/actors", process.url);
    assert_eq!(
        app.get(url.clone(), Some(&it.token)).await.status(),
        StatusCode::OK
    );
    let mut customer_only = app.settings.clone();
    customer_only.roles = vec![astro_bookings::config::Role::Customer];
    customer_only.token_private_key = None;
    assert!(customer_only.token_keys().unwrap().private.is_none());
    drop(process);
    app.stop().await;
}

#[actix_web::test]
async fn logout_cuts_the_session_on_every_role_within_a_second() {
    let app = spawn_app().await;
    let (second, second_url) = app.second_customer_process().await;
    let it = app.it_employee().await;
    let other_session = app.it_employee().await;
    let urls = actors_urls(&app, &[&second_url]);
    assert!(
        statuses(&app, &urls, &it.token)
            .await
            .iter()
            .all(|status| *status == StatusCode::OK)
    );

    let logout = post(
        &app,
        "/api/system/auth/logout",
        None,
        json!({"refresh_token": it.refresh_token}),
    )
    .await;
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let took = refused_everywhere_within(&app, &urls, &it.token, REVOCATION_DEADLINE).await;
    println!("logout refused by the 4 roles and a second customer process after {took:?}");
    let me = app
        .get(
            format!("{}/api/system/auth/me", app.system_url),
            Some(&it.token),
        )
        .await;
    assert_problem(me, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let refreshed = post(
        &app,
        "/api/system/auth/refresh",
        None,
        json!({"refresh_token": it.refresh_token}),
    )
    .await;
    assert_problem(refreshed, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert!(
        statuses(&app, &urls, &other_session.token)
            .await
            .iter()
            .all(|status| *status == StatusCode::OK),
        "the user's other session stays"
    );

    // A process started after the logout reads the revocation from the system DB; until it has,
    // it trusts no token.
    let (late, late_url) = app.second_customer_process().await;
    let late_actors = format!("{late_url}/api/customer/health/actors");
    let first = app.get(late_actors.clone(), Some(&it.token)).await.status();
    assert!(
        [StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE].contains(&first),
        "{first}"
    );
    crate::helpers::eventually(Duration::from_secs(10), "late process ready", || async {
        let ready = format!("{late_url}/api/customer/health/ready");
        (app.get(ready, None).await.status() == StatusCode::OK).then_some(())
    })
    .await;
    assert_eq!(
        app.get(late_actors.clone(), Some(&it.token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(late_actors, Some(&other_session.token))
            .await
            .status(),
        StatusCode::OK
    );
    late.stop().await;
    second.stop().await;
    app.stop().await;
}

#[actix_web::test]
async fn reusing_a_spent_refresh_token_revokes_its_whole_family() {
    let app = spawn_app().await;
    let it = app.it_employee().await;
    let refresh = |token: &str| {
        post(
            &app,
            "/api/system/auth/refresh",
            None,
            json!({"refresh_token": token}),
        )
    };
    let rotated: Value = refresh(&it.refresh_token).await.json().await.unwrap();
    let newer_access = rotated["access_token"].as_str().unwrap();
    let newer_refresh = rotated["refresh_token"].as_str().unwrap();
    let urls = actors_urls(&app, &[]);
    assert!(
        statuses(&app, &urls, newer_access)
            .await
            .iter()
            .all(|status| *status == StatusCode::OK)
    );

    // The first token comes back (someone kept a copy): the session ends, newer tokens too.
    assert_problem(
        refresh(&it.refresh_token).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_problem(
        refresh(newer_refresh).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let took = refused_everywhere_within(&app, &urls, newer_access, REVOCATION_DEADLINE).await;
    println!("reused refresh token: family refused on every role after {took:?}");
    assert_eq!(
        app.get(urls[0].clone(), Some(&it.token)).await.status(),
        StatusCode::UNAUTHORIZED,
        "the first access token of the family too"
    );
    app.stop().await;
}

async fn listed_emails(app: &TestApp, url: String, token: &str) -> Vec<String> {
    let body: Value = app.get(url, Some(token)).await.json().await.unwrap();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["email"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn it_lists_disables_and_enables_accounts() {
    let app = spawn_app().await;
    let it = app.it_employee().await;
    let agency = app.create_agency().await;
    let traveler = app.register_traveler().await;
    let users_url = format!("{}/api/system/users", app.system_url);

    let listed = |query: String| listed_emails(&app, format!("{users_url}{query}"), &it.token);
    assert_eq!(
        listed("?role=traveler".into()).await,
        std::slice::from_ref(&traveler.email)
    );
    assert_eq!(
        listed("?role=agency".into()).await,
        std::slice::from_ref(&agency.email)
    );
    let by_name = listed("?q=ORBITAL%20TOURS".into()).await;
    assert_eq!(
        by_name,
        std::slice::from_ref(&agency.email),
        "by name, any case"
    );
    let by_email = listed(format!("?q={}", &traveler.email[..15])).await;
    assert_eq!(by_email, std::slice::from_ref(&traveler.email));
    assert_eq!(listed(String::new()).await.len(), 3);
    for (query, code) in [
        ("?role=pilot", "validation_failed"),
        ("?sort=x", "bad_request"),
    ] {
        let response = app
            .get(format!("{users_url}{query}"), Some(&it.token))
            .await;
        assert_problem(response, StatusCode::BAD_REQUEST, code).await;
    }
    assert_problem(
        app.get(users_url.clone(), Some(&agency.token)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let disable_url = |id: &str| format!("/api/system/users/{id}/disable");
    let as_agency = post(
        &app,
        &disable_url(&traveler.user_id),
        Some(&agency.token),
        json!({}),
    )
    .await;
    assert_problem(as_agency, StatusCode::FORBIDDEN, "forbidden").await;
    let unknown = post(
        &app,
        &disable_url(&uuid::Uuid::new_v4().to_string()),
        Some(&it.token),
        json!({}),
    )
    .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let malformed = post(&app, &disable_url("nobody"), Some(&it.token), json!({})).await;
    assert_problem(malformed, StatusCode::NOT_FOUND, "not_found").await;
    let themselves = post(&app, &disable_url(&it.user_id), Some(&it.token), json!({})).await;
    assert_problem(themselves, StatusCode::BAD_REQUEST, "validation_failed").await;

    // Disabled: every session cut on every role, no sign-in, no refresh.
    let bookings_url = format!("{}/api/customer/bookings", app.customer_url);
    assert_eq!(
        app.get(bookings_url.clone(), Some(&traveler.token))
            .await
            .status(),
        StatusCode::OK
    );
    let disabled = post(
        &app,
        &disable_url(&traveler.user_id),
        Some(&it.token),
        json!({}),
    )
    .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    let disabled: Value = disabled.json().await.unwrap();
    assert_eq!(disabled["status"], "disabled");
    let took = refused_everywhere_within(
        &app,
        std::slice::from_ref(&bookings_url),
        &traveler.token,
        REVOCATION_DEADLINE,
    )
    .await;
    println!("disabled account refused by the customer role after {took:?}");
    let credentials = json!({"email": traveler.email, "password": "traveler-pass-1"});
    let login = post(&app, "/api/system/auth/login", None, credentials.clone()).await;
    assert_problem(login, StatusCode::FORBIDDEN, "account_disabled").await;
    let wrong_password = post(
        &app,
        "/api/system/auth/login",
        None,
        json!({"email": traveler.email, "password": "wrong-pass-123"}),
    )
    .await;
    assert_problem(
        wrong_password,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let refresh = post(
        &app,
        "/api/system/auth/refresh",
        None,
        json!({"refresh_token": traveler.refresh_token}),
    )
    .await;
    assert_problem(refresh, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let enabled = post(
        &app,
        &format!("/api/system/users/{}/enable", traveler.user_id),
        Some(&it.token),
        json!({}),
    )
    .await;
    assert_eq!(enabled.status(), StatusCode::OK);
    assert_eq!(enabled.json::<Value>().await.unwrap()["status"], "active");
    let again = app.login(&traveler.email, "traveler-pass-1").await;
    assert_eq!(
        app.get(bookings_url.clone(), Some(&again.token))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(bookings_url, Some(&traveler.token)).await.status(),
        StatusCode::UNAUTHORIZED,
        "the sessions cut by the disable stay cut"
    );
    app.stop().await;
}

#[actix_web::test]
async fn sensitive_routes_refuse_tokens_of_missing_or_disabled_accounts() {
    let app = spawn_app().await;
    let it = app.it_employee().await;
    let account = |email: &str| json!({"name": "Ivy", "email": email, "password": "it-password-99", "role": "it"});
    let created = post(
        &app,
        "/api/system/users",
        Some(&it.token),
        account("ivy@astro.test"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let ivy: Value = created.json().await.unwrap();
    let ivy_id = ivy["id"].as_str().unwrap();

    // A well-signed token of an account that does not exist.
    let ghost = app.mint(
        &uuid::Uuid::new_v4().to_string(),
        &uuid::Uuid::new_v4().to_string(),
        UserRole::It,
    );
    let by_ghost = post(
        &app,
        "/api/system/users",
        Some(&ghost),
        account("ghost@astro.test"),
    )
    .await;
    assert_problem(by_ghost, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    // A token of a disabled account from a session the disable did not know of.
    let disabled = post(
        &app,
        &format!("/api/system/users/{ivy_id}/disable"),
        Some(&it.token),
        json!({}),
    )
    .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    let stale = app.mint(ivy_id, &uuid::Uuid::new_v4().to_string(), UserRole::It);
    let sensitive = [
        ("/api/system/users".to_owned(), account("stale@astro.test")),
        (
            format!("/api/system/users/{}/disable", it.user_id),
            json!({}),
        ),
        (format!("/api/system/users/{ivy_id}/enable"), json!({})),
    ];
    for (path, body) in sensitive {
        let refused = post(&app, &path, Some(&stale), body).await;
        assert_problem(refused, StatusCode::FORBIDDEN, "account_disabled").await;
    }
    app.stop().await;
}

#[actix_web::test]
async fn the_supervision_tree_is_for_it_only_and_the_probes_stay_open() {
    let app = spawn_app().await;
    let traveler = app.register_traveler().await;
    let it = app.it_employee().await;
    for url in actors_urls(&app, &[]) {
        assert_problem(
            app.get(url.clone(), None).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
        assert_problem(
            app.get(url.clone(), Some(&traveler.token)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
        let body: Value = app
            .get(url.clone(), Some(&it.token))
            .await
            .json()
            .await
            .unwrap();
        let actors = body["actors"].as_array().unwrap();
        assert!(
            actors
                .iter()
                .any(|actor| actor["name"] == "session-revocation-listener"
                    && actor["state"] == "running"),
            "{body}"
        );
        let probe = |path: &str| format!("{}{path}", url.trim_end_matches("/actors"));
        for path in ["/live", "/ready"] {
            assert_eq!(
                app.get(probe(path), None).await.status(),
                StatusCode::OK,
                "{}",
                probe(path)
            );
        }
    }
    app.stop().await;
}

/// FerretDB applies an update by reading the whole document and writing it back, so two updates
/// of one document at once can lose one. The outbox relay marks a new account published while IT
/// may be disabling it: the disable must hold whatever the relay does.
#[actix_web::test]
async fn a_disable_racing_the_outbox_relay_is_never_undone() {
    use astro_bookings::domain::user::AccountStatus;
    use astro_bookings::storage::mongo::system::UserDocument;
    let app = spawn_app().await;
    let store = app.system_store().await;
    let mut accounts = Vec::new();
    for index in 0..100 {
        let user = UserDocument {
            email: format!("race-{index}@astro.test"),
            user_id: uuid::Uuid::new_v4().to_string(),
            name: "Racer".into(),
            role: UserRole::Financial,
            status: AccountStatus::Active,
            password_hash: "not-a-hash".into(),
            created_at: chrono::Utc::now(),
            event_id: uuid::Uuid::new_v4().to_string(),
            outbox_published: false,
            created_by: None,
            request_id: None,
        };
        assert!(store.insert_user(&user).await.unwrap());
        accounts.push((user.user_id, user.email));
    }
    futures_util::future::join_all(accounts.iter().map(|(user_id, email)| {
        let store = store.clone();
        async move {
            let marks =
                futures_util::future::join_all((0..10).map(|_| store.mark_user_published(email)));
            let (disabled, marked) = futures_util::join!(
                store.set_user_status(user_id, AccountStatus::Disabled, chrono::Utc::now()),
                marks
            );
            disabled.unwrap().unwrap();
            marked.into_iter().for_each(|mark| mark.unwrap());
        }
    }))
    .await;
    let mut undone = Vec::new();
    for (user_id, email) in &accounts {
        let by_id = store.user_by_id(user_id).await.unwrap().unwrap();
        let by_email = store.user_by_email(email).await.unwrap().unwrap();
        if by_id.status != AccountStatus::Disabled || by_email.status != AccountStatus::Disabled {
            undone.push(email.clone());
        }
    }
    assert!(
        undone.is_empty(),
        "{} disables undone by the relay: {undone:?}",
        undone.len()
    );
    app.stop().await;
}
