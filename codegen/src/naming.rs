//! Naming: the one place that turns wire names into Rust names. Casing, keywords, names that are
//! not identifiers and names that collide are all settled here, deterministically; the wire name
//! is always kept beside the Rust name by the caller.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Strict and reserved keywords of Rust 2021 (and `gen`, reserved from 2024).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Type names that would shadow the prelude, or names the generated crates define themselves
/// beside the shapes. A shape with one of these names gets the suffix `Shape`.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Error",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Client",
    "Config",
    "Default",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Clone",
    "Debug",
    "Display",
    "Iterator",
    "From",
    "Into",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
    "Unhandled",
    "Self",
];

/// Variant name the generated enums use for values they do not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Names the operation module defines beside the operation types.
const OPERATION_ITEMS: &[&str] = &["Service"];

/// Rust type names of the operations, by wire name: unique, and never a name of the prelude,
/// of the generated crates (`RESERVED_TYPE_NAMES`) or of the operation module, so generated code
/// may use the prelude's names unqualified. Such a name gets `Operation` (`String` →
/// `StringOperation`).
pub fn operation_types<'a>(
    wire_names: impl Iterator<Item = &'a String>,
) -> BTreeMap<String, String> {
    let items: Vec<(String, String)> = wire_names.map(|n| (n.clone(), camel(n))).collect();
    let reserved: Vec<&str> = RESERVED_TYPE_NAMES
        .iter()
        .chain(OPERATION_ITEMS)
        .copied()
        .collect();
    unique(&items, &reserved, "Operation", "")
}

/// Names the server crate defines or re-exports beside its handler trait.
const SERVER_ITEMS: &[&str] = &[
    "Router",
    "Limits",
    "RequestContext",
    "SigV4Verifier",
    "AwsJsonService",
];

/// The server's handler trait, named after the service (`Cognito Identity` →
/// `CognitoIdentity`); a name the prelude or the server crate already uses gets `Service`.
pub fn server_trait(service_id: &str) -> String {
    let name = camel(service_id);
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) || SERVER_ITEMS.contains(&name.as_str()) {
        format!("{name}Service")
    } else {
        name
    }
}

/// Methods the generated builders and call builders define besides the member setters, and the
/// methods of the traits they derive: an inherent setter named `default` would shadow
/// `Default::default` (`XBuilder::default()` then wants a value; Amazon Connect's `FontFamily`
/// and Pinpoint's push templates have a member `Default`), one named `clone` `Clone::clone`.
pub const BUILDER_METHODS: &[&str] = &[
    "build", "send", "pages", "items", "default", "clone", "eq", "ne", "fmt",
];

/// A Rust identifier for a sanitised name (raw for keywords that allow it).
pub fn ident(name: &str) -> Ident {
    if KEYWORDS.contains(&name) && !NOT_RAW.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Keeps ASCII letters and digits, turning everything else into word breaks. A plural acronym
/// (`ARNs`) becomes one word (`Arns`), so `ProviderARNs` is `provider_arns`, not `provider_ar_ns`.
fn ascii_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(plural_acronyms)
        .collect()
}

