//! Money is USD in integer cents; this is how people read it.

/// Cents as dollars: 123456 → "$1,234.56".
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}${grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_formatted_in_dollars() {
        assert_eq!(dollars(123_456), "$1,234.56");
        assert_eq!(dollars(5), "$0.05");
        assert_eq!(dollars(90_000_000), "$900,000.00");
        assert_eq!(dollars(-150), "-$1.50");
    }
}
