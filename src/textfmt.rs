//! Formatting shared by every layer, with no dependency of its own: UTC dates and times from
//! Unix time, and text bars for charts in a terminal or on stdout.

/// `1 round`, `2 rounds`: a count with its noun, plural with an `s` (every noun the app
/// counts takes one).
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A bar of `n` out of `max` in `width` cells.
pub fn bar(n: f64, max: f64, width: usize) -> String {
    if max <= 0.0 {
        return String::new();
    }
    let cells = ((n / max) * width as f64).round() as usize;
    "█".repeat(cells.min(width))
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2026-11-27 16:46` (UTC) for listings, from milliseconds since 1970.
pub fn format_time(ms: u64) -> String {
    let secs = (ms / 1000) as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", t / 3600, t / 60 % 60)
}

/// `2026-11-27` (UTC), from seconds since 1970.
pub fn date(secs: u64) -> String {
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2026-11-27T16:46:12Z`, from seconds since 1970.
pub fn rfc3339(secs: u64) -> String {
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let t = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// A count with thousands separators: `412,003`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size in bytes, binary units, one decimal below ten: `512 B`, `9.5 KiB`, `12 KiB`, `8 MiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else if value < 9.95 {
        format!("{:.1} {}", value, UNITS[unit]).replace(".0 ", " ")
    } else {
        format!("{:.0} {}", value, UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_in_binary_units() {
        assert_eq!(super::bytes(512), "512 B");
        assert_eq!(super::bytes(9_728), "9.5 KiB");
        assert_eq!(super::bytes(12 * 1024), "12 KiB");
        assert_eq!(super::bytes(8 * 1024 * 1024), "8 MiB");
        assert_eq!(super::bytes(8 * 1024 * 1024 + 1), "8 MiB");
    }

    #[test]
    fn dates_are_utc_civil_dates() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::rfc3339(1_764_741_600), "2025-12-03T06:00:00Z");
        assert_eq!(super::format_time(951_782_400_000), "2000-02-29 00:00");
    }

    #[test]
    fn counts_say_one_round_and_two_rounds() {
        assert_eq!(super::count(1u32, "round"), "1 round");
        assert_eq!(super::count(0u32, "round"), "0 rounds");
        assert_eq!(super::count(12u64, "blind vote"), "12 blind votes");
    }

    #[test]
    fn big_counts_are_grouped_by_thousands() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(1000), "1,000");
        assert_eq!(super::grouped(412_003), "412,003");
        assert_eq!(super::grouped(1_047_576), "1,047,576");
    }
}