fn plural_acronyms(word: &str) -> String {
    let b = word.as_bytes();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i].is_ascii_uppercase() {
            i += 1;
        }
        let run = i - start;
        let plural = run >= 2
            && b.get(i) == Some(&b's')
            && b.get(i + 1)
                .is_none_or(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if plural {
            out.push(b[start] as char);
            out.push_str(&word[start + 1..i].to_ascii_lowercase());
        } else {
            out.push_str(&word[start..i]);
        }
        if i < b.len() {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// Joins already-cased words; a `_` stays between two digits so `1.0` and `10` stay apart.
fn join_words(words: &[String]) -> String {
    let mut out = String::new();
    for w in words {
        if out.ends_with(|c: char| c.is_ascii_digit())
            && w.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        out.push_str(w);
    }
    out
}

fn symbol_name(s: &str) -> String {
    if s.is_empty() {
        return "Empty".to_owned();
    }
    s.chars()
        .map(|c| match c {
            '*' => "Star".to_owned(),
            '-' => "Dash".to_owned(),
            '+' => "Plus".to_owned(),
            '.' => "Dot".to_owned(),
            '/' => "Slash".to_owned(),
            ':' => "Colon".to_owned(),
            '_' => "Underscore".to_owned(),
            ' ' => "Space".to_owned(),
            '#' => "Hash".to_owned(),
            '@' => "At".to_owned(),
            '$' => "Dollar".to_owned(),
            '%' => "Percent".to_owned(),
            '&' => "Amp".to_owned(),
            '=' => "Equals".to_owned(),
            '?' => "Question".to_owned(),
            '!' => "Bang".to_owned(),
            '<' => "Lt".to_owned(),
            '>' => "Gt".to_owned(),
            '(' | ')' => "Paren".to_owned(),
            ',' => "Comma".to_owned(),
            other => format!("U{:04X}", other as u32),
        })
        .collect()
}

/// `UpperCamelCase` for a type or variant; never empty, never starting with a digit.
pub fn camel(s: &str) -> String {
    let words: Vec<String> = ascii_words(s)
        .iter()
        .map(|w| w.to_upper_camel_case())
        .collect();
    let mut name = join_words(&words);
    if name.is_empty() {
        name = symbol_name(s);
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    sanitise(name)
}

/// `snake_case` for a field, method or module; never empty, never starting with a digit.
pub fn snake(s: &str) -> String {
    let words: Vec<String> = ascii_words(s).iter().map(|w| w.to_snake_case()).collect();
    let mut name = words.join("_");
    if name.is_empty() {
        name = symbol_name(s).to_snake_case();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'v');
    }
    sanitise(name)
}

fn sanitise(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Makes names unique. `items` are (wire name, candidate) pairs; the result maps each wire name
/// to its final name. A candidate that is reserved gets `reserved_suffix`; among candidates that
/// collide, the one whose wire name equals it (else the first by wire name) keeps it and the
/// others get the smallest free number, joined by `sep` (`FooBar2`, `foo_bar_2`).
pub fn unique(
    items: &[(String, String)],
    reserved: &[&str],
    reserved_suffix: &str,
    sep: &str,
) -> BTreeMap<String, String> {
    let mut sorted: Vec<(String, String)> = items.to_vec();
    sorted.sort();
    sorted.dedup();
    // (priority, wire name, candidate): a wire name that is its own Rust name comes first, then
    // one that would be but is reserved, then the rest; each group in wire-name order.
    let mut candidates: Vec<(u8, String, String)> = sorted
        .into_iter()
        .map(|(wire, cand)| {
            let exact = wire == cand;
            if reserved.contains(&cand.as_str()) {
                (
                    if exact { 1 } else { 2 },
                    wire,
                    format!("{cand}{reserved_suffix}"),
                )
            } else {
                (if exact { 0 } else { 2 }, wire, cand)
            }
        })
        .collect();
    candidates.sort();
    let all: BTreeSet<String> = candidates.iter().map(|(_, _, c)| c.clone()).collect();
    let mut used: BTreeSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut out = BTreeMap::new();
    for (_, wire, cand) in candidates {
        let name = if used.contains(&cand) {
            let mut n = 2;
            loop {
                let base = if sep.is_empty() {
                    cand.as_str()
                } else {
                    cand.trim_end_matches(sep)
                };
                let next = format!("{base}{sep}{n}");
                if !used.contains(&next) && !all.contains(&next) {
                    break next;
                }
                n += 1;
            }
        } else {
            cand
        };
        used.insert(name.clone());
        out.insert(wire, name);
    }
    out
}

/// Names of the crates generated for a service, from its `serviceId` (or endpoint prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateNames {
    /// `cognito-identity`
    pub base: String,
    pub types: String,
    pub client: String,
    pub server: String,
}

impl CrateNames {
    pub fn new(service_id: &str) -> CrateNames {
        let base: String = ascii_words(service_id).join(" ").to_kebab_case();
        let base = if base.is_empty() {
            "service".to_owned()
        } else {
            base
        };
        CrateNames {
            types: format!("{base}-types"),
            client: format!("{base}-client"),
            server: format!("{base}-server"),
            base,
        }
    }

    /// The name a crate is used by in Rust code.
    pub fn lib(krate: &str) -> String {
        krate.replace('-', "_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_and_sanitising() {
        assert_eq!(camel("us-east-1"), "UsEast1");
        assert_eq!(camel("1.0"), "V1_0");
        assert_eq!(camel("10"), "V10");
        assert_eq!(camel("*"), "Star");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("AuthenticatedRole"), "AuthenticatedRole");
        assert_eq!(camel("ml.m5.large"), "MlM5Large");
        assert_eq!(snake("IdentityPoolId"), "identity_pool_id");
        assert_eq!(snake("Type"), "type");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("3DSecure"), "v3d_secure");
        assert_eq!(snake("$"), "dollar");
        assert_eq!(
            snake("OpenIdConnectProviderARNs"),
            "open_id_connect_provider_arns"
        );
        assert_eq!(snake("SamlProviderARNs"), "saml_provider_arns");
        assert_eq!(camel("ARNString"), "ArnString");
        assert_eq!(snake("IdentityIdsToDelete"), "identity_ids_to_delete");
        assert_eq!(snake("ARNs2"), "arns2");
    }

    #[test]
    fn operation_types_never_take_a_name_in_use() {
        let ops = [
            "String".to_owned(),
            "Service".to_owned(),
            "GetId".to_owned(),
        ];
        let names = operation_types(ops.iter());
        assert_eq!(names["String"], "StringOperation");
        assert_eq!(names["Service"], "ServiceOperation");
        assert_eq!(names["GetId"], "GetId");
    }

    #[test]
    fn the_server_trait_never_takes_a_name_in_use() {
        assert_eq!(server_trait("Cognito Identity"), "CognitoIdentity");
        assert_eq!(server_trait("router"), "RouterService");
        assert_eq!(server_trait("Option"), "OptionService");
        assert_eq!(server_trait("self"), "Self_");
    }

    #[test]
    fn collisions_are_numbered_deterministically() {
        let items = vec![
            ("fooBar".to_owned(), camel("fooBar")),
            ("FooBar".to_owned(), camel("FooBar")),
            ("foo_bar".to_owned(), camel("foo_bar")),
            ("Error".to_owned(), camel("Error")),
            ("ErrorShape".to_owned(), camel("ErrorShape")),
        ];
        let names = unique(&items, RESERVED_TYPE_NAMES, "Shape", "");
        assert_eq!(names["FooBar"], "FooBar");
        assert_eq!(names["fooBar"], "FooBar2");
        assert_eq!(names["foo_bar"], "FooBar3");
        assert_eq!(names["ErrorShape"], "ErrorShape");
        assert_eq!(names["Error"], "ErrorShape2");
    }
}
