//! Timestamps: a point in time with nanosecond precision, read and written in the three formats
//! AWS models use (epoch seconds, ISO 8601 `date-time`, and RFC 822 / HTTP date).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time (UTC), as seconds and nanoseconds since the Unix epoch.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// A timestamp that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidTimestamp(pub String);

impl fmt::Display for InvalidTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid timestamp: {}", self.0)
    }
}

impl std::error::Error for InvalidTimestamp {}

impl DateTime {
    pub const fn from_secs(secs: i64) -> DateTime {
        DateTime { secs, nanos: 0 }
    }

    /// `nanos` above one second carries into `secs`.
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> DateTime {
        DateTime {
            secs: secs + (nanos / 1_000_000_000) as i64,
            nanos: nanos % 1_000_000_000,
        }
    }

    /// From fractional epoch seconds, rounded to the microsecond (what an `f64` holds exactly
    /// for today's dates).
    pub fn from_epoch_f64(v: f64) -> Result<DateTime, InvalidTimestamp> {
        if !v.is_finite() || v.abs() > 1e15 {
            return Err(InvalidTimestamp(v.to_string()));
        }
        let micros = (v * 1e6).round() as i64;
        Ok(DateTime {
            secs: micros.div_euclid(1_000_000),
            nanos: (micros.rem_euclid(1_000_000) * 1000) as u32,
        })
    }

    pub fn now() -> DateTime {
        DateTime::from(SystemTime::now())
    }

    pub const fn secs(&self) -> i64 {
        self.secs
    }

    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    pub fn as_epoch_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// ISO 8601 `date-time` in UTC: `2015-01-25T08:00:00Z`, with milliseconds when not whole.
    pub fn to_iso8601(&self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// RFC 822 / HTTP date: `Sun, 25 Jan 2015 08:00:00 GMT`.
    pub fn to_http_date(&self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        let weekday = (self.secs.div_euclid(86_400) + 4).rem_euclid(7) as usize;
        const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        format!(
            "{}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT",
            DAYS[weekday],
            MONTHS[(mo - 1) as usize]
        )
    }

    /// Reads ISO 8601 `date-time` (`Z` or a `+hh:mm` offset, optional fraction).
    /// A timestamp in any of the three wire formats, whatever the member's format says: ISO 8601,
    /// an HTTP date, or epoch seconds (with a fraction), as botocore's `parse_timestamp` reads
    /// them in JSON bodies and headers alike.
    pub fn parse_any(s: &str) -> Result<DateTime, InvalidTimestamp> {
        DateTime::parse_iso8601(s)
            .or_else(|_| DateTime::parse_http_date(s))
            .or_else(|e| {
                s.parse::<f64>()
                    .map_err(|_| e)
                    .and_then(DateTime::from_epoch_f64)
            })
    }

    pub fn parse_iso8601(s: &str) -> Result<DateTime, InvalidTimestamp> {
        let bad = || InvalidTimestamp(s.to_owned());
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| {
            s.get(r).and_then(|x| x.parse::<i64>().ok()).ok_or_else(bad)
        };
        let (y, mo, d, h, mi, sec) = (
            num(0..4)?,
            num(5..7)?,
            num(8..10)?,
            num(11..13)?,
            num(14..16)?,
            num(17..19)?,
        );
        let mut i = 19;
        let mut nanos = 0u32;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            i = start;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let digits = &s[start..i];
            if digits.is_empty() {
                return Err(bad());
            }
            let mut padded = digits.chars().take(9).collect::<String>();
            while padded.len() < 9 {
                padded.push('0');
            }
            nanos = padded.parse().map_err(|_| bad())?;
        }
        let offset = match &s[i..] {
            "Z" | "z" => 0,
            tz if tz.len() == 6
                && matches!(tz.as_bytes()[0], b'+' | b'-')
                && tz.as_bytes()[3] == b':' =>
            {
                let oh: i64 = tz[1..3].parse().map_err(|_| bad())?;
                let om: i64 = tz[4..6].parse().map_err(|_| bad())?;
                let sign = if tz.starts_with('-') { -1 } else { 1 };
                sign * (oh * 3600 + om * 60)
            }
            _ => return Err(bad()),
        };
        let secs = civil_to_secs(y, mo, d, h, mi, sec).ok_or_else(bad)? - offset;
        Ok(DateTime { secs, nanos })
    }

