//! REST bindings on the server side (restJson1): a request's labels, query string, headers and
//! body become the JSON value of the operation's input in its awsJson shape, which the model's
//! constraints are then checked against ([`super::schema::validate`], as for awsJson) and the
//! generated types read; an output's JSON value becomes the response's status, headers and body.
//!
//! What each operation binds where is data the generator emits ([`Binding`]), so this code is
//! the same for every service. The wire formats are the client's (`crate::protocol::rest`), read
//! the other way: timestamps in headers as HTTP dates and in labels and query strings as ISO 8601
//! unless the member says otherwise, lists in headers comma-separated with quoting, `jsonvalue`
//! headers as base64 JSON text, blobs as base64.

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use serde_json::{Map, Number, Value};

use super::schema::Rejection;
use crate::protocol::rest::{self as wire, TimeFormat};
use crate::DateTime;

/// Where one member of an input or output is bound, and what it holds.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The member's key in the JSON value (its name).
    pub key: &'static str,
    pub at: At,
    pub kind: Kind,
}

/// A member's place in the request or response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// A `{label}` of the URI template.
    Label(&'static str),
    /// A query parameter.
    Query(&'static str),
    /// The query parameters no named member takes, as a map.
    QueryMap,
    Header(&'static str),
    /// Every header starting with this prefix, as a map by the rest of the name.
    PrefixHeaders(&'static str),
    /// The response's status code.
    StatusCode,
    /// The whole body.
    Payload,
}

/// What a bound member holds, for reading and writing its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string or an enum.
    String,
    Integer,
    Float,
    Boolean,
    /// A timestamp: its format in the JSON value, which is also its format at its place when
    /// the member names one (`timestampFormat`); `None` is the JSON default (epoch seconds) and
    /// the place's default.
    Timestamp(Option<TimeFormat>),
    /// A blob, base64 in the JSON value and at its place (or raw bytes as a payload).
    Blob,
    /// A `jsonvalue` header: base64 JSON text, a string in the JSON value.
    JsonValue,
    /// A list of one of the kinds above.
    List(&'static Kind),
    /// A map of strings to strings (prefix headers, a query map) or, for a query map, to lists
    /// of strings.
    Map {
        lists: bool,
    },
    /// A structure, union or document: only as a payload, its JSON as it is.
    Json,
}

fn rejection(message: String) -> Rejection {
    Rejection::Serialization(message)
}

/// The JSON value of an input from its request: the body's members (or the payload member from
/// the whole body), then each bound member from its place. Text that does not read as its kind
/// is a `SerializationException`.
pub fn read_request(
    bindings: &[Binding],
    labels: &[(String, String)],
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, Rejection> {
    let mut object = match bindings.iter().find(|b| b.at == At::Payload) {
        Some(p) => {
            let mut o = Map::new();
            if let Some(v) = payload_value(p.kind, body)? {
                o.insert(p.key.to_owned(), v);
            }
            o
        }
        None if body.iter().all(u8::is_ascii_whitespace) => Map::new(),
        None => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(o)) => o,
            Ok(_) => return Err(rejection("the request body is not a JSON object".into())),
            Err(e) => return Err(rejection(format!("the request body is not JSON: {e}"))),
        },
    };
    // A bound member comes from its place only, whatever the body says of its name.
    for b in bindings.iter().filter(|b| b.at != At::Payload) {
        object.remove(b.key);
    }
    let named: Vec<&str> = bindings
        .iter()
        .filter_map(|b| match b.at {
            At::Query(name) => Some(name),
            _ => None,
        })
        .collect();
    for b in bindings {
        let value = match b.at {
            At::Label(name) => match labels.iter().find(|(n, _)| n == name) {
                Some((_, text)) => Some(scalar(b.kind, text, b.key)?),
                None => None,
            },
            At::Query(name) => {
                let values: Vec<&str> = query
                    .iter()
                    .filter(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
                    .collect();
                match (b.kind, values.first()) {
                    (_, None) => None,
                    (Kind::List(item), _) => Some(Value::Array(
                        values
                            .iter()
                            .map(|v| scalar(*item, v, b.key))
                            .collect::<Result<_, _>>()?,
                    )),
                    // A scalar takes the first value (Smithy's server rule).
                    (kind, Some(first)) => Some(scalar(kind, first, b.key)?),
                }
            }
            At::QueryMap => {
                let lists = matches!(b.kind, Kind::Map { lists: true });
                let mut map = Map::new();
                for (k, v) in query.iter().filter(|(k, _)| !named.contains(&k.as_str())) {
                    let entry = map.entry(k.clone());
                    if lists {
                        if let Value::Array(a) = entry.or_insert_with(|| Value::Array(Vec::new())) {
                            a.push(Value::String(v.clone()));
                        }
                    } else {
                        // The first value of a repeated key.
                        entry.or_insert_with(|| Value::String(v.clone()));
                    }
                }
                (!map.is_empty()).then_some(Value::Object(map))
            }
            At::Header(name) => header_value(b, headers, name)?,
            At::PrefixHeaders(prefix) => wire::prefix_headers(headers, prefix)
                .map_err(|e| rejection(e.to_string()))?
                .map(|m| {
                    Value::Object(m.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
                }),
            At::StatusCode | At::Payload => None,
        };
        if let Some(v) = value {
            object.insert(b.key.to_owned(), v);
        }
    }
    Ok(Value::Object(object))
}

/// Marks an input's streaming payload as present in its JSON value (an empty blob), for a body
/// that is handed over unread: the payload is there, whatever it turns out to hold.
pub fn stand_in_payload(bindings: &[Binding], value: &mut Value) {
    if let (Some(p), Value::Object(o)) = (bindings.iter().find(|b| b.at == At::Payload), value) {
        o.insert(p.key.to_owned(), Value::String(String::new()));
    }
}

/// A payload member from the whole body; an empty body leaves it unset.
fn payload_value(kind: Kind, body: &[u8]) -> Result<Option<Value>, Rejection> {
    Ok(match kind {
        Kind::Blob if body.is_empty() => None,
        Kind::Blob => Some(Value::String(crate::blob::encode(body))),
        Kind::String if body.is_empty() => None,
        Kind::String => Some(Value::String(
            String::from_utf8(body.to_vec())
                .map_err(|_| rejection("the request body is not UTF-8 text".into()))?,
        )),
        _ if body.iter().all(u8::is_ascii_whitespace) => None,
        _ => Some(
            serde_json::from_slice(body)
                .map_err(|e| rejection(format!("the request body is not JSON: {e}")))?,
        ),
    })
}

fn header_value(b: &Binding, headers: &HeaderMap, name: &str) -> Result<Option<Value>, Rejection> {
    let bad = |e: crate::reader::ReadError| rejection(e.to_string());
    Ok(match b.kind {
        Kind::JsonValue => wire::header_json(headers, name)
            .map_err(bad)?
            .map(Value::String),
        Kind::List(Kind::Timestamp(f)) => wire::header_time_list(headers, name)
            .map_err(bad)?
            .map(|l| Value::Array(l.iter().map(|t| time_value(t, *f)).collect())),
        Kind::List(item) => match wire::header_list::<String>(headers, name).map_err(bad)? {
            Some(items) => Some(Value::Array(
                items
                    .iter()
                    .map(|v| scalar(*item, v, b.key))
                    .collect::<Result<_, _>>()?,
            )),
            None => None,
        },
        kind => match wire::header::<String>(headers, name).map_err(bad)? {
            Some(text) => Some(scalar(kind, &text, b.key)?),
            None => None,
        },
    })
}

/// One value from its text.
fn scalar(kind: Kind, text: &str, key: &str) -> Result<Value, Rejection> {
    use wire::FromParam;
    let bad = |e: String| rejection(format!("{key}: {e}"));
    Ok(match kind {
        Kind::String | Kind::JsonValue => Value::String(text.to_owned()),
        Kind::Integer => Value::Number(i64::from_param(text).map_err(bad)?.into()),
        Kind::Float => {
            let f = f64::from_param(text).map_err(bad)?;
            match Number::from_f64(f) {
                Some(n) => Value::Number(n),
                // NaN and the infinities, as awsJson writes them.
                None => Value::String(text.to_owned()),
            }
        }
        Kind::Boolean => Value::Bool(bool::from_param(text).map_err(bad)?),
        // Any of the three formats is read, as botocore's parse_timestamp reads them.
        Kind::Timestamp(format) => time_value(&wire::time_from_param(text).map_err(bad)?, format),
        Kind::Blob => {
            crate::Blob::from_base64(text).map_err(|e| bad(e.to_string()))?;
            Value::String(text.to_owned())
        }
        Kind::List(_) | Kind::Map { .. } | Kind::Json => {
            return Err(bad(
                "a list, map or structure cannot be read from text".into()
            ))
        }
    })
}

/// A timestamp as the JSON value holds it: epoch seconds, or the member's own format.
fn time_value(t: &DateTime, format: Option<TimeFormat>) -> Value {
    match format {
        Some(TimeFormat::DateTime) => Value::String(t.to_iso8601()),
        Some(TimeFormat::HttpDate) => Value::String(t.to_http_date()),
        _ if t.subsec_nanos() == 0 => Value::Number(t.secs().into()),
        _ => Number::from_f64(t.as_epoch_f64()).map_or(Value::Null, Value::Number),
    }
}

/// The response for an output's JSON value: bound members to the status code and headers, the
/// payload member or the remaining members to the body (a JSON object when the structure has
/// body members, `has_body`; none otherwise). `status` is the operation's success code unless a
/// member is bound to it.
pub fn write_response(
    bindings: &[Binding],
    output: Value,
    status: u16,
    has_body: bool,
) -> Result<http::Response<Bytes>, String> {
    let mut object = match output {
        Value::Object(o) => o,
        Value::Null => Map::new(),
        other => return Err(format!("an output is a JSON object, not {other}")),
    };
    let mut response = http::Response::new(Bytes::new());
    *response.status_mut() = http::StatusCode::from_u16(status).map_err(|e| e.to_string())?;
    let mut body: Option<(Bytes, &'static str)> = None;
    for b in bindings {
        let Some(value) = object.remove(b.key) else {
            continue;
        };
        match b.at {
            At::StatusCode => {
                let code = value
                    .as_u64()
                    .and_then(|c| u16::try_from(c).ok())
                    .and_then(|c| http::StatusCode::from_u16(c).ok())
                    .ok_or_else(|| format!("{}: {value} is not an HTTP status", b.key))?;
                *response.status_mut() = code;
            }
            At::Header(name) => {
                let text = header_text(b.kind, &value, b.key)?;
                insert(response.headers_mut(), name, &text)?;
            }
            At::PrefixHeaders(prefix) => {
                if let Value::Object(m) = value {
                    for (k, v) in m {
                        let v = v
                            .as_str()
                            .ok_or_else(|| format!("{}: {k} is not text", b.key))?;
                        insert(response.headers_mut(), &format!("{prefix}{k}"), v)?;
                    }
                }
            }
            At::Payload => {
                body = match (b.kind, value) {
                    (Kind::Blob, Value::String(s)) => Some((
                        Bytes::from(
                            crate::blob::decode(&s).map_err(|e| format!("{}: {e}", b.key))?,
                        ),
                        "application/octet-stream",
                    )),
                    (Kind::String, Value::String(s)) => Some((Bytes::from(s), "text/plain")),
                    (_, v) => Some((Bytes::from(v.to_string()), "application/json")),
                };
            }
            At::Label(_) | At::Query(_) | At::QueryMap => {}
        }
    }
    if body.is_none() && has_body {
        body = Some((
            Bytes::from(Value::Object(object).to_string()),
            "application/json",
        ));
    }
    if let Some((bytes, content_type)) = body {
        if !response.headers().contains_key(CONTENT_TYPE) {
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        *response.body_mut() = bytes;
    }
    Ok(response)
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), String> {
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
    let value = HeaderValue::from_str(value).map_err(|e| format!("{name}: {e}"))?;
    headers.insert(name, value);
    Ok(())
}

/// A bound member's header text: HTTP dates for timestamps unless the member says otherwise,
/// lists joined with `, ` (items with commas or quotes quoted), `jsonvalue` as base64.
fn header_text(kind: Kind, value: &Value, key: &str) -> Result<String, String> {
    let bad = || format!("{key}: {value} does not fit its header");
    Ok(match (kind, value) {
        (Kind::JsonValue, Value::String(s)) => crate::blob::encode(s.as_bytes()),
        (Kind::List(item), Value::Array(items)) => {
            let texts = items
                .iter()
                .map(|v| header_text(*item, v, key))
                .collect::<Result<Vec<_>, _>>()?;
            join_list(&texts, matches!(item, Kind::Timestamp(_)))
        }
        (Kind::Timestamp(format), v) => {
            let t = match v {
                Value::Number(n) => n.as_f64().and_then(|f| DateTime::from_epoch_f64(f).ok()),
                Value::String(s) => DateTime::parse_any(s).ok(),
                _ => None,
            }
            .ok_or_else(bad)?;
            match format.unwrap_or(TimeFormat::HttpDate) {
                TimeFormat::HttpDate => t.to_http_date(),
                TimeFormat::DateTime => t.to_iso8601(),
                TimeFormat::EpochSeconds if t.subsec_nanos() == 0 => t.secs().to_string(),
                TimeFormat::EpochSeconds => t.as_epoch_f64().to_string(),
            }
        }
        (_, Value::String(s)) => s.clone(),
        (_, Value::Bool(b)) => b.to_string(),
        (_, Value::Number(n)) => n.to_string(),
        _ => return Err(bad()),
    })
}

/// List items as one header value: an item holding a comma or a quote (or edged with spaces)
/// is quoted, except HTTP dates, whose comma the reader expects (`header_time_list`).
fn join_list(items: &[String], dates: bool) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let quote = !dates && (item.contains([',', '"']) || item.is_empty() || item.trim() != item);
        if quote {
            out.push('"');
            for c in item.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            out.push_str(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::route::RestRoutes;
    use serde_json::json;

    const TAGS: Kind = Kind::String;
    const INPUT: &[Binding] = &[
        Binding {
            key: "Name",
            at: At::Label("Name"),
            kind: Kind::String,
        },
        Binding {
            key: "Limit",
            at: At::Query("limit"),
            kind: Kind::Integer,
        },
        Binding {
            key: "Tags",
            at: At::Query("tag"),
            kind: Kind::List(&TAGS),
        },
        Binding {
            key: "Since",
            at: At::Query("since"),
            kind: Kind::Timestamp(None),
        },
        Binding {
            key: "Extra",
            at: At::QueryMap,
            kind: Kind::Map { lists: false },
        },
        Binding {
            key: "Flag",
            at: At::Header("x-flag"),
            kind: Kind::Boolean,
        },
        Binding {
            key: "When",
            at: At::Header("x-when"),
            kind: Kind::Timestamp(None),
        },
        Binding {
            key: "Doc",
            at: At::Header("x-doc"),
            kind: Kind::JsonValue,
        },
        Binding {
            key: "Meta",
            at: At::PrefixHeaders("x-meta-"),
            kind: Kind::Map { lists: false },
        },
    ];

    fn request(uri: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Value, Rejection> {
        let routes = RestRoutes::new(&[("PUT", "/things/{Name}")]).unwrap();
        let uri: http::Uri = uri.parse().unwrap();
        let route = routes.find(&http::Method::PUT, &uri).unwrap();
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        let query = crate::server::route::parse_query(uri.query().unwrap_or(""));
        read_request(INPUT, &route.labels, &query, &map, body)
    }

    #[test]
    fn bound_members_come_from_their_places() {
        let v = request(
            "/things/a%20b?limit=5&tag=x&tag=y%2Cz&since=2019-12-16T23:48:18Z&other=1&other=2",
            &[
                ("x-flag", "true"),
                ("x-when", "Mon, 16 Dec 2019 23:48:18 GMT"),
                ("x-doc", "eyJhIjoxfQ=="),
                ("x-meta-Color", "red"),
            ],
            br#"{"Body": 1, "Name": "ignored"}"#,
        )
        .unwrap();
        assert_eq!(
            v,
            json!({
                "Body": 1,
                "Name": "a b",
                "Limit": 5,
                "Tags": ["x", "y,z"],
                "Since": 1576540098,
                "Extra": {"other": "1"},
                "Flag": true,
                "When": 1576540098,
                "Doc": "{\"a\":1}",
                "Meta": {"color": "red"},
            })
        );
    }

    #[test]
    fn text_that_does_not_read_as_its_kind_is_a_serialization_error() {
        for (uri, headers) in [
            ("/things/a?limit=five", vec![]),
            ("/things/a", vec![("x-flag", "yes")]),
            ("/things/a", vec![("x-when", "not a date")]),
        ] {
            let r = request(uri, &headers, b"");
            assert!(
                matches!(r, Err(Rejection::Serialization(_))),
                "{uri} {headers:?}: {r:?}"
            );
        }
        let r = request("/things/a", &[], b"[1]");
        assert!(matches!(r, Err(Rejection::Serialization(_))), "{r:?}");
        assert_eq!(
            request("/things/a", &[], b"").unwrap(),
            json!({"Name": "a"})
        );
    }

    const OUTPUT: &[Binding] = &[
        Binding {
            key: "Code",
            at: At::StatusCode,
            kind: Kind::Integer,
        },
        Binding {
            key: "ETag",
            at: At::Header("ETag"),
            kind: Kind::String,
        },
        Binding {
            key: "Modified",
            at: At::Header("Last-Modified"),
            kind: Kind::Timestamp(None),
        },
        Binding {
            key: "Names",
            at: At::Header("x-names"),
            kind: Kind::List(&TAGS),
        },
        Binding {
            key: "Meta",
            at: At::PrefixHeaders("x-meta-"),
            kind: Kind::Map { lists: false },
        },
    ];

    #[test]
    fn outputs_go_to_the_status_headers_and_body() {
        let r = write_response(
            OUTPUT,
            json!({
                "Code": 201, "ETag": "e1", "Modified": 1576540098,
                "Names": ["a", "b,c", ""], "Meta": {"k": "v"}, "Size": 3,
            }),
            200,
            true,
        )
        .unwrap();
        assert_eq!(r.status(), 201);
        let h = r.headers();
        assert_eq!(h["etag"], "e1");
        assert_eq!(h["last-modified"], "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(h["x-names"], r#"a, "b,c", """#);
        assert_eq!(h["x-meta-k"], "v");
        assert_eq!(h["content-type"], "application/json");
        assert_eq!(r.body(), &r#"{"Size":3}"#);
        // Read back as the client reads them.
        assert_eq!(
            wire::header_list::<String>(h, "x-names").unwrap(),
            Some(vec!["a".into(), "b,c".into(), "".into()])
        );

        // No body members: no body.
        let r = write_response(OUTPUT, json!({"ETag": "e"}), 204, false).unwrap();
        assert_eq!(r.status(), 204);
        assert!(r.body().is_empty());
        assert!(r.headers().get("content-type").is_none());
    }

    #[test]
    fn payloads_are_the_whole_body() {
        const BLOB: &[Binding] = &[Binding {
            key: "Data",
            at: At::Payload,
            kind: Kind::Blob,
        }];
        let r = write_response(BLOB, json!({"Data": "aGk="}), 200, false).unwrap();
        assert_eq!(r.body(), &"hi");
        assert_eq!(r.headers()["content-type"], "application/octet-stream");
        let routes = RestRoutes::new(&[("PUT", "/")]).unwrap();
        let route = routes
            .find(&http::Method::PUT, &"/".parse().unwrap())
            .unwrap();
        let v = read_request(BLOB, &route.labels, &[], &HeaderMap::new(), b"hi").unwrap();
        assert_eq!(v, json!({"Data": "aGk="}));
        let v = read_request(BLOB, &route.labels, &[], &HeaderMap::new(), b"").unwrap();
        assert_eq!(v, json!({}));
    }
}
