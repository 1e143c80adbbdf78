//! `spawn_app()`: all four roles on free ports, a fresh Postgres database, fresh Mongo database
//! names and a fresh broker namespace per test, plus one helper per endpoint the tests use.

use std::time::Duration;

use astro_bookings::app::Application;
use astro_bookings::auth::{AccessClaims, TokenIssuer};
use astro_bookings::config::{Role, Settings};
use astro_bookings::domain::user::UserRole;
use astro_bookings::storage::amqp::{Bus, EventEnvelope, Origin};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;

pub const IT_EMAIL: &str = "it-admin@astro.test";
pub const IT_PASSWORD: &str = "it-password-123";

pub struct TestApp {
    pub application: Option<Application>,
    pub settings: Settings,
    /// Signs with this test's private key, as only the system role does.
    pub issuer: TokenIssuer,
    pub client: Client,
    pub customer_url: String,
    pub admin_url: String,
    pub system_url: String,
    pub scheduler_url: String,
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_owned())
}

fn pg_admin_url() -> String {
    env_or(
        "ASTRO_PG_ADMIN_URL",
        "postgres://astro:astro@127.0.0.1:5433/postgres?sslmode=disable",
    )
}

/// Settings for an isolated test run, with a key pair of its own (not the development keys, so
/// the run is what a deployment is); `overrides` win over everything.
pub async fn test_settings(overrides: &[(&str, &str)]) -> Settings {
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let short = unique.get(..12).unwrap().to_owned();
    let database = format!("astro_test_{short}");
    let admin_url = pg_admin_url();
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("postgres admin connection");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let database_url = admin_url.replace("/postgres?", &format!("/{database}?"));
    let (private_key, public_key) = astro_bookings::auth::generate_key_pair().unwrap();
    let overrides: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut values: Vec<(String, String)> = vec![
        ("ASTRO_ROLES".into(), "all".into()),
        ("ASTRO_CUSTOMER_PORT".into(), "0".into()),
        ("ASTRO_ADMIN_PORT".into(), "0".into()),
        ("ASTRO_SYSTEM_PORT".into(), "0".into()),
        ("ASTRO_SCHEDULER_PORT".into(), "0".into()),
        ("ASTRO_HTTP_WORKERS".into(), "1".into()),
        ("ASTRO_DATABASE_URL".into(), database_url),
        ("ASTRO_DATABASE_MAX_CONNECTIONS".into(), "5".into()),
        (
            "ASTRO_CUSTOMER_MONGO_DB".into(),
            format!("t{short}_customer"),
        ),
        ("ASTRO_SYSTEM_MONGO_DB".into(), format!("t{short}_system")),
        ("ASTRO_AMQP_NAMESPACE".into(), format!("test-{short}")),
        ("ASTRO_ENV".into(), "production".into()),
        (
            "ASTRO_TOKEN_PRIVATE_KEY".into(),
            private_key.expose().to_owned(),
        ),
        ("ASTRO_TOKEN_PUBLIC_KEY".into(), public_key),
        ("ASTRO_SEED_IT_EMAIL".into(), IT_EMAIL.into()),
        ("ASTRO_SEED_IT_PASSWORD".into(), IT_PASSWORD.into()),
        ("ASTRO_SEED_IT_NAME".into(), "Test IT".into()),
        ("ASTRO_SHUTDOWN_TIMEOUT_SECS".into(), "2".into()),
        // Whatever the shell says (scripts/env.sh trusts the local edge), tests trust no proxy
        // unless they ask.
        ("ASTRO_TRUSTED_PROXIES".into(), String::new()),
    ];
    values.extend(overrides);
    Settings::from_lookup(|key| {
        values
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
            .or_else(|| std::env::var(key).ok())
    })
    .expect("test settings")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    spawn_app_with_clock(overrides, astro_bookings::clock::system_clock()).await
}

