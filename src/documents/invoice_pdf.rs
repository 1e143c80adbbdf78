//! An invoice as a one-page A4 PDF, with printpdf (a maintained pure-Rust PDF writer) and the
//! standard Helvetica fonts, which every reader has, so nothing is embedded.

use chrono::NaiveDate;
use printpdf::{
    BuiltinFont, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

use crate::domain::invoice::InvoiceLine;
use crate::domain::money::dollars;

/// What an invoice's PDF shows.
pub struct InvoicePdf<'a> {
    pub number: &'a str,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub agency_name: &'a str,
    pub mission_name: &'a str,
    pub launch_outcome: &'a str,
    pub lines: &'a [InvoiceLine],
    pub amount_cents: i64,
    pub paid_cents: i64,
}

const PAGE_WIDTH: Mm = Mm(210.0);
const PAGE_HEIGHT: Mm = Mm(297.0);
const LEFT: Mm = Mm(20.0);
/// Characters per line in 10 pt Helvetica across the page's text width (170 mm).
const WRAP_AT: usize = 95;

fn text(font: BuiltinFont, size: f32, line: String) -> [Op; 3] {
    [
        Op::SetFont {
            font: PdfFontHandle::Builtin(font),
            size: Pt(size),
        },
        Op::ShowText {
            items: vec![TextItem::Text(line)],
        },
        Op::AddLineBreak,
    ]
}

/// Splits a long description into lines of at most `WRAP_AT` characters, at spaces.
fn wrapped(description: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in description.split_whitespace() {
        let current = lines
            .last_mut()
            .map(|line| line.chars().count())
            .unwrap_or(0);
        if current > 0 && current + 1 + word.chars().count() > WRAP_AT {
            lines.push(String::new());
        }
        if let Some(line) = lines.last_mut() {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

pub fn render(invoice: &InvoicePdf<'_>) -> Vec<u8> {
    let mut ops = vec![
        Op::StartTextSection,
        Op::SetTextCursor {
            pos: Point::new(LEFT, Mm(270.0)),
        },
        Op::SetLineHeight { lh: Pt(16.0) },
    ];
    let balance_cents = invoice.amount_cents.saturating_sub(invoice.paid_cents);
    let heading = [
        (
            BuiltinFont::HelveticaBold,
            18.0,
            "Astro Bookings".to_owned(),
        ),
        (
            BuiltinFont::HelveticaBold,
            14.0,
            format!("Invoice {}", invoice.number),
        ),
        (
            BuiltinFont::Helvetica,
            10.0,
            format!("Issued on {}", invoice.issued_on),
        ),
        (
            BuiltinFont::Helvetica,
            10.0,
            format!("Due on {}", invoice.due_on),
        ),
        (BuiltinFont::Helvetica, 10.0, String::new()),
        (
            BuiltinFont::HelveticaBold,
            10.0,
            format!("Billed to {}", invoice.agency_name),
        ),
        (
            BuiltinFont::Helvetica,
            10.0,
            format!(
                "Launch {} ({})",
                invoice.mission_name, invoice.launch_outcome
            ),
        ),
        (BuiltinFont::Helvetica, 10.0, String::new()),
    ];
    for (font, size, line) in heading {
        ops.extend(text(font, size, line));
    }
    for line in invoice.lines {
        for part in wrapped(&line.description) {
            ops.extend(text(BuiltinFont::Helvetica, 10.0, part));
        }
        ops.extend(text(
            BuiltinFont::HelveticaBold,
            10.0,
            format!("    {}", dollars(line.amount_cents)),
        ));
    }
    let totals = [
        String::new(),
        format!("Total: {}", dollars(invoice.amount_cents)),
        format!("Paid: {}", dollars(invoice.paid_cents)),
        format!("Balance due: {}", dollars(balance_cents)),
        String::new(),
        "No tax applies. Amounts in USD.".to_owned(),
    ];
    for line in totals {
        ops.extend(text(BuiltinFont::Helvetica, 10.0, line));
    }
    ops.push(Op::EndTextSection);
    let mut document = PdfDocument::new(&format!("Invoice {}", invoice.number));
    document
        .with_pages(vec![PdfPage::new(PAGE_WIDTH, PAGE_HEIGHT, ops)])
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use printpdf::PdfParseOptions;

    #[test]
    fn the_pdf_reads_back_with_the_invoice_number_lines_and_totals() {
        let lines = vec![InvoiceLine {
            description: "1 % of net revenue $900,000.00 (paid $1,000,000.00 minus refunds \
                          $100,000.00), a description long enough to be wrapped on the page"
                .to_owned(),
            basis_cents: Some(90_000_000),
            rate_basis_points: Some(100),
            amount_cents: 900_000,
        }];
        let bytes = render(&InvoicePdf {
            number: "INV-2027-0042",
            issued_on: NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
            due_on: NaiveDate::from_ymd_opt(2027, 2, 14).unwrap(),
            agency_name: "Orbital Tours",
            mission_name: "Lunar Loop",
            launch_outcome: "launched",
            lines: &lines,
            amount_cents: 900_000,
            paid_cents: 400_000,
        });
        assert!(bytes.starts_with(b"%PDF-"));
        let parsed =
            PdfDocument::parse(&bytes, &PdfParseOptions::default(), &mut Vec::new()).unwrap();
        let text = parsed.extract_text().concat().join("\n");
        for expected in [
            "Invoice INV-2027-0042",
            "Due on 2027-02-14",
            "Billed to Orbital Tours",
            "$9,000.00",
            "Balance due: $5,000.00",
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from {text:?}"
            );
        }
    }

    #[test]
    fn long_descriptions_wrap_at_spaces() {
        let words = "word ".repeat(40);
        let lines = wrapped(&words);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| line.chars().count() <= WRAP_AT));
        assert_eq!(lines.join(" ").split(' ').count(), 40);
    }
}
