//! The sweep's endpoint tests. Every case of each swept model runs with the parameters it gives
//! against the rule set the model's crates embed ([`run_params_cases`]). The cases that give
//! `operationInputs` (an operation, its input and the built-ins) also run through the generated
//! `Operation::endpoint_params`, which checks what the generator made of `staticContextParams`,
//! `contextParam` and `operationContextParams`.
//!
//! For those, the sweep writes a crate, `endpoint-cases`, into its workspace: a dispatch from
//! operation names to the generated operations, the cases as data, and a program that prints
//! each case's outcome, which the sweep compares with what the case expects. A case's input is
//! the vector's `operationParams` with every required member it leaves out filled with a
//! placeholder (the generated types refuse an input without its required members; a
//! placeholder never reaches an endpoint parameter, since the vectors give every member that
//! does).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use awsgen_rt::endpoint::{Partitions, RuleSet};
use codegen::endpoint_tests::check;
use codegen::ir::{Service, ShapeKind};
use serde_json::{json, Map, Value};

/// A swept model whose service has endpoint cases with operation inputs, with those cases.
pub struct Model {
    pub stem: String,
    pub ir: Service,
    pub cases: Vec<Value>,
}

/// Every endpoint test of the swept models (`(service, stem)`; for a service swept in several
/// API versions, the last, as the vectors are written for its latest) with the resolved
/// parameters each case gives, against the rule set beside the model in `models` (the text its
/// crates embed): how many cases, and the failures.
pub fn run_params_cases<'a>(
    models: &Path,
    vectors: &Path,
    swept: impl Iterator<Item = (&'a str, &'a str)>,
) -> (usize, Vec<String>) {
    let latest: BTreeMap<&str, &str> = swept.collect();
    let partitions = fs::read_to_string(models.join("partitions.json"))
        .ok()
        .and_then(|t| Partitions::parse(&t).ok());
    let (mut n, mut failures) = (0, Vec::new());
    for (service, stem) in latest {
        let tests = fs::read_to_string(vectors.join(service).join("endpoint-tests-1.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok());
        let rules = fs::read_to_string(models.join(format!("{stem}.endpoint-rule-set.json")))
            .ok()
            .and_then(|t| RuleSet::parse(&t).ok());
        match (tests, rules, &partitions) {
            (None, _, _) => {}
            (Some(tests), Some(rules), Some(p)) => {
                let (count, f) = codegen::endpoint_tests::run(&rules, p, &tests);
                n += count;
                failures.extend(f.into_iter().map(|f| format!("{stem}: {f}")));
            }
            (Some(_), _, _) => failures.push(format!(
                "{stem}: no rule set or partitions to run its endpoint tests"
            )),
        }
    }
    (n, failures)
}

/// The `operationInputs` cases of `service` in the fetched vectors, if any.
pub fn cases_of(vectors: &Path, service: &str) -> Vec<Value> {
    let path = vectors.join(service).join("endpoint-tests-1.json");
    let Ok(text) = fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(tests) = serde_json::from_str::<Value>(&text) else {
        return Vec::new();
    };
    tests["testCases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c.get("operationInputs").is_some())
        .cloned()
        .collect()
}

/// Writes the `endpoint-cases` crate under `scratch` for `models` (each with its cases); the
/// cases as written, one per operation input, in the order the program reports them.
pub fn write_crate(
    scratch: &Path,
    vectors: &Path,
    models: &[Model],
) -> std::io::Result<Vec<Value>> {
    let dir = scratch.join("endpoint-cases");
    fs::create_dir_all(dir.join("src"))?;
    let mut deps = String::new();
    let mut dispatch = String::new();
    let mut data = Vec::new();
    for m in models {
        let krate = &m.ir.crates.types;
        deps.push_str(&format!("{krate} = {{ path = \"../{krate}\" }}\n"));
        let lib = krate.replace('-', "_");
        let mut arms = String::new();
        for op in m.ir.operations.values() {
            let call = if op.input.is_some() {
                format!("run::<{lib}::operation::{}>(input, params)", op.type_name)
            } else {
                format!(
                    "{{ <{lib}::operation::{} as Operation>::endpoint_params(&(), params); Ok(()) }}",
                    op.type_name
                )
            };
            let _ = writeln!(arms, "        {:?} => {call},", op.wire_name);
        }
        let _ = writeln!(
            dispatch,
            "        {:?} => match operation {{\n{arms}        other => Err(format!(\"no operation {{other}}\")),\n    }},",
            m.stem
        );
        for case in &m.cases {
            for oi in case["operationInputs"].as_array().into_iter().flatten() {
                let op_name = oi["operationName"].as_str().unwrap_or_default();
                let mut input = oi
                    .get("operationParams")
                    .cloned()
                    .unwrap_or_else(|| json!({}));
                if let Some(shape) =
                    m.ir.operations
                        .get(op_name)
                        .and_then(|o| o.input.as_deref())
                {
                    fill(&m.ir, shape, &mut input, 0);
                }
                data.push(json!({
                    "model": m.stem,
                    "documentation": case["documentation"],
                    "operation": op_name,
                    "input": input,
                    "builtIns": oi.get("builtInParams").cloned().unwrap_or_else(|| json!({})),
                    "clientParams": oi.get("clientParams").cloned().unwrap_or_else(|| json!({})),
                    "expect": case["expect"],
                }));
            }
        }
    }
    let runtime = "../../../../runtime";
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"endpoint-cases\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nawsgen-rt = {{ path = \"{runtime}\" }}\nserde = \"1\"\nserde_json = \"1\"\n{deps}"
        ),
    )?;
    fs::write(
        dir.join("src/lib.rs"),
        format!(
            "//! Generated by `cargo xtask sweep` (xtask/src/endpoint_cases.rs): each swept model's\n//! operations by name, and their embedded rule sets.\n\nuse awsgen_rt::endpoint::Params;\nuse awsgen_rt::operation::{{Operation, Service}};\n\nfn run<O: Operation>(input: serde_json::Value, params: &mut Params) -> Result<(), String>\nwhere\n    O::Input: serde::de::DeserializeOwned,\n{{\n    let input: O::Input = serde_json::from_value(input).map_err(|e| format!(\"input: {{e}}\"))?;\n    O::endpoint_params(&input, params);\n    Ok(())\n}}\n\n/// Sets `operation`'s endpoint parameters from `input` (JSON, wire names) into `params`.\npub fn endpoint_params(model: &str, operation: &str, input: serde_json::Value, params: &mut Params) -> Result<(), String> {{\n    match model {{\n{dispatch}        other => Err(format!(\"no model {{other}}\")),\n    }}\n}}\n\n/// The rule set a model's types crate embeds.\npub fn rule_set(model: &str) -> Option<&'static str> {{\n    match model {{\n{}        _ => None,\n    }}\n}}\n",
            models
                .iter()
                .map(|m| format!(
                    "        {:?} => <{}::operation::Service as Service>::ENDPOINT_RULES,\n",
                    m.stem,
                    m.ir.crates.types.replace('-', "_")
                ))
                .collect::<String>()
        ),
    )?;
    fs::write(
        dir.join("cases.json"),
        serde_json::to_string_pretty(&Value::Array(data.clone())).unwrap_or_default(),
    )?;
    let partitions = vectors.join("partitions.json");
    fs::write(
        dir.join("src/main.rs"),
        MAIN.replace("PARTITIONS", &partitions.display().to_string()),
    )?;
    Ok(data)
}

/// The failures among `outcomes` (what the crate's program printed) for `cases` (what
/// [`write_crate`] wrote), described.
pub fn failures(cases: &[Value], outcomes: &[Value]) -> Vec<String> {
    if cases.len() != outcomes.len() {
        return vec![format!(
            "{} outcomes for {} cases",
            outcomes.len(),
            cases.len()
        )];
    }
    cases
        .iter()
        .zip(outcomes)
        .filter_map(|(case, outcome)| {
            let problem = match (outcome.get("endpoint"), outcome.get("error")) {
                (Some(e), _) => check(Ok(e), &case["expect"]),
                (None, Some(e)) => check(Err(e.as_str().unwrap_or_default()), &case["expect"]),
                _ => Some(format!("{}", outcome["failed"])),
            }?;
            Some(format!(
                "{} {}: {}: {problem}",
                case["model"].as_str().unwrap_or_default(),
                case["operation"].as_str().unwrap_or_default(),
                case["documentation"].as_str().unwrap_or_default()
            ))
        })
        .collect()
}

/// Fills the required members `v` lacks with placeholders, in `shape` and everything in it.
fn fill(svc: &Service, shape: &str, v: &mut Value, depth: usize) {
    let Some(s) = svc.shape(shape) else { return };
    if depth > 32 {
        return;
    }
    match (&s.kind, v) {
        (ShapeKind::Structure(st), Value::Object(o)) => {
            for m in &st.members {
                match o.get_mut(&m.wire_name) {
                    Some(inner) => fill(svc, &m.target, inner, depth + 1),
                    None if m.required => {
                        o.insert(m.wire_name.clone(), placeholder(svc, &m.target, depth + 1));
                    }
                    None => {}
                }
            }
        }
        (ShapeKind::List(l), Value::Array(items)) => {
            for item in items {
                fill(svc, &l.member, item, depth + 1);
            }
        }
        (ShapeKind::Map(m), Value::Object(o)) => {
            for value in o.values_mut() {
                fill(svc, &m.value, value, depth + 1);
            }
        }
        _ => {}
    }
}

/// A value of `shape` with its required members filled.
fn placeholder(svc: &Service, shape: &str, depth: usize) -> Value {
    let Some(s) = svc.shape(shape) else {
        return Value::Null;
    };
    match &s.kind {
        ShapeKind::Structure(_) => {
            let mut v = Value::Object(Map::new());
            fill(svc, shape, &mut v, depth);
            v
        }
        ShapeKind::Union(u) => match u.members.first() {
            Some(m) => {
                let mut o = BTreeMap::new();
                o.insert(m.wire_name.clone(), placeholder(svc, &m.target, depth + 1));
                json!(o)
            }
            None => json!({}),
        },
        ShapeKind::List(_) => json!([]),
        ShapeKind::Map(_) | ShapeKind::Document => json!({}),
        ShapeKind::Boolean => json!(false),
        ShapeKind::Byte(r) | ShapeKind::Short(r) | ShapeKind::Integer(r) | ShapeKind::Long(r) => {
            json!(r.min.unwrap_or(0.0) as i64)
        }
        ShapeKind::Float(r) | ShapeKind::Double(r) => json!(r.min.unwrap_or(0.0)),
        ShapeKind::Timestamp(_) => json!(0),
        ShapeKind::Enum(e) => json!(e.values.first().map(|v| v.wire.clone()).unwrap_or_default()),
        ShapeKind::String(_) | ShapeKind::Blob(_) => json!(""),
    }
}

/// The crate's program: each case's built-ins and client parameters mapped to the rule set's
/// parameters (by their `builtIn` and name), the operation's own parameters over them,
/// resolved; the outcomes, in the cases' order, as JSON on standard output (compared by the
/// sweep, with `codegen::endpoint_tests::check`).
const MAIN: &str = r#"//! Generated by `cargo xtask sweep` (xtask/src/endpoint_cases.rs).

use std::collections::BTreeMap;

use awsgen_rt::endpoint::{Params, Partitions, RuleSet, Value};
use serde_json::{json, Value as Json};

fn param(j: &Json) -> Option<Value> {
    Some(match j {
        Json::String(s) => Value::String(s.clone()),
        Json::Bool(b) => Value::Bool(*b),
        Json::Array(a) => Value::Array(a.iter().map(param).collect::<Option<_>>()?),
        _ => return None,
    })
}

fn main() {
    let cases: Vec<Json> = serde_json::from_str(include_str!("../cases.json")).expect("cases.json");
    let partitions =
        Partitions::parse(&std::fs::read_to_string("PARTITIONS").expect("partitions.json"))
            .expect("partitions");
    let mut rule_sets: BTreeMap<String, RuleSet> = BTreeMap::new();
    let mut outcomes = Vec::new();
    for case in &cases {
        let model = case["model"].as_str().unwrap_or_default();
        let rules = rule_sets.entry(model.to_owned()).or_insert_with(|| {
            let text = endpoint_cases::rule_set(model).expect("an embedded rule set");
            RuleSet::parse(text).expect("a rule set")
        });
        let mut params = Params::new();
        for p in &rules.params {
            let given = match &p.built_in {
                Some(b) => case["builtIns"].get(b),
                None => case["clientParams"].get(&p.name),
            };
            if let Some(v) = given.and_then(param) {
                params.insert(p.name.clone(), v);
            }
        }
        let op = case["operation"].as_str().unwrap_or_default();
        let outcome = match endpoint_cases::endpoint_params(model, op, case["input"].clone(), &mut params) {
            Err(e) => json!({"failed": e}),
            Ok(()) => match rules.resolve(&params, &partitions) {
                Ok(e) => json!({"endpoint": e.to_json()}),
                Err(e) => json!({"error": e.0}),
            },
        };
        outcomes.push(outcome);
    }
    println!("{}", Json::Array(outcomes));
}
"#;
