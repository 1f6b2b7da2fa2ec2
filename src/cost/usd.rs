//! The exact dollar amount: parsing JSON decimals without a float, arithmetic that never
//! drifts, the short figures the UI shows, and serde both ways.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Serialize, Serializer};

const SCALE_DIGITS: u32 = 18;
const SCALE: i128 = 1_000_000_000_000_000_000;

/// An exact amount of US dollars.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usd(i128);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a decimal amount: {0:?}")]
pub struct MoneyError(pub String);

impl Usd {
    pub const ZERO: Usd = Usd(0);

    pub const fn from_atto(atto: i128) -> Usd {
        Usd(atto)
    }

    pub const fn atto(self) -> i128 {
        self.0
    }

    /// Parses a JSON-style decimal (`"0.0000025"`, `0.00333825`, `1e-05`, `-1`) exactly.
    /// Digits beyond 1e-18 are rounded half away from zero.
    pub fn parse(text: &str) -> Result<Usd, MoneyError> {
        let err = || MoneyError(text.chars().take(40).collect());
        let s = text.trim();
        let (negative, s) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (mantissa, exponent) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], s[i + 1..].parse::<i32>().map_err(|_| err())?),
            None => (s, 0),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(err());
        }
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) || !all_digits(frac_part) {
            return Err(err());
        }
        // value = digits * 10^(exponent - frac_len); we want value * 10^18.
        let digits = format!("{int_part}{frac_part}");
        let digits = digits.trim_start_matches('0');
        let shift = exponent as i64 - frac_part.len() as i64 + SCALE_DIGITS as i64;
        let mut value: i128 = 0;
        if shift >= 0 {
            for b in digits.bytes() {
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add((b - b'0') as i128))
                    .ok_or_else(err)?;
            }
            for _ in 0..shift {
                if value == 0 {
                    break;
                }
                value = value.checked_mul(10).ok_or_else(err)?;
            }
        } else {
            let drop = (-shift) as usize;
            if drop > digits.len() {
                value = 0;
            } else {
                let keep = &digits[..digits.len() - drop];
                for b in keep.bytes() {
                    value = value
                        .checked_mul(10)
                        .and_then(|v| v.checked_add((b - b'0') as i128))
                        .ok_or_else(err)?;
                }
                if digits.as_bytes()[digits.len() - drop] >= b'5' {
                    value += 1;
                }
            }
        }
        Ok(Usd(if negative { -value } else { value }))
    }

    /// This price (per unit) times a count of units.
    pub fn times(self, count: u64) -> Usd {
        Usd(self.0.saturating_mul(count as i128))
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The exact decimal, without trailing zeros: `0.00333825`, `12`, `-1`.
    pub fn to_decimal(self) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let int = abs / SCALE as u128;
        let frac = abs % SCALE as u128;
        let mut s = String::new();
        if negative {
            s.push('-');
        }
        s.push_str(&int.to_string());
        if frac != 0 {
            let f = format!("{frac:018}");
            s.push('.');
            s.push_str(f.trim_end_matches('0'));
        }
        s
    }

    /// Rounds half away from zero to `decimals` places and formats with exactly that many.
    fn fixed(self, decimals: u32) -> String {
        let unit = 10u128.pow(SCALE_DIGITS - decimals);
        let abs = self.0.unsigned_abs();
        // Saturated amounts (absurd prices times tokens) must still print, not overflow.
        let rounded = abs.saturating_add(unit / 2) / unit;
        let int = rounded / 10u128.pow(decimals);
        let frac = rounded % 10u128.pow(decimals);
        let sign = if self.0 < 0 && rounded != 0 { "-" } else { "" };
        if decimals == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac:0width$}", width = decimals as usize)
        }
    }

    /// A short human figure: `$0`, `$0.0133`, `$0.00334`, `$0.50`, `$12.35`. Three
    /// significant digits below a dollar (trailing zeros dropped), cents above.
    pub fn display(self) -> String {
        if self.0 == 0 {
            return "$0".to_string();
        }
        let abs = self.0.unsigned_abs();
        if abs >= SCALE as u128 {
            return format!("${}", self.fixed(2));
        }
        // Position of the first significant digit after the point (1 = tenths).
        let mut first = 1u32;
        while first < SCALE_DIGITS && abs < 10u128.pow(SCALE_DIGITS - first) {
            first += 1;
        }
        let decimals = (first + 2).clamp(2, 12);
        let text = self.fixed(decimals);
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let mut frac = frac.trim_end_matches('0').to_string();
        while frac.len() < 2 {
            frac.push('0');
        }
        format!("${int}.{frac}")
    }

    /// The price of one million units, for catalog listings: `$2.50`, `$0.075`, `free`.
    pub fn per_million(self) -> Usd {
        Usd(self.0.saturating_mul(1_000_000))
    }

    /// `$2.50`-style price with at least two decimals and no false precision.
    pub fn display_price(self) -> String {
        if self.0 == 0 {
            return "0".to_string();
        }
        let exact = self.to_decimal();
        let (int, frac) = exact.split_once('.').unwrap_or((&exact, ""));
        let frac = if frac.len() < 2 {
            format!("{frac:0<2}")
        } else if frac.len() > 4 {
            return self.fixed(4);
        } else {
            frac.to_string()
        };
        format!("{int}.{frac}")
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, rhs: Usd) -> Usd {
        Usd(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Usd {
    fn add_assign(&mut self, rhs: Usd) {
        *self = *self + rhs;
    }
}

impl Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Usd {
        iter.fold(Usd::ZERO, Add::add)
    }
}

/// Serialised as an exact decimal string (`"0.00333825"`): every reader gets the digits as
/// written, where a JSON number would pass through a float in most of them.
impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_decimal())
    }
}

/// An exact JSON number (`0.00333825`, never through a float), for documents whose readers
/// expect numbers (`run --json`).
pub fn as_json_number<S: Serializer>(usd: &Usd, serializer: S) -> Result<S::Ok, S::Error> {
    let raw = serde_json::value::RawValue::from_string(usd.to_decimal())
        .map_err(serde::ser::Error::custom)?;
    raw.serialize(serializer)
}

/// [`as_json_number`] for an optional amount (`null` when absent).
pub fn as_json_number_opt<S: Serializer>(
    usd: &Option<Usd>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match usd {
        Some(u) => as_json_number(u, serializer),
        None => serializer.serialize_none(),
    }
}

impl<'de> serde::Deserialize<'de> for Usd {
    /// Accepts a decimal string (exact), an integer, or a float (through its shortest
    /// round-trip decimal, which is exact for the 15 significant digits a float carries).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Usd, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Usd;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal amount of dollars")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Usd, E> {
                Usd::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Usd, E> {
                Ok(Usd(v as i128 * SCALE))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Usd, E> {
                Ok(Usd(v as i128 * SCALE))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Usd, E> {
                Usd::parse(&format!("{v}")).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Parses a JSON number or a JSON string holding a decimal.
pub fn parse_json_amount(raw: &str) -> Result<Usd, MoneyError> {
    let raw = raw.trim();
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    Usd::parse(inner)
}
