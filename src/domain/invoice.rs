//! The platform's invoices to agencies: the fee of a closed launch, the invoice number, the
//! status that follows from payments and dates, and when an overdue invoice is reminded.
//! domain.md, Money: 1 % of net revenue, 0.8 % for a reliable agency, a flat 1,000.00 for an abort.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::RuleViolation;

/// The fee on a launched launch, in basis points of its net revenue (100 = 1 %).
pub const STANDARD_FEE_BASIS_POINTS: i64 = 100;
/// The fee of a reliable agency (0.8 %).
pub const RELIABLE_FEE_BASIS_POINTS: i64 = 80;
/// An agency with at least this many launched launches before this one is reliable.
pub const RELIABLE_AFTER_LAUNCHED: u32 = 2;
/// The flat fee of an aborted launch (1,000.00).
pub const ABORTED_LAUNCH_FEE_CENTS: i64 = 100_000;
const BASIS_POINTS_PER_WHOLE: i128 = 10_000;

/// Payment term and reminder interval (configuration; domain.md: 30 days, then every 7 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceTerms {
    pub payment_term_days: u32,
    pub reminder_every_days: u32,
}

/// How a launch closed, with what the fee depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedLaunch {
    Launched {
        paid_cents: i64,
        refunds_cents: i64,
        /// The agency's launched launches before this one.
        launched_before: u32,
    },
    Aborted,
}

/// One line of an invoice: what was charged and how it was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InvoiceLine {
    pub description: String,
    /// What the fee was computed on (the net revenue), when it is a share of it.
    pub basis_cents: Option<i64>,
    /// The share in basis points (100 = 1 %), when it is a share.
    pub rate_basis_points: Option<i64>,
    pub amount_cents: i64,
}

/// The fee of a closed launch: its lines and their total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    pub lines: Vec<InvoiceLine>,
    pub amount_cents: i64,
    pub reliable: bool,
}

/// `part / whole` of `amount`, rounded half up to the cent (amounts are never negative here).
fn share_rounded_half_up(amount_cents: i64, basis_points: i64) -> i64 {
    let scaled = i128::from(amount_cents) * i128::from(basis_points);
    let rounded = (scaled + BASIS_POINTS_PER_WHOLE / 2) / BASIS_POINTS_PER_WHOLE;
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

pub fn is_reliable(launched_before: u32) -> bool {
    launched_before >= RELIABLE_AFTER_LAUNCHED
}

/// The fee the platform charges for a closed launch. Net revenue is what travellers paid minus
/// refunds (never below zero); the share is rounded half up to the cent.
pub fn fee_for(launch: ClosedLaunch) -> Fee {
    match launch {
        ClosedLaunch::Aborted => Fee {
            lines: vec![InvoiceLine {
                description: "Flat fee for an aborted launch".to_owned(),
                basis_cents: None,
                rate_basis_points: None,
                amount_cents: ABORTED_LAUNCH_FEE_CENTS,
            }],
            amount_cents: ABORTED_LAUNCH_FEE_CENTS,
            reliable: false,
        },
        ClosedLaunch::Launched {
            paid_cents,
            refunds_cents,
            launched_before,
        } => {
            let net_cents = paid_cents.saturating_sub(refunds_cents).max(0);
            let reliable = is_reliable(launched_before);
            let rate = if reliable {
                RELIABLE_FEE_BASIS_POINTS
            } else {
                STANDARD_FEE_BASIS_POINTS
            };
            let amount_cents = share_rounded_half_up(net_cents, rate);
            let description = format!(
                "{} of net revenue {} (paid {} minus refunds {}){}",
                percent(rate),
                super::money::dollars(net_cents),
                super::money::dollars(paid_cents),
                super::money::dollars(refunds_cents),
                if reliable {
                    format!(
                        ", reliable agency rate ({launched_before} launched launches before this one)"
                    )
                } else {
                    String::new()
                }
            );
            Fee {
                lines: vec![InvoiceLine {
                    description,
                    basis_cents: Some(net_cents),
                    rate_basis_points: Some(rate),
                    amount_cents,
                }],
                amount_cents,
                reliable,
            }
        }
    }
}

/// 100 → "1 %", 80 → "0.8 %".
fn percent(basis_points: i64) -> String {
    let whole = basis_points / 100;
    let rest = basis_points % 100;
    if rest == 0 {
        format!("{whole} %")
    } else {
        let decimals = format!("{rest:02}");
        format!("{whole}.{} %", decimals.trim_end_matches('0'))
    }
}

/// `INV-<year>-<seq>`, the sequence zero-padded to four digits (more when it grows past them).
pub fn invoice_number(year: i32, sequence: i64) -> String {
    format!("INV-{year}-{sequence:04}")
}

/// The due date: the issue date plus the payment term.
pub fn due_on(issued_on: NaiveDate, payment_term_days: u32) -> NaiveDate {
    issued_on
        .checked_add_days(Days::new(u64::from(payment_term_days)))
        .unwrap_or(NaiveDate::MAX)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Pending,
    PartiallyPaid,
    Paid,
    Overdue,
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Pending => "pending",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Overdue => "overdue",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, RuleViolation> {
        match raw {
            "pending" => Ok(InvoiceStatus::Pending),
            "partially_paid" => Ok(InvoiceStatus::PartiallyPaid),
            "paid" => Ok(InvoiceStatus::Paid),
            "overdue" => Ok(InvoiceStatus::Overdue),
            other => Err(RuleViolation::new(format!(
                "{other:?} is not one of pending, partially_paid, paid, overdue"
            ))),
        }
    }

    /// The status that payments and the date give: paid once fully paid; overdue from the day
    /// after the due date while not fully paid; otherwise partially paid or pending.
    pub fn of(amount_cents: i64, paid_cents: i64, due_on: NaiveDate, today: NaiveDate) -> Self {
        if paid_cents >= amount_cents {
            InvoiceStatus::Paid
        } else if today > due_on {
            InvoiceStatus::Overdue
        } else if paid_cents > 0 {
            InvoiceStatus::PartiallyPaid
        } else {
            InvoiceStatus::Pending
        }
    }
}

/// Why a payment is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentRefusal {
    #[error("a payment must be a positive amount of cents")]
    NotPositive,
    #[error("the payment of {amount_cents} cents is more than the {balance_cents} cents still due")]
    Overpayment {
        amount_cents: i64,
        balance_cents: i64,
    },
}

