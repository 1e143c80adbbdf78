//! The scheduler: the jobs API, each unit of work done once across runs and processes, the VIP
//! early notice and the retries of failed emails on the clock.

use std::sync::Arc;
use std::time::{Duration, Instant};

use astro_bookings::clock::OffsetClock;
use astro_bookings::storage::amqp::Bus;
use astro_bookings::storage::amqp::events::{LAUNCH_VIP_NOTICE, LaunchVipNotice};
use astro_bookings::storage::mongo::system::{NotificationDocument, NotificationStatus};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{
    SignedIn, TestApp, assert_problem, emails_to, eventually, free_port, spawn_app_with,
    spawn_app_with_clock,
};
use crate::lifecycle::launch_with_minimum;

/// Long enough that no tick comes in the middle of a test that runs its jobs by hand.
const NO_TICKS: (&str, &str) = ("ASTRO_SCHEDULER_TICK_SECS", "3600");

fn job<'a>(listing: &'a Value, name: &str) -> &'a Value {
    listing["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|job| job["name"] == name)
        .unwrap_or_else(|| panic!("job {name} listed: {listing}"))
}

async fn jobs(app: &TestApp, it: &SignedIn) -> Value {
    app.get_json(
        format!("{}/api/scheduler/jobs", app.scheduler_url),
        Some(&it.token),
    )
    .await
    .expect("jobs listed")
}

async fn units_claimed(app: &TestApp, prefix: &str) -> Vec<String> {
    let pool = app.operations_db().await;
    let keys: Vec<(String,)> = sqlx::query_as(
        "SELECT unit_key FROM scheduler_units WHERE unit_key LIKE $1 || '%' ORDER BY unit_key",
    )
    .bind(prefix)
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    keys.into_iter().map(|(key,)| key).collect()
}

#[actix_web::test]
async fn the_jobs_api_lists_each_job_with_its_runs_and_runs_one_now() {
    let app = spawn_app_with(&[NO_TICKS]).await;
    let it = app.it_employee().await;

    let before = jobs(&app, &it).await;
    let names: Vec<&str> = before["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|job| job["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "minimum-passenger-decision",
            "vip-early-notice",
            "notification-retries",
            "invoice-reminders"
        ]
    );
    let vip = job(&before, "vip-early-notice");
    assert_eq!(vip["last_run"], Value::Null);
    assert_eq!(vip["schedule"], "every 3600 s");
    assert_eq!(vip["counts"]["succeeded"], 0);
    assert!(vip["next_run_at"].is_string(), "{vip}");
    assert!(!vip["description"].as_str().unwrap().is_empty());

    let run = app
        .run_job(&app.scheduler_url, "vip-early-notice", &it)
        .await;
    assert_eq!(run["job"], "vip-early-notice");
    assert_eq!(run["outcome"], "succeeded");
    assert_eq!(run["units"], 0);
    assert_eq!(run["error"], Value::Null);
    assert!(run["finished_at"].is_string());

    let after = jobs(&app, &it).await;
    let vip = job(&after, "vip-early-notice");
    assert_eq!(vip["last_run"]["id"], run["id"]);
    assert_eq!(vip["counts"]["succeeded"], 1);
    assert_eq!(vip["counts"]["failed"], 0);
    assert_eq!(job(&after, "notification-retries")["last_run"], Value::Null);

    let unknown = app
        .run_job_at(&app.scheduler_url, "reminders", Some(&it.token))
        .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;

    let traveler = app.register_traveler().await;
    let listed = app
        .get(
            format!("{}/api/scheduler/jobs", app.scheduler_url),
            Some(&traveler.token),
        )
        .await;
    assert_problem(listed, StatusCode::FORBIDDEN, "forbidden").await;
    let run = app
        .run_job_at(
            &app.scheduler_url,
            "vip-early-notice",
            Some(&traveler.token),
        )
        .await;
    assert_problem(run, StatusCode::FORBIDDEN, "forbidden").await;
    let anonymous = app
        .get(format!("{}/api/scheduler/jobs", app.scheduler_url), None)
        .await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let anonymous = app
        .run_job_at(&app.scheduler_url, "vip-early-notice", None)
        .await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    app.stop().await;
}

#[actix_web::test]
async fn the_tick_runs_every_job_through_the_runner() {
    let app = spawn_app_with(&[("ASTRO_SCHEDULER_TICK_SECS", "1")]).await;
    let it = app.it_employee().await;
    let listing = eventually(Duration::from_secs(60), "a run of each job", || async {
        let listing = jobs(&app, &it).await;
        listing["items"]
            .as_array()?
            .iter()
            .all(|job| job["last_run"]["outcome"] == "succeeded")
            .then_some(listing)
    })
    .await;
    assert_eq!(job(&listing, "vip-early-notice")["schedule"], "every 1 s");
    app.stop().await;
}

