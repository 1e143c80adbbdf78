//! The platform's invoices to agencies: an agency reads its own, financial employees read all of
//! them and record payments.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    AdminState, Listing, agency_scope, parse_date, parse_query_id, store_error, user_uuid,
};
use crate::actors::audit_log::Subject;
use crate::actors::sync::outbox_relay::Nudge;
use crate::documents::invoice_pdf::{self, InvoicePdf};
use crate::domain::invoice::{InvoiceLine, InvoiceStatus, PaymentRefusal, check_payment};
use crate::http::auth::{Authorized, CurrentUser, only};
use crate::http::error::ApiError;
use crate::http::parse_id;
use crate::http::request_id::current_request_id;
use crate::storage::postgres::invoices::{
    self, InvoiceFilter, InvoiceRow, NewPayment, PaymentError, PaymentRow,
};
use crate::usecases::invoicing;

/// An invoice as agencies and finance read it; its status follows from payments and the clock.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Invoice {
    id: Uuid,
    number: String,
    agency_id: Uuid,
    agency_name: String,
    launch_id: Uuid,
    mission_name: String,
    /// launched or aborted
    launch_outcome: String,
    issued_on: NaiveDate,
    due_on: NaiveDate,
    amount_cents: i64,
    paid_cents: i64,
    balance_cents: i64,
    status: InvoiceStatus,
    reliable_agency: bool,
    lines: Vec<InvoiceLine>,
    reminders_sent: i32,
    payments: Vec<PaymentRow>,
}

