//! Booking throughput on one hot launch through the HTTP API, the actor path against a baseline
//! that does one conditional `UPDATE … WHERE free >= n` per request in PostgreSQL; then the public
//! listing against a static JSON endpoint of the same server. Prints numbers; asserts no oversell.
//!
//! Run with the servers up: `source scripts/env.sh && cargo bench --bench booking`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

/// The allocator of the server binary (see `src/main.rs`), so that the bench measures it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};
use astro_bookings::actors::launch::ledger::Replay;
use astro_bookings::app::Application;
use astro_bookings::auth::{TokenIssuer, TokenSubject};
use astro_bookings::config::{Role, Settings};
use astro_bookings::domain::launch::{LaunchStatus, Reach};
use astro_bookings::domain::user::UserRole;
use astro_bookings::storage::mongo::customer::{BookingStatus, CustomerStore, LaunchDocument};
use serde_json::json;
use sqlx::{Connection, PgPool};

const CAPACITY: u32 = 8_000;
/// Concurrent clients of each round: a busy launch, and a launch opening to a crowd.
const CONCURRENCY_LEVELS: [usize; 2] = [64, 512];
/// Clients of the listing measurement.
const LISTING_CONCURRENCY: usize = 64;
const LISTING_SECONDS: u64 = 3;