/// Books `seats` on each launch for the traveller; the booking ids.
async fn book_each(app: &TestApp, traveler: &SignedIn, launch_ids: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for launch_id in launch_ids {
        let key = uuid::Uuid::new_v4().to_string();
        let response = app.book(traveler, launch_id, 1, &key).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let booking: Value = response.json().await.unwrap();
        ids.push(booking["id"].as_str().unwrap().to_owned());
    }
    ids
}

#[actix_web::test]
async fn the_vip_notice_names_exactly_the_vips_once_even_from_two_scheduler_processes() {
    let app = spawn_app_with(&[NO_TICKS]).await;
    let it = app.it_employee().await;
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 50).await;
    let rocket_id = rocket["id"].as_str().unwrap();
    let mut earlier = Vec::new();
    for _ in 0..3 {
        let launch = app.schedule_launch(&agency, rocket_id, 10_000).await;
        let launch_id = launch["id"].as_str().unwrap().to_owned();
        app.wait_for_public_launch(&launch_id).await;
        earlier.push(launch_id);
    }
    // Nobody is a VIP yet: the three launches' units are done without an event.
    let first = app
        .run_job(&app.scheduler_url, "vip-early-notice", &it)
        .await;
    assert_eq!(first["units"], 3);

    // Two launches each: VIPs. One launch: not. Two, one of them cancelled: not.
    let (one, two, three) = (&earlier[0], &earlier[1], &earlier[2]);
    let vip = app.register_traveler().await;
    let other_vip = app.register_traveler().await;
    let once = app.register_traveler().await;
    let cancelled = app.register_traveler().await;
    let mut by_launch: Vec<(String, Vec<String>)> =
        earlier.iter().map(|id| (id.clone(), Vec::new())).collect();
    let mut record = |launch_id: &str, ids: Vec<String>| {
        by_launch
            .iter_mut()
            .find(|(id, _)| id == launch_id)
            .unwrap()
            .1
            .extend(ids);
    };
    let made = book_each(&app, &vip, &[one, two]).await;
    record(one, vec![made[0].clone()]);
    record(two, vec![made[1].clone()]);
    let made = book_each(&app, &other_vip, &[two, three]).await;
    record(two, vec![made[0].clone()]);
    record(three, vec![made[1].clone()]);
    let made = book_each(&app, &once, &[three]).await;
    record(three, made);
    let made = book_each(&app, &cancelled, &[one, three]).await;
    record(one, vec![made[0].clone()]);
    record(three, vec![made[1].clone()]);
    let cancel = app
        .post_json(
            format!(
                "{}/api/customer/bookings/{}/cancel",
                app.customer_url, made[1]
            ),
            Some(&cancelled.token),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(cancel.status(), StatusCode::OK, "cancel");
    for (launch_id, ids) in &by_launch {
        app.wait_until_bookings_synced(&agency, launch_id, ids)
            .await;
    }
    let pool = app.operations_db().await;
    eventually(Duration::from_secs(10), "cancellation synced", || async {
        let (status,): (String,) = sqlx::query_as("SELECT status FROM bookings WHERE id = $1")
            .bind(uuid::Uuid::parse_str(&made[1]).unwrap())
            .fetch_one(&pool)
            .await
            .ok()?;
        (status == "cancelled").then_some(())
    })
    .await;
    pool.close().await;

    let bus = Bus::connect(app.settings.amqp_url.expose(), &app.settings.amqp_namespace)
        .await
        .unwrap();
    let queue = bus
        .declare_private_queue(&[LAUNCH_VIP_NOTICE])
        .await
        .unwrap();
    let mut notices = bus.consume(&queue, 10).await.unwrap();

    let new_launch = app.schedule_launch(&agency, rocket_id, 20_000).await;
    let new_launch_id = new_launch["id"].as_str().unwrap();
    let (second, second_url) = app
        .scheduler_process(
            astro_bookings::clock::system_clock(),
            app.settings.smtp_port,
        )
        .await;
    let (here, there) = tokio::join!(
        app.run_job(&app.scheduler_url, "vip-early-notice", &it),
        app.run_job(&second_url, "vip-early-notice", &it),
    );
    assert_eq!(
        here["units"].as_u64().unwrap() + there["units"].as_u64().unwrap(),
        1,
        "one unit between the two runs: {here} {there}"
    );
    let again = app.run_job(&second_url, "vip-early-notice", &it).await;
    assert_eq!(again["units"], 0);
    assert_eq!(
        units_claimed(&app, &format!("vip:{new_launch_id}")).await,
        [format!("vip:{new_launch_id}")]
    );

    let received = tokio::time::timeout(Duration::from_secs(10), notices.next())
        .await
        .expect("a VIP notice published")
        .unwrap();
    let event = received.decode().unwrap();
    received.ack().await.unwrap();
    let notice: LaunchVipNotice = serde_json::from_value(event.data.clone()).unwrap();
    assert_eq!(notice.launch.launch_id, new_launch_id);
    assert_eq!(notice.launch.slug, new_launch["slug"].as_str().unwrap());
    let mut told: Vec<&str> = notice
        .recipients
        .iter()
        .map(|recipient| recipient.email.as_str())
        .collect();
    told.sort_unstable();
    let mut vips = vec![vip.email.as_str(), other_vip.email.as_str()];
    vips.sort_unstable();
    assert_eq!(told, vips);
    // Nothing else comes: no second notice for this launch (nor any for the earlier ones).
    let more = tokio::time::timeout(Duration::from_secs(3), notices.next()).await;
    if let Ok(Some(more)) = more {
        let again = more.decode().unwrap();
        panic!(
            "a second VIP notice was published: same event {} redelivered {} ({})",
            again.event_id == event.event_id,
            more.redelivered(),
            again.data["launch"]["launch_id"]
        );
    }

    drop(notices);
    bus.close().await;
    second.stop().await;
    app.stop().await;
}

