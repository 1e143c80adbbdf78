//! Invoicing a closed launch: once per launch, whichever process hears of the close and however
//! often (the store's unique launch and the counter's lock see to that).

use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::invoice::{ClosedLaunch, InvoiceTerms, due_on, fee_for};
use crate::domain::launch::LaunchStatus;
use crate::storage::amqp::events::{INVOICE_ISSUED, InvoiceNotice};
use crate::storage::amqp::{EventEnvelope, Origin};
use crate::storage::postgres::invoices::InvoiceRow;
use crate::storage::postgres::invoices::{self, Issued, NewInvoice};
use crate::storage::postgres::{launches, outbox, profiles};

/// Issues the launch's invoice if it is launched or aborted and has none yet; `None` when the
/// launch is unknown or not closed.
#[tracing::instrument(skip_all, fields(launch_id = %launch_id))]
pub async fn invoice_closed_launch(
    pool: &PgPool,
    launch_id: Uuid,
    today: NaiveDate,
    terms: InvoiceTerms,
) -> Result<Option<Issued>, sqlx::Error> {
    let Some(launch) = launches::find(pool, launch_id).await? else {
        return Ok(None);
    };
    let closed = match LaunchStatus::parse(&launch.status) {
        Ok(LaunchStatus::Aborted) => ClosedLaunch::Aborted,
        Ok(LaunchStatus::Launched) => {
            let revenue = invoices::launch_revenue(pool, launch_id).await?;
            ClosedLaunch::Launched {
                paid_cents: revenue.paid_cents,
                refunds_cents: revenue.refunds_cents,
                launched_before: invoices::launched_before(
                    pool,
                    launch.agency_id,
                    launch_id,
                    launch.launch_at,
                )
                .await?,
            }
        }
        _ => return Ok(None),
    };
    let fee = fee_for(closed);
    let agency = profiles::agency(pool, launch.agency_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let due = due_on(today, terms.payment_term_days);
    let announce = |invoice_id: Uuid, number: &str| {
        let notice = InvoiceNotice {
            invoice_id: invoice_id.to_string(),
            number: number.to_owned(),
            agency_id: launch.agency_id.to_string(),
            agency_name: agency.name.clone(),
            agency_email: agency.contact_email.clone(),
            mission_name: launch.mission_name.clone(),
            launch_outcome: launch.status.clone(),
            issued_on: today,
            due_on: due,
            amount_cents: fee.amount_cents,
            paid_cents: 0,
            lines: fee.lines.clone(),
            reminder: 0,
        };
        invoice_event(INVOICE_ISSUED, &notice)
    };
    let issued = invoices::issue(
        pool,
        &NewInvoice {
            agency_id: launch.agency_id,
            launch_id,
            launch_outcome: &launch.status,
            issued_on: today,
            due_on: due,
            amount_cents: fee.amount_cents,
            lines: &fee.lines,
            reliable_agency: fee.reliable,
        },
        announce,
    )
    .await?;
    if let Issued::New(invoice_id) = issued {
        tracing::info!(%invoice_id, amount_cents = fee.amount_cents, "invoice issued");
    }
    Ok(Some(issued))
}

/// The event telling an agency of its invoice: its id is derived from the invoice and the
/// reminder's number, so announcing the same notice twice sends one email.
pub fn invoice_event(
    event_type: &str,
    notice: &InvoiceNotice,
) -> Result<EventEnvelope, serde_json::Error> {
    let mut event = EventEnvelope::new(
        event_type,
        Origin {
            service: "admin".to_owned(),
            user_id: None,
            action: "invoice".to_owned(),
        },
        None,
        serde_json::to_value(notice)?,
    );
    event.event_id = Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("{event_type}:{}:{}", notice.invoice_id, notice.reminder).as_bytes(),
    );
    Ok(event)
}

/// What the agency is sent about an invoice as it stands: its issue, or reminder `reminder`.
pub fn notice_of(invoice: &InvoiceRow, reminder: u32) -> InvoiceNotice {
    InvoiceNotice {
        invoice_id: invoice.id.to_string(),
        number: invoice.number.clone(),
        agency_id: invoice.agency_id.to_string(),
        agency_name: invoice.agency_name.clone(),
        agency_email: invoice.agency_email.clone(),
        mission_name: invoice.mission_name.clone(),
        launch_outcome: invoice.launch_outcome.clone(),
        issued_on: invoice.issued_on,
        due_on: invoice.due_on,
        amount_cents: invoice.amount_cents,
        paid_cents: invoice.paid_cents,
        lines: invoice.lines.0.clone(),
        reminder,
    }
}

/// Finance sends the invoice to its agency again: a new email (a new event), with the PDF as
/// the invoice stands now.
pub async fn resend_invoice(pool: &PgPool, invoice: &InvoiceRow) -> anyhow::Result<()> {
    let mut event = invoice_event(INVOICE_ISSUED, &notice_of(invoice, 0))?;
    event.event_id = Uuid::now_v7();
    event.origin.action = "resend_invoice".to_owned();
    outbox::append_alone(pool, &event).await?;
    Ok(())
}
