//! Exact money amounts: parsed from YAML, summed without drift, and formatted in one place.
//!
//! An amount is held as an integer count of ten-thousandths of the site's unit, so that with
//! the default unit 亿元 one step is exactly 1 万元 and 166 + 228.35 + 70.4 is 464.75.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;
use std::iter::Sum;
use std::ops::Add;

/// Ten-thousandths of a unit per unit.
const SCALE: i64 = 10_000;
/// The largest amount accepted: far above any real figure, and safe from overflow when summed.
const MAX_UNITS: i64 = 1_000_000_000_000;

/// A non-negative amount with at most four decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(i64);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// The amount in ten-thousandths of a unit.
    pub fn ten_thousandths(self) -> i64 {
        self.0
    }

    pub fn from_ten_thousandths(n: i64) -> Self {
        Amount(n)
    }

    /// For drawing only: the amount as a float.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    /// Parses a plain decimal such as `228.35`.
    pub fn parse(text: &str) -> Result<Amount, String> {
        let t = text.trim();
        let bad = || {
            format!("`{text}` is not an amount: write a non-negative number with at most 4 decimals, such as 228.35")
        };
        if t.starts_with('-') {
            return Err(format!("`{text}` is negative: an amount cannot be below 0"));
        }
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        if frac.len() > 4 {
            return Err(format!(
                "`{text}` has more than 4 decimals: the smallest step is 0.0001 of the unit"
            ));
        }
        let int = int.trim_start_matches('0');
        if int.len() > 8 {
            return Err(format!("`{text}` is too large to be a real amount"));
        }
        let whole: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| bad())?
        };
        let mut frac_units: i64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            frac_units += i64::from(b - b'0') * 10_i64.pow(3 - i as u32);
        }
        Ok(Amount(whole * SCALE + frac_units))
    }

    fn from_f64(v: f64) -> Result<Amount, String> {
        if !v.is_finite() {
            return Err(format!("`{v}` is not an amount"));
        }
        if v < 0.0 {
            return Err(format!("`{v}` is negative: an amount cannot be below 0"));
        }
        let scaled = v * SCALE as f64;
        if scaled > MAX_UNITS as f64 {
            return Err(format!("`{v}` is too large to be a real amount"));
        }
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 * rounded.max(1.0) {
            return Err(format!(
                "`{v}` has more than 4 decimals: the smallest step is 0.0001 of the unit"
            ));
        }
        Ok(Amount(rounded as i64))
    }

    fn from_u64(v: u64) -> Result<Amount, String> {
        match i64::try_from(v).ok().and_then(|v| v.checked_mul(SCALE)) {
            Some(n) if n <= MAX_UNITS => Ok(Amount(n)),
            _ => Err(format!("`{v}` is too large to be a real amount")),
        }
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
            let digits = format!("{frac:04}");
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

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount such as 228.35")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Amount::from_u64(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                if v < 0 {
                    return Err(E::custom(format!(
                        "`{v}` is negative: an amount cannot be below 0"
                    )));
                }
                Amount::from_u64(v as u64).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                Amount::from_f64(v).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Amount::parse(v).map_err(E::custom)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Amount, E> {
                Err(E::custom(format!(
                    "`{v}` is not an amount: write a number such as 228.35"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_exact() {
        let parts = ["166", "228.35", "70.4"].map(|s| Amount::parse(s).unwrap());
        assert_eq!(parts.iter().sum::<Amount>().to_string(), "464.75");
        let f = [0.1, 0.2, 0.7].map(|v| Amount::from_f64(v).unwrap());
        assert_eq!(f.iter().sum::<Amount>().to_string(), "1");
    }

    #[test]
    fn formats_plainly() {
        for (s, want) in [
            ("30", "30"),
            ("0.05", "0.05"),
            ("228.350", "228.35"),
            ("1.0001", "1.0001"),
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
            "1.00001",
            "",
            ".",
            "1e5",
            "1,000",
            "999999999999",
        ] {
            assert!(Amount::parse(s).is_err(), "{s}");
        }
        assert!(Amount::from_f64(-0.5).is_err());
        assert!(Amount::from_f64(1.00001).is_err());
        assert!(Amount::from_f64(f64::NAN).is_err());
        assert!(Amount::from_f64(1e300).is_err());
        assert_eq!(Amount::from_f64(228.35).unwrap().to_string(), "228.35");
    }
}
