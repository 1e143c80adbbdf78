//! A launch's lifecycle: which status changes the graph of domain.md allows, with their date and
//! reason conditions, and the scheduler's minimum-passenger decision. Pure: the caller passes
//! "now" from its clock.

use chrono::{DateTime, Months, Utc};

use super::RuleViolation;
use super::launch::LaunchStatus;

/// Why a launch got its current status, as told to travellers and the agency.
pub const MAX_REASON_CHARS: usize = 500;
/// The reason the scheduler gives when a launch has fewer booked seats than its minimum.
pub const INSUFFICIENT_PASSENGERS: &str = "insufficient_passengers";
/// How long before its date a launch's minimum passengers are decided.
pub const DECISION_NOTICE: Months = Months::new(3);

/// What someone asks of a launch's status, as parsed from a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRequest {
    pub status: LaunchStatus,
    pub reason: Option<String>,
    pub launch_at: Option<DateTime<Utc>>,
}

/// A launch as a transition is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaunchPosition {
    pub status: LaunchStatus,
    pub launch_at: DateTime<Utc>,
}

/// A transition the rules accept: the launch goes `from` → `to`, dated `launch_at` afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: LaunchStatus,
    pub to: LaunchStatus,
    pub reason: Option<String>,
    pub launch_at: DateTime<Utc>,
}

/// Why a transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionRefusal {
    /// The graph (or the clock, for `launched`) does not allow it now.
    #[error("a {} launch cannot become {}", from.as_str(), to.as_str())]
    NotAllowed {
        from: LaunchStatus,
        to: LaunchStatus,
        allowed: Vec<LaunchStatus>,
    },
    /// Allowed, but the request lacks what it needs (a reason, a new date).
    #[error(transparent)]
    Invalid(#[from] RuleViolation),
}

/// A reason as someone typed it: plain text of at most `MAX_REASON_CHARS` characters.
pub fn parse_reason(raw: &str) -> Result<String, RuleViolation> {
    super::text::parse_plain_text("reason", raw, MAX_REASON_CHARS)
}

/// The statuses a launch may go to next, by the graph and, for `launched`, by the clock.
pub fn allowed_transitions(
    status: LaunchStatus,
    launch_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<LaunchStatus> {
    use LaunchStatus::*;
    [Scheduled, Confirmed, Delayed, Launched, Failed, Aborted]
        .into_iter()
        .filter(|next| status.can_become(*next))
        .filter(|next| *next != Launched || now >= launch_at)
        .collect()
}

/// Checks a transition request against the launch as it stands: the graph first, then what the
/// target status needs (abort: a reason; delay: a future date; only a delay takes a date).
pub fn check_transition(
    launch: LaunchPosition,
    request: TransitionRequest,
    now: DateTime<Utc>,
) -> Result<Transition, TransitionRefusal> {
    let allowed = allowed_transitions(launch.status, launch.launch_at, now);
    if !allowed.contains(&request.status) {
        return Err(TransitionRefusal::NotAllowed {
            from: launch.status,
            to: request.status,
            allowed,
        });
    }
    let launch_at = match (request.status, request.launch_at) {
        (LaunchStatus::Delayed, None) => {
            return Err(RuleViolation::new("a delay needs the new launch_at").into());
        }
        (LaunchStatus::Delayed, Some(new_date)) if new_date <= now => {
            return Err(RuleViolation::new("the new launch_at must be in the future").into());
        }
        (LaunchStatus::Delayed, Some(new_date)) => new_date,
        (_, Some(_)) => {
            return Err(RuleViolation::new("launch_at is given only with a delay").into());
        }
        (_, None) => launch.launch_at,
    };
    if request.status == LaunchStatus::Aborted && request.reason.is_none() {
        return Err(RuleViolation::new("an abort needs a reason").into());
    }
    Ok(Transition {
        from: launch.status,
        to: request.status,
        reason: request.reason,
        launch_at,
    })
}

/// Three calendar months before the launch date (31 May → 28 or 29 February); None only for
/// dates at the edge of what chrono represents.
pub fn decision_point(launch_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    launch_at.checked_sub_months(DECISION_NOTICE)
}

/// A launch as the minimum-passenger decision sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionInput {
    pub status: LaunchStatus,
    /// When the launch was scheduled.
    pub scheduled_at: DateTime<Utc>,
    pub launch_at: DateTime<Utc>,
    pub seats_booked: u64,
    pub minimum_passengers: u32,
}

