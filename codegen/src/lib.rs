//! Generates Rust crates from botocore-style awsJson service models.
//!
//! The pipeline, one module per step: [`model`] loads the JSON, [`validate`] reports every
//! problem with its JSON path, [`lower`] builds the [`ir`] once (names from [`naming`], docs from
//! [`docs`]), [`emit`] turns the IR into token streams, and [`render`] formats them into files.
//! Nothing here touches the file system: I/O is the caller's.

pub mod diag;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod lower;
pub mod model;
pub mod naming;
pub mod render;
pub mod validate;

use std::collections::BTreeMap;

pub use diag::{Diagnostic, Diagnostics, Severity};

/// Where generated crates find the runtime crate, relative to each generated crate's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub runtime_path: String,
    /// Base of the crate names instead of the one from the model's `serviceId` (the sweep uses
    /// `<service>-<api version>`, as two models may share a `serviceId`).
    pub crate_base: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runtime_path: "../../runtime".to_owned(),
            crate_base: None,
        }
    }
}

/// The generated files (paths relative to the output directory, `/`-separated) and the warnings
/// met on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
    pub warnings: Diagnostics,
    pub service: ir::Service,
}

/// Loads, validates and lowers a model into the IR, or returns every problem found.
pub fn build_ir(
    service_json: &str,
    paginators_json: Option<&str>,
) -> Result<(ir::Service, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let model = model::parse_service(service_json, &mut diags);
    let paginators = paginators_json.map(|p| model::parse_paginators(p, &mut diags));
    let Some(model) = model else {
        return Err(diags);
    };
    diags.extend(validate::validate(&model, paginators.as_ref()));
    if diags.has_errors() {
        return Err(diags);
    }
    match lower::lower(&model, paginators.as_ref(), &mut diags) {
        Some(service) if !diags.has_errors() => Ok((service, diags)),
        _ => Err(diags),
    }
}

/// The whole pipeline: model text in, files out.
pub fn generate(
    service_json: &str,
    paginators_json: Option<&str>,
    settings: &Settings,
) -> Result<Generated, Diagnostics> {
    let (mut service, warnings) = build_ir(service_json, paginators_json)?;
    if let Some(base) = &settings.crate_base {
        service.crates = naming::CrateNames::new(base);
    }
    let files = emit::crates(&service, settings)
        .into_iter()
        .map(|(path, file)| render::render(file).map(|text| (path, text)))
        .collect::<Result<BTreeMap<_, _>, _>>()
        .map_err(|e| {
            let mut d = Diagnostics::default();
            d.error(
                "",
                format!("internal error: generated code does not parse: {e}"),
            );
            d
        })?;
    Ok(Generated {
        files,
        warnings,
        service,
    })
}
