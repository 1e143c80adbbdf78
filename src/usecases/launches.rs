//! What agencies and the scheduler do with launches: schedule one, change its status (every
//! transition of the graph, an abort among them), decide its minimum passengers, and read it
//! with what its agency needs to see. Callable from any role: no HTTP types here; the caller
//! passes who acts and the request id, and the clock says what "now" is.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::actors::audit_log::{AuditLog, Subject};
use crate::actors::supervisor::AddressSlot;
use crate::actors::sync::OutboxRelay;
use crate::actors::sync::outbox_relay::Nudge;
use crate::clock::SharedClock;
use crate::domain::RuleViolation;
use crate::domain::launch::{LaunchRequest, LaunchStatus, NewLaunch, Reach, StatusChange};
use crate::domain::lifecycle::{
    self, Decision, DecisionInput, INSUFFICIENT_PASSENGERS, LaunchPosition, TransitionRefusal,
    TransitionRequest,
};
use crate::storage::amqp::events::{LAUNCH_CHANGED, LAUNCH_SCHEDULED, LaunchSnapshot};
use crate::storage::amqp::{EventEnvelope, Origin};
use crate::storage::postgres::launches::{
    self, InsertLaunchError, LaunchRow, PassengerRow, StatusChangeError, StatusChangeWrite,
};
use crate::storage::postgres::profiles::{self, AgencyRow};
use crate::storage::postgres::rockets;

/// What the launch use cases refuse, mapped to HTTP once (`http::error`).
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(transparent)]
    Invalid(#[from] RuleViolation),
    /// The graph (or the clock) does not allow this change now; `allowed` is what it allows.
    #[error("a {} launch cannot become {}", from.as_str(), to.as_str())]
    InvalidTransition {
        from: LaunchStatus,
        to: LaunchStatus,
        allowed: Vec<LaunchStatus>,
    },
    #[error("the launch changed meanwhile; reload and try again")]
    ChangedMeanwhile,
    #[error("could not give the launch a unique slug")]
    SlugUnavailable,
    #[error("the rocket was changed or deactivated meanwhile; reload and try again")]
    RocketChanged,
    #[error("the store failed")]
    Store(#[source] anyhow::Error),
}

impl From<sqlx::Error> for LaunchError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

impl From<TransitionRefusal> for LaunchError {
    fn from(refusal: TransitionRefusal) -> Self {
        match refusal {
            TransitionRefusal::NotAllowed { from, to, allowed } => {
                Self::InvalidTransition { from, to, allowed }
            }
            TransitionRefusal::Invalid(violation) => Self::Invalid(violation),
        }
    }
}

/// An agency acting on its own launches (as its token names it).
#[derive(Debug, Clone)]
pub struct AgencyCaller {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

/// Who changes a launch's status.
#[derive(Debug, Clone)]
pub enum ChangedBy {
    /// Its agency: only its own launches are found.
    Agency(AgencyCaller),
    /// The minimum-passenger decision.
    Scheduler,
}

impl ChangedBy {
    /// As the status history records it.
    fn recorded_as(&self) -> String {
        match self {
            Self::Agency(agency) => agency.id.to_string(),
            Self::Scheduler => "scheduler".to_owned(),
        }
    }

    fn service(&self) -> &'static str {
        match self {
            Self::Agency(_) => "admin",
            Self::Scheduler => "scheduler",
        }
    }
}

/// Which launches a reader sees: one agency's, or all (financial and IT).
#[derive(Debug, Clone, Copy)]
pub enum LaunchScope {
    Agency(Uuid),
    All,
}

impl LaunchScope {
    fn agency(self) -> Option<Uuid> {
        match self {
            Self::Agency(id) => Some(id),
            Self::All => None,
        }
    }
}

/// A launch as its agency and the staff see it: the stored row, its history, what it may
/// become next by the clock, and its occupancy.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Launch {
    #[serde(flatten)]
    pub row: LaunchRow,
    /// Every status change, oldest first.
    pub status_history: Vec<StatusChange>,
    pub allowed_transitions: Vec<LaunchStatus>,
    pub seats_free: i64,
    /// seats_sold / capacity × 100, one decimal.
    pub occupancy_percent: f64,
}

impl Launch {
    fn new(row: LaunchRow, status_history: Vec<StatusChange>, now: DateTime<Utc>) -> Self {
        let allowed_transitions = LaunchStatus::parse(&row.status)
            .map(|status| lifecycle::allowed_transitions(status, row.launch_at, now))
            .unwrap_or_default();
        let capacity = i64::from(row.capacity);
        let seats_free = (capacity - row.seats_sold).max(0);
        let occupancy_percent = if capacity > 0 {
            // Seat counts are far below 2^52: exact as floats.
            #[allow(clippy::cast_precision_loss)]
            let ratio = row.seats_sold as f64 / capacity as f64;
            (ratio * 1000.0).round() / 10.0
        } else {
            0.0
        };
        Self {
            row,
            status_history,
            allowed_transitions,
            seats_free,
            occupancy_percent,
        }
    }
}