impl Invoice {
    fn of(row: InvoiceRow, payments: Vec<PaymentRow>, today: NaiveDate) -> Self {
        let status = row.status(today);
        Self {
            status,
            balance_cents: row.amount_cents.saturating_sub(row.paid_cents),
            id: row.id,
            number: row.number,
            agency_id: row.agency_id,
            agency_name: row.agency_name,
            launch_id: row.launch_id,
            mission_name: row.mission_name,
            launch_outcome: row.launch_outcome,
            issued_on: row.issued_on,
            due_on: row.due_on,
            amount_cents: row.amount_cents,
            paid_cents: row.paid_cents,
            reliable_agency: row.reliable_agency,
            lines: row.lines.0,
            reminders_sent: row.reminders_sent,
            payments,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct InvoiceParams {
    /// pending, partially_paid, paid or overdue
    status: Option<String>,
    agency_id: Option<String>,
    launch_id: Option<String>,
    /// Issued on or after this date (YYYY-MM-DD).
    from: Option<String>,
    /// Issued on or before this date (YYYY-MM-DD).
    to: Option<String>,
}

/// An agency's own invoices, or everyone's for finance, filtered.
#[utoipa::path(get, path = "/api/admin/invoices", params(InvoiceParams),
    responses((status = 200, body = Listing<Invoice>), (status = 400), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn list_invoices(
    state: web::Data<AdminState>,
    user: Authorized<only::AgencyOrFinancial>,
    params: web::Query<InvoiceParams>,
) -> Result<HttpResponse, ApiError> {
    let status = params
        .status
        .as_deref()
        .map(InvoiceStatus::parse)
        .transpose()?;
    let requested_agency = params
        .agency_id
        .as_deref()
        .map(|raw| parse_query_id("agency_id", raw))
        .transpose()?;
    let scope = agency_scope(&user)?;
    if scope.is_some() && requested_agency.is_some_and(|agency| Some(agency) != scope) {
        return Ok(HttpResponse::Ok().json(Listing::<Invoice> { items: Vec::new() }));
    }
    let filter = InvoiceFilter {
        agency_id: scope.or(requested_agency),
        launch_id: params
            .launch_id
            .as_deref()
            .map(|raw| parse_query_id("launch_id", raw))
            .transpose()?,
        issued_from: params
            .from
            .as_deref()
            .map(|raw| parse_date("from", raw))
            .transpose()?,
        issued_to: params
            .to
            .as_deref()
            .map(|raw| parse_date("to", raw))
            .transpose()?,
    };
    let today = state.clock.now().date_naive();
    let rows = invoices::list(&state.pool, &filter)
        .await
        .map_err(store_error)?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut payments: HashMap<Uuid, Vec<PaymentRow>> = HashMap::new();
    for payment in invoices::payments_of_invoices(&state.pool, &ids)
        .await
        .map_err(store_error)?
    {
        payments
            .entry(payment.invoice_id)
            .or_default()
            .push(payment);
    }
    let items = rows
        .into_iter()
        .map(|row| {
            let paid = payments.remove(&row.id).unwrap_or_default();
            Invoice::of(row, paid, today)
        })
        .filter(|invoice| status.is_none_or(|wanted| invoice.status == wanted))
        .collect();
    Ok(HttpResponse::Ok().json(Listing { items }))
}

/// The invoice as `user` may see it: an agency only its own (others' are not found).
async fn visible_invoice(
    state: &AdminState,
    user: &CurrentUser,
    raw_id: &str,
) -> Result<InvoiceRow, ApiError> {
    let invoice_id = parse_id(raw_id, "invoice")?;
    let scope = agency_scope(user)?;
    invoices::find(&state.pool, invoice_id)
        .await
        .map_err(store_error)?
        .filter(|invoice| scope.is_none_or(|agency_id| invoice.agency_id == agency_id))
        .ok_or(ApiError::NotFound("invoice"))
}

async fn invoice_view(state: &AdminState, row: InvoiceRow) -> Result<Invoice, ApiError> {
    let payments = invoices::payments_of_invoices(&state.pool, &[row.id])
        .await
        .map_err(store_error)?;
    Ok(Invoice::of(row, payments, state.clock.now().date_naive()))
}

/// One invoice with its payments.
#[utoipa::path(get, path = "/api/admin/invoices/{id}",
    responses((status = 200, body = Invoice), (status = 401), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn get_invoice(
    state: web::Data<AdminState>,
    user: Authorized<only::AgencyOrFinancial>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = visible_invoice(&state, &user, &id).await?;
    Ok(HttpResponse::Ok().json(invoice_view(&state, row).await?))
}

/// The invoice as a PDF download.
#[utoipa::path(get, path = "/api/admin/invoices/{id}/pdf",
    responses((status = 200, content_type = "application/pdf"), (status = 401), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn invoice_pdf(
    state: web::Data<AdminState>,
    user: Authorized<only::AgencyOrFinancial>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = visible_invoice(&state, &user, &id).await?;
    // Rendering is CPU work: off the async threads.
    let (bytes, number) = actix_web::rt::task::spawn_blocking(move || {
        let bytes = invoice_pdf::render(&InvoicePdf {
            number: &row.number,
            issued_on: row.issued_on,
            due_on: row.due_on,
            agency_name: &row.agency_name,
            mission_name: &row.mission_name,
            launch_outcome: &row.launch_outcome,
            lines: &row.lines.0,
            amount_cents: row.amount_cents,
            paid_cents: row.paid_cents,
        });
        (bytes, row.number)
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{number}.pdf\""),
        ))
        .body(bytes))
}

/// Finance sends the invoice to its agency again (the email with the PDF as it stands now).
#[utoipa::path(post, path = "/api/admin/invoices/{id}/resend",
    responses((status = 202, description = "the email is on its way"), (status = 401), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn resend_invoice(
    state: web::Data<AdminState>,
    user: Authorized<only::Financial>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = visible_invoice(&state, &user, &id).await?;
    invoicing::resend_invoice(&state.pool, &row)
        .await
        .map_err(ApiError::internal)?;
    if let Some(relay) = state.relay.get() {
        relay.do_send(Nudge);
    }
    let request_id = current_request_id();
    let invoice_text = row.id.to_string();
    state.audit.info(
        "invoice.resent",
        Subject {
            user_id: Some(user.id()),
            entity_type: Some("invoice"),
            entity_id: Some(&invoice_text),
            request_id: Some(&request_id),
        },
        format!("invoice {} sent again", row.number),
        serde_json::json!({"to": row.agency_email}),
    );
    Ok(HttpResponse::Accepted()
        .json(serde_json::json!({"invoice_id": row.id, "to": row.agency_email})))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    amount_cents: i64,
    /// The day the money arrived (YYYY-MM-DD); today when left out.
    paid_on: Option<String>,
}

/// Finance records a payment: the status follows; more than the balance is refused.
#[utoipa::path(post, path = "/api/admin/invoices/{id}/payments", request_body = PaymentInput,
    responses((status = 201, body = Invoice), (status = 400), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "overpayment: more than the balance")),
    security(("bearer" = [])))]
pub async fn record_payment(
    state: web::Data<AdminState>,
    user: Authorized<only::Financial>,
    id: web::Path<String>,
    input: web::Json<PaymentInput>,
) -> Result<HttpResponse, ApiError> {
    let invoice_id = parse_id(&id, "invoice")?;
    let today = state.clock.now().date_naive();
    let paid_on = match input.paid_on.as_deref() {
        Some(raw) => parse_date("paid_on", raw)?,
        None => today,
    };
    if paid_on > today {
        return Err(ApiError::Validation(
            "paid_on cannot be in the future".to_owned(),
        ));
    }
    let payment = NewPayment {
        invoice_id,
        amount_cents: input.amount_cents,
        paid_on,
        recorded_by: user_uuid(&user)?,
    };
    let stored = invoices::record_payment(&state.pool, &payment, |amount, paid| {
        check_payment(payment.amount_cents, amount, paid)
    })
    .await
    .map_err(|error| match error {
        PaymentError::UnknownInvoice => ApiError::NotFound("invoice"),
        PaymentError::Refused(refusal @ PaymentRefusal::NotPositive) => {
            ApiError::Validation(refusal.to_string())
        }
        PaymentError::Refused(refusal @ PaymentRefusal::Overpayment { .. }) => {
            ApiError::conflict("overpayment", refusal.to_string())
        }
        PaymentError::Store(error) => store_error(error),
    })?;
    let request_id = current_request_id();
    let invoice_text = invoice_id.to_string();
    state.audit.info(
        "invoice.payment_recorded",
        Subject {
            user_id: Some(user.id()),
            entity_type: Some("invoice"),
            entity_id: Some(&invoice_text),
            request_id: Some(&request_id),
        },
        format!("payment of {} cents recorded", stored.amount_cents),
        serde_json::json!({"payment_id": stored.id, "amount_cents": stored.amount_cents, "paid_on": stored.paid_on}),
    );
    let row = invoices::find(&state.pool, invoice_id)
        .await
        .map_err(store_error)?
        .ok_or(ApiError::NotFound("invoice"))?;
    Ok(HttpResponse::Created().json(invoice_view(&state, row).await?))
}
