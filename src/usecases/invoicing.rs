//! Invoicing a closed launch: once per launch, whichever process hears of the close and however
//! often (the store's unique launch and the counter's lock see to that).

use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::invoice::{ClosedLaunch, InvoiceTerms, due_on, fee_for};
use crate::domain::launch::LaunchStatus;
use crate::storage::postgres::invoices::{self, Issued, NewInvoice};
use crate::storage::postgres::launches;

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
    let issued = invoices::issue(
        pool,
        &NewInvoice {
            agency_id: launch.agency_id,
            launch_id,
            launch_outcome: &launch.status,
            issued_on: today,
            due_on: due_on(today, terms.payment_term_days),
            amount_cents: fee.amount_cents,
            lines: &fee.lines,
            reliable_agency: fee.reliable,
        },
    )
    .await?;
    if let Issued::New(invoice_id) = issued {
        tracing::info!(%invoice_id, amount_cents = fee.amount_cents, "invoice issued");
    }
    Ok(Some(issued))
}
