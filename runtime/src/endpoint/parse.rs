//! Reading a rule set: every problem collected with its JSON path.

use super::json::Json;
use super::*;

/// Where a node is in the rule set (`rules[2].conditions[0].argv[1]`), written out only for a
/// problem: reading a rule set formats no path for the nodes that are fine.
#[derive(Clone, Copy)]
enum At<'p> {
    Root(&'static str),
    Key(&'p At<'p>, &'p str),
    Index(&'p At<'p>, usize),
}

impl<'p> At<'p> {
    fn key(&'p self, k: &'p str) -> At<'p> {
        At::Key(self, k)
    }

    fn index(&'p self, i: usize) -> At<'p> {
        At::Index(self, i)
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Root(name) => f.write_str(name),
            At::Key(parent, k) => write!(f, "{parent}.{k}"),
            At::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Reads a rule set's JSON, collecting every problem with its path.
struct Parser {
    problems: Vec<String>,
}

impl Parser {
    fn problem(&mut self, path: &At<'_>, what: impl fmt::Display) {
        self.problems.push(format!("{path}: {what}"));
    }

    fn rules(&mut self, j: &Json<'_>, path: &At<'_>) -> Vec<Rule> {
        let Some(items) = j.as_array() else {
            self.problem(path, "expected a list of rules");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, r)| self.rule(r, &path.index(i)))
            .collect()
    }

    fn rule(&mut self, j: &Json<'_>, path: &At<'_>) -> Option<Rule> {
        let conditions = match j.get("conditions") {
            Some(c) => self.conditions(c, &path.key("conditions")),
            None => Vec::new(),
        };
        match j.get("type").and_then(Json::as_str) {
            Some("endpoint") => {
                let e = j.get("endpoint");
                let epath = path.key("endpoint");
                let Some(e) = e.and_then(Json::as_object) else {
                    self.problem(&epath, "expected an endpoint object");
                    return None;
                };
                let url = match e.get("url") {
                    Some(u) => self.expr(u, &epath.key("url")),
                    None => {
                        self.problem(&epath, "no url");
                        return None;
                    }
                };
                let properties = match e.get("properties").map(|p| (p, p.as_object())) {
                    None => Vec::new(),
                    Some((_, Some(o))) => o
                        .iter()
                        .map(|(k, v)| (k.to_owned(), self.expr(v, &epath.key("properties").key(k))))
                        .collect(),
                    Some((_, None)) => {
                        self.problem(&epath.key("properties"), "expected an object");
                        Vec::new()
                    }
                };
                let headers = match e.get("headers").map(|h| (h, h.as_object())) {
                    None => Vec::new(),
                    Some((_, Some(o))) => o
                        .iter()
                        .map(|(k, v)| {
                            let headers = epath.key("headers");
                            let hpath = headers.key(k);
                            let values = match v.as_array() {
                                Some(a) => a
                                    .iter()
                                    .enumerate()
                                    .map(|(i, x)| self.expr(x, &hpath.index(i)))
                                    .collect(),
                                None => {
                                    self.problem(&hpath, "expected a list of values");
                                    Vec::new()
                                }
                            };
                            (k.to_owned(), values)
                        })
                        .collect(),
                    Some((_, None)) => {
                        self.problem(&epath.key("headers"), "expected an object");
                        Vec::new()
                    }
                };
                Some(Rule::Endpoint(
                    conditions,
                    EndpointExpr {
                        url,
                        properties,
                        headers,
                    },
                ))
            }
            Some("error") => match j.get("error") {
                Some(e) => Some(Rule::Error(conditions, self.expr(e, &path.key("error")))),
                None => {
                    self.problem(path, "an error rule without `error`");
                    None
                }
            },
            Some("tree") => match j.get("rules") {
                Some(r) => Some(Rule::Tree(conditions, self.rules(r, &path.key("rules")))),
                None => {
                    self.problem(path, "a tree rule without `rules`");
                    None
                }
            },
            other => {
                self.problem(
                    &path.key("type"),
                    format_args!("unknown rule type {other:?}"),
                );
                None
            }
        }
    }

    fn conditions(&mut self, j: &Json<'_>, path: &At<'_>) -> Vec<Condition> {
        let Some(items) = j.as_array() else {
            self.problem(path, "expected a list of conditions");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let cpath = path.index(i);
                let call = self.call(c, &cpath)?;
                let assign = match c.get("assign") {
                    None => None,
                    Some(Json::String(s)) => Some(s.to_string()),
                    Some(_) => {
                        self.problem(&cpath.key("assign"), "expected a name");
                        None
                    }
                };
                Some(Condition { call, assign })
            })
            .collect()
    }

    fn call(&mut self, j: &Json<'_>, path: &At<'_>) -> Option<Call> {
        let name = j.get("fn").and_then(Json::as_str)?;
        let Some((f, arity)) = Function::named(name) else {
            self.problem(&path.key("fn"), format_args!("unknown function `{name}`"));
            return None;
        };
        let args: Vec<Expr> = match j.get("argv").and_then(Json::as_array) {
            Some(a) => a
                .iter()
                .enumerate()
                .map(|(i, x)| self.expr(x, &path.key("argv").index(i)))
                .collect(),
            None => {
                self.problem(path, "no `argv` list");
                return None;
            }
        };
        if args.len() != arity {
            self.problem(
                &path.key("argv"),
                format_args!("`{name}` takes {arity} arguments, not {}", args.len()),
            );
            return None;
        }
        let path = match (f, args.get(1)) {
            (Function::GetAttr, Some(Expr::Literal(Value::String(p)))) => {
                Some(self.path(p, &path.key("argv").index(1)))
            }
            _ => None,
        };
        Some(Call { f, args, path })
    }

    fn expr(&mut self, j: &Json<'_>, path: &At<'_>) -> Expr {
        match j {
            Json::String(s) => {
                let mut parts = self.template(s, path);
                if let [Part::Text(_)] = parts.as_slice() {
                    if let Some(Part::Text(t)) = parts.pop() {
                        return Expr::Literal(Value::String(t));
                    }
                }
                Expr::Template(parts)
            }
            Json::Bool(b) => Expr::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Expr::Int(i),
                None => {
                    self.problem(path, "a number that is not an integer");
                    Expr::Int(0)
                }
            },
            Json::Array(a) => Expr::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| self.expr(x, &path.index(i)))
                    .collect(),
            ),
            Json::Object(o) => {
                if let Some(r) = o.get("ref") {
                    match r.as_str() {
                        Some(name) => return Expr::Ref(name.to_owned()),
                        None => self.problem(&path.key("ref"), "expected a name"),
                    }
                }
                if o.contains_key("fn") {
                    return match self.call(j, path) {
                        Some(c) => Expr::Call(Box::new(c)),
                        None => Expr::Bool(false),
                    };
                }
                Expr::Record(
                    o.iter()
                        .map(|(k, v)| (k.to_owned(), self.expr(v, &path.key(k))))
                        .collect(),
                )
            }
            Json::Null => {
                self.problem(path, "null is not a value here");
                Expr::Bool(false)
            }
        }
    }

    fn template(&mut self, s: &str, path: &At<'_>) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let rest = &s[i + 1..];
                    let Some(end) = rest.find('}') else {
                        self.problem(path, format_args!("unclosed `{{` in {s:?}"));
                        text.push_str(&s[i..]);
                        break;
                    };
                    let inner = &rest[..end];
                    for _ in 0..inner.chars().count() + 1 {
                        chars.next();
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    let (name, steps) = match inner.split_once('#') {
                        Some((n, p)) => (n, self.path(p, path)),
                        None => (inner, Vec::new()),
                    };
                    parts.push(Part::Var(name.to_owned(), steps));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(Part::Text(text));
        }
        parts
    }

    /// A `getAttr` path: `name`, `name.other`, `name[0]`.
    fn path(&mut self, p: &str, path: &At<'_>) -> Vec<Step> {
        parse_path(p).unwrap_or_else(|| {
            self.problem(path, format_args!("bad attribute path {p:?}"));
            Vec::new()
        })
    }
}