/// What one minimum-passenger decision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    /// The launch had enough booked seats and is confirmed now.
    Confirmed,
    /// The launch had too few and is aborted now (reason `insufficient_passengers`).
    Aborted,
    /// Nothing changed: not due yet, not the scheduler's to decide, or decided already (by an
    /// earlier run, another scheduler process or its agency).
    Unchanged,
}

/// The launch event snapshot, built here only: the launch as `row` gives it, with its history.
/// The launch as its events carry it: the one place a `LaunchSnapshot` is built.
pub fn snapshot(
    row: &LaunchRow,
    agency: &AgencyRow,
    status_history: Vec<StatusChange>,
) -> Result<LaunchSnapshot, LaunchError> {
    let out_of_range = |field: &str| {
        LaunchError::Store(anyhow::anyhow!("launch {}: {field} out of range", row.id))
    };
    Ok(LaunchSnapshot {
        launch_id: row.id.to_string(),
        agency_id: row.agency_id.to_string(),
        agency_name: agency.name.clone(),
        agency_email: agency.contact_email.clone(),
        rocket_name: row.rocket_name.clone(),
        mission_name: row.mission_name.clone(),
        spaceport: row.spaceport.clone(),
        destination: Reach::parse(&row.destination)?,
        launch_at: row.launch_at,
        price_per_seat_cents: row.price_per_seat_cents,
        minimum_passengers: u32::try_from(row.minimum_passengers)
            .map_err(|_| out_of_range("minimum_passengers"))?,
        capacity: u32::try_from(row.capacity).map_err(|_| out_of_range("capacity"))?,
        status: LaunchStatus::parse(&row.status)?,
        slug: row.slug.clone(),
        status_reason: row.status_reason.clone(),
        revision: u32::try_from(row.revision).map_err(|_| out_of_range("revision"))?,
        status_history,
    })
}

fn event(
    event_type: &str,
    origin: Origin,
    request_id: Option<String>,
    snapshot: &LaunchSnapshot,
    at: DateTime<Utc>,
) -> Result<EventEnvelope, LaunchError> {
    let data = serde_json::to_value(snapshot).map_err(|error| LaunchError::Store(error.into()))?;
    let mut envelope = EventEnvelope::new(event_type, origin, request_id, data);
    envelope.occurred_at = at;
    Ok(envelope)
}

/// The launch use cases with what they write to: the operations DB (launch, history and outbox
/// in one transaction), the audit log, the outbox relay (nudged after a write) and the clock.
#[derive(Clone)]
pub struct LaunchUseCases {
    pub pool: PgPool,
    pub audit: AuditLog,
    pub relay: AddressSlot<OutboxRelay>,
    pub clock: SharedClock,
}

impl LaunchUseCases {
    fn nudge_relay(&self) {
        if let Some(relay) = self.relay.get() {
            relay.do_send(Nudge);
        }
    }

    async fn view(&self, row: LaunchRow) -> Result<Launch, LaunchError> {
        let mut histories = launches::histories(&self.pool, &[row.id]).await?;
        let history = histories.remove(&row.id).unwrap_or_default();
        Ok(Launch::new(row, history, self.clock.now()))
    }

    async fn find_in(&self, launch_id: Uuid, scope: LaunchScope) -> Result<LaunchRow, LaunchError> {
        launches::find(&self.pool, launch_id)
            .await?
            .filter(|launch| {
                scope
                    .agency()
                    .is_none_or(|agency_id| launch.agency_id == agency_id)
            })
            .ok_or(LaunchError::NotFound("launch"))
    }

    /// The launches the scope sees, by date.
    pub async fn list(&self, scope: LaunchScope) -> Result<Vec<Launch>, LaunchError> {
        let rows = launches::list(&self.pool, scope.agency()).await?;
        let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
        let mut histories = launches::histories(&self.pool, &ids).await?;
        let now = self.clock.now();
        Ok(rows
            .into_iter()
            .map(|row| {
                let history = histories.remove(&row.id).unwrap_or_default();
                Launch::new(row, history, now)
            })
            .collect())
    }

    /// One launch, if the scope sees it.
    pub async fn get(&self, launch_id: Uuid, scope: LaunchScope) -> Result<Launch, LaunchError> {
        let row = self.find_in(launch_id, scope).await?;
        self.view(row).await
    }

    /// The passengers of the launch's active bookings, if the scope sees the launch.
    pub async fn passengers(
        &self,
        launch_id: Uuid,
        scope: LaunchScope,
    ) -> Result<Vec<PassengerRow>, LaunchError> {
        let launch = self.find_in(launch_id, scope).await?;
        Ok(launches::passengers(&self.pool, launch.id).await?)
    }

