//! Runtime for crates generated from awsJson (1.0 and 1.1) service models.
//!
//! What is the same for every service lives here, so that generated code stays thin: the JSON
//! wire rules ([`wire`]), timestamps ([`DateTime`]), blobs ([`Blob`]), documents ([`Document`]),
//! error plumbing ([`error`]) and `Debug` redaction of sensitive values ([`debug`]).

pub mod blob;
pub mod datetime;
pub mod debug;
pub mod error;
pub mod operation;
pub mod wire;

pub use blob::Blob;
pub use datetime::DateTime;
pub use error::{BuildError, ErrorMetadata, Fault, ServiceError};

/// A document: any JSON value, as the model's `document` shapes allow.
pub type Document = serde_json::Value;

/// Re-exports for generated code, so generated crates need no direct dependency on them.
#[doc(hidden)]
pub mod codegen {
    pub use serde;
    pub use serde_json;
}

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
pub mod server;
#[cfg(any(feature = "client", feature = "server"))]
pub mod sigv4;
