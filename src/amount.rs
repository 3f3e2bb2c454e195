//! Exact money amounts: parsed from YAML, summed without drift, and formatted in one place.
//!
//! An amount is held as an integer count of millionths of the site's unit, so that with the
//! default unit 亿元 one step is exactly 100 元 and 166 + 228.35 + 70.4 is 464.75. How many of
//! those six decimals a site may use depends on its unit ([`max_decimals`]): an amount is
//! exact to 100 元.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;
use std::iter::Sum;
use std::ops::Add;

/// Millionths of a unit per unit.
const SCALE: i64 = 1_000_000;
/// The decimals an amount is held with: those of [`SCALE`].
pub const DECIMALS: u32 = 6;
/// The largest amount accepted: far above any real figure, and safe from overflow when summed.
const MAX_UNITS: i64 = 100_000_000 * SCALE;

/// A non-negative amount with at most six decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(i64);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// The amount in millionths of a unit.
    pub fn millionths(self) -> i64 {
        self.0
    }

    pub fn from_millionths(n: i64) -> Self {
        Amount(n)
    }

    /// The number of decimals the amount needs: 0 for `30`, 2 for `228.35`.
    pub fn decimals(self) -> u32 {
        let mut frac = self.0 % SCALE;
        if frac == 0 {
            return 0;
        }
        let mut n = DECIMALS;
        while frac % 10 == 0 {
            frac /= 10;
            n -= 1;
        }
        n
    }

    /// Says why the amount cannot be written in `unit` (it needs more decimals than the unit
    /// allows, [`max_decimals`]); `text` is the amount as written.
    pub fn fits(self, unit: &str, text: &str) -> Result<(), String> {
        let max = max_decimals(unit);
        if self.decimals() <= max {
            return Ok(());
        }
        Err(format!(
            "`{text}` has {} decimals, more than {unit} takes: an amount is exact to 100 元, which is at most {max} decimal{} in {unit}; sanpi never rounds",
            self.decimals(),
            if max == 1 { "" } else { "s" },
        ))
    }

    /// For drawing only: the amount as a float.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    /// Parses a plain decimal such as `228.35`, exactly: the text is read digit by digit, never
    /// through a float, so that a YAML number and a quoted string follow the same rules.
    pub fn parse(text: &str) -> Result<Amount, String> {
        let t = text.trim();
        let bad = |why: &str| {
            format!("`{text}` is not an amount: {why}write a non-negative number, such as 228.35")
        };
        if t.starts_with('-') {
            return Err(format!("`{text}` is negative: an amount cannot be below 0"));
        }
        let lower = t.to_ascii_lowercase();
        if lower.starts_with("0x") || lower.starts_with("0o") || lower.starts_with("0b") {
            return Err(bad("hexadecimal, octal and binary numbers are not read; "));
        }
        if matches!(
            lower.trim_start_matches(['+', '.']),
            "inf" | "infinity" | "nan"
        ) {
            return Err(bad(""));
        }
        if t.starts_with('+') {
            return Err(bad("a sign is not read; "));
        }
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
            let exponent = t.contains(['e', 'E'])
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b".eE+-".contains(&b));
            return Err(if exponent {
                bad("an exponent is not read; ")
            } else {
                bad("")
            });
        }
        if frac.len() > DECIMALS as usize {
            return Err(format!(
                "`{text}` has more than {DECIMALS} decimals: the smallest step is 0.000001 of the unit"
            ));
        }
        let too_large = || format!("`{text}` is too large to be a real amount");
        let int = int.trim_start_matches('0');
        if int.len() > 9 {
            return Err(too_large());
        }
        let whole: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| bad(""))?
        };
        let mut frac_units: i64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            frac_units += i64::from(b - b'0') * 10_i64.pow(DECIMALS - 1 - i as u32);
        }
        let units = whole * SCALE + frac_units;
        if units > MAX_UNITS {
            return Err(too_large());
        }
        Ok(Amount(units))
    }

    /// The amount as a plain decimal, without trailing zeros: `228.35`, `30`, `0.05`.
    pub fn plain(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / SCALE;
        let frac = self.0 % SCALE;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:06}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl Add for Amount {
    type Output = Amount;
    fn add(self, rhs: Amount) -> Amount {
        Amount(self.0.saturating_add(rhs.0))
    }
}

impl Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Amount> for Amount {
    fn sum<I: Iterator<Item = &'a Amount>>(iter: I) -> Amount {
        iter.copied().sum()
    }
}

impl serde::Serialize for Amount {
    /// Amounts go into JSON as plain decimal strings, so that no reader rounds them.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain())
    }
}

/// Read from the scalar's source text: `investment: 228.35` and `investment: "228.35"` are the
/// same amount, and no amount goes through a float.
impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount such as 228.35")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Amount::parse(v).map_err(E::custom)
            }
        }
        // Asking for a string makes serde_yaml hand over the scalar's text as written, numbers
        // included: `1000.0000005` is refused rather than rounded through an f64.
        d.deserialize_str(V)
    }
}

