//! Workspace-level tests of the generated cognito-identity crates live in `tests/`.
