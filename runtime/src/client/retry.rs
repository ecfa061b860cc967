//! Standard retries: bounded attempts, exponential backoff with full jitter, on throttling,
//! transient server errors, connection failures and timeouts; never on the caller's own errors.

use std::cell::Cell;
use std::time::Duration;

use super::config::RetryConfig;
use super::error::{DispatchKind, Error};
use crate::error::ServiceError;

/// Error codes that mean "slow down", whether the model lists them or not.
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes that mean "try again".
const TRANSIENT: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "ServiceUnavailable",
];

const TRANSIENT_STATUS: &[u16] = &[429, 500, 502, 503, 504];

/// Whether a failed attempt is worth another.
pub(crate) fn is_retryable<E: ServiceError>(e: &Error<E>) -> bool {
    match e {
        Error::Dispatch(d) => matches!(
            d.kind(),
            DispatchKind::Connect | DispatchKind::Io | DispatchKind::Timeout
        ),
        Error::Service { error, status, .. } => {
            let code = error.code();
            error.retryable().is_some()
                || THROTTLING.contains(&code)
                || TRANSIENT.contains(&code)
                || TRANSIENT_STATUS.contains(status)
        }
        Error::Response(r) => TRANSIENT_STATUS.contains(&r.status),
        Error::Build(_) | Error::Credentials(_) => false,
    }
}

pub(crate) enum RetryDecision {
    Done,
    RetryAfter(Duration),
}

/// One call's attempts.
pub(crate) struct Attempt {
    number: u32,
    max_attempts: u32,
    initial: Duration,
    max_backoff: Duration,
    rng: Cell<u64>,
}

impl Attempt {
    pub(crate) fn new(config: &RetryConfig) -> Attempt {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9_7f4a_7c15)
            ^ (config as *const RetryConfig as u64);
        Attempt {
            number: 1,
            max_attempts: config.max_attempts.max(1),
            initial: config.initial_backoff,
            max_backoff: config.max_backoff,
            rng: Cell::new(seed | 1),
        }
    }

    pub(crate) fn number(&self) -> u32 {
        self.number
    }

    /// Whether this attempt is the last the configuration allows.
    pub(crate) fn is_last(&self) -> bool {
        self.number >= self.max_attempts
    }

    /// Makes this attempt the last: its request cannot be sent again.
    pub(crate) fn make_last(&mut self) {
        self.max_attempts = self.number;
    }

    /// After an attempt: stop (success, not retryable, or out of attempts) or wait and retry.
    pub(crate) fn decide<T, E: ServiceError>(
        &mut self,
        outcome: &Result<T, Error<E>>,
    ) -> RetryDecision {
        match outcome {
            Err(e) if self.number < self.max_attempts && is_retryable(e) => {
                let delay = backoff(
                    self.initial,
                    self.max_backoff,
                    self.number,
                    self.next_fraction(),
                );
                self.number += 1;
                RetryDecision::RetryAfter(delay)
            }
            _ => RetryDecision::Done,
        }
    }

    /// A number in [0, 1) from xorshift64*.
    fn next_fraction(&self) -> f64 {
        let mut x = self.rng.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng.set(x);
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Full jitter: a random fraction of `initial * 2^(attempt-1)`, capped at `max`.
pub(crate) fn backoff(initial: Duration, max: Duration, attempt: u32, fraction: f64) -> Duration {
    let exp = initial.saturating_mul(1u32 << (attempt - 1).min(20));
    exp.min(max).mul_f64(fraction.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let i = Duration::from_millis(100);
        let m = Duration::from_secs(1);
        assert_eq!(backoff(i, m, 1, 1.0), Duration::from_millis(100));
        assert_eq!(backoff(i, m, 2, 1.0), Duration::from_millis(200));
        assert_eq!(backoff(i, m, 3, 0.5), Duration::from_millis(200));
        assert_eq!(backoff(i, m, 30, 1.0), m);
        assert_eq!(backoff(i, m, 2, 0.0), Duration::ZERO);
    }

    #[test]
    fn jitter_fractions_are_in_range() {
        let a = Attempt::new(&RetryConfig::standard());
        for _ in 0..1000 {
            let f = a.next_fraction();
            assert!((0.0..1.0).contains(&f));
        }
    }
}