    /// Schedules a launch on one of the agency's active rockets; it reaches the customer API
    /// through the outbox.
    pub async fn schedule(
        &self,
        agency: &AgencyCaller,
        rocket_id: Uuid,
        request: LaunchRequest<'_>,
        request_id: Option<String>,
    ) -> Result<Launch, LaunchError> {
        let rocket = rockets::find(&self.pool, rocket_id)
            .await?
            .filter(|rocket| rocket.agency_id == agency.id)
            .ok_or(LaunchError::NotFound("rocket"))?;
        if !rocket.active {
            return Err(RuleViolation::new("the rocket is deactivated").into());
        }
        let reach = Reach::parse(&rocket.reach)?;
        let capacity = u32::try_from(rocket.capacity)
            .map_err(|_| LaunchError::Store(anyhow::anyhow!("negative capacity")))?;
        let now = self.clock.now();
        let launch = NewLaunch::parse(request, &rocket.name, reach, capacity, now)?;
        let agency_row =
            profiles::ensure_agency(&self.pool, agency.id, &agency.name, &agency.email).await?;
        let launch_id = Uuid::new_v4();
        let first = StatusChange {
            from: None,
            to: LaunchStatus::Scheduled,
            at: now,
            by: agency.id.to_string(),
            reason: None,
        };
        let mut row = LaunchRow {
            id: launch_id,
            agency_id: agency.id,
            rocket_id,
            rocket_name: rocket.name.clone(),
            mission_name: launch.mission_name.clone(),
            spaceport: launch.spaceport.clone(),
            destination: launch.destination.as_str().to_owned(),
            launch_at: launch.launch_at,
            price_per_seat_cents: launch.price_per_seat_cents,
            minimum_passengers: i32::try_from(launch.minimum_passengers).unwrap_or(i32::MAX),
            capacity: rocket.capacity,
            seats_sold: 0,
            status: LaunchStatus::Scheduled.as_str().to_owned(),
            status_reason: None,
            revenue_cents: 0,
            refunds_cents: 0,
            revision: 0,
            slug: launch.slug.clone(),
            created_at: now,
        };
        let origin = Origin {
            service: "admin".to_owned(),
            user_id: Some(agency.id.to_string()),
            action: "schedule_launch".to_owned(),
        };
        for attempt in 0..3 {
            let announced = snapshot(&row, &agency_row, vec![first.clone()])?;
            let event = event(
                LAUNCH_SCHEDULED,
                origin.clone(),
                request_id.clone(),
                &announced,
                now,
            )?;
            match launches::insert(&self.pool, &row, &rocket, &event).await {
                Ok(()) => break,
                // Same rocket, spaceport, destination and day: keep the slug readable, make it
                // unique.
                Err(InsertLaunchError::SlugTaken) if attempt < 2 => {
                    let suffix = launch_id.simple().to_string();
                    row.slug = format!(
                        "{}-{}",
                        launch.slug,
                        suffix.get(..6 + attempt * 4).unwrap_or_default()
                    );
                }
                Err(InsertLaunchError::SlugTaken) => return Err(LaunchError::SlugUnavailable),
                Err(InsertLaunchError::RocketChanged) => return Err(LaunchError::RocketChanged),
                Err(InsertLaunchError::Store(error)) => return Err(error.into()),
            }
        }
        self.nudge_relay();
        let launch_text = launch_id.to_string();
        let agency_text = agency.id.to_string();
        self.audit.info(
            "launch.scheduled",
            Subject {
                user_id: Some(&agency_text),
                entity_type: Some("launch"),
                entity_id: Some(&launch_text),
                request_id: request_id.as_deref(),
            },
            format!("launch {} scheduled", launch.mission_name),
            serde_json::json!({"slug": row.slug, "launch_at": launch.launch_at}),
        );
        let stored = self.find_in(launch_id, LaunchScope::All).await?;
        self.view(stored).await
    }

