//! `Cargo.toml` of each generated crate. Dependencies are the runtime and the types crate only.

use crate::ir::Service;
use crate::Settings;

fn package(name: &str, description: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.85\"\ndescription = \"{description}\"\nlicense = \"Apache-2.0\"\npublish = false\n"
    )
}

pub fn types(svc: &Service, settings: &Settings) -> String {
    let desc = format!(
        "Types of {} (API {}), generated from its AWS model.",
        svc.full_name, svc.api_version
    );
    format!(
        "{}\n[dependencies]\nawsgen-rt = {{ path = \"{}\" }}\n",
        package(&svc.crates.types, &desc),
        settings.runtime_path
    )
}

pub fn client(svc: &Service, settings: &Settings) -> String {
    let desc = format!(
        "Client for {} (API {}), generated from its AWS model.",
        svc.full_name, svc.api_version
    );
    format!(
        "{}\n[dependencies]\nawsgen-rt = {{ path = \"{}\", features = [\"client\"] }}\n{} = {{ path = \"../{}\" }}\n",
        package(&svc.crates.client, &desc),
        settings.runtime_path,
        svc.crates.types,
        svc.crates.types
    )
}

pub fn server(svc: &Service, settings: &Settings) -> String {
    let desc = format!(
        "Server stub for {} (API {}), generated from its AWS model.",
        svc.full_name, svc.api_version
    );
    format!(
        "{}\n[dependencies]\nawsgen-rt = {{ path = \"{}\", features = [\"server\"] }}\n{} = {{ path = \"../{}\" }}\n",
        package(&svc.crates.server, &desc),
        settings.runtime_path,
        svc.crates.types,
        svc.crates.types
    )
}
