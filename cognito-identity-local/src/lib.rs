//! A local, in-memory Amazon Cognito Identity: all 23 operations on the generated server stub.
//!
//! Run it as a server (`cognito-identity-local --listen 127.0.0.1:4566`), or embed
//! [`Emulator`] in tests: `cognito_identity_server::service(Emulator::new("us-east-1")?)` is a
//! `tower::Service` the generated client can use through its transport seam, with no socket.

mod emulator;
mod jwt;
mod random;

pub use emulator::Emulator;
pub use jwt::{claims, ISSUER};
