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
/// Implemented for every [`ErrorEnum`].
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

/// An error structure of a model (`ResourceNotFoundException`, say): its wire code and traits.
pub trait ErrorShape: crate::wire::Wire + std::error::Error + Send + Sync + 'static {
    /// The error code on the wire.
    const CODE: &'static str;
    /// Whose fault it is (the model's `error` trait).
    const FAULT: Fault;
    /// The model's `retryable` trait: `Some(true)` for throttling, `Some(false)` for other
    /// retryable errors, `None` when not retryable.
    const RETRYABLE: Option<bool>;
    /// The awsQuery error code of a query-compatible service's error (the `error` trait's
    /// `code`, `AWS.SimpleQueueService.NonExistentQueue`): the code it reports, while `CODE`
    /// stays its awsJson `__type`.
    const QUERY_CODE: Option<&'static str> = None;
    /// The HTTP status a REST service answers it with (the `error` trait's `httpStatusCode`);
    /// without one, 400 for the client's fault and 500 for the server's.
    const HTTP_STATUS: Option<u16> = None;
    /// The message the service sent, if any.
    fn message(&self) -> Option<&str>;
}

/// An [`ErrorShape`] behind a reference, whichever it is.
pub trait AnyErrorShape: std::error::Error + Send + Sync + 'static {
    /// The code the service reports: the awsQuery code of a query-compatible service's error,
    /// else the awsJson `__type` ([`AnyErrorShape::wire_code`]).
    fn code(&self) -> &'static str;
    /// The error's awsJson `__type`.
    fn wire_code(&self) -> &'static str;
    /// The awsQuery code, for services that report one.
    fn query_code(&self) -> Option<&'static str>;
    /// The HTTP status of a REST or RPC v2 CBOR service's error, when the model gives one.
    fn http_status(&self) -> Option<u16>;
    fn message(&self) -> Option<&str>;
    fn fault(&self) -> Fault;
    fn retryable(&self) -> Option<bool>;
    fn as_error(&self) -> &(dyn std::error::Error + 'static);
}

impl<T: ErrorShape> AnyErrorShape for T {
    fn code(&self) -> &'static str {
        T::QUERY_CODE.unwrap_or(T::CODE)
    }
    fn wire_code(&self) -> &'static str {
        T::CODE
    }
    fn query_code(&self) -> Option<&'static str> {
        T::QUERY_CODE
    }
    fn http_status(&self) -> Option<u16> {
        T::HTTP_STATUS
    }
    fn message(&self) -> Option<&str> {
        ErrorShape::message(self)
    }
    fn fault(&self) -> Fault {
        T::FAULT
    }
    fn retryable(&self) -> Option<bool> {
        T::RETRYABLE
    }
    fn as_error(&self) -> &(dyn std::error::Error + 'static) {
        self
    }
}

/// An enum of error structures plus `Unhandled` (every generated error enum): the one match a
/// generated enum writes; [`ServiceError`], `Display` and the wire encoding build on it.
pub trait ErrorEnum: std::error::Error + Send + Sync + 'static {
    /// The error structure, or what is known of an error the enum does not list.
    fn shape(&self) -> Result<&dyn AnyErrorShape, &ErrorMetadata>;
}

impl<T: ErrorEnum> ServiceError for T {
    fn code(&self) -> &str {
        match self.shape() {
            Ok(e) => e.code(),
            Err(m) => m.code().unwrap_or("Unhandled"),
        }
    }
    fn message(&self) -> Option<&str> {
        match self.shape() {
            Ok(e) => e.message(),
            Err(m) => m.message(),
        }
    }
    fn fault(&self) -> Fault {
        match self.shape() {
            Ok(e) => e.fault(),
            Err(_) => Fault::Server,
        }
    }
    fn retryable(&self) -> Option<bool> {
        self.shape().ok().and_then(|e| e.retryable())
    }
}

/// `Display` of an error enum: its structure's, or the metadata of an unhandled error.
pub fn display_error(e: &impl ErrorEnum, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match e.shape() {
        Ok(e) => fmt::Display::fmt(e, f),
        Err(m) => fmt::Display::fmt(m, f),
    }
}

/// `Error::source` of an error enum: its structure (none for an unhandled error).
pub fn error_source(e: &impl ErrorEnum) -> Option<&(dyn std::error::Error + 'static)> {
    e.shape().ok().map(|e| e.as_error())
}

/// `Display` of an error structure: `Code: message`.
pub fn display_shape<T: ErrorShape>(e: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(T::QUERY_CODE.unwrap_or(T::CODE))?;
    if let Some(m) = ErrorShape::message(e) {
        write!(f, ": {m}")?;
    }
    Ok(())
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