/// What the scheduler does with one launch now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The decision point has not come yet.
    NotYetDue,
    /// Not the scheduler's to decide: no longer scheduled (decided already, or changed by its
    /// agency), or scheduled inside the window.
    LeftToAgency,
    Confirm,
    /// Abort with reason `INSUFFICIENT_PASSENGERS`.
    Abort,
}

/// The minimum-passenger rule of domain.md.
pub fn decide_minimum_passengers(launch: DecisionInput, now: DateTime<Utc>) -> Decision {
    let Some(point) = decision_point(launch.launch_at) else {
        return Decision::LeftToAgency;
    };
    if launch.status != LaunchStatus::Scheduled || launch.scheduled_at >= point {
        return Decision::LeftToAgency;
    }
    if now < point {
        return Decision::NotYetDue;
    }
    if launch.seats_booked >= u64::from(launch.minimum_passengers) {
        Decision::Confirm
    } else {
        Decision::Abort
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LaunchStatus::*;
    use chrono::{Duration, TimeZone};

    const ALL: [LaunchStatus; 6] = [Scheduled, Confirmed, Delayed, Launched, Failed, Aborted];

    fn at(year: i32, month: u32, day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(year, month, day, hour, 0, 0).unwrap()
    }

    fn now() -> DateTime<Utc> {
        at(2027, 1, 10, 12)
    }

    fn plain(status: LaunchStatus) -> TransitionRequest {
        TransitionRequest {
            status,
            reason: None,
            launch_at: None,
        }
    }

    /// A request that carries whatever its target needs.
    fn complete(status: LaunchStatus) -> TransitionRequest {
        TransitionRequest {
            status,
            reason: (status == Aborted).then(|| "weather".to_owned()),
            launch_at: (status == Delayed).then(|| now() + Duration::days(30)),
        }
    }

    #[test]
    fn every_edge_of_the_graph_is_allowed_and_every_other_refused() {
        let graph = [
            (Scheduled, Confirmed),
            (Scheduled, Delayed),
            (Scheduled, Aborted),
            (Confirmed, Delayed),
            (Confirmed, Launched),
            (Confirmed, Failed),
            (Confirmed, Aborted),
            (Delayed, Scheduled),
            (Delayed, Confirmed),
            (Delayed, Aborted),
        ];
        // The launch date has come, so `launched` is not held back by the clock.
        let launch = |status| LaunchPosition {
            status,
            launch_at: now() - Duration::hours(1),
        };
        for from in ALL {
            for to in ALL {
                let outcome = check_transition(launch(from), complete(to), now());
                if graph.contains(&(from, to)) {
                    let transition = outcome
                        .unwrap_or_else(|refusal| panic!("{from:?} → {to:?} refused: {refusal}"));
                    assert_eq!((transition.from, transition.to), (from, to));
                } else {
                    assert!(
                        matches!(outcome, Err(TransitionRefusal::NotAllowed { .. })),
                        "{from:?} → {to:?} allowed"
                    );
                }
            }
        }
    }

    #[test]
    fn final_statuses_allow_nothing() {
        for status in [Launched, Failed, Aborted] {
            assert!(allowed_transitions(status, now(), now()).is_empty());
        }
    }

    #[test]
    fn launched_only_at_or_after_the_launch_date() {
        let launch_at = now() + Duration::minutes(1);
        let confirmed = LaunchPosition {
            status: Confirmed,
            launch_at,
        };
        assert_eq!(
            allowed_transitions(Confirmed, launch_at, now()),
            vec![Delayed, Failed, Aborted]
        );
        match check_transition(confirmed, plain(Launched), now()) {
            Err(TransitionRefusal::NotAllowed { allowed, .. }) => {
                assert_eq!(allowed, vec![Delayed, Failed, Aborted])
            }
            other => panic!("launched before its date: {other:?}"),
        }
        assert!(check_transition(confirmed, plain(Launched), launch_at).is_ok());
        assert!(
            check_transition(confirmed, plain(Launched), launch_at + Duration::days(1)).is_ok()
        );
    }

    #[test]
    fn a_delay_needs_a_future_date_and_takes_it() {
        let scheduled = LaunchPosition {
            status: Scheduled,
            launch_at: now() + Duration::days(10),
        };
        let refused = |launch_at| {
            check_transition(
                scheduled,
                TransitionRequest {
                    launch_at,
                    ..plain(Delayed)
                },
                now(),
            )
        };
        assert!(matches!(refused(None), Err(TransitionRefusal::Invalid(_))));
        assert!(matches!(
            refused(Some(now())),
            Err(TransitionRefusal::Invalid(_))
        ));
        assert!(matches!(
            refused(Some(now() - Duration::days(1))),
            Err(TransitionRefusal::Invalid(_))
        ));
        let new_date = now() + Duration::days(90);
        assert_eq!(refused(Some(new_date)).unwrap().launch_at, new_date);
    }

    #[test]
    fn only_a_delay_takes_a_date_and_others_keep_theirs() {
        let launch_at = now() + Duration::days(10);
        let delayed = LaunchPosition {
            status: Delayed,
            launch_at,
        };
        let with_date = TransitionRequest {
            launch_at: Some(now() + Duration::days(20)),
            ..plain(Confirmed)
        };
        assert!(matches!(
            check_transition(delayed, with_date, now()),
            Err(TransitionRefusal::Invalid(_))
        ));
        assert_eq!(
            check_transition(delayed, plain(Scheduled), now())
                .unwrap()
                .launch_at,
            launch_at
        );
    }

    #[test]
    fn an_abort_needs_a_reason() {
        let confirmed = LaunchPosition {
            status: Confirmed,
            launch_at: now() + Duration::days(10),
        };
        assert!(matches!(
            check_transition(confirmed, plain(Aborted), now()),
            Err(TransitionRefusal::Invalid(_))
        ));
        let transition = check_transition(confirmed, complete(Aborted), now()).unwrap();
        assert_eq!(transition.reason.as_deref(), Some("weather"));
    }

    #[test]
    fn reasons_are_plain_text_of_bounded_length() {
        assert_eq!(parse_reason("  storm  ").unwrap(), "storm");
        assert!(parse_reason("").is_err());
        assert!(parse_reason(&"x".repeat(MAX_REASON_CHARS)).is_ok());
        assert!(parse_reason(&"x".repeat(MAX_REASON_CHARS + 1)).is_err());
        assert!(parse_reason("<b>storm</b>").is_err());
    }

    #[test]
    fn the_decision_point_is_three_calendar_months_before() {
        assert_eq!(decision_point(at(2027, 5, 31, 9)), Some(at(2027, 2, 28, 9)));
        assert_eq!(decision_point(at(2028, 5, 31, 9)), Some(at(2028, 2, 29, 9)));
        assert_eq!(decision_point(at(2027, 7, 15, 9)), Some(at(2027, 4, 15, 9)));
        assert_eq!(decision_point(at(2027, 3, 1, 0)), Some(at(2026, 12, 1, 0)));
    }

    fn scheduled_long_ago(seats_booked: u64) -> DecisionInput {
        DecisionInput {
            status: Scheduled,
            scheduled_at: at(2026, 6, 1, 0),
            launch_at: at(2027, 5, 31, 9),
            seats_booked,
            minimum_passengers: 3,
        }
    }

    #[test]
    fn the_decision_waits_for_its_point_then_confirms_or_aborts() {
        let point = at(2027, 2, 28, 9);
        let launch = scheduled_long_ago(3);
        assert_eq!(
            decide_minimum_passengers(launch, point - Duration::seconds(1)),
            Decision::NotYetDue
        );
        assert_eq!(decide_minimum_passengers(launch, point), Decision::Confirm);
        assert_eq!(
            decide_minimum_passengers(scheduled_long_ago(4), point),
            Decision::Confirm
        );
        assert_eq!(
            decide_minimum_passengers(scheduled_long_ago(2), point + Duration::days(1)),
            Decision::Abort
        );
        assert_eq!(
            decide_minimum_passengers(scheduled_long_ago(0), point),
            Decision::Abort
        );
    }

    #[test]
    fn a_launch_scheduled_inside_the_window_is_left_to_its_agency() {
        let point = at(2027, 2, 28, 9);
        for scheduled_at in [point, point + Duration::days(1)] {
            let launch = DecisionInput {
                scheduled_at,
                ..scheduled_long_ago(0)
            };
            assert_eq!(
                decide_minimum_passengers(launch, point + Duration::days(2)),
                Decision::LeftToAgency
            );
        }
        let just_before = DecisionInput {
            scheduled_at: point - Duration::minutes(1),
            ..scheduled_long_ago(0)
        };
        assert_eq!(
            decide_minimum_passengers(just_before, point),
            Decision::Abort
        );
    }

    #[test]
    fn a_launch_no_longer_scheduled_is_not_decided_again() {
        for status in [Confirmed, Delayed, Launched, Failed, Aborted] {
            let launch = DecisionInput {
                status,
                ..scheduled_long_ago(0)
            };
            assert_eq!(
                decide_minimum_passengers(launch, at(2027, 3, 1, 0)),
                Decision::LeftToAgency
            );
        }
    }
}