/// A payment accepted against an invoice's balance.
pub fn check_payment(
    amount_cents: i64,
    invoice_amount_cents: i64,
    paid_cents: i64,
) -> Result<(), PaymentRefusal> {
    if amount_cents <= 0 {
        return Err(PaymentRefusal::NotPositive);
    }
    let balance_cents = invoice_amount_cents.saturating_sub(paid_cents);
    if amount_cents > balance_cents {
        return Err(PaymentRefusal::Overpayment {
            amount_cents,
            balance_cents,
        });
    }
    Ok(())
}

/// Whether an overdue invoice gets a reminder today: the first on the first day it is overdue
/// (or the first run after), then one every `every_days` while it stays overdue.
pub fn reminder_due(
    status: InvoiceStatus,
    last_reminded_on: Option<NaiveDate>,
    today: NaiveDate,
    every_days: u32,
) -> bool {
    if status != InvoiceStatus::Overdue {
        return false;
    }
    match last_reminded_on {
        None => true,
        Some(last) => last
            .checked_add_days(Days::new(u64::from(every_days)))
            .is_some_and(|next| today >= next),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn launched(paid_cents: i64, refunds_cents: i64, launched_before: u32) -> ClosedLaunch {
        ClosedLaunch::Launched {
            paid_cents,
            refunds_cents,
            launched_before,
        }
    }

    #[test]
    fn the_fee_is_one_percent_of_net_revenue_and_less_for_a_reliable_agency() {
        // domain.md: net 900,000.00 → 9,000.00, or 7,200.00 for a reliable agency.
        let standard = fee_for(launched(100_000_000, 10_000_000, 1));
        assert_eq!(standard.amount_cents, 900_000);
        assert!(!standard.reliable);
        assert_eq!(standard.lines.len(), 1);
        assert_eq!(standard.lines[0].basis_cents, Some(90_000_000));
        assert_eq!(standard.lines[0].rate_basis_points, Some(100));
        assert!(standard.lines[0].description.starts_with(
            "1 % of net revenue $900,000.00 (paid $1,000,000.00 minus refunds $100,000.00)"
        ));
        let reliable = fee_for(launched(90_000_000, 0, 2));
        assert_eq!(reliable.amount_cents, 720_000);
        assert!(reliable.reliable);
        assert!(
            reliable.lines[0]
                .description
                .starts_with("0.8 % of net revenue")
        );
    }

    #[test]
    fn an_aborted_launch_costs_a_flat_thousand() {
        let fee = fee_for(ClosedLaunch::Aborted);
        assert_eq!(fee.amount_cents, 100_000);
        assert_eq!(fee.lines[0].amount_cents, 100_000);
        assert_eq!(fee.lines[0].rate_basis_points, None);
    }

    #[test]
    fn shares_round_half_up_to_the_cent() {
        // 1 % of 12,345.50 is 123.455 → 123.46; of 12,345.49 it is 123.4549 → 123.45.
        assert_eq!(fee_for(launched(1_234_550, 0, 0)).amount_cents, 12_346);
        assert_eq!(fee_for(launched(1_234_549, 0, 0)).amount_cents, 12_345);
        // 0.8 % of 0.62 is 0.00496 → 0.00; of 0.63 it is 0.00504 → 0.01.
        assert_eq!(fee_for(launched(62, 0, 5)).amount_cents, 0);
        assert_eq!(fee_for(launched(63, 0, 5)).amount_cents, 1);
        // Refunds above what was paid leave no negative fee.
        assert_eq!(fee_for(launched(100, 500, 0)).amount_cents, 0);
        // Huge amounts do not overflow.
        assert_eq!(
            fee_for(launched(i64::MAX, 0, 0)).amount_cents,
            92_233_720_368_547_758
        );
    }

    #[test]
    fn numbers_and_due_dates() {
        assert_eq!(invoice_number(2027, 1), "INV-2027-0001");
        assert_eq!(invoice_number(2027, 12_345), "INV-2027-12345");
        assert_eq!(due_on(date(2027, 1, 15), 30), date(2027, 2, 14));
        assert_eq!(due_on(date(2028, 2, 1), 30), date(2028, 3, 2));
    }

    #[test]
    fn status_follows_payments_and_the_due_date() {
        let due = date(2027, 2, 14);
        use InvoiceStatus::*;
        assert_eq!(InvoiceStatus::of(1_000, 0, due, date(2027, 2, 14)), Pending);
        assert_eq!(
            InvoiceStatus::of(1_000, 400, due, date(2027, 2, 14)),
            PartiallyPaid
        );
        assert_eq!(
            InvoiceStatus::of(1_000, 1_000, due, date(2027, 2, 14)),
            Paid
        );
        // Overdue from the day after the due date, until fully paid.
        assert_eq!(InvoiceStatus::of(1_000, 0, due, date(2027, 2, 15)), Overdue);
        assert_eq!(
            InvoiceStatus::of(1_000, 999, due, date(2027, 2, 15)),
            Overdue
        );
        assert_eq!(InvoiceStatus::of(1_000, 1_000, due, date(2027, 6, 1)), Paid);
        for status in [Pending, PartiallyPaid, Paid, Overdue] {
            assert_eq!(InvoiceStatus::parse(status.as_str()), Ok(status));
        }
        assert!(InvoiceStatus::parse("late").is_err());
    }

    #[test]
    fn payments_must_be_positive_and_within_the_balance() {
        assert_eq!(check_payment(0, 1_000, 0), Err(PaymentRefusal::NotPositive));
        assert_eq!(
            check_payment(-5, 1_000, 0),
            Err(PaymentRefusal::NotPositive)
        );
        assert_eq!(check_payment(600, 1_000, 400), Ok(()));
        assert_eq!(
            check_payment(601, 1_000, 400),
            Err(PaymentRefusal::Overpayment {
                amount_cents: 601,
                balance_cents: 600
            })
        );
    }

    #[test]
    fn an_overdue_invoice_is_reminded_once_then_every_seven_days() {
        use InvoiceStatus::*;
        let today = date(2027, 2, 15);
        assert!(reminder_due(Overdue, None, today, 7));
        assert!(!reminder_due(Pending, None, today, 7));
        assert!(!reminder_due(Paid, None, today, 7));
        assert!(!reminder_due(Overdue, Some(today), today, 7));
        assert!(!reminder_due(Overdue, Some(today), date(2027, 2, 21), 7));
        assert!(reminder_due(Overdue, Some(today), date(2027, 2, 22), 7));
    }
}
