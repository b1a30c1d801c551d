//! The JWT time claims (`exp`, `nbf`, `iat`, RFC 7519 §4.1.4 to §4.1.6,
//! and OpenID Connect's `auth_time`) as dates a person can read, relative
//! to a `now` the caller passes in.
//!
//! A NumericDate is seconds since 1970-01-01T00:00:00Z, UTC, leap seconds
//! ignored (RFC 7519 §2); it may have a fraction, which is dropped here.
//! Dates before year -9999 or after 9999 are reported as out of range.

use serde_json::Value;

/// One time claim, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeClaim {
    /// The claim name: `exp`, `nbf`, `iat` or `auth_time`.
    pub name: &'static str,
    /// What the claim means, as RFC 7519 names it.
    pub meaning: &'static str,
    /// The claim as found, for showing next to the date.
    pub value: Value,
    /// Whole seconds since the epoch, if the claim is a NumericDate.
    pub seconds: Option<i64>,
    /// "2011-03-22 18:43:00 UTC".
    pub utc: Option<String>,
    /// "expires in 5 min 3 s", "issued 2 h ago"; needs `now`.
    pub relative: Option<String>,
    /// Why the claim is not a NumericDate.
    pub problem: Option<String>,
}

const TIME_CLAIMS: [(&str, &str); 4] = [
    ("exp", "Expiration Time"),
    ("nbf", "Not Before"),
    ("iat", "Issued At"),
    ("auth_time", "Authentication Time"),
];

/// The time claims present in `claims`, in the order `exp`, `nbf`, `iat`,
/// `auth_time`.
pub fn time_claims(claims: &Value, now: Option<i64>) -> Vec<TimeClaim> {
    TIME_CLAIMS
        .iter()
        .filter_map(|(name, meaning)| {
            let value = claims.get(name)?;
            Some(time_claim(name, meaning, value, now))
        })
        .collect()
}

fn time_claim(
    name: &'static str,
    meaning: &'static str,
    value: &Value,
    now: Option<i64>,
) -> TimeClaim {
    let seconds = numeric_date(value);
    let problem = match (value, seconds) {
        (_, Some(_)) => None,
        (Value::Number(_), None) => Some("the number is too large to be a date".to_owned()),
        (Value::String(_), None) => Some(
            "a string, but RFC 7519 §2 makes dates numbers of seconds: write 1300819380, \
             not \"1300819380\" or an ISO date"
                .to_owned(),
        ),
        _ => Some("not a number of seconds since 1970 (RFC 7519 §2)".to_owned()),
    };

    TimeClaim {
        name,
        meaning,
        value: value.clone(),
        seconds,
        utc: seconds.and_then(format_utc),
        relative: seconds.zip(now).map(|(at, now)| describe(name, at, now)),
        problem,
    }
}

/// A NumericDate as whole seconds (the fraction dropped), or `None` for
/// anything else, including numbers beyond ±2^53 seconds.
pub fn numeric_date(value: &Value) -> Option<i64> {
    if let Some(seconds) = value.as_i64() {
        return Some(seconds);
    }

    // 2^53 s is far beyond any representable year, and within f64's
    // exact integers, so the conversion below cannot saturate.
    const LIMIT: f64 = 9_007_199_254_740_992.0;
    let seconds = value
        .as_f64()
        .filter(|s| s.is_finite() && s.abs() < LIMIT)?;
    Some(seconds.floor() as i64)
}

/// "2011-03-22 18:43:00 UTC", or `None` outside years -9999 to 9999.
pub fn format_utc(seconds: i64) -> Option<String> {
    let at = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    ))
}

/// A sentence about one claim relative to `now`.
fn describe(name: &str, at: i64, now: i64) -> String {
    let later = at > now;
    let span = format_duration(at.abs_diff(now));
    match (name, later) {
        ("exp", _) => time_left(at, now),
        ("nbf", true) => format!("not valid for another {span}"),
        ("nbf", false) => format!("valid since {span} ago"),
        ("iat", true) => format!("issued {span} in the future; a clock is off"),
        ("iat", false) => format!("issued {span} ago"),
        (_, true) => format!("in {span}, in the future"),
        (_, false) => format!("{span} ago"),
    }
}

/// "expires in 59 min 12 s" or "expired 3 h ago". A token is expired from
/// the second `exp` names (RFC 7519 §4.1.4: "on or after").
pub fn time_left(exp: i64, now: i64) -> String {
    let span = format_duration(exp.abs_diff(now));
    if exp > now {
        format!("expires in {span}")
    } else if exp == now {
        "expired just now".to_owned()
    } else {
        format!("expired {span} ago")
    }
}

/// The two largest units of a span: "2 d 3 h", "5 min 2 s", "0 s".
pub fn format_duration(seconds: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")];

    let mut parts = Vec::new();
    let mut rest = seconds;
    for (size, unit) in UNITS {
        let count = rest / size;
        rest %= size;
        if count > 0 || !parts.is_empty() {
            parts.push((count, unit));
        }
        if parts.len() == 2 {
            break;
        }
    }

    let shown: Vec<String> = parts
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, unit)| format!("{count} {unit}"))
        .collect();
    if shown.is_empty() {
        "0 s".to_owned()
    } else {
        shown.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_the_rfc_7519_example_date() {
        // RFC 7519 §3.1's exp, 1300819380.
        assert_eq!(
            format_utc(1_300_819_380).unwrap(),
            "2011-03-22 18:43:00 UTC"
        );
        assert_eq!(format_utc(0).unwrap(), "1970-01-01 00:00:00 UTC");
    }

    #[test]
    fn out_of_range_dates_are_none() {
        assert_eq!(format_utc(i64::MAX), None);
        assert_eq!(format_utc(i64::MIN), None);
    }

    #[test]
    fn numeric_dates_drop_the_fraction() {
        assert_eq!(numeric_date(&json!(1300819380.9)), Some(1_300_819_380));
        assert_eq!(numeric_date(&json!(-0.5)), Some(-1));
        assert_eq!(numeric_date(&json!(1e300)), None);
        assert_eq!(numeric_date(&json!("1300819380")), None);
    }

    #[test]
    fn durations_keep_two_units() {
        assert_eq!(format_duration(0), "0 s");
        assert_eq!(format_duration(59), "59 s");
        assert_eq!(format_duration(3_552), "59 min 12 s");
        assert_eq!(format_duration(3_600), "1 h");
        assert_eq!(format_duration(90_061), "1 d 1 h");
        assert_eq!(format_duration(86_400 + 60), "1 d");
        assert_eq!(format_duration(u64::MAX), "213503982334601 d 7 h");
    }

    #[test]
    fn time_left_counts_the_exp_second_as_expired() {
        assert_eq!(time_left(100, 40), "expires in 1 min");
        assert_eq!(time_left(100, 100), "expired just now");
        assert_eq!(time_left(100, 7300), "expired 2 h ago");
    }

    #[test]
    fn time_claims_describe_each_claim() {
        let claims = json!({"iat": 1000, "exp": 4600, "nbf": "soon", "sub": "x"});
        let found = time_claims(&claims, Some(1600));
        let names: Vec<&str> = found.iter().map(|c| c.name).collect();
        assert_eq!(names, vec!["exp", "nbf", "iat"]);
        assert_eq!(found[0].relative.as_deref(), Some("expires in 50 min"));
        assert!(found[1].problem.as_deref().unwrap().contains("a string"));
        assert_eq!(found[2].relative.as_deref(), Some("issued 10 min ago"));
    }
}