async fn notification_to(app: &TestApp, email: &str) -> Option<NotificationDocument> {
    let store = app.system_store().await;
    let all = store
        .notifications(astro_bookings::storage::mongo::system::ListFilter {
            fields: mongodb::bson::doc! {"recipient_email": email},
            limit: 10,
        })
        .await
        .ok()?;
    all.into_iter().next()
}

async fn wait_for_attempts(app: &TestApp, email: &str, attempts: u32) -> NotificationDocument {
    eventually(
        Duration::from_secs(20),
        &format!("attempt {attempts} to {email}"),
        || async {
            notification_to(app, email)
                .await
                .filter(|notification| notification.attempts == attempts)
        },
    )
    .await
}

#[actix_web::test]
async fn a_failed_email_is_retried_when_the_clock_moves_and_sent_once_from_two_processes() {
    let clock = Arc::new(OffsetClock::default());
    let closed = free_port().to_string();
    let app = spawn_app_with_clock(
        &[
            NO_TICKS,
            ("ASTRO_ROLES", "customer,admin,system"),
            ("ASTRO_SMTP_PORT", &closed),
        ],
        clock.clone(),
    )
    .await;
    let it = app.it_employee().await;

    // The consumer tries once and moves on: the second welcome email behind a failing one is
    // tried at once (it slept 0.5 + 1 + 2 + 4 s inside the consumer before).
    let started = Instant::now();
    let first = app.register_traveler().await;
    let second = app.register_traveler().await;
    let first_failed = wait_for_attempts(&app, &first.email, 1).await;
    let second_failed = wait_for_attempts(&app, &second.email, 1).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "both first attempts took {:?}",
        started.elapsed()
    );
    for failed in [&first_failed, &second_failed] {
        assert_eq!(failed.status, NotificationStatus::Pending);
        assert!(failed.last_error.is_some());
        let wait = (failed.next_attempt_at.unwrap() - failed.updated_at).num_milliseconds();
        assert!(
            (59_000..=60_000).contains(&wait),
            "retried a minute later: {wait} ms"
        );
    }

    // The catcher's port, as the shell says (the app itself was pointed at a closed one).
    let good_smtp: u16 = std::env::var("ASTRO_SMTP_PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(1025);
    let (one, one_url) = app.scheduler_process(clock.clone(), good_smtp).await;
    let (two, two_url) = app.scheduler_process(clock.clone(), good_smtp).await;
    // Not due yet.
    let early = app.run_job(&one_url, "notification-retries", &it).await;
    assert_eq!(early["units"], 0);

    let store = app.system_store().await;
    let pending = store
        .notifications(astro_bookings::storage::mongo::system::ListFilter {
            fields: mongodb::bson::doc! {"status": "pending"},
            limit: 100,
        })
        .await
        .unwrap()
        .len() as u64;
    assert!(pending >= 2, "both welcome emails wait: {pending}");
    clock.advance(chrono::Duration::seconds(61));
    let (here, there) = tokio::join!(
        app.run_job(&one_url, "notification-retries", &it),
        app.run_job(&two_url, "notification-retries", &it),
    );
    assert_eq!(
        here["units"].as_u64().unwrap() + there["units"].as_u64().unwrap(),
        pending,
        "one attempt per notification between the two runs: {here} {there}"
    );
    for traveler in [&first, &second] {
        let sent = notification_to(&app, &traveler.email).await.unwrap();
        assert_eq!(sent.status, NotificationStatus::Sent);
        assert_eq!(sent.attempts, 2);
        assert_eq!(sent.next_attempt_at, None);
    }
    clock.advance(chrono::Duration::hours(2));
    let later = app.run_job(&two_url, "notification-retries", &it).await;
    assert_eq!(later["units"], 0);
    for traveler in [&first, &second] {
        eventually(
            Duration::from_secs(10),
            "the email in the catcher",
            || async { (!emails_to(&app.client, &traveler.email).await.is_empty()).then_some(()) },
        )
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            emails_to(&app.client, &traveler.email).await.len(),
            1,
            "sent once to {}",
            traveler.email
        );
    }
    let claimed = units_claimed(&app, "retry:").await;
    assert_eq!(claimed.len() as u64, pending, "{claimed:?}");
    assert!(claimed.iter().all(|key| key.ends_with(":2")), "{claimed:?}");

    two.stop().await;
    one.stop().await;
    app.stop().await;
}

