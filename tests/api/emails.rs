//! The mailer end to end: events on the broker, emails in the SMTP catcher (both parts, the
//! right recipient and subject), once each even when an event is delivered twice.

use std::time::Duration;

use astro_bookings::domain::booking::Passenger;
use astro_bookings::domain::launch::{LaunchStatus, StatusChange};
use astro_bookings::storage::amqp::events::{
    BOOKING_LAUNCH_CHANGED, BookingConfirmed, BookingLaunchChanged, LAUNCH_CHANGED,
    LAUNCH_VIP_NOTICE, LaunchSnapshot, LaunchVipNotice, Recipient,
};
use serde_json::Value;

use crate::helpers::{TestApp, email_message, emails_to, eventually, spawn_app};

fn unique_address(who: &str) -> String {
    format!("{who}-{}@astro.test", uuid::Uuid::new_v4().simple())
}

/// Where the emails' links start (the configured public base URL).
fn public_base(app: &TestApp) -> String {
    app.settings
        .public_base_url
        .trim_end_matches('/')
        .to_owned()
}

/// Text as the HTML part writes it (minijinja's escaping).
fn in_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('/', "&#x2f;")
}

/// The one email with this subject sent to `address`, in full; fails if there are more.
async fn the_email(app: &TestApp, address: &str, subject: &str) -> Value {
    let matching = eventually(Duration::from_secs(20), subject, || async {
        let matching: Vec<Value> = emails_to(&app.client, address)
            .await
            .into_iter()
            .filter(|message| message["Subject"] == subject)
            .collect();
        (!matching.is_empty()).then_some(matching)
    })
    .await;
    assert_eq!(matching.len(), 1, "one email {subject:?} to {address}");
    let message = email_message(&app.client, matching[0]["ID"].as_str().unwrap()).await;
    assert_eq!(message["To"][0]["Address"], address);
    let content_type = message["ContentType"].as_str().unwrap();
    assert!(
        content_type.starts_with("multipart/alternative"),
        "{content_type}"
    );
    assert!(
        message["HTML"]
            .as_str()
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    message
}

fn assert_parts_contain(message: &Value, text: &str) {
    let text_part = message["Text"].as_str().unwrap();
    let html_part = message["HTML"].as_str().unwrap();
    assert!(text_part.contains(text), "{text:?} in {text_part}");
    assert!(
        html_part.contains(&in_html(text)),
        "{text:?} in {html_part}"
    );
}

#[actix_web::test]
async fn welcome_emails_link_each_role_to_its_own_app() {
    let app = spawn_app().await;
    let base = public_base(&app);
    let agency = app.create_agency().await;
    let traveler = app.register_traveler().await;
    let subject = |name: &str| format!("Welcome to Astro Bookings, {name}");

    let to_agency = the_email(&app, &agency.email, &subject(&agency.name)).await;
    assert_parts_contain(&to_agency, &format!("{base}/supplier/"));
    assert_parts_contain(&to_agency, &format!("({}) is ready", agency.email));

    let to_traveler = the_email(&app, &traveler.email, &subject(&traveler.name)).await;
    assert_parts_contain(&to_traveler, &format!("{base}/"));
    for part in ["Text", "HTML"] {
        let part = to_traveler[part].as_str().unwrap();
        assert!(
            !part.contains("supplier") && !part.contains("employee"),
            "{part}"
        );
    }
    app.stop().await;
}

fn delay(reason: &str) -> StatusChange {
    StatusChange {
        from: Some(LaunchStatus::Scheduled),
        to: LaunchStatus::Delayed,
        at: chrono::Utc::now(),
        by: "agency".to_owned(),
        reason: Some(reason.to_owned()),
    }
}

fn booking_on(launch: &LaunchSnapshot, traveler_email: &str) -> BookingConfirmed {
    BookingConfirmed {
        booking_id: uuid::Uuid::new_v4().to_string(),
        launch_id: launch.launch_id.clone(),
        launch_slug: launch.slug.clone(),
        mission_name: launch.mission_name.clone(),
        launch_at: launch.launch_at,
        agency_id: launch.agency_id.clone(),
        agency_name: launch.agency_name.clone(),
        agency_email: launch.agency_email.clone(),
        traveler_id: uuid::Uuid::new_v4().to_string(),
        traveler_name: "Tess Traveler".to_owned(),
        traveler_email: traveler_email.to_owned(),
        seats: 2,
        seat_numbers: vec![1, 2],
        price_per_seat_cents: launch.price_per_seat_cents,
        total_cents: 2 * launch.price_per_seat_cents,
        passengers: vec![Passenger {
            name: "Tess Traveler".to_owned(),
            email: traveler_email.to_owned(),
            phone: "+1 555 0100".to_owned(),
            age: 30,
        }],
        created_at: chrono::Utc::now(),
    }
}

fn utc_minutes(time: chrono::DateTime<chrono::Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[actix_web::test]
async fn launch_events_email_the_agency_each_traveller_and_each_vip_once() {
    let app = spawn_app().await;
    let base = public_base(&app);
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 6).await;
    let launch = app
        .schedule_launch(&agency, rocket["id"].as_str().unwrap(), 2_500_000)
        .await;
    let launch_id = launch["id"].as_str().unwrap();
    app.wait_for_public_launch(launch_id).await;
    let scheduled = app.launch_snapshot(launch_id).await;

    // The agency delays the launch by 30 days: the snapshot with its history, delivered twice.
    let new_date = scheduled.launch_at + chrono::Duration::days(30);
    let delayed = LaunchSnapshot {
        status: LaunchStatus::Delayed,
        launch_at: new_date,
        revision: 1,
        status_history: vec![
            StatusChange {
                from: None,
                to: LaunchStatus::Scheduled,
                at: chrono::Utc::now(),
                by: agency.user_id.clone(),
                reason: None,
            },
            delay("weather & range"),
        ],
        ..scheduled.clone()
    };
    let launch_changed = app.publish(LAUNCH_CHANGED, &delayed).await;
    app.publish_again(&launch_changed).await;

    // Its traveller hears of it from booking.launch_changed.v1, delivered twice.
    let traveler = unique_address("traveler");
    let booking = booking_on(&scheduled, &traveler);
    let booking_id = booking.booking_id.clone();
    let booking_changed = BookingLaunchChanged {
        booking,
        change: delay("weather & range"),
        launch_at: new_date,
    };
    let booking_changed = app.publish(BOOKING_LAUNCH_CHANGED, &booking_changed).await;
    app.publish_again(&booking_changed).await;

    // Two VIPs get the early notice of a launch whose name HTML must escape, delivered twice.
    let vips = [unique_address("vip-a"), unique_address("vip-b")];
    let notice_of = |addresses: &[String]| LaunchVipNotice {
        launch: LaunchSnapshot {
            mission_name: r#"Lunar Loop & "Friends""#.to_owned(),
            ..scheduled.clone()
        },
        recipients: addresses
            .iter()
            .map(|email| Recipient {
                user_id: uuid::Uuid::new_v4().to_string(),
                name: "Vera VIP".to_owned(),
                email: email.clone(),
            })
            .collect(),
    };
    let notice = app.publish(LAUNCH_VIP_NOTICE, &notice_of(&vips)).await;
    app.publish_again(&notice).await;

    // The mailer takes its queue in order: once this last event's email is out, every
    // redelivery above has been handled.
    let marker = unique_address("marker");
    app.publish(LAUNCH_VIP_NOTICE, &notice_of(std::slice::from_ref(&marker)))
        .await;
    let vip_subject = format!(
        r#"Early notice for VIPs: Lunar Loop & "Friends" to the Moon, {}"#,
        utc_minutes(scheduled.launch_at)
    );
    the_email(&app, &marker, &vip_subject).await;

    let delayed_subject = format!("Launch delayed: Lunar Loop, now {}", utc_minutes(new_date));
    let to_agency = the_email(&app, &agency.email, &delayed_subject).await;
    assert_parts_contain(&to_agency, "is delayed: it now launches on");
    assert_parts_contain(&to_agency, &utc_minutes(new_date));
    assert_parts_contain(&to_agency, "Reason: weather & range");
    assert_parts_contain(&to_agency, &format!("{base}/supplier/launches"));

    let to_traveler = the_email(&app, &traveler, &delayed_subject).await;
    assert_parts_contain(&to_traveler, &utc_minutes(new_date));
    assert_parts_contain(&to_traveler, &booking_id);
    assert_parts_contain(&to_traveler, &format!("{base}/launches/{}", scheduled.slug));
    assert!(
        !to_traveler["Text"]
            .as_str()
            .unwrap()
            .contains(&utc_minutes(scheduled.launch_at)),
        "the old date is not the launch's date any more"
    );

    for vip in &vips {
        let to_vip = the_email(&app, vip, &vip_subject).await;
        assert_parts_contain(&to_vip, r#"Lunar Loop & "Friends""#);
        assert!(
            !to_vip["HTML"]
                .as_str()
                .unwrap()
                .contains(r#"Loop & "Friends""#)
        );
        assert_parts_contain(&to_vip, &format!("{base}/launches/{}", scheduled.slug));
        assert_eq!(emails_to(&app.client, vip).await.len(), 1);
    }

    // The notification log keeps both parts.
    let it = app.it_employee().await;
    let url = format!("{}/api/system/notifications?limit=200", app.system_url);
    let notifications = app.get_json(url, Some(&it.token)).await.unwrap();
    let logged = notifications["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == format!("{}:{traveler}", booking_changed.event_id).as_str())
        .expect("the traveller's notification");
    assert_eq!(logged["status"], "sent");
    assert_eq!(logged["subject"], delayed_subject.as_str());
    assert_eq!(
        logged["body"].as_str().unwrap().trim_end(),
        to_traveler["Text"].as_str().unwrap().trim_end()
    );
    assert!(
        logged["html_body"]
            .as_str()
            .unwrap()
            .contains(&in_html(&format!("{base}/launches/{}", scheduled.slug)))
    );
    app.stop().await;
}