/// As `spawn_app_with`, every role reading `clock` (an `OffsetClock` the test moves).
pub async fn spawn_app_with_clock(
    overrides: &[(&str, &str)],
    clock: astro_bookings::clock::SharedClock,
) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        astro_bookings::telemetry::init("info");
    }
    let settings = test_settings(overrides).await;
    astro_bookings::roles::system_api::seed_it_employee(&settings)
        .await
        .expect("seed IT employee");
    let application = Application::start_with_clock(settings.clone(), clock)
        .await
        .expect("application starts");
    let issuer = issuer_of(&settings);
    let url = |role: Role| {
        application
            .port(role)
            .map(|port| format!("http://127.0.0.1:{port}"))
            .unwrap_or_default()
    };
    let app = TestApp {
        customer_url: url(Role::Customer),
        admin_url: url(Role::Admin),
        system_url: url(Role::System),
        scheduler_url: url(Role::Scheduler),
        application: Some(application),
        settings,
        issuer,
        client: Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap(),
    };
    app.wait_until_ready().await;
    app
}

pub fn issuer_of(settings: &Settings) -> TokenIssuer {
    let private = settings.token_keys().unwrap().private.unwrap();
    TokenIssuer::new(&private, settings.access_token_ttl).unwrap()
}

/// Polls `check` until it returns Some, or fails the test after `timeout`.
pub async fn eventually<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A signed-in user: id, tokens and email.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user_id: String,
    pub token: String,
    pub refresh_token: String,
    pub email: String,
    pub name: String,
}

impl TestApp {
    pub async fn wait_until_ready(&self) {
        for base in [
            &self.customer_url,
            &self.admin_url,
            &self.system_url,
            &self.scheduler_url,
        ] {
            if base.is_empty() {
                continue;
            }
            let role = if base == &self.customer_url {
                "customer"
            } else if base == &self.admin_url {
                "admin"
            } else if base == &self.system_url {
                "system"
            } else {
                "scheduler"
            };
            let url = format!("{base}/api/{role}/health/ready");
            eventually(Duration::from_secs(20), &url, || async {
                let response = self.client.get(&url).send().await.ok()?;
                (response.status() == StatusCode::OK).then_some(())
            })
            .await;
        }
    }

    /// Stops every role, then drops this test's databases and broker namespace (a failed test
    /// keeps them, for a look).
    pub async fn stop(mut self) {
        if let Some(application) = self.application.take() {
            application.stop().await;
        }
        self.drop_databases().await;
        self.delete_broker_namespace().await;
    }

    async fn delete_broker_namespace(&self) {
        let settings = &self.settings;
        let bus = Bus::connect(settings.amqp_url.expose(), &settings.amqp_namespace)
            .await
            .expect("broker reachable");
        bus.delete_namespace()
            .await
            .expect("test namespace deleted");
        bus.close().await;
    }