struct Outcome {
    created_seats: u64,
    refused: u64,
    other: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Outcome {
    fn print(&self, name: &str) {
        let mut latencies = self.latencies.clone();
        latencies.sort_unstable();
        let percentile = |p: f64| {
            latencies[((latencies.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0
        };
        println!(
            "{name:<28} {:>8.0} bookings/s   p50 {:>6.2} ms   p99 {:>7.2} ms   sold {} (refused {}, other {})",
            self.created_seats as f64 / self.elapsed.as_secs_f64(),
            percentile(0.50),
            percentile(0.99),
            self.created_seats,
            self.refused,
            self.other
        );
    }
}

/// CPU seconds used so far by every process whose command is `command`, or by this process.
/// /proc counts in USER_HZ ticks, which Linux fixes at 100 per second for user space.
fn cpu_seconds(command: Option<&str>) -> f64 {
    let stats: Vec<String> = match command {
        None => std::fs::read_to_string("/proc/self/stat")
            .into_iter()
            .collect(),
        Some(_) => std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path().join("stat")).ok())
            .collect(),
    };
    let ticks: u64 = stats
        .iter()
        .filter_map(|stat| {
            let (head, rest) = stat.rsplit_once(") ")?;
            let name = head.split_once(" (")?.1;
            if command.is_some_and(|command| command != name) {
                return None;
            }
            let fields: Vec<&str> = rest.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .sum();
    ticks as f64 / 100.0
}

/// CPU seconds of the parts sharing this machine's cores during a run.
struct CpuUse([f64; 4]);

impl CpuUse {
    const PARTS: [(&str, Option<&str>); 4] = [
        ("bench (client + server)", None),
        ("FerretDB", Some("ferretdb")),
        ("RabbitMQ", Some("beam.smp")),
        ("PostgreSQL", Some("postgres")),
    ];

    fn now() -> Self {
        Self(Self::PARTS.map(|(_, command)| cpu_seconds(command)))
    }

    fn print_since(&self, earlier: &Self, elapsed: Duration) {
        let parts: Vec<String> = Self::PARTS
            .iter()
            .zip(self.0.iter().zip(earlier.0))
            .map(|((name, _), (now, before))| format!("{name} {:.2}", now - before))
            .collect();
        println!(
            "    cpu seconds in {:.2} s on {} cores: {}",
            elapsed.as_secs_f64(),
            std::thread::available_parallelism().map_or(1, usize::from),
            parts.join(", ")
        );
    }
}

/// The clients' own runtime, on a thread of its own: remote clients would not share the server's
/// threads, and the customer API's actors run on the main thread's arbiter.
fn clients() -> &'static tokio::runtime::Runtime {
    static CLIENTS: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    CLIENTS.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// `requests` POSTs from `concurrency` workers; each request books one seat.
async fn drive(requests: Vec<reqwest::RequestBuilder>, concurrency: usize) -> Outcome {
    let queue = Arc::new(std::sync::Mutex::new(requests));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let queue = Arc::clone(&queue);
            clients().spawn(async move {
                let mut results = Vec::new();
                loop {
                    let Some(request) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let sent = Instant::now();
                    let status = request
                        .send()
                        .await
                        .map(|response| response.status().as_u16())
                        .unwrap_or(0);
                    results.push((status, sent.elapsed()));
                }
                results
            })
        })
        .collect();
    let mut outcome = Outcome {
        created_seats: 0,
        refused: 0,
        other: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for worker in workers {
        for (status, latency) in worker.await.unwrap() {
            match status {
                200 | 201 => outcome.created_seats += 1,
                409 => outcome.refused += 1,
                _ => outcome.other += 1,
            }
            outcome.latencies.push(latency);
        }
    }
    outcome.elapsed = started.elapsed();
    outcome
}

async fn requests_per_second(client: &reqwest::Client, url: &str) -> f64 {
    let done = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(LISTING_SECONDS);
    let workers: Vec<_> = (0..LISTING_CONCURRENCY)
        .map(|_| {
            let (client, url, done) = (client.clone(), url.to_owned(), Arc::clone(&done));
            clients().spawn(async move {
                while Instant::now() < deadline {
                    let response = client.get(&url).send().await.unwrap();
                    assert!(response.status().is_success());
                    response.bytes().await.unwrap();
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / LISTING_SECONDS as f64
}

async fn baseline_book(pool: web::Data<PgPool>, path: web::Path<String>) -> HttpResponse {
    let sold = sqlx::query("UPDATE bench_launches SET free = free - 1 WHERE id = $1 AND free >= 1")
        .bind(path.into_inner())
        .execute(pool.get_ref())
        .await
        .unwrap();
    if sold.rows_affected() == 1 {
        HttpResponse::Created().json(json!({"seats": 1}))
    } else {
        HttpResponse::Conflict().finish()
    }
}

/// Every 201 of the actor path is a distinct seat in the ledger, and neither path sold more
/// than the capacity.
async fn check_no_oversell(
    store: &CustomerStore,
    pool: &PgPool,
    launch_id: &str,
    actor: &Outcome,
    postgres: &Outcome,
) {
    let ledger = Replay::of(store.ledger_of(launch_id).await.unwrap());
    let mut sold_seats: Vec<u32> = ledger
        .bookings()
        .filter(|booking| booking.status == BookingStatus::Confirmed)
        .flat_map(|booking| booking.seat_numbers.clone())
        .collect();
    let stored_seats = sold_seats.len() as u64;
    sold_seats.sort_unstable();
    sold_seats.dedup();
    assert_eq!(sold_seats.len() as u64, stored_seats, "a seat sold twice");
    let free_left: i32 = sqlx::query_scalar("SELECT free FROM bench_launches WHERE id = $1")
        .bind(launch_id)
        .fetch_one(pool)
        .await
        .unwrap();
    println!(
        "oversell check: actor sold {} = {} distinct seats in the ledger (capacity {CAPACITY}); baseline sold {} with {free_left} left",
        actor.created_seats, stored_seats, postgres.created_seats
    );
    assert_eq!(
        actor.created_seats, stored_seats,
        "every 201 is a stored seat"
    );
    assert!(
        stored_seats <= u64::from(CAPACITY) && postgres.created_seats <= u64::from(CAPACITY),
        "oversold"
    );
}

/// The ceiling: the same request read and answered, with nothing decided or stored. It answers
/// 201 for the first CAPACITY requests and 409 after, like the booking paths.
async fn nothing_stored(
    sold: web::Data<AtomicUsize>,
    body: web::Json<serde_json::Value>,
) -> HttpResponse {
    if sold.fetch_add(1, Ordering::Relaxed) < CAPACITY as usize {
        HttpResponse::Created().json(json!({"seats": 1, "launch_id": body["launch_id"]}))
    } else {
        HttpResponse::Conflict().finish()
    }
}

#[actix_web::main]
async fn main() {
    let unique = uuid::Uuid::new_v4().simple().to_string()[..10].to_owned();
    let admin_url = std::env::var("ASTRO_PG_ADMIN_URL").expect("source scripts/env.sh first");
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    let database = format!("astro_bench_{unique}");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let database_url = admin_url.replace("/postgres?", &format!("/{database}?"));
    // The bench signs the travellers' tokens as the system role would; the customer role it
    // starts holds only the public key.
    let (private_key, public_key) = astro_bookings::auth::generate_key_pair().unwrap();
    let overrides = [
        ("ASTRO_TOKEN_PUBLIC_KEY", public_key),
        ("ASTRO_ROLES", "customer".to_owned()),
        ("ASTRO_CUSTOMER_PORT", "0".to_owned()),
        ("ASTRO_CUSTOMER_MONGO_DB", format!("bench{unique}")),
        ("ASTRO_AMQP_NAMESPACE", format!("bench-{unique}")),
        ("ASTRO_DATABASE_URL", database_url.clone()),
        ("RUST_LOG", "warn".to_owned()),
    ];
    let settings = Settings::from_lookup(|key| {
        overrides
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.clone())
            .or_else(|| std::env::var(key).ok())
    })
    .unwrap();

    // The hot launch, straight into the customer DB.
    let database_handle = astro_bookings::storage::mongo::connect(
        &settings.customer_mongo_url,
        &settings.customer_mongo_db,
        "bench",
    )
    .await
    .unwrap();
    let store = CustomerStore::new(&database_handle);
    let launch_ids: Vec<String> = CONCURRENCY_LEVELS
        .iter()
        .map(|_| uuid::Uuid::new_v4().to_string())
        .collect();
    for (round, launch_id) in launch_ids.iter().enumerate() {
        store
            .apply_launch(&LaunchDocument {
                id: launch_id.clone(),
                slug: format!("bench-{unique}-{round}"),
                agency_id: uuid::Uuid::new_v4().to_string(),
                agency_name: "Bench Agency".into(),
                agency_email: "bench@astro.test".into(),
                rocket_name: "Bench".into(),
                mission_name: "Hot Launch".into(),
                spaceport: "Bench Port".into(),
                destination: Reach::Moon,
                launch_at: chrono::Utc::now() + chrono::Duration::days(800),
                price_per_seat_cents: 100_000,
                minimum_passengers: 1,
                capacity: CAPACITY,
                status: LaunchStatus::Scheduled,
                status_reason: None,
                status_history: Vec::new(),
                revision: 0,
                updated_at: chrono::Utc::now(),
            })
            .await
            .unwrap();
    }
    let application = Application::start(settings.clone()).await.unwrap();
    let customer = format!(
        "http://127.0.0.1:{}",
        application.port(Role::Customer).unwrap()
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY_LEVELS[CONCURRENCY_LEVELS.len() - 1])
        .build()
        .unwrap();
    while client
        .get(format!("{customer}/api/customer/health/ready"))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .ok()
        != Some(200)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Baseline server: same machine, same client, one conditional UPDATE per booking.
    let pool = PgPool::connect(&database_url).await.unwrap();
    sqlx::query("CREATE TABLE bench_launches (id text PRIMARY KEY, free integer NOT NULL CHECK (free >= 0))").execute(&pool).await.unwrap();
    for launch_id in &launch_ids {
        sqlx::query("INSERT INTO bench_launches VALUES ($1, $2)")
            .bind(launch_id)
            .bind(CAPACITY as i32)
            .execute(&pool)
            .await
            .unwrap();
    }
    let baseline_pool = web::Data::new(pool.clone());
    let nothing_sold = web::Data::new(AtomicUsize::new(0));
    let nothing_sold_server = nothing_sold.clone();
    let baseline = HttpServer::new(move || {
        App::new()
            .app_data(baseline_pool.clone())
            .app_data(nothing_sold_server.clone())
            .route("/book/{id}", web::post().to(baseline_book))
            .route("/nothing", web::post().to(nothing_stored))
    })
    .workers(settings.http_workers)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let baseline_port = baseline.addrs()[0].port();
    let baseline = baseline.run();
    let baseline_handle = baseline.handle();
    tokio::spawn(baseline);

    let private_key = astro_bookings::auth::private_key_from_pem(private_key.expose()).unwrap();
    let keys = TokenIssuer::new(&private_key, Duration::from_secs(3600)).unwrap();
    let attempts = CAPACITY as usize + CAPACITY as usize / 4;
    for (concurrency, launch_id) in CONCURRENCY_LEVELS.into_iter().zip(&launch_ids) {
        println!(
            "one hot launch, {CAPACITY} seats, {attempts} one-seat bookings from {concurrency} concurrent clients"
        );
        // Every path is sent the same request: a traveller's token, a key and one passenger.
        let requests = |url: &str| -> Vec<reqwest::RequestBuilder> {
            (0..attempts)
                .map(|index| {
                    let traveler = uuid::Uuid::new_v4().to_string();
                    let token = keys
                        .issue(&TokenSubject {
                            user_id: &traveler,
                            session_id: &traveler,
                            role: UserRole::Traveler,
                            name: "Bench",
                            email: "bench@astro.test",
                        })
                        .unwrap();
                    client
                        .post(url)
                        .bearer_auth(token)
                        .header("Idempotency-Key", format!("bench-{index}"))
                        .json(&json!({"launch_id": launch_id, "passengers": [{"name": "B", "email": "b@astro.test", "phone": "+1 555 0100", "age": 30}]}))
                })
                .collect()
        };
        let actor_requests = requests(&format!("{customer}/api/customer/bookings"));
        let baseline_requests = requests(&format!(
            "http://127.0.0.1:{baseline_port}/book/{launch_id}"
        ));
        let ceiling_requests = requests(&format!("http://127.0.0.1:{baseline_port}/nothing"));

        let before_actor = CpuUse::now();
        let actor = drive(actor_requests, concurrency).await;
        let after_actor = CpuUse::now();
        // The actor path's events are published after its answers; let that finish (and count
        // it) before the baseline runs, so the two runs do not share the cores.
        let drain_started = Instant::now();
        while !store.outbox_entries(1).await.unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let drained = drain_started.elapsed();
        let after_drain = CpuUse::now();
        let postgres = drive(baseline_requests, concurrency).await;
        let after_baseline = CpuUse::now();
        nothing_sold.store(0, Ordering::Relaxed);
        let ceiling = drive(ceiling_requests, concurrency).await;
        let after_ceiling = CpuUse::now();
        actor.print("launch actor (HTTP)");
        after_actor.print_since(&before_actor, actor.elapsed);
        println!(
            "    events all published {:.2} s after the last answer:",
            drained.as_secs_f64()
        );
        after_drain.print_since(&after_actor, drained);
        postgres.print("baseline UPDATE (HTTP)");
        after_baseline.print_since(&after_drain, postgres.elapsed);
        ceiling.print("HTTP alone (nothing stored)");
        after_ceiling.print_since(&after_baseline, ceiling.elapsed);
        let rate = |outcome: &Outcome| outcome.created_seats as f64 / outcome.elapsed.as_secs_f64();
        println!(
            "actor / baseline throughput: {:.2}x   (of what HTTP alone allows here: actor {:.0} %, baseline {:.0} %)",
            rate(&actor) / rate(&postgres),
            100.0 * rate(&actor) / rate(&ceiling),
            100.0 * rate(&postgres) / rate(&ceiling)
        );
        check_no_oversell(&store, &pool, launch_id, &actor, &postgres).await;
    }

    let listing = requests_per_second(&client, &format!("{customer}/api/customer/launches")).await;
    let static_json =
        requests_per_second(&client, &format!("{customer}/api/customer/health/live")).await;
    println!("listing GET /api/customer/launches  {listing:>8.0} req/s");
    println!(
        "static  GET /api/customer/health/live {static_json:>8.0} req/s   (listing / static: {:.2})",
        listing / static_json
    );

    baseline_handle.stop(true).await;
    application.stop().await;
    // The bench's databases go with it: left behind, every run would slow the next.
    database_handle.drop().await.unwrap();
    pool.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {database} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
}
