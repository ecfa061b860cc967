//! `Debug` helpers for generated types: sensitive values print as a marker, never their content.

use std::fmt;

/// What a sensitive value prints as.
pub const REDACTED: Redacted = Redacted;

/// Prints `*** Sensitive Data Redacted ***`.
#[derive(Clone, Copy)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("*** Sensitive Data Redacted ***")
    }
}

/// A `Debug` value made from a closure, for containers whose items are redacted.
pub struct DebugFn<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result>(pub F);

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Debug for DebugFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// Stands in for a sensitive value in `Debug` output.
pub fn redacted<T: ?Sized>(_value: &T) -> Redacted {
    Redacted
}