/// The power of ten of a money unit in 元: `万元` is 4, `亿元` 8; `None` for a unit sanpi does
/// not know (such as 美元).
pub fn unit_exponent(unit: &str) -> Option<u32> {
    let t: String = unit.chars().filter(|c| !c.is_whitespace()).collect();
    match t.as_str() {
        "元" => Some(0),
        "千元" => Some(3),
        "万元" | "万" => Some(4),
        "十万元" => Some(5),
        "百万元" => Some(6),
        "千万元" => Some(7),
        "亿元" | "亿" => Some(8),
        _ => None,
    }
}

/// The decimals an amount may have in `unit`, so that it is exact to 100 元: 6 in 亿元, 2 in
/// 万元; 2 in 元 (fen); 6 in a unit sanpi does not know.
pub fn max_decimals(unit: &str) -> u32 {
    match unit_exponent(unit) {
        Some(0) => 2,
        Some(e) => (e.saturating_sub(2)).min(DECIMALS),
        None => DECIMALS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_exact() {
        let parts = ["166", "228.35", "70.4"].map(|s| Amount::parse(s).unwrap());
        assert_eq!(parts.iter().sum::<Amount>().to_string(), "464.75");
        let f = ["0.1", "0.2", "0.7"].map(|v| Amount::parse(v).unwrap());
        assert_eq!(f.iter().sum::<Amount>().to_string(), "1");
    }

    #[test]
    fn formats_plainly() {
        for (s, want) in [
            ("30", "30"),
            ("0.05", "0.05"),
            ("228.350", "228.35"),
            ("1.0001", "1.0001"),
            ("0.12005", "0.12005"),
            ("228.350000", "228.35"),
            ("0.000001", "0.000001"),
            ("007", "7"),
        ] {
            assert_eq!(Amount::parse(s).unwrap().to_string(), want);
        }
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for s in [
            "-7.7",
            "很多",
            "1.0000001",
            "",
            ".",
            "1e5",
            "1,000",
            "999999999999",
        ] {
            assert!(Amount::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn decimals_depend_on_the_unit() {
        let a = |s: &str| Amount::parse(s).unwrap();
        assert_eq!(a("0.12005").decimals(), 5);
        assert_eq!(a("30").decimals(), 0);
        assert_eq!(a("228.35").decimals(), 2);
        assert_eq!(max_decimals("亿元"), 6);
        assert_eq!(max_decimals("万元"), 2);
        assert_eq!(max_decimals("元"), 2);
        assert_eq!(max_decimals("千元"), 1);
        assert_eq!(max_decimals("美元"), 6);
        assert!(a("0.12005").fits("亿元", "0.12005").is_ok());
        assert!(a("1200.5").fits("万元", "1200.5").is_ok());
        let e = a("1200.505").fits("万元", "1200.505").unwrap_err();
        assert_eq!(e, "`1200.505` has 3 decimals, more than 万元 takes: an amount is exact to 100 元, which is at most 2 decimals in 万元; sanpi never rounds");
        let sum: Amount = ["0.12005", "0.000001", "228.35"].map(a).iter().sum();
        assert_eq!(sum.to_string(), "228.470051");
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        investment: Option<Amount>,
    }

    /// `investment: TEXT` read as a YAML number (or whatever the plain scalar is) and as a
    /// quoted string: the two must agree, amount or error message.
    fn both(text: &str) -> Result<String, String> {
        let read = |yaml: String| {
            crate::yaml::parse::<Doc>(&yaml)
                .map(|d| d.investment.map(|a| a.to_string()).unwrap_or_default())
                .map_err(|e| {
                    let p = e.pos.expect("a position");
                    let e = &e;
                    format!("{}:{}: {}", p.line, p.col, e.message)
                })
        };
        let plain = read(format!("investment: {text}\n"));
        let quoted = read(format!("investment: \"{text}\"\n"));
        assert_eq!(plain, quoted, "{text} as a number and as a string");
        plain
    }

    #[test]
    fn yaml_numbers_are_read_from_their_text() {
        for (text, want) in [
            ("228.35", "228.35"),
            ("30", "30"),
            ("0.0001", "0.0001"),
            ("1000.00005", "1000.00005"),
            ("100000000", "100000000"),
            ("007", "7"),
        ] {
            assert_eq!(both(text), Ok(want.to_string()), "{text}");
        }
        for (text, words) in [
            ("1000.0000005", "more than 6 decimals"),
            ("99999.9999999", "more than 6 decimals"),
            ("100.1234567", "more than 6 decimals"),
            ("49.0000005", "more than 6 decimals"),
            ("100000000.000001", "too large"),
            ("1000000000000000000000", "too large"),
            ("0x10", "hexadecimal"),
            ("0o17", "hexadecimal, octal"),
            ("1e3", "exponent"),
            ("2.5E+2", "exponent"),
            (".inf", "not an amount"),
            (".nan", "not an amount"),
            ("-.inf", "negative"),
            ("-7", "negative"),
            ("+7", "sign"),
            ("1_000", "not an amount"),
            ("true", "not an amount"),
        ] {
            let e = both(text).expect_err(text);
            assert!(e.starts_with("1:13: "), "{text}: {e}");
            assert!(e.contains(words), "{text}: {e}");
        }
    }
}
