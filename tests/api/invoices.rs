//! Invoices: issued once per closed launch whatever the deliveries, numbered without gaps under
//! concurrency, paid in part and in full, an excess refused, each agency seeing only its own.

use std::time::Duration;

use astro_bookings::storage::amqp::events::LAUNCH_CHANGED;
use astro_bookings::usecases::invoicing;
use chrono::Datelike;
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

use std::sync::Arc;

use astro_bookings::clock::OffsetClock;

use crate::cancellation::book_seats;
use crate::helpers::{
    SignedIn, TestApp, assert_problem, email_message, emails_to, eventually, mail_api, spawn_app,
    spawn_app_with_clock,
};
use crate::lifecycle::{changed, launch_with_minimum};

impl TestApp {
    /// A financial employee created by IT, signed in.
    async fn create_financial(&self) -> SignedIn {
        let it = self.it_employee().await;
        let email = format!("finance-{}@astro.test", uuid::Uuid::new_v4().simple());
        let password = "finance-pass-12";
        let response = self
            .post_json(
                format!("{}/api/system/users", self.system_url),
                Some(&it.token),
                &json!({"name": "Fran Finance", "email": email, "password": password, "role": "financial"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create financial");
        self.login(&email, password).await
    }

    async fn abort(&self, agency: &SignedIn, launch_id: &str) {
        let response = self
            .post_json(
                format!("{}/api/admin/launches/{launch_id}/abort", self.admin_url),
                Some(&agency.token),
                &json!({"reason": "weather"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "abort");
    }

    async fn invoices(&self, token: &str, query: &str) -> Vec<Value> {
        let response = self
            .get(
                format!("{}/api/admin/invoices{query}", self.admin_url),
                Some(token),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "list invoices");
        let body: Value = response.json().await.unwrap();
        body["items"].as_array().unwrap().clone()
    }

    /// Waits until `count` invoices are listed for `token`.
    async fn wait_for_invoices(&self, token: &str, count: usize) -> Vec<Value> {
        eventually(Duration::from_secs(30), "invoices issued", || async {
            let items = self.invoices(token, "").await;
            (items.len() >= count).then_some(items)
        })
        .await
    }

    async fn pay(&self, finance: &SignedIn, invoice_id: &str, body: &Value) -> reqwest::Response {
        self.post_json(
            format!(
                "{}/api/admin/invoices/{invoice_id}/payments",
                self.admin_url
            ),
            Some(&finance.token),
            body,
        )
        .await
    }
}

/// An agency with one aborted launch, and that launch's invoice.
async fn aborted_launch_invoice(app: &TestApp) -> (SignedIn, Value, Value) {
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 4).await;
    let launch = app
        .schedule_launch(&agency, rocket["id"].as_str().unwrap(), 100_000)
        .await;
    app.abort(&agency, launch["id"].as_str().unwrap()).await;
    let invoice = app.wait_for_invoices(&agency.token, 1).await[0].clone();
    (agency, launch, invoice)
}

#[actix_web::test]
async fn an_aborted_launch_is_invoiced_once_however_often_its_change_arrives() {
    let app = spawn_app().await;
    let (agency, launch, invoice) = aborted_launch_invoice(&app).await;
    let launch_id = launch["id"].as_str().unwrap();
    let year = chrono::Utc::now().year();
    assert_eq!(invoice["launch_id"], launch_id);
    assert_eq!(invoice["number"], format!("INV-{year}-0001"));
    assert_eq!(invoice["amount_cents"], 100_000);
    assert_eq!(invoice["paid_cents"], 0);
    assert_eq!(invoice["status"], "pending");
    assert_eq!(invoice["launch_outcome"], "aborted");
    assert_eq!(invoice["mission_name"], "Lunar Loop");
    assert_eq!(invoice["lines"][0]["amount_cents"], 100_000);
    let issued =
        chrono::NaiveDate::parse_from_str(invoice["issued_on"].as_str().unwrap(), "%Y-%m-%d")
            .unwrap();
    let due =
        chrono::NaiveDate::parse_from_str(invoice["due_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!(due - issued, chrono::Duration::days(30));

    // The abort's event again, as a redelivery brings it, twice.
    let snapshot = app.launch_snapshot(launch_id).await;
    let mut job_ids = Vec::new();
    for _ in 0..2 {
        let event = app.publish(LAUNCH_CHANGED, &snapshot).await;
        job_ids.push(format!("{}:operations_db", event.event_id));
    }
    let it = app.it_employee().await;
    let sync_jobs = format!("{}/api/system/sync-jobs", app.system_url);
    eventually(
        Duration::from_secs(15),
        "repeated events handled",
        || async {
            let body = app.get_json(sync_jobs.clone(), Some(&it.token)).await?;
            let jobs = body["items"].as_array()?;
            job_ids
                .iter()
                .all(|id| {
                    jobs.iter()
                        .any(|job| job["id"] == id.as_str() && job["status"] == "completed")
                })
                .then_some(())
        },
    )
    .await;
    let invoices = app.invoices(&agency.token, "").await;
    assert_eq!(invoices.len(), 1, "one invoice per launch: {invoices:?}");
    assert_eq!(invoices[0]["id"], invoice["id"]);

    // The agency is emailed once, with the PDF attached.
    let number = invoice["number"].as_str().unwrap();
    let subject = format!("Invoice {number}");
    let emailed = eventually(Duration::from_secs(20), "invoice email", || async {
        let messages: Vec<Value> = emails_to(&app.client, &agency.email)
            .await
            .into_iter()
            .filter(|message| {
                message["Subject"]
                    .as_str()
                    .is_some_and(|text| text.starts_with(&subject))
            })
            .collect();
        (!messages.is_empty()).then_some(messages)
    })
    .await;
    assert_eq!(emailed.len(), 1, "one invoice email");
    let message = email_message(&app.client, emailed[0]["ID"].as_str().unwrap()).await;
    assert!(
        message["Text"].as_str().unwrap().contains("Due on"),
        "{message}"
    );
    let attachments = message["Attachments"].as_array().unwrap();
    assert_eq!(attachments.len(), 1, "{message}");
    assert_eq!(attachments[0]["FileName"], format!("{number}.pdf"));
    assert_eq!(attachments[0]["ContentType"], "application/pdf");
    let part = app
        .client
        .get(format!(
            "{}/api/v1/message/{}/part/{}",
            mail_api(),
            emailed[0]["ID"].as_str().unwrap(),
            attachments[0]["PartID"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let pdf = printpdf::PdfDocument::parse(
        &part,
        &printpdf::PdfParseOptions::default(),
        &mut Vec::new(),
    )
    .unwrap();
    assert!(pdf.extract_text().concat().join("\n").contains(number));

    // Finance sends it again: a second email; the agency itself cannot.
    let finance = app.create_financial().await;
    let resend = format!(
        "{}/api/admin/invoices/{}/resend",
        app.admin_url,
        invoice["id"].as_str().unwrap()
    );
    let by_agency = app
        .post_json(resend.clone(), Some(&agency.token), &json!({}))
        .await;
    assert_eq!(by_agency.status(), StatusCode::FORBIDDEN);
    let unknown = app
        .post_json(
            format!(
                "{}/api/admin/invoices/{}/resend",
                app.admin_url,
                uuid::Uuid::new_v4()
            ),
            Some(&finance.token),
            &json!({}),
        )
        .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let resent = app
        .post_json(resend, Some(&finance.token), &json!({}))
        .await;
    assert_eq!(resent.status(), StatusCode::ACCEPTED);
    eventually(Duration::from_secs(20), "invoice sent again", || async {
        let count = emails_to(&app.client, &agency.email)
            .await
            .iter()
            .filter(|message| {
                message["Subject"]
                    .as_str()
                    .is_some_and(|text| text.starts_with(&subject))
            })
            .count();
        (count == 2).then_some(())
    })
    .await;
}

#[actix_web::test]
async fn fifty_launches_closing_at_once_get_fifty_gapless_numbers() {
    let app = spawn_app().await;
    let agency = app.create_agency().await;
    let rocket = app.create_rocket(&agency, 4).await;
    let rocket_id = rocket["id"].as_str().unwrap();
    let mut launch_ids = Vec::new();
    for day in 0..50 {
        let launch_at = chrono::Utc::now() + chrono::Duration::days(400 + day);
        let launch = app
            .schedule_launch_at(&agency, rocket_id, 100_000, launch_at)
            .await;
        launch_ids.push(launch["id"].as_str().unwrap().to_owned());
    }
    join_all(launch_ids.iter().map(|id| app.abort(&agency, id))).await;
    // Besides the admin role's consumer, every launch is invoiced twice more at once from here,
    // racing it: 150 attempts, 50 invoices.
    let pool = app.operations_db().await;
    let today = chrono::Utc::now().date_naive();
    let attempts = launch_ids.iter().chain(launch_ids.iter()).map(|id| {
        let pool = pool.clone();
        let launch_id = uuid::Uuid::parse_str(id).unwrap();
        async move {
            invoicing::invoice_closed_launch(&pool, launch_id, today, app.settings.invoice_terms)
                .await
                .unwrap()
        }
    });
    let outcomes = join_all(attempts).await;
    assert!(
        outcomes.iter().all(Option::is_some),
        "every launch is closed"
    );
    pool.close().await;
    let invoices = app.wait_for_invoices(&agency.token, 50).await;
    assert_eq!(invoices.len(), 50);
    let year = chrono::Utc::now().year();
    let mut numbers: Vec<String> = invoices
        .iter()
        .map(|invoice| invoice["number"].as_str().unwrap().to_owned())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=50).map(|seq| format!("INV-{year}-{seq:04}")).collect();
    assert_eq!(numbers, expected);
    let mut launches: Vec<&str> = invoices
        .iter()
        .map(|invoice| invoice["launch_id"].as_str().unwrap())
        .collect();
    launches.sort_unstable();
    launches.dedup();
    assert_eq!(launches.len(), 50, "one invoice per launch");
}

#[actix_web::test]
async fn payments_settle_an_invoice_and_an_excess_is_refused() {
    let app = spawn_app().await;
    let (agency, _launch, invoice) = aborted_launch_invoice(&app).await;
    let invoice_id = invoice["id"].as_str().unwrap();
    let finance = app.create_financial().await;

    let partial = app
        .pay(&finance, invoice_id, &json!({"amount_cents": 40_000}))
        .await;
    assert_eq!(partial.status(), StatusCode::CREATED);
    let partial: Value = partial.json().await.unwrap();
    assert_eq!(partial["status"], "partially_paid");
    assert_eq!(partial["paid_cents"], 40_000);
    assert_eq!(partial["balance_cents"], 60_000);
    assert_eq!(partial["payments"].as_array().unwrap().len(), 1);
    assert_eq!(partial["payments"][0]["recorded_by"], finance.user_id);

    let excess = app
        .pay(&finance, invoice_id, &json!({"amount_cents": 60_001}))
        .await;
    assert_problem(excess, StatusCode::CONFLICT, "overpayment").await;
    for bad in [
        json!({"amount_cents": 0}),
        json!({"amount_cents": -5}),
        json!({"amount_cents": "100"}),
        json!({"amount_cents": 1.5}),
        json!({"amount_cents": 100, "paid_on": "yesterday"}),
        json!({"amount_cents": 100, "paid_on": "2999-01-01"}),
        json!({"amount_cents": 100, "note": "extra"}),
    ] {
        let response = app.pay(&finance, invoice_id, &bad).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body: Value = response.json().await.unwrap();
        assert!(body["code"].is_string(), "{body}");
    }
    let unknown = app
        .pay(
            &finance,
            &uuid::Uuid::new_v4().to_string(),
            &json!({"amount_cents": 1}),
        )
        .await;
    assert_problem(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let by_agency = app
        .pay(&agency, invoice_id, &json!({"amount_cents": 1}))
        .await;
    assert_eq!(by_agency.status(), StatusCode::FORBIDDEN);

    let detail = app
        .get_json(
            format!("{}/api/admin/invoices/{invoice_id}", app.admin_url),
            Some(&finance.token),
        )
        .await
        .unwrap();
    assert_eq!(
        detail["paid_cents"], 40_000,
        "refused payments stored nothing"
    );

    let full = app
        .pay(&finance, invoice_id, &json!({"amount_cents": 60_000, "paid_on": chrono::Utc::now().date_naive().to_string()}))
        .await;
    assert_eq!(full.status(), StatusCode::CREATED);
    let full: Value = full.json().await.unwrap();
    assert_eq!(full["status"], "paid");
    assert_eq!(full["balance_cents"], 0);
    assert_eq!(app.invoices(&finance.token, "?status=paid").await.len(), 1);
    assert!(
        app.invoices(&finance.token, "?status=pending")
            .await
            .is_empty()
    );

    let more = app
        .pay(&finance, invoice_id, &json!({"amount_cents": 1}))
        .await;
    assert_problem(more, StatusCode::CONFLICT, "overpayment").await;
}

#[actix_web::test]
async fn an_agency_sees_only_its_own_invoices() {
    let app = spawn_app().await;
    let (agency_a, launch_a, invoice_a) = aborted_launch_invoice(&app).await;
    let (agency_b, _launch_b, invoice_b) = aborted_launch_invoice(&app).await;
    assert_ne!(invoice_a["number"], invoice_b["number"]);

    let own = app.invoices(&agency_b.token, "").await;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["id"], invoice_b["id"]);
    let asked_for_a = app
        .invoices(&agency_b.token, &format!("?agency_id={}", agency_a.user_id))
        .await;
    assert!(asked_for_a.is_empty(), "{asked_for_a:?}");
    let other = app
        .get(
            format!(
                "{}/api/admin/invoices/{}",
                app.admin_url,
                invoice_a["id"].as_str().unwrap()
            ),
            Some(&agency_b.token),
        )
        .await;
    assert_problem(other, StatusCode::NOT_FOUND, "not_found").await;
    let other_pdf = app
        .get(
            format!(
                "{}/api/admin/invoices/{}/pdf",
                app.admin_url,
                invoice_a["id"].as_str().unwrap()
            ),
            Some(&agency_b.token),
        )
        .await;
    assert_problem(other_pdf, StatusCode::NOT_FOUND, "not_found").await;

    let finance = app.create_financial().await;
    assert_eq!(app.invoices(&finance.token, "").await.len(), 2);
    let filtered = app
        .invoices(
            &finance.token,
            &format!("?launch_id={}", launch_a["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0]["id"], invoice_a["id"]);
    let by_agency = app
        .invoices(&finance.token, &format!("?agency_id={}", agency_a.user_id))
        .await;
    assert_eq!(by_agency.len(), 1);

    for query in ["?status=late", "?from=03/12/2026", "?agency_id=nope"] {
        let response = app
            .get(
                format!("{}/api/admin/invoices{query}", app.admin_url),
                Some(&finance.token),
            )
            .await;
        assert_problem(response, StatusCode::BAD_REQUEST, "validation_failed").await;
    }
    let traveler = app.register_traveler().await;
    let url = format!("{}/api/admin/invoices", app.admin_url);
    assert_eq!(
        app.get(url.clone(), Some(&traveler.token)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(url.clone(), Some(&app.it_token())).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get(url, None).await.status(), StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn the_revenue_report_adds_up_to_the_invoices_and_exports_csv() {
    let app = spawn_app().await;
    let (_agency_a, _launch_a, invoice_a) = aborted_launch_invoice(&app).await;
    let (agency_b, _launch_b, _invoice_b) = aborted_launch_invoice(&app).await;
    let finance = app.create_financial().await;
    let paid = app
        .pay(
            &finance,
            invoice_a["id"].as_str().unwrap(),
            &json!({"amount_cents": 30_000}),
        )
        .await;
    assert_eq!(paid.status(), StatusCode::CREATED);
    let today = chrono::Utc::now().date_naive();
    let url = format!(
        "{}/api/admin/reports/revenue?from={today}&to={today}",
        app.admin_url
    );
    let report = app
        .get_json(url.clone(), Some(&finance.token))
        .await
        .unwrap();
    assert_eq!(report["agencies"].as_array().unwrap().len(), 2);
    assert_eq!(report["totals"]["aborted"], 2);
    assert_eq!(report["totals"]["fees_invoiced_cents"], 200_000);
    assert_eq!(report["totals"]["received_cents"], 30_000);
    assert_eq!(report["totals"]["pending_cents"], 170_000);
    let month = &report["months"][0];
    assert_eq!(month["received_cents"], 30_000);
    assert_eq!(month["pending_cents"], 170_000);
    let invoices = app.invoices(&finance.token, "").await;
    let invoiced: i64 = invoices
        .iter()
        .map(|invoice| invoice["amount_cents"].as_i64().unwrap())
        .sum();
    assert_eq!(report["totals"]["fees_invoiced_cents"], invoiced);

    let one = app
        .get_json(
            format!("{url}&agency_id={}", agency_b.user_id),
            Some(&finance.token),
        )
        .await
        .unwrap();
    assert_eq!(one["agencies"].as_array().unwrap().len(), 1);
    assert_eq!(one["totals"]["received_cents"], 0);

    let csv = app
        .client
        .get(&url)
        .bearer_auth(&finance.token)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("agency_id,agency_name,reliable"));
    assert!(lines[3].ends_with(",2000.00,300.00,1700.00"), "{text}");
    let by_format = app
        .get(format!("{url}&format=csv"), Some(&finance.token))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(by_format, text);

    for query in [
        "from=2027-13-01",
        "from=2027-02-01&to=2027-01-01",
        "format=xml",
        "agency_id=x",
    ] {
        let response = app
            .get(
                format!("{}/api/admin/reports/revenue?{query}", app.admin_url),
                Some(&finance.token),
            )
            .await;
        assert_problem(response, StatusCode::BAD_REQUEST, "validation_failed").await;
    }
    let by_agency = app.get(url, Some(&agency_b.token)).await;
    assert_eq!(by_agency.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn an_overdue_invoice_is_reminded_once_then_every_seven_days_until_paid() {
    let clock = Arc::new(OffsetClock::default());
    let app = spawn_app_with_clock(&[("ASTRO_SCHEDULER_TICK_SECS", "3600")], clock.clone()).await;
    let (agency, _launch, invoice) = aborted_launch_invoice(&app).await;
    let invoice_id = invoice["id"].as_str().unwrap();
    let it = app.it_employee().await;
    let finance = app.create_financial().await;
    let remind = || app.run_job(&app.scheduler_url, "invoice-reminders", &it);
    let reminders = || async {
        emails_to(&app.client, &agency.email)
            .await
            .into_iter()
            .filter(|message| {
                message["Subject"]
                    .as_str()
                    .is_some_and(|subject| subject.starts_with("Reminder: invoice"))
            })
            .count()
    };
    let detail = || {
        app.get_json(
            format!("{}/api/admin/invoices/{invoice_id}", app.admin_url),
            Some(&finance.token),
        )
    };

    assert_eq!(remind().await["units"], 0, "not due yet");
    // The due date itself is not overdue; the day after is.
    clock.advance(chrono::Duration::days(30));
    assert_eq!(remind().await["units"], 0, "due today, not overdue");
    assert_eq!(detail().await.unwrap()["status"], "pending");
    clock.advance(chrono::Duration::days(1));
    assert_eq!(remind().await["units"], 1);
    assert_eq!(remind().await["units"], 0, "one reminder a day at most");
    let overdue = detail().await.unwrap();
    assert_eq!(overdue["status"], "overdue");
    assert_eq!(overdue["reminders_sent"], 1);
    eventually(Duration::from_secs(20), "first reminder", || async {
        (reminders().await == 1).then_some(())
    })
    .await;

    clock.advance(chrono::Duration::days(6));
    assert_eq!(remind().await["units"], 0, "six days later: not yet");
    clock.advance(chrono::Duration::days(1));
    assert_eq!(remind().await["units"], 1, "seven days later: the second");
    eventually(Duration::from_secs(20), "second reminder", || async {
        (reminders().await == 2).then_some(())
    })
    .await;

    let paid = app
        .pay(&finance, invoice_id, &json!({"amount_cents": 100_000}))
        .await;
    assert_eq!(paid.status(), StatusCode::CREATED);
    let paid: Value = paid.json().await.unwrap();
    assert_eq!(paid["status"], "paid", "a payment after overdue settles it");
    clock.advance(chrono::Duration::days(7));
    assert_eq!(remind().await["units"], 0, "a paid invoice is not reminded");
    assert_eq!(reminders().await, 2);
    app.stop().await;
}

#[actix_web::test]
async fn launched_launches_are_invoiced_a_share_of_net_revenue_less_for_a_reliable_agency() {
    let clock = Arc::new(OffsetClock::default());
    let app = spawn_app_with_clock(&[], clock.clone()).await;
    let agency = app.create_agency().await;
    let traveler = app.register_traveler().await;
    let mut launch_ids = Vec::new();
    for day in 1..=3 {
        let launch_at = chrono::Utc::now() + chrono::Duration::days(day);
        let launch_id = launch_with_minimum(&app, &agency, 1, launch_at).await;
        app.wait_for_public_launch(&launch_id).await;
        // Two seats at 1,000.00 each: 2,000.00 paid.
        let booking = book_seats(&app, &traveler, &launch_id, 2).await;
        app.wait_until_bookings_synced(
            &agency,
            &launch_id,
            &[booking["id"].as_str().unwrap().to_owned()],
        )
        .await;
        changed(&app, &agency, &launch_id, json!({"status": "confirmed"})).await;
        launch_ids.push(launch_id);
    }
    clock.advance(chrono::Duration::days(4));
    let mut fees = Vec::new();
    for (index, launch_id) in launch_ids.iter().enumerate() {
        changed(&app, &agency, launch_id, json!({"status": "launched"})).await;
        let invoice = app.wait_for_invoices(&agency.token, index + 1).await[index].clone();
        assert_eq!(invoice["launch_id"], launch_id.as_str());
        assert_eq!(invoice["launch_outcome"], "launched");
        assert_eq!(invoice["lines"][0]["basis_cents"], 200_000);
        fees.push((
            invoice["amount_cents"].as_i64().unwrap(),
            invoice["reliable_agency"].as_bool().unwrap(),
        ));
    }
    // 1 % of 2,000.00 twice; the third launch has two launched before it: 0.8 %.
    assert_eq!(fees, [(2_000, false), (2_000, false), (1_600, true)]);
    app.stop().await;
}
