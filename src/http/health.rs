//! `/health/live`, `/health/ready` and `/health/actors` for every role. Readiness asks each store
//! with a short timeout and reads actor heartbeats from the registry (never an actor's mailbox).
//! Live and ready stay open to the probes; the supervision tree is for IT only.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde::Serialize;

use crate::actors::health::{ActorRecord, ActorRegistry};
use crate::http::auth::{Authorized, only};
use crate::http::error::ApiError;
use crate::storage::ReadinessCheck;

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct HealthState {
    pub role: &'static str,
    pub registry: ActorRegistry,
    pub checks: Arc<Vec<Arc<dyn ReadinessCheck>>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReadinessReport {
    pub role: &'static str,
    pub ready: bool,
    pub checks: Vec<CheckOutcome>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CheckOutcome {
    pub name: &'static str,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ActorsReport {
    pub role: &'static str,
    pub actors: Vec<ActorRecord>,
}

pub fn routes(prefix: &str, config: &mut web::ServiceConfig) {
    config
        .route(&format!("{prefix}/health/live"), web::get().to(live))
        .route(&format!("{prefix}/health/ready"), web::get().to(ready))
        .route(&format!("{prefix}/health/actors"), web::get().to(actors));
}

async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "live"}))
}

async fn ready(state: web::Data<HealthState>) -> HttpResponse {
    let mut outcomes = Vec::new();
    for check in state.checks.iter() {
        let outcome = match tokio::time::timeout(CHECK_TIMEOUT, check.check()).await {
            Ok(Ok(())) => CheckOutcome {
                name: check.name(),
                ok: true,
                error: None,
            },
            Ok(Err(error)) => CheckOutcome {
                name: check.name(),
                ok: false,
                error: Some(error),
            },
            Err(_) => CheckOutcome {
                name: check.name(),
                ok: false,
                error: Some("timed out".to_owned()),
            },
        };
        outcomes.push(outcome);
    }
    let actors = match state.registry.all_running() {
        Ok(()) => CheckOutcome {
            name: "actors",
            ok: true,
            error: None,
        },
        Err(error) => CheckOutcome {
            name: "actors",
            ok: false,
            error: Some(error),
        },
    };
    outcomes.push(actors);
    let ready = outcomes.iter().all(|outcome| outcome.ok);
    let report = ReadinessReport {
        role: state.role,
        ready,
        checks: outcomes,
    };
    if ready {
        HttpResponse::Ok().json(report)
    } else {
        HttpResponse::ServiceUnavailable().json(report)
    }
}

async fn actors(
    state: web::Data<HealthState>,
    _it: Authorized<only::It>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(ActorsReport {
        role: state.role,
        actors: state.registry.snapshot(),
    }))
}
