//! The revenue report: per agency and per month, from the invoices of launches that closed in a
//! period. Everything adds up to the invoices' own sums: invoiced = received + pending.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::invoice::is_reliable;

/// One invoice as the report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoicedLaunch {
    pub agency_id: String,
    pub agency_name: String,
    pub launched: bool,
    pub issued_on: NaiveDate,
    /// What the launch's travellers paid minus refunds.
    pub net_revenue_cents: i64,
    pub fee_cents: i64,
    pub received_cents: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Sums {
    pub launched: u32,
    pub aborted: u32,
    pub net_revenue_cents: i64,
    pub fees_invoiced_cents: i64,
    pub received_cents: i64,
    pub pending_cents: i64,
}

impl Sums {
    fn add(&mut self, launch: &InvoicedLaunch) {
        if launch.launched {
            self.launched += 1;
        } else {
            self.aborted += 1;
        }
        self.net_revenue_cents += launch.net_revenue_cents;
        self.fees_invoiced_cents += launch.fee_cents;
        self.received_cents += launch.received_cents;
        self.pending_cents += launch.fee_cents.saturating_sub(launch.received_cents);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgencyRevenue {
    pub agency_id: String,
    pub agency_name: String,
    /// At least two launched launches in all, as of the end of the period.
    pub reliable: bool,
    #[serde(flatten)]
    pub sums: Sums,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MonthRevenue {
    /// `YYYY-MM`, the month the invoices were issued in.
    pub month: String,
    pub fees_invoiced_cents: i64,
    pub received_cents: i64,
    pub pending_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RevenueReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub agencies: Vec<AgencyRevenue>,
    pub months: Vec<MonthRevenue>,
    pub totals: Sums,
}

/// Builds the report; `launched_by_agency` is each agency's count of launched launches up to
/// the end of the period (what makes it reliable). Agencies are sorted by name, months in order.
pub fn revenue_report(
    from: NaiveDate,
    to: NaiveDate,
    invoiced: &[InvoicedLaunch],
    launched_by_agency: &BTreeMap<String, u32>,
) -> RevenueReport {
    let mut agencies: BTreeMap<(String, String), Sums> = BTreeMap::new();
    let mut months: BTreeMap<String, MonthRevenue> = BTreeMap::new();
    let mut totals = Sums::default();
    for launch in invoiced {
        agencies
            .entry((launch.agency_name.clone(), launch.agency_id.clone()))
            .or_default()
            .add(launch);
        totals.add(launch);
        let key = format!(
            "{:04}-{:02}",
            launch.issued_on.year(),
            launch.issued_on.month()
        );
        let month = months.entry(key.clone()).or_insert_with(|| MonthRevenue {
            month: key,
            fees_invoiced_cents: 0,
            received_cents: 0,
            pending_cents: 0,
        });
        month.fees_invoiced_cents += launch.fee_cents;
        month.received_cents += launch.received_cents;
        month.pending_cents += launch.fee_cents.saturating_sub(launch.received_cents);
    }
    RevenueReport {
        from,
        to,
        agencies: agencies
            .into_iter()
            .map(|((agency_name, agency_id), sums)| AgencyRevenue {
                reliable: is_reliable(launched_by_agency.get(&agency_id).copied().unwrap_or(0)),
                agency_id,
                agency_name,
                sums,
            })
            .collect(),
        months: months.into_values().collect(),
        totals,
    }
}

/// The report's agencies and totals as CSV rows (header first); amounts in dollars with cents.
pub fn revenue_csv_rows(report: &RevenueReport) -> Vec<Vec<String>> {
    let amount = |cents: i64| {
        let sign = if cents < 0 { "-" } else { "" };
        let cents = cents.unsigned_abs();
        format!("{sign}{}.{:02}", cents / 100, cents % 100)
    };
    let row = |id: &str, name: &str, reliable: &str, sums: &Sums| {
        vec![
            id.to_owned(),
            name.to_owned(),
            reliable.to_owned(),
            sums.launched.to_string(),
            sums.aborted.to_string(),
            amount(sums.net_revenue_cents),
            amount(sums.fees_invoiced_cents),
            amount(sums.received_cents),
            amount(sums.pending_cents),
        ]
    };
    let mut rows = vec![
        [
            "agency_id",
            "agency_name",
            "reliable",
            "launched",
            "aborted",
            "net_revenue",
            "fees_invoiced",
            "received",
            "pending",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for agency in &report.agencies {
        rows.push(row(
            &agency.agency_id,
            &agency.agency_name,
            if agency.reliable { "yes" } else { "no" },
            &agency.sums,
        ));
    }
    rows.push(row("", "Total", "", &report.totals));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, month, day).unwrap()
    }

    fn invoiced(
        agency: &str,
        launched: bool,
        issued_on: NaiveDate,
        fee: i64,
        received: i64,
    ) -> InvoicedLaunch {
        InvoicedLaunch {
            agency_id: format!("id-{agency}"),
            agency_name: agency.to_owned(),
            launched,
            issued_on,
            net_revenue_cents: if launched { fee * 100 } else { 0 },
            fee_cents: fee,
            received_cents: received,
        }
    }

    #[test]
    fn agencies_months_and_totals_add_up_to_the_invoices() {
        let rows = vec![
            invoiced("Orbital", true, date(1, 10), 900_000, 900_000),
            invoiced("Orbital", false, date(2, 3), 100_000, 0),
            invoiced("Apex", true, date(2, 20), 720_000, 200_000),
        ];
        let launched = BTreeMap::from([("id-Apex".to_owned(), 3), ("id-Orbital".to_owned(), 1)]);
        let report = revenue_report(date(1, 1), date(2, 28), &rows, &launched);
        assert_eq!(report.agencies.len(), 2);
        let apex = &report.agencies[0];
        assert_eq!(apex.agency_name, "Apex");
        assert!(apex.reliable);
        assert_eq!(apex.sums.pending_cents, 520_000);
        let orbital = &report.agencies[1];
        assert!(!orbital.reliable);
        assert_eq!((orbital.sums.launched, orbital.sums.aborted), (1, 1));
        assert_eq!(orbital.sums.fees_invoiced_cents, 1_000_000);
        assert_eq!(orbital.sums.received_cents, 900_000);
        assert_eq!(orbital.sums.net_revenue_cents, 90_000_000);
        assert_eq!(report.totals.fees_invoiced_cents, 1_720_000);
        assert_eq!(
            report.totals.fees_invoiced_cents,
            report.totals.received_cents + report.totals.pending_cents
        );
        let months: Vec<(&str, i64, i64)> = report
            .months
            .iter()
            .map(|month| {
                (
                    month.month.as_str(),
                    month.received_cents,
                    month.pending_cents,
                )
            })
            .collect();
        assert_eq!(
            months,
            vec![("2027-01", 900_000, 0), ("2027-02", 200_000, 620_000)]
        );
    }

    #[test]
    fn the_csv_has_a_header_a_row_per_agency_and_the_totals() {
        let rows = vec![invoiced("Orbital", false, date(3, 1), 100_000, 25_050)];
        let report = revenue_report(date(3, 1), date(3, 31), &rows, &BTreeMap::new());
        let csv = revenue_csv_rows(&report);
        assert_eq!(csv.len(), 3);
        assert_eq!(csv[0][0], "agency_id");
        assert_eq!(
            csv[1],
            vec![
                "id-Orbital",
                "Orbital",
                "no",
                "0",
                "1",
                "0.00",
                "1000.00",
                "250.50",
                "749.50"
            ]
        );
        assert_eq!(csv[2][1], "Total");
        assert_eq!(csv[2][8], "749.50");
    }

    #[test]
    fn an_empty_period_reports_zeros() {
        let report = revenue_report(date(1, 1), date(1, 31), &[], &BTreeMap::new());
        assert!(report.agencies.is_empty() && report.months.is_empty());
        assert_eq!(report.totals, Sums::default());
    }
}