    /// Changes a launch's status as `request` asks, if the graph, the clock and the request's
    /// reason and date allow it: the launch, its history row and `launch.changed.v1` (with the
    /// whole history) are written in one transaction, fenced by the revision that was read.
    pub async fn change_status(
        &self,
        by: &ChangedBy,
        launch_id: Uuid,
        request: TransitionRequest,
        request_id: Option<String>,
    ) -> Result<Launch, LaunchError> {
        let scope = match by {
            ChangedBy::Agency(agency) => LaunchScope::Agency(agency.id),
            ChangedBy::Scheduler => LaunchScope::All,
        };
        let row = self.find_in(launch_id, scope).await?;
        let now = self.clock.now();
        let position = LaunchPosition {
            status: LaunchStatus::parse(&row.status)?,
            launch_at: row.launch_at,
        };
        let transition = lifecycle::check_transition(position, request, now)?;
        let agency = profiles::agency(&self.pool, row.agency_id)
            .await?
            .ok_or(LaunchError::NotFound("agency"))?;
        let mut history = launches::histories(&self.pool, &[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default();
        let change = StatusChange {
            from: Some(transition.from),
            to: transition.to,
            at: now,
            by: by.recorded_as(),
            reason: transition.reason.clone(),
        };
        history.push(change.clone());
        let changed = LaunchRow {
            status: transition.to.as_str().to_owned(),
            status_reason: transition.reason.clone(),
            launch_at: transition.launch_at,
            revision: row.revision + 1,
            ..row.clone()
        };
        let origin = Origin {
            service: by.service().to_owned(),
            user_id: match by {
                ChangedBy::Agency(agency) => Some(agency.id.to_string()),
                ChangedBy::Scheduler => None,
            },
            action: format!("launch_{}", transition.to.as_str()),
        };
        let announced = snapshot(&changed, &agency, history)?;
        let event = event(LAUNCH_CHANGED, origin, request_id.clone(), &announced, now)?;
        let write = StatusChangeWrite {
            launch_id,
            revision: row.revision,
            change: &change,
            launch_at: transition.launch_at,
        };
        match launches::change_status(&self.pool, &write, &event).await {
            Ok(()) => {}
            Err(StatusChangeError::Changed) => return Err(LaunchError::ChangedMeanwhile),
            Err(StatusChangeError::Store(error)) => return Err(error.into()),
        }
        self.nudge_relay();
        let launch_text = launch_id.to_string();
        let by_text = change.by.clone();
        self.audit.info(
            &format!("launch.{}", transition.to.as_str()),
            Subject {
                user_id: Some(&by_text),
                entity_type: Some("launch"),
                entity_id: Some(&launch_text),
                request_id: request_id.as_deref(),
            },
            format!(
                "launch {} {} → {}",
                row.mission_name,
                transition.from.as_str(),
                transition.to.as_str()
            ),
            serde_json::json!({
                "from": transition.from.as_str(),
                "to": transition.to.as_str(),
                "reason": transition.reason,
                "launch_at": transition.launch_at,
                "previous_launch_at": row.launch_at,
                "revision": changed.revision,
            }),
        );
        let stored = self.find_in(launch_id, LaunchScope::All).await?;
        self.view(stored).await
    }

    /// The launches due for a minimum-passenger decision by the clock now.
    pub async fn launches_due_for_decision(&self) -> Result<Vec<Uuid>, LaunchError> {
        Ok(launches::due_for_decision(&self.pool, self.clock.now()).await?)
    }

    /// Decides one launch's minimum passengers (domain.md): confirms it if its booked seats
    /// reach the minimum, else aborts it with reason `insufficient_passengers`. Idempotent: a
    /// launch decided already (or changed meanwhile, the revision fence refusing a second
    /// change) is left as it is and `Unchanged` is returned.
    pub async fn decide_minimum_passengers(
        &self,
        launch_id: Uuid,
    ) -> Result<DecisionOutcome, LaunchError> {
        let row = self.find_in(launch_id, LaunchScope::All).await?;
        let input = DecisionInput {
            status: LaunchStatus::parse(&row.status)?,
            scheduled_at: row.created_at,
            launch_at: row.launch_at,
            seats_booked: u64::try_from(row.seats_sold).unwrap_or(0),
            minimum_passengers: u32::try_from(row.minimum_passengers).unwrap_or(u32::MAX),
        };
        let (request, outcome) = match lifecycle::decide_minimum_passengers(input, self.clock.now())
        {
            Decision::NotYetDue | Decision::LeftToAgency => {
                return Ok(DecisionOutcome::Unchanged);
            }
            Decision::Confirm => (
                TransitionRequest {
                    status: LaunchStatus::Confirmed,
                    reason: None,
                    launch_at: None,
                },
                DecisionOutcome::Confirmed,
            ),
            Decision::Abort => (
                TransitionRequest {
                    status: LaunchStatus::Aborted,
                    reason: Some(INSUFFICIENT_PASSENGERS.to_owned()),
                    launch_at: None,
                },
                DecisionOutcome::Aborted,
            ),
        };
        match self
            .change_status(&ChangedBy::Scheduler, launch_id, request, None)
            .await
        {
            Ok(_) => Ok(outcome),
            // Decided or changed by someone else between the read and the write.
            Err(LaunchError::ChangedMeanwhile | LaunchError::InvalidTransition { .. }) => {
                Ok(DecisionOutcome::Unchanged)
            }
            Err(error) => Err(error),
        }
    }
}
