//! Runtime for crates generated from AWS service models (awsJson 1.0 and 1.1, restJson1, Smithy
//! RPC v2 CBOR).
//!
//! What is the same for every service lives here, so that generated code stays thin: each
//! protocol's rules ([`protocol`]), the wire rules of values ([`wire`]), each body format's
//! writer and reader (JSON: [`json`], [`reader`]; CBOR: [`cbor`]), timestamps ([`DateTime`]), blobs ([`Blob`]) and streamed bodies ([`ByteStream`]), documents ([`Document`]),
//! error plumbing ([`error`]), `Debug` redaction of sensitive values ([`debug`]), endpoint rule
//! sets ([`endpoint`]), and with its features the HTTP client and server.

pub mod blob;
pub mod byte_stream;
pub mod cbor;
pub mod datetime;
pub mod debug;
pub mod endpoint;
pub mod error;
pub mod json;
pub mod operation;
pub mod protocol;
pub mod reader;
pub mod wire;

pub use blob::Blob;
pub use byte_stream::{ByteStream, ByteStreamError};
pub use datetime::DateTime;
pub use error::{BuildError, ErrorEnum, ErrorMetadata, ErrorShape, Fault, ServiceError};

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

/// A fresh idempotency token (a random version-4 UUID), which generated builders fill in for
/// members the model marks `idempotencyToken` when the caller sets none.
pub fn idempotency_token() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let time = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut state =
        time ^ (u64::from(std::process::id()) << 32) ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut next = || {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let (a, b) = (next(), next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        a as u16 & 0x0fff,
        (b >> 48) as u16 & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}
