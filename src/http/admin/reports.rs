//! Reports for finance: revenue per agency and per month over a period, as JSON or CSV.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::{AdminState, parse_date, parse_query_id, store_error};
use crate::domain::revenue::{RevenueReport, revenue_csv_rows, revenue_report};
use crate::http::auth::{Authorized, only};
use crate::http::error::ApiError;
use crate::storage::postgres::invoices;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RevenueParams {
    /// First issue date of the period (YYYY-MM-DD); 1 January of this year when left out.
    from: Option<String>,
    /// Last issue date of the period (YYYY-MM-DD); today when left out.
    to: Option<String>,
    agency_id: Option<String>,
    /// `csv` for a CSV download (or send `Accept: text/csv`).
    format: Option<String>,
}

fn wants_csv(request: &HttpRequest, format: Option<&str>) -> Result<bool, ApiError> {
    match format {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(ApiError::Validation(format!(
            "format {other:?} is not one of csv, json"
        ))),
        None => Ok(request
            .headers()
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/csv"))),
    }
}

fn csv_body(report: &RevenueReport) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in revenue_csv_rows(report) {
        writer.write_record(&row).map_err(ApiError::internal)?;
    }
    writer
        .into_inner()
        .map_err(|error| ApiError::internal(anyhow::anyhow!(error.to_string())))
}

/// Revenue per agency (launches closed, net revenue, fees invoiced, received, pending, reliable)
/// and per month, over the invoices issued in the period.
#[utoipa::path(get, path = "/api/admin/reports/revenue", params(RevenueParams),
    responses((status = 200, body = RevenueReport, description = "JSON, or CSV with format=csv"),
        (status = 400), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn revenue(
    state: web::Data<AdminState>,
    _user: Authorized<only::Financial>,
    request: HttpRequest,
    params: web::Query<RevenueParams>,
) -> Result<HttpResponse, ApiError> {
    let today = state.clock.now().date_naive();
    let from = match params.from.as_deref() {
        Some(raw) => parse_date("from", raw)?,
        None => NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
    };
    let to = match params.to.as_deref() {
        Some(raw) => parse_date("to", raw)?,
        None => today,
    };
    if from > to {
        return Err(ApiError::Validation("from must not be after to".to_owned()));
    }
    let agency_id = params
        .agency_id
        .as_deref()
        .map(|raw| parse_query_id("agency_id", raw))
        .transpose()?;
    let csv = wants_csv(&request, params.format.as_deref())?;
    let invoiced = invoices::invoiced_launches(&state.pool, from, to, agency_id)
        .await
        .map_err(store_error)?;
    let launched = invoices::launched_by_agency(&state.pool, to)
        .await
        .map_err(store_error)?;
    let report = revenue_report(from, to, &invoiced, &launched);
    if csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"revenue-{from}-{to}.csv\""),
            ))
            .body(csv_body(&report)?));
    }
    Ok(HttpResponse::Ok().json(report))
}
