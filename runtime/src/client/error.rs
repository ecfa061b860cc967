//! The one error type of a call: what went wrong is told apart first (building the request,
//! credentials, sending it, reading the response, or the service's answer), and a modelled
//! service error is one pattern away: `Err(Error::Service { error: GetIdError::NotAuthorizedException(e), .. })`.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use crate::error::ServiceError;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Why a call failed. `E` is the operation's error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request could not be built: a required member is missing or a value cannot be sent.
    /// Nothing was sent.
    Build(BuildFailure),
    /// A signed operation had no usable credentials. Nothing was sent.
    Credentials(CredentialsFailure),
    /// The request could not be sent or no response came: connection, I/O or timeout.
    Dispatch(DispatchError),
    /// A response came but could not be read.
    Response(ResponseError),
    /// The service answered with an error: a modelled one of the operation, or `Unhandled`.
    Service {
        error: E,
        /// HTTP status of the response.
        status: u16,
        /// The request id the service gave (`x-amzn-RequestId`).
        request_id: Option<String>,
    },
}

impl<E> Error<E> {
    /// The service's error, if the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            Error::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    pub fn into_service_error(self) -> Option<E> {
        match self {
            Error::Service { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The request id of the response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service { request_id, .. } => request_id.as_deref(),
            Error::Response(r) => r.request_id.as_deref(),
            _ => None,
        }
    }
}

impl<E: ServiceError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Build(e) => write!(f, "request not sent: {e}"),
            Error::Credentials(e) => write!(f, "request not sent: {e}"),
            Error::Dispatch(e) => write!(f, "request failed: {e}"),
            Error::Response(e) => write!(f, "unreadable response: {e}"),
            Error::Service {
                error,
                status,
                request_id,
            } => {
                write!(f, "{}", error.code())?;
                if let Some(m) = error.message() {
                    write!(f, ": {m}")?;
                }
                write!(f, " (HTTP {status}")?;
                if let Some(r) = request_id {
                    write!(f, ", request id {r}")?;
                }
                f.write_str(")")
            }
        }
    }
}

impl<E: ServiceError> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Build(e) => Some(e),
            Error::Credentials(e) => Some(e),
            Error::Dispatch(e) => Some(e),
            Error::Response(e) => Some(e),
            Error::Service { error, .. } => Some(error),
        }
    }
}

/// The request could not be built.
#[derive(Debug)]
pub struct BuildFailure {
    message: String,
    source: Option<BoxError>,
}

impl BuildFailure {
    pub fn new(message: impl Into<String>, source: Option<BoxError>) -> BuildFailure {
        BuildFailure {
            message: message.into(),
            source,
        }
    }
}

impl From<crate::BuildError> for BuildFailure {
    fn from(e: crate::BuildError) -> Self {
        BuildFailure::new(e.to_string(), Some(Box::new(e)))
    }
}

impl fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for BuildFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|e| &**e as &(dyn StdError + 'static))
    }
}

/// No usable credentials for a signed operation.
#[derive(Debug)]
pub struct CredentialsFailure {
    message: String,
    source: Option<BoxError>,
}

impl CredentialsFailure {
    pub(crate) fn new(e: aws_credential_types::provider::error::CredentialsError) -> Self {
        CredentialsFailure {
            message: format!("no credentials: {e}"),
            source: Some(Box::new(e)),
        }
    }

    pub(crate) fn missing(operation: &str) -> Self {
        CredentialsFailure {
            message: format!(
                "{operation} must be signed but the client has no credentials provider"
            ),
            source: None,
        }
    }
}

impl fmt::Display for CredentialsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for CredentialsFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|e| &**e as &(dyn StdError + 'static))
    }
}

/// What kind of dispatch failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispatchKind {
    /// No connection could be made.
    Connect,
    /// The connection failed while sending or receiving.
    Io,
    /// A timeout elapsed.
    Timeout,
    /// Anything else the transport reported.
    Other,
}

/// The request could not be sent, or no response came.
#[derive(Debug)]
pub struct DispatchError {
    kind: DispatchKind,
    message: String,
    source: Option<BoxError>,
}

impl DispatchError {
    pub fn new(
        kind: DispatchKind,
        message: impl Into<String>,
        source: Option<BoxError>,
    ) -> DispatchError {
        DispatchError {
            kind,
            message: message.into(),
            source,
        }
    }

    pub(crate) fn timeout(what: &str, limit: Duration) -> DispatchError {
        DispatchError::new(
            DispatchKind::Timeout,
            format!("{what} timed out after {limit:?}"),
            None,
        )
    }

    pub fn kind(&self) -> DispatchKind {
        self.kind
    }

    pub fn is_timeout(&self) -> bool {
        self.kind == DispatchKind::Timeout
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for DispatchError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|e| &**e as &(dyn StdError + 'static))
    }
}

/// A response that could not be read (a body that is not the output's JSON, say).
#[derive(Debug)]
pub struct ResponseError {
    pub status: u16,
    pub request_id: Option<String>,
    message: String,
    source: Option<BoxError>,
}

impl ResponseError {
    pub fn new(
        status: u16,
        request_id: Option<String>,
        message: impl Into<String>,
        source: Option<BoxError>,
    ) -> Self {
        ResponseError {
            status,
            request_id,
            message: message.into(),
            source,
        }
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}: {}", self.status, self.message)
    }
}

impl StdError for ResponseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|e| &**e as &(dyn StdError + 'static))
    }
}