#[actix_web::test]
async fn an_email_is_marked_failed_after_its_last_attempt_and_never_sent() {
    let clock = Arc::new(OffsetClock::default());
    let closed = free_port().to_string();
    let app = spawn_app_with_clock(&[NO_TICKS, ("ASTRO_SMTP_PORT", &closed)], clock.clone()).await;
    let it = app.it_employee().await;
    let traveler = app.register_traveler().await;
    wait_for_attempts(&app, &traveler.email, 1).await;

    for (minutes, attempt) in [(1, 2), (5, 3), (15, 4)] {
        let run = app
            .run_job(&app.scheduler_url, "notification-retries", &it)
            .await;
        assert_eq!(run["units"], 0, "attempt {attempt} is not due yet");
        clock.advance(chrono::Duration::minutes(minutes) + chrono::Duration::seconds(1));
        let run = app
            .run_job(&app.scheduler_url, "notification-retries", &it)
            .await;
        assert_eq!(
            run["outcome"], "succeeded",
            "a failed send is the unit's outcome"
        );
        assert!(run["units"].as_u64().unwrap() >= 1);
        let pending = notification_to(&app, &traveler.email).await.unwrap();
        assert_eq!(pending.attempts, attempt);
        assert_eq!(pending.status, NotificationStatus::Pending);
    }
    clock.advance(chrono::Duration::minutes(60) + chrono::Duration::seconds(1));
    let last = app
        .run_job(&app.scheduler_url, "notification-retries", &it)
        .await;
    assert!(last["units"].as_u64().unwrap() >= 1);
    let failed = notification_to(&app, &traveler.email).await.unwrap();
    assert_eq!(failed.status, NotificationStatus::Failed);
    assert_eq!(failed.attempts, 5);
    assert_eq!(failed.next_attempt_at, None);
    assert!(failed.last_error.unwrap().contains("SMTP"));

    clock.advance(chrono::Duration::days(1));
    let after = app
        .run_job(&app.scheduler_url, "notification-retries", &it)
        .await;
    assert_eq!(after["units"], 0);
    assert!(emails_to(&app.client, &traveler.email).await.is_empty());
    app.stop().await;
}