    /// Reads RFC 822 / HTTP dates (`Sun, 25 Jan 2015 08:00:00 GMT`).
    pub fn parse_http_date(s: &str) -> Result<DateTime, InvalidTimestamp> {
        let bad = || InvalidTimestamp(s.to_owned());
        let rest = s.split_once(", ").map(|(_, r)| r).unwrap_or(s);
        let parts: Vec<&str> = rest.split_whitespace().collect();
        if parts.len() != 5 || !matches!(parts[4], "GMT" | "UTC" | "Z") {
            return Err(bad());
        }
        let d: i64 = parts[0].parse().map_err(|_| bad())?;
        let mo = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(parts[1]))
            .ok_or_else(bad)? as i64
            + 1;
        let y: i64 = parts[2].parse().map_err(|_| bad())?;
        let (time, frac) = parts[3].split_once('.').unwrap_or((parts[3], ""));
        let t: Vec<i64> = time
            .split(':')
            .map(|x| x.parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        if t.len() != 3 {
            return Err(bad());
        }
        let nanos = if frac.is_empty() {
            0
        } else {
            let mut p: String = frac.chars().take(9).collect();
            while p.len() < 9 {
                p.push('0');
            }
            p.parse().map_err(|_| bad())?
        };
        let secs = civil_to_secs(y, mo, d, t[0], t[1], t[2]).ok_or_else(bad)?;
        Ok(DateTime { secs, nanos })
    }

    pub(crate) fn civil(&self) -> (i64, i64, i64, i64, i64, i64) {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn civil_to_secs(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> Option<i64> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo)
        || d < 1
        || d > month_days[(mo - 1) as usize]
        || h > 23
        || mi > 59
        || s > 60
    {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s.min(59))
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> DateTime {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime {
                secs: d.as_secs() as i64,
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let (secs, nanos) = (d.as_secs() as i64, d.subsec_nanos());
                if nanos == 0 {
                    DateTime {
                        secs: -secs,
                        nanos: 0,
                    }
                } else {
                    DateTime {
                        secs: -secs - 1,
                        nanos: 1_000_000_000 - nanos,
                    }
                }
            }
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(t: DateTime) -> SystemTime {
        if t.secs >= 0 {
            UNIX_EPOCH + Duration::new(t.secs as u64, t.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(t.secs.unsigned_abs())
                + Duration::from_nanos(u64::from(t.nanos))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = DateTime::from_secs(1_422_172_800);
        assert_eq!(t.to_iso8601(), "2015-01-25T08:00:00Z");
        assert_eq!(t.to_http_date(), "Sun, 25 Jan 2015 08:00:00 GMT");
        assert_eq!(DateTime::parse_iso8601("2015-01-25T08:00:00Z").unwrap(), t);
        assert_eq!(
            DateTime::parse_iso8601("2015-01-25T09:00:00+01:00").unwrap(),
            t
        );
        assert_eq!(
            DateTime::parse_http_date("Sun, 25 Jan 2015 08:00:00 GMT").unwrap(),
            t
        );
        let f = DateTime::from_epoch_f64(1_422_172_800.123).unwrap();
        assert_eq!(f.subsec_nanos(), 123_000_000);
        assert_eq!(f.to_iso8601(), "2015-01-25T08:00:00.123Z");
        assert_eq!(
            DateTime::parse_iso8601("2015-01-25T08:00:00.123Z").unwrap(),
            f
        );
        assert!(DateTime::parse_iso8601("2015-02-30T08:00:00Z").is_err());
        let neg = DateTime::from_epoch_f64(-1.5).unwrap();
        assert_eq!((neg.secs(), neg.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(
            SystemTime::from(neg),
            SystemTime::from(DateTime::from(SystemTime::from(neg)))
        );
    }
}