pub(super) fn parse_path(p: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for seg in p.split('.') {
        let (field, mut rest) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if !field.is_empty() {
            steps.push(Step::Field(field.to_owned()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            steps.push(Step::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() || (field.is_empty() && steps.is_empty()) {
            return None;
        }
    }
    Some(steps)
}

impl RuleSet {
    /// Reads a rule set (`endpoint-rule-set-1.json`); every problem is reported, each with its
    /// JSON path.
    pub fn parse(text: &str) -> Result<RuleSet, RuleSetError> {
        RuleSet::from_doc(&Json::parse(text)?)
    }

    fn from_doc(j: &Json<'_>) -> Result<RuleSet, RuleSetError> {
        let mut p = Parser {
            problems: Vec::new(),
        };
        let mut params = Vec::new();
        match j.get("parameters").and_then(Json::as_object) {
            Some(o) => {
                for (name, d) in o.iter() {
                    let parameters = At::Root("parameters");
                    let path = parameters.key(name);
                    // Both spellings occur in botocore's rule sets.
                    let kind = match d
                        .get("type")
                        .and_then(Json::as_str)
                        .map(str::to_ascii_lowercase)
                        .as_deref()
                    {
                        Some("string") => Kind::String,
                        Some("boolean") => Kind::Boolean,
                        Some("stringarray") => Kind::StringArray,
                        other => {
                            p.problem(
                                &path.key("type"),
                                format_args!("unknown parameter type {other:?}"),
                            );
                            continue;
                        }
                    };
                    let default = d.get("default").and_then(Value::from_json);
                    params.push(Param {
                        name: name.to_owned(),
                        kind,
                        built_in: d.get("builtIn").and_then(Json::as_str).map(str::to_owned),
                        required: d.get("required").and_then(Json::as_bool).unwrap_or(false),
                        default,
                    });
                }
            }
            None => p.problem(&At::Root("parameters"), "expected an object"),
        }
        let rules = match j.get("rules") {
            Some(r) => p.rules(r, &At::Root("rules")),
            None => {
                p.problem(&At::Root("rules"), "missing");
                Vec::new()
            }
        };
        if p.problems.is_empty() {
            Ok(RuleSet { params, rules })
        } else {
            Err(RuleSetError(p.problems))
        }
    }
}