#[actix_web::test]
async fn a_run_needs_an_account_that_still_exists_while_the_listing_takes_the_token() {
    // The run starts work: the scheduler reads the account again from the system DB.
    let app = spawn_app_with(&[NO_TICKS]).await;
    let without_account = app.it_token();
    let listed = app
        .get(
            format!("{}/api/scheduler/jobs", app.scheduler_url),
            Some(&without_account),
        )
        .await;
    assert_eq!(listed.status(), StatusCode::OK);
    let run = app
        .run_job_at(
            &app.scheduler_url,
            "vip-early-notice",
            Some(&without_account),
        )
        .await;
    assert_problem(run, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let pool = app.operations_db().await;
    let (runs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM scheduler_job_runs")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(runs, 0, "no run was started");
    app.stop().await;
}

/// Schedules a launch with this minimum three calendar months and a minute ahead, and books one
/// seat on it for `traveler`; the launch's id.
async fn launch_at_its_decision_point_with_one_seat_booked(
    app: &TestApp,
    agency: &SignedIn,
    traveler: &SignedIn,
    minimum_passengers: u32,
) -> String {
    let launch_at = chrono::Utc::now()
        .checked_add_months(chrono::Months::new(3))
        .unwrap()
        + chrono::Duration::minutes(1);
    let launch_id = launch_with_minimum(app, agency, minimum_passengers, launch_at).await;
    app.wait_for_public_launch(&launch_id).await;
    let ids = book_each(app, traveler, &[&launch_id]).await;
    app.wait_until_bookings_synced(agency, &launch_id, &ids)
        .await;
    launch_id
}

#[actix_web::test]
async fn the_decision_job_aborts_below_the_minimum_and_confirms_at_it_once_from_two_processes() {
    let clock = Arc::new(OffsetClock::default());
    let app = spawn_app_with_clock(&[NO_TICKS], clock.clone()).await;
    let it = app.it_employee().await;
    let agency = app.create_agency().await;
    let short = app.register_traveler().await;
    let enough = app.register_traveler().await;
    let below = launch_at_its_decision_point_with_one_seat_booked(&app, &agency, &short, 2).await;
    let at = launch_at_its_decision_point_with_one_seat_booked(&app, &agency, &enough, 1).await;

    // Before the decision point nothing is decided.
    let early = app
        .run_job(&app.scheduler_url, "minimum-passenger-decision", &it)
        .await;
    assert_eq!(early["units"], 0);

    clock.advance(chrono::Duration::minutes(2));
    let (second, second_url) = app
        .scheduler_process(clock.clone(), app.settings.smtp_port)
        .await;
    let (here, there) = tokio::join!(
        app.run_job(&app.scheduler_url, "minimum-passenger-decision", &it),
        app.run_job(&second_url, "minimum-passenger-decision", &it),
    );
    assert_eq!(here["outcome"], "succeeded", "{here}");
    assert_eq!(there["outcome"], "succeeded", "{there}");
    assert_eq!(
        here["units"].as_u64().unwrap() + there["units"].as_u64().unwrap(),
        2,
        "two decisions between the two runs: {here} {there}"
    );
    let again = app
        .run_job(&second_url, "minimum-passenger-decision", &it)
        .await;
    assert_eq!(again["units"], 0);
    let mut expected = vec![format!("decide:{below}"), format!("decide:{at}")];
    expected.sort();
    assert_eq!(units_claimed(&app, "decide:").await, expected);

    let launch = |id: &str| {
        app.get_json(
            format!("{}/api/admin/launches/{id}", app.admin_url),
            Some(&agency.token),
        )
    };
    let aborted = launch(&below).await.unwrap();
    assert_eq!(aborted["status"], "aborted");
    assert_eq!(aborted["status_reason"], "insufficient_passengers");
    assert_eq!(aborted["revision"], 1, "one change only");
    let confirmed = launch(&at).await.unwrap();
    assert_eq!(confirmed["status"], "confirmed");
    assert_eq!(confirmed["revision"], 1);

    // The short launch's traveller is refunded in full, once, and told once; the other told of
    // the confirmation once.
    let refunded = eventually(Duration::from_secs(20), "full refund", || async {
        let body = app
            .get_json(
                format!("{}/api/customer/bookings", app.customer_url),
                Some(&short.token),
            )
            .await?;
        let booking = body["items"].as_array()?.first()?.clone();
        (booking["status"] == "cancelled").then_some(booking)
    })
    .await;
    assert_eq!(
        refunded["cancellation"]["refund_cents"],
        refunded["total_cents"]
    );
    let told = |address: String, subject: &'static str| {
        let client = app.client.clone();
        async move {
            emails_to(&client, &address)
                .await
                .into_iter()
                .filter(|message| {
                    message["Subject"]
                        .as_str()
                        .is_some_and(|text| text.starts_with(subject))
                })
                .count()
        }
    };
    eventually(Duration::from_secs(20), "decision emails", || async {
        (told(short.email.clone(), "Launch aborted").await == 1
            && told(enough.email.clone(), "Launch confirmed").await == 1)
            .then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(told(short.email.clone(), "Launch aborted").await, 1);
    assert_eq!(told(enough.email.clone(), "Launch confirmed").await, 1);

    second.stop().await;
    app.stop().await;
}
