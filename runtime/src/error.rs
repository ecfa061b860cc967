//! Error plumbing shared by generated types: builder errors and what is known of any error a
//! service returned.

use std::fmt;

/// A structure could not be built because required members were not set. Names every one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    missing: Vec<&'static str>,
}

impl BuildError {
    pub fn missing(shape: &'static str, missing: Vec<&'static str>) -> BuildError {
        BuildError { shape, missing }
    }

    /// The structure's name.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// The Rust names of the required members that were not set, in model order.
    pub fn missing_members(&self) -> &[&'static str] {
        &self.missing
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.missing.len() == 1 { "" } else { "s" };
        write!(
            f,
            "cannot build {}: required member{plural} not set: ",
            self.shape
        )?;
        for (i, m) in self.missing.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{m}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

/// What is known of an error response: its code, message and request id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
}

impl ErrorMetadata {
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_deref().unwrap_or("unknown error"))?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(r) = &self.request_id {
            write!(f, " (request id {r})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ErrorMetadata {}

/// Whose fault an error is: the caller's (HTTP 400) or the service's (HTTP 500).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Client,
    Server,
}

/// What every generated operation error enum and the service-wide error enum offer.
pub trait ServiceError: std::error::Error + Send + Sync + 'static {
    /// The error code on the wire (`ResourceNotFoundException`).
    fn code(&self) -> &str;
    /// The message the service sent, if any.
    fn message(&self) -> Option<&str>;
    /// Whose fault it is.
    fn fault(&self) -> Fault;
    /// `Some(true)` for throttling errors, `Some(false)` for other retryable ones.
    fn retryable(&self) -> Option<bool>;
}

/// Normalises an error type as awsJson sends it (`X-Amzn-ErrorType`, `__type` or `code`): drops
/// anything after `:` and any namespace before `#`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let no_suffix = raw.split(':').next().unwrap_or(raw);
    let code = no_suffix.rsplit('#').next().unwrap_or(no_suffix);
    code.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages() {
        assert_eq!(
            sanitize_error_code("aws.protocoltests#FooError:http://internal"),
            "FooError"
        );
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        let e = BuildError::missing("GetIdInput", vec!["identity_pool_id", "logins"]);
        assert_eq!(
            e.to_string(),
            "cannot build GetIdInput: required members not set: `identity_pool_id`, `logins`"
        );
    }
}