    async fn drop_databases(&self) {
        let settings = &self.settings;
        for (url, name) in [
            (&settings.customer_mongo_url, &settings.customer_mongo_db),
            (&settings.system_mongo_url, &settings.system_mongo_db),
        ] {
            if let Ok(client) = mongodb::Client::with_uri_str(url.expose()).await {
                let _left_for_a_later_look = client.database(name).drop().await;
            }
        }
        let url = settings.database_url.expose();
        let Some(name) = url
            .rsplit('/')
            .next()
            .and_then(|rest| rest.split('?').next())
        else {
            return;
        };
        let admin_url = pg_admin_url();
        if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            let _left_for_a_later_look = sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&mut admin)
                .await;
        }
    }

    pub async fn post_json(&self, url: String, token: Option<&str>, body: &Value) -> Response {
        let mut request = self.client.post(url).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// A JSON request of any method (PATCH, PUT).
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        url: String,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        let mut request = self.client.request(method, url).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// The operations DB of this test.
    pub async fn operations_db(&self) -> sqlx::PgPool {
        sqlx::PgPool::connect(self.settings.database_url.expose())
            .await
            .expect("operations DB reachable")
    }

    pub async fn get(&self, url: String, token: Option<&str>) -> Response {
        let mut request = self.client.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// The JSON body of a GET, or None if the request or the body failed (for `eventually`).
    pub async fn get_json(&self, url: String, token: Option<&str>) -> Option<Value> {
        self.get(url, token).await.json().await.ok()
    }

    pub async fn login(&self, email: &str, password: &str) -> SignedIn {
        let response = self
            .post_json(
                format!("{}/api/system/auth/login", self.system_url),
                None,
                &json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "login of {email}");
        let session: Value = response.json().await.unwrap();
        SignedIn {
            user_id: session["user"]["id"].as_str().unwrap().to_owned(),
            token: session["access_token"].as_str().unwrap().to_owned(),
            refresh_token: session["refresh_token"].as_str().unwrap().to_owned(),
            email: email.to_owned(),
            name: session["user"]["name"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn it_employee(&self) -> SignedIn {
        self.login(IT_EMAIL, IT_PASSWORD).await
    }

    /// `POST /api/system/auth/register` with this body, sent as it is.
    pub async fn register(&self, body: &Value) -> Response {
        self.post_json(
            format!("{}/api/system/auth/register", self.system_url),
            None,
            body,
        )
        .await
    }

    /// A token signed with this test's key (as the system role signs) for whatever claims.
    pub fn mint(&self, user_id: &str, session_id: &str, role: UserRole) -> String {
        let now = chrono::Utc::now().timestamp();
        let claims = AccessClaims {
            sub: user_id.to_owned(),
            sid: session_id.to_owned(),
            role,
            name: "Minted".into(),
            email: "minted@astro.test".into(),
            iat: now,
            exp: now + 600,
        };
        self.issuer.sign(&claims).unwrap()
    }

    /// An IT token of a session of its own, for the IT-only health of the actors.
    pub fn it_token(&self) -> String {
        let session = uuid::Uuid::new_v4().to_string();
        self.mint(&uuid::Uuid::new_v4().to_string(), &session, UserRole::It)
    }

    pub async fn register_traveler(&self) -> SignedIn {
        let email = format!("traveler-{}@astro.test", uuid::Uuid::new_v4().simple());
        let password = "traveler-pass-1";
        let response = self
            .register(&json!({"name": "Tess Traveler", "email": email, "password": password}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "register traveler");
        self.login(&email, password).await
    }

    /// Creates an agency through the IT employee, and signs it in.
    pub async fn create_agency(&self) -> SignedIn {
        let it = self.it_employee().await;
        let email = format!("agency-{}@astro.test", uuid::Uuid::new_v4().simple());
        let password = "agency-pass-12";
        let response = self
            .post_json(
                format!("{}/api/system/users", self.system_url),
                Some(&it.token),
                &json!({"name": "Orbital Tours", "email": email, "password": password, "role": "agency"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create agency");
        self.login(&email, password).await
    }

    pub async fn create_rocket(&self, agency: &SignedIn, capacity: u32) -> Value {
        let response = self
            .post_json(
                format!("{}/api/admin/rockets", self.admin_url),
                Some(&agency.token),
                &json!({"name": format!("Falcon {}", uuid::Uuid::new_v4().simple()), "model": "F9", "capacity": capacity, "range": "moon"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create rocket");
        response.json().await.unwrap()
    }

    pub async fn schedule_launch(
        &self,
        agency: &SignedIn,
        rocket_id: &str,
        price_per_seat_cents: i64,
    ) -> Value {
        let launch_at = chrono::Utc::now() + chrono::Duration::days(500);
        self.schedule_launch_at(agency, rocket_id, price_per_seat_cents, launch_at)
            .await
    }

    pub async fn schedule_launch_at(
        &self,
        agency: &SignedIn,
        rocket_id: &str,
        price_per_seat_cents: i64,
        launch_at: chrono::DateTime<chrono::Utc>,
    ) -> Value {
        let launch_at = launch_at.to_rfc3339();
        let response = self
            .post_json(
                format!("{}/api/admin/launches", self.admin_url),
                Some(&agency.token),
                &json!({
                    "rocket_id": rocket_id,
                    "mission_name": "Lunar Loop",
                    "spaceport": "Cape Canaveral",
                    "destination": "moon",
                    "launch_at": launch_at,
                    "price_per_seat_cents": price_per_seat_cents,
                    "minimum_passengers": 1
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "schedule launch");
        response.json().await.unwrap()
    }

    /// A launch with `capacity` seats, visible on the customer API.
    pub async fn bookable_launch(&self, capacity: u32) -> Value {
        self.bookable_launch_with_agency(capacity).await.1
    }

    /// A launch with `capacity` seats, visible on the customer API, and its agency.
    pub async fn bookable_launch_with_agency(&self, capacity: u32) -> (SignedIn, Value) {
        let agency = self.create_agency().await;
        let rocket = self.create_rocket(&agency, capacity).await;
        let launch = self
            .schedule_launch(&agency, rocket["id"].as_str().unwrap(), 100_000)
            .await;
        let launch_id = launch["id"].as_str().unwrap().to_owned();
        let public = self.wait_for_public_launch(&launch_id).await;
        (agency, public)
    }

    /// Waits until the operations DB holds exactly these bookings of the launch and no entry of
    /// the customer DB's booking outbox names one of them: their events were published and
    /// applied. (Entries of bookings a dead writer never stored stay until their grace ends.)
    pub async fn wait_until_bookings_synced(
        &self,
        agency: &SignedIn,
        launch_id: &str,
        booking_ids: &[String],
    ) {
        let mut expected = booking_ids.to_vec();
        expected.sort_unstable();
        let url = format!(
            "{}/api/admin/bookings?launch_id={launch_id}",
            self.admin_url
        );
        eventually(Duration::from_secs(20), "bookings synced", || async {
            let body = self.get_json(url.clone(), Some(&agency.token)).await?;
            let mut synced: Vec<String> = body["items"]
                .as_array()?
                .iter()
                .filter_map(|booking| booking["id"].as_str().map(str::to_owned))
                .collect();
            synced.sort_unstable();
            (synced == expected).then_some(())
        })
        .await;
        let store = self.customer_store().await;
        eventually(
            Duration::from_secs(10),
            "outbox entries deleted",
            || async {
                let entries = store.outbox_entries(1_000).await.ok()?;
                entries
                    .iter()
                    .flat_map(|entry| &entry.booking_ids)
                    .all(|id| !expected.contains(id))
                    .then_some(())
            },
        )
        .await;
    }

    pub async fn public_launches(&self) -> Vec<Value> {
        self.public_launches_at(&self.customer_url).await
    }

    /// The public listing of the customer API at `base` (another process).
    pub async fn public_launches_at(&self, base: &str) -> Vec<Value> {
        let response = self
            .get(format!("{base}/api/customer/launches"), None)
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["items"].as_array().cloned().unwrap_or_default()
    }

    pub async fn wait_for_public_launch(&self, launch_id: &str) -> Value {
        eventually(
            Duration::from_secs(15),
            "launch on the customer API",
            || async {
                self.public_launches()
                    .await
                    .into_iter()
                    .find(|launch| launch["id"] == launch_id)
            },
        )
        .await
    }

    pub async fn book(
        &self,
        traveler: &SignedIn,
        launch_id: &str,
        seats: usize,
        idempotency_key: &str,
    ) -> Response {
        self.book_at(
            &self.customer_url,
            traveler,
            launch_id,
            seats,
            idempotency_key,
        )
        .await
    }

    /// As `book`, on the customer API at `base` (another process).
    pub async fn book_at(
        &self,
        base: &str,
        traveler: &SignedIn,
        launch_id: &str,
        seats: usize,
        idempotency_key: &str,
    ) -> Response {
        let passengers: Vec<Value> = (0..seats)
            .map(|index| json!({"name": format!("Passenger {index}"), "email": format!("p{index}@astro.test"), "phone": "+1 555 0100", "age": 30}))
            .collect();
        self.client
            .post(format!("{base}/api/customer/bookings"))
            .bearer_auth(&traveler.token)
            .header("Idempotency-Key", idempotency_key)
            .json(&json!({"launch_id": launch_id, "passengers": passengers}))
            .send()
            .await
            .expect("booking request sent")
    }
}

pub fn mail_api() -> String {
    std::env::var("ASTRO_MAIL_API_URL").unwrap_or_else(|_| "http://127.0.0.1:8025".to_owned())
}

/// Messages the SMTP catcher (Mailpit) received for an address.
pub async fn emails_to(client: &reqwest::Client, address: &str) -> Vec<Value> {
    let url = format!("{}/api/v1/search?query=to:{address}", mail_api());
    let Ok(response) = client.get(url).send().await else {
        return Vec::new();
    };
    let body: Value = response.json().await.unwrap_or(Value::Null);
    body["messages"].as_array().cloned().unwrap_or_default()
}

/// One message of the SMTP catcher in full: `Subject`, `To`, `Text` and `HTML` (the parts, with
/// `\n` line ends) and `ContentType` (the top-level `Content-Type` header).
pub async fn email_message(client: &reqwest::Client, message_id: &str) -> Value {
    let url = format!("{}/api/v1/message/{message_id}", mail_api());
    let mut message: Value = client.get(url).send().await.unwrap().json().await.unwrap();
    for part in ["Text", "HTML"] {
        let text = message[part]
            .as_str()
            .unwrap_or_default()
            .replace("\r\n", "\n");
        message[part] = Value::String(text);
    }
    let url = format!("{}/api/v1/message/{message_id}/headers", mail_api());
    let headers: Value = client.get(url).send().await.unwrap().json().await.unwrap();
    message["ContentType"] = headers["Content-Type"][0].clone();
    message
}

/// Asserts a 4xx JSON problem with the given status and code.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Value {
    let received = response.status();
    let request_id_header = response.headers().get("x-request-id").cloned();
    let text = response.text().await.expect("body read");
    assert_eq!(received, status, "body: {text}");
    let body: Value = serde_json::from_str(&text).expect("problem body is JSON");
    assert_eq!(body["code"], code, "body: {body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|message| !message.is_empty())
    );
    let request_id = body["request_id"].as_str().expect("request_id");
    assert_eq!(request_id_header.unwrap().to_str().unwrap(), request_id);
    body
}

impl TestApp {
    pub fn customer_directory(&self) -> astro_bookings::actors::launch::LaunchDirectory {
        self.application
            .as_ref()
            .and_then(Application::customer_directory)
            .expect("customer role runs in this app")
    }

    /// The customer DB of this test, as the customer API sees it.
    pub async fn customer_store(&self) -> astro_bookings::storage::mongo::customer::CustomerStore {
        let settings = &self.settings;
        let database =
            test_database(&settings.customer_mongo_url, &settings.customer_mongo_db).await;
        astro_bookings::storage::mongo::customer::CustomerStore::new(&database)
    }

    /// The launch as the customer DB holds it, as the snapshot its events carry (no history).
    pub async fn launch_snapshot(
        &self,
        launch_id: &str,
    ) -> astro_bookings::storage::amqp::events::LaunchSnapshot {
        let stored = self
            .customer_store()
            .await
            .launch(launch_id)
            .await
            .unwrap()
            .expect("launch in the customer DB");
        astro_bookings::storage::amqp::events::LaunchSnapshot {
            launch_id: stored.id,
            agency_id: stored.agency_id,
            agency_name: stored.agency_name,
            agency_email: stored.agency_email,
            rocket_name: stored.rocket_name,
            mission_name: stored.mission_name,
            spaceport: stored.spaceport,
            destination: stored.destination,
            launch_at: stored.launch_at,
            price_per_seat_cents: stored.price_per_seat_cents,
            minimum_passengers: stored.minimum_passengers,
            capacity: stored.capacity,
            status: stored.status,
            slug: stored.slug,
            status_reason: stored.status_reason,
            revision: stored.revision,
            status_history: Vec::new(),
        }
    }

    /// Publishes `data` as a `event_type` event onto this test's broker, the way the outbox
    /// relays publish (publish the returned envelope again for a redelivery).
    pub async fn publish(&self, event_type: &str, data: &impl serde::Serialize) -> EventEnvelope {
        let origin = Origin {
            service: "test".to_owned(),
            user_id: None,
            action: "publish".to_owned(),
        };
        let event = EventEnvelope::new(
            event_type,
            origin,
            None,
            serde_json::to_value(data).unwrap(),
        );
        self.publish_again(&event).await;
        event
    }

    /// Publishes `event` as it is (same id): a redelivery.
    pub async fn publish_again(&self, event: &EventEnvelope) {
        let bus = Bus::connect(
            self.settings.amqp_url.expose(),
            &self.settings.amqp_namespace,
        )
        .await
        .unwrap();
        bus.publish(event).await.unwrap();
        bus.close().await;
    }

    /// The system DB of this test, as the system API sees it.
    pub async fn system_store(&self) -> astro_bookings::storage::mongo::system::SystemStore {
        let settings = &self.settings;
        let database = test_database(&settings.system_mongo_url, &settings.system_mongo_db).await;
        astro_bookings::storage::mongo::system::SystemStore::new(&database)
    }

    /// Makes the launch's actor panic and waits until its supervisor has it running again;
    /// returns the actor's health record.
    pub async fn panic_and_wait_for_restart(&self, launch_id: &str) -> Value {
        let panics_before = self
            .launch_actor_health(launch_id)
            .await
            .map_or(0, |actor| actor["panics"].as_u64().unwrap_or(0));
        self.customer_directory().inject_panic(launch_id);
        eventually(Duration::from_secs(10), "restart recorded", || async {
            let actor = self.launch_actor_health(launch_id).await?;
            (actor["panics"].as_u64() > Some(panics_before) && actor["state"] == "running")
                .then_some(actor)
        })
        .await
    }

    async fn launch_actor_health(&self, launch_id: &str) -> Option<Value> {
        let body: Value = self
            .get(
                format!("{}/api/customer/health/actors", self.customer_url),
                Some(&self.it_token()),
            )
            .await
            .json()
            .await
            .ok()?;
        body["actors"]
            .as_array()?
            .iter()
            .find(|actor| actor["name"] == format!("launch-{launch_id}"))
            .cloned()
    }

    /// Starts another customer-API process (in this test process) on the same stores and broker
    /// namespace: a second owner of every launch. Returns it and its base URL; stop it before
    /// the test app, or it declares the namespace's queues again.
    pub async fn second_customer_process(&self) -> (Application, String) {
        let mut settings = self.settings.clone();
        settings.roles = vec![Role::Customer];
        settings.customer_port = 0;
        // As a customer-only process reads its settings: without the private key.
        settings.token_private_key = None;
        let second = Application::start(settings)
            .await
            .expect("second customer process");
        let url = format!("http://127.0.0.1:{}", second.port(Role::Customer).unwrap());
        (second, url)
    }
}

impl TestApp {
    /// Starts another scheduler process (in this test process) on the same stores, reading
    /// `clock`, with SMTP on `smtp_port`; returns it and its base URL. Stop it before the app.
    pub async fn scheduler_process(
        &self,
        clock: astro_bookings::clock::SharedClock,
        smtp_port: u16,
    ) -> (Application, String) {
        let mut settings = self.settings.clone();
        settings.roles = vec![Role::Scheduler];
        settings.scheduler_port = 0;
        settings.smtp_port = smtp_port;
        settings.token_private_key = None;
        let process = Application::start_with_clock(settings, clock)
            .await
            .expect("scheduler process");
        let url = format!(
            "http://127.0.0.1:{}",
            process.port(Role::Scheduler).unwrap()
        );
        // Ready once it has read the revoked sessions: until then it answers 503 to a token.
        let jobs = format!("{url}/api/scheduler/jobs");
        let token = self.it_token();
        eventually(Duration::from_secs(20), &jobs, || async {
            let response = self.get(jobs.clone(), Some(&token)).await;
            (response.status() == StatusCode::OK).then_some(())
        })
        .await;
        (process, url)
    }

    /// `POST /api/scheduler/jobs/{name}/run` on the scheduler at `base`.
    pub async fn run_job_at(&self, base: &str, name: &str, token: Option<&str>) -> Response {
        self.post_json(
            format!("{base}/api/scheduler/jobs/{name}/run"),
            token,
            &json!({}),
        )
        .await
    }

    /// Runs the job on the scheduler at `base` as `it`; the recorded run.
    pub async fn run_job(&self, base: &str, name: &str, it: &SignedIn) -> Value {
        let response = self.run_job_at(base, name, Some(&it.token)).await;
        assert_eq!(response.status(), StatusCode::OK, "run of {name}");
        response.json().await.unwrap()
    }
}

async fn test_database(url: &astro_bookings::config::Secret, name: &str) -> mongodb::Database {
    astro_bookings::storage::mongo::connect(url, name, "tests")
        .await
        .unwrap_or_else(|error| panic!("{name} reachable: {error}"))
}

/// A customer-API role running as its own OS process (the real binary), so tests can kill -9 it.
pub struct CustomerProcess {
    pub url: String,
    port: u16,
    child: std::process::Child,
}

impl CustomerProcess {
    pub async fn start(settings: &Settings, port: u16) -> Self {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_astro-bookings"))
            .arg("serve")
            .env("ASTRO_ROLES", "customer")
            .env("ASTRO_CUSTOMER_PORT", port.to_string())
            .env(
                "ASTRO_CUSTOMER_MONGO_URL",
                settings.customer_mongo_url.expose(),
            )
            .env("ASTRO_CUSTOMER_MONGO_DB", &settings.customer_mongo_db)
            .env("ASTRO_AMQP_URL", settings.amqp_url.expose())
            .env("ASTRO_AMQP_NAMESPACE", &settings.amqp_namespace)
            .env("ASTRO_SYSTEM_MONGO_URL", settings.system_mongo_url.expose())
            .env("ASTRO_SYSTEM_MONGO_DB", &settings.system_mongo_db)
            // Only the public key, and not in development: a customer role needs nothing more.
            .env("ASTRO_ENV", "production")
            .env(
                "ASTRO_TOKEN_PUBLIC_KEY",
                settings.token_public_key.as_deref().unwrap_or_default(),
            )
            .env_remove("ASTRO_TOKEN_PRIVATE_KEY")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("customer process starts");
        let url = format!("http://127.0.0.1:{port}");
        let process = Self { url, port, child };
        let client = Client::new();
        let ready = format!("{}/api/customer/health/ready", process.url);
        eventually(
            Duration::from_secs(30),
            "customer process ready",
            || async {
                let response = client.get(&ready).send().await.ok()?;
                (response.status() == StatusCode::OK).then_some(())
            },
        )
        .await;
        process
    }

    /// SIGKILL: no drain, no flush.
    pub fn kill(&mut self) {
        self.child.kill().expect("kill -9");
        let _status = self.child.wait();
    }

    pub async fn restart(mut self, settings: &Settings) -> Self {
        self.kill();
        Self::start(settings, self.port).await
    }
}

impl Drop for CustomerProcess {
    fn drop(&mut self) {
        let _already_dead = self.child.kill();
        let _status = self.child.wait();
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
