//! The walking skeleton end to end over HTTP, through every real server: registration,
//! scheduling, sync to the customer DB, a booking, sync back to PostgreSQL, emails, logs.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{emails_to, eventually, spawn_app};

#[actix_web::test]
async fn one_booking_flows_through_every_part() {
    let app = spawn_app().await;
    let it = app.it_employee().await;

    // 1–2. IT creates the agency; the agency creates a rocket and schedules a launch.
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 6).await;
    let launch = app
        .schedule_launch(&agency, rocket["id"].as_str().unwrap(), 2_500_000)
        .await;
    let launch_id = launch["id"].as_str().unwrap().to_owned();

    // 3. The launch reaches the customer DB through the broker; visitors see it.
    let public = app.wait_for_public_launch(&launch_id).await;
    assert_eq!(public["free_seats"], 6);
    assert_eq!(public["slug"], launch["slug"]);

    // 4. A traveller registers and signs in.
    let traveler = app.register_traveler().await;

    // 5. Books two seats; durable before the 201; free seats drop by two.
    let response = app.book(&traveler, &launch_id, 2, "flow-booking").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let booking: Value = response.json().await.unwrap();
    assert_eq!(booking["total_cents"], 5_000_000);
    assert_eq!(
        app.wait_for_public_launch(&launch_id).await["free_seats"],
        4
    );

    // 6. The booking reaches PostgreSQL; the agency sees it.
    let admin_bookings = format!("{}/api/admin/bookings?launch_id={launch_id}", app.admin_url);
    let synced = eventually(
        Duration::from_secs(15),
        "booking in the operations DB",
        || async {
            let body: Value = app
                .get(admin_bookings.clone(), Some(&agency.token))
                .await
                .json()
                .await
                .ok()?;
            body["items"]
                .as_array()?
                .iter()
                .find(|item| item["id"] == booking["id"])
                .cloned()
        },
    )
    .await;
    assert_eq!(synced["seats"], 2);
    assert_eq!(synced["passengers"].as_array().unwrap().len(), 2);

    // 7. Emails to the traveller and the agency, each recorded with its delivery status.
    for address in [&traveler.email, &agency.email] {
        eventually(Duration::from_secs(15), "email delivered", || async {
            let emails = emails_to(&app.client, address).await;
            emails
                .iter()
                .any(|email| {
                    email["Subject"]
                        .as_str()
                        .is_some_and(|subject| subject.contains("Lunar Loop"))
                })
                .then_some(())
        })
        .await;
    }
    let notifications_url = format!("{}/api/system/notifications", app.system_url);
    eventually(
        Duration::from_secs(15),
        "notifications marked sent",
        || async {
            let body: Value = app
                .get(notifications_url.clone(), Some(&it.token))
                .await
                .json()
                .await
                .ok()?;
            let sent_to: Vec<&str> = body["items"]
                .as_array()?
                .iter()
                .filter(|item| item["status"] == "sent")
                .filter_map(|item| item["recipient_email"].as_str())
                .collect();
            (sent_to.contains(&traveler.email.as_str()) && sent_to.contains(&agency.email.as_str()))
                .then_some(())
        },
    )
    .await;

    // 8. Every step left log entries; sync jobs completed; IT reads them.
    let logs_url = format!("{}/api/system/logs?limit=500", app.system_url);
    eventually(
        Duration::from_secs(15),
        "log entries of the flow",
        || async {
            let body: Value = app
                .get(logs_url.clone(), Some(&it.token))
                .await
                .json()
                .await
                .ok()?;
            assert!(
                body["items"]
                    .as_array()?
                    .iter()
                    .all(|item| item["id"].is_string()),
                "log entries carry their id"
            );
            let events: Vec<&str> = body["items"]
                .as_array()?
                .iter()
                .filter_map(|item| item["event"].as_str())
                .collect();
            ["booking.confirmed"]
                .iter()
                .all(|wanted| events.contains(wanted))
                .then_some(())
        },
    )
    .await;
    let jobs_url = format!("{}/api/system/sync-jobs", app.system_url);
    eventually(Duration::from_secs(15), "completed sync jobs", || async {
        let body: Value = app
            .get(jobs_url.clone(), Some(&it.token))
            .await
            .json()
            .await
            .ok()?;
        let completed = body["items"]
            .as_array()?
            .iter()
            .filter(|job| job["status"] == "completed")
            .count();
        (completed >= 3).then_some(())
    })
    .await;

    // Health of every role, with its actors.
    for (base, role) in [
        (&app.customer_url, "customer"),
        (&app.admin_url, "admin"),
        (&app.system_url, "system"),
        (&app.scheduler_url, "scheduler"),
    ] {
        let actors: Value = app
            .get(
                format!("{base}/api/{role}/health/actors"),
                Some(&app.it_token()),
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(
            !actors["actors"].as_array().unwrap().is_empty(),
            "{role} shows its supervision tree"
        );
        let openapi = app
            .get(format!("{base}/api/{role}/openapi.json"), None)
            .await;
        assert_eq!(openapi.status(), StatusCode::OK);
    }
    app.stop().await;
}
