//! Generates Rust crates from botocore-style awsJson service models.
//!
//! The pipeline, one module per step: [`model`] loads the JSON, [`validate`] reports every
//! problem with its JSON path, [`lower`] builds the [`ir`] once (names from [`naming`], docs from
//! [`docs`]), [`emit`] turns the IR into token streams, and [`render`] formats them into files.
//! Nothing here touches the file system: I/O is the caller's.

pub mod context_params;
pub mod diag;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod endpoint_tests;
pub mod ir;
pub mod lower;
pub mod model;
pub mod naming;
pub mod pattern;
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

/// The texts of one model's files: the service model (`<stem>.normal.json`) and, when botocore
/// ships them, its paginators (`<stem>.paginators.json`) and endpoint rule set
/// (`<stem>.endpoint-rule-set.json`).
#[derive(Debug, Clone, Copy)]
pub struct ModelFiles<'a> {
    pub service: &'a str,
    pub paginators: Option<&'a str>,
    pub endpoint_rules: Option<&'a str>,
}

impl<'a> ModelFiles<'a> {
    /// A service model alone.
    pub fn new(service: &'a str) -> ModelFiles<'a> {
        ModelFiles {
            service,
            paginators: None,
            endpoint_rules: None,
        }
    }

    pub fn paginators(self, paginators: Option<&'a str>) -> Self {
        ModelFiles { paginators, ..self }
    }

    pub fn endpoint_rules(self, endpoint_rules: Option<&'a str>) -> Self {
        ModelFiles {
            endpoint_rules,
            ..self
        }
    }
}

/// Loads, validates and lowers a model into the IR, or returns every problem found.
pub fn build_ir(files: &ModelFiles<'_>) -> Result<(ir::Service, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let model = model::parse_service(files.service, &mut diags);
    let paginators = files
        .paginators
        .map(|p| model::parse_paginators(p, &mut diags));
    let rules = files
        .endpoint_rules
        .and_then(|r| model::parse_endpoint_rules(r, &mut diags));
    let Some(model) = model else {
        return Err(diags);
    };
    diags.extend(validate::validate(&model, paginators.as_ref()));
    if diags.has_errors() {
        return Err(diags);
    }
    match lower::lower(&model, paginators.as_ref(), rules, &mut diags) {
        Some(service) if !diags.has_errors() => Ok((service, diags)),
        _ => Err(diags),
    }
}

/// The whole pipeline: model texts in, files out.
pub fn generate(files: &ModelFiles<'_>, settings: &Settings) -> Result<Generated, Diagnostics> {
    let (mut service, mut warnings) = build_ir(files)?;
    if service.endpoint_rules.is_none() {
        warnings.warning(
            "endpointRuleSet",
            "no endpoint rule set beside the model: the client falls back to \
             https://<endpointPrefix>.<region>.amazonaws.com (amazonaws.com.cn in China), which is \
             wrong for FIPS, dual-stack and most partitions",
        );
    }
    if let Some(base) = &settings.crate_base {
        service.crates = naming::CrateNames::new(base);
    }
    let files = render_all(&service, settings).map_err(|e| {
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

/// Emits and renders every file, on as many threads as the machine has (files are independent;
/// token streams are not `Send`, so each file is emitted on the thread that renders it). The
/// result does not depend on the number of threads.
fn render_all(
    service: &ir::Service,
    settings: &Settings,
) -> Result<BTreeMap<String, String>, syn::Error> {
    // The per-shape parts (the largest jobs) first, whole files after: with the small files left
    // for last, the threads finish together instead of one waiting on a late large part.
    let mut jobs = emit::jobs(service);
    jobs.sort_by_key(|job| job.part.count == 1);
    let jobs = std::sync::Mutex::new(jobs.into_iter());
    let results = std::sync::Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let next = jobs.lock().map(|mut j| j.next()).unwrap_or(None);
                let Some(job) = next else { break };
                let file = (job.emit)(service, settings, job.part);
                let rendered = render::render_part(file, job.part.is_first());
                if let Ok(mut r) = results.lock() {
                    r.push((job.path, job.part.index, rendered));
                }
            });
        }
    });
    // Parts of a file joined in order.
    let mut parts = results.into_inner().unwrap_or_default();
    parts.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for (path, _, text) in parts {
        files.entry(path).or_default().push_str(&text?);
    }
    Ok(files)
}
