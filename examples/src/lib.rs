//! Examples live beside this crate: `cargo run -p examples --example list_identity_pools -- URL`.
