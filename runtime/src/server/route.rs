//! REST routing (restJson1, and the XML protocols after it): which operation a request is for,
//! from its method, path and query, against each operation's URI template (`requestUri`:
//! `/objects/{Key+}?versions`).
//!
//! The rules are Smithy's (http-bindings, "Specificity routing"; `docs/rest-json-and-cbor.md`
//! §5.1): a literal segment matches itself (compared percent-decoded), a `{label}` one segment
//! (not an empty one: `/jobs/` is `/jobs/` with its optional trailing slash, not `/jobs/{Id}` with
//! an empty id, as botocore sends the templates that end in a slash), a `{label+}` one or more
//! segments and may be followed by literal segments;
//! a trailing slash is optional; a query literal (`?key` or `?key=value`) must be in the request.
//! When several templates match, the more specific wins, segment by segment: a literal over a
//! label, a label over a greedy label; then the one with more segments, then the one with more
//! query literals. Label values are percent-decoded (`+` is a `+` in a path, a space in a query).

use std::fmt;

/// The routes of a service: one URI template per operation.
#[derive(Debug, Clone)]
pub struct RestRoutes {
    /// By operation index; `None` for a template that could not be read.
    routes: Vec<Option<Pattern>>,
}

#[derive(Debug, Clone)]
struct Pattern {
    method: http::Method,
    segments: Vec<Segment>,
    query: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Label(String),
    Greedy(String),
}

/// The operation a request is for, and its labels' values, percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch {
    /// The operation's index in the list the routes were built from.
    pub operation: usize,
    /// Label name and value, in the template's order.
    pub labels: Vec<(String, String)>,
}

impl RouteMatch {
    /// The value of label `name`.
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why no operation takes a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteError {
    /// No template matches the path and query.
    NotFound,
    /// Templates match the path and query, but none with this method.
    MethodNotAllowed,
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::NotFound => f.write_str("no operation has this path"),
            RouteError::MethodNotAllowed => {
                f.write_str("no operation has this method on this path")
            }
        }
    }
}

impl std::error::Error for RouteError {}

impl RestRoutes {
    /// Routes from each operation's HTTP method and URI template, in operation order (the
    /// index a match reports). A template that cannot be read is an error naming it (the
    /// generator checks templates, so generated code never sees one).
    pub fn new(templates: &[(&str, &str)]) -> Result<RestRoutes, String> {
        let routes = templates
            .iter()
            .map(|(method, uri)| Pattern::parse(method, uri).map(Some))
            .collect::<Result<_, _>>()?;
        Ok(RestRoutes { routes })
    }

    /// Routes from templates the generator has checked: one that still cannot be read matches
    /// no request (its operation answers 404) rather than failing the service.
    pub fn checked(templates: &[(&str, &str)]) -> RestRoutes {
        let routes = templates
            .iter()
            .map(|(method, uri)| Pattern::parse(method, uri).ok())
            .collect();
        RestRoutes { routes }
    }

    /// The operation for a request with this method and URI (its path and query, as sent).
    pub fn find(&self, method: &http::Method, uri: &http::Uri) -> Result<RouteMatch, RouteError> {
        let path = uri.path();
        let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let query = parse_query(uri.query().unwrap_or(""));
        let mut best: Option<(Vec<u8>, usize, RouteMatch)> = None;
        let mut path_matched = false;
        for (operation, pattern) in self.routes.iter().enumerate() {
            let Some(pattern) = pattern else {
                continue;
            };
            let Some(labels) = pattern.match_path(&segments) else {
                continue;
            };
            if !pattern.query.iter().all(|(k, v)| {
                query
                    .iter()
                    .any(|(qk, qv)| qk == k && v.as_ref().is_none_or(|v| v == qv))
            }) {
                continue;
            }
            path_matched = true;
            if pattern.method != method {
                continue;
            }
            let rank = pattern.rank();
            let better = match &best {
                None => true,
                Some((r, q, _)) => (&rank, pattern.query.len()) > (r, *q),
            };
            if better {
                best = Some((rank, pattern.query.len(), RouteMatch { operation, labels }));
            }
        }
        match best {
            Some((_, _, m)) => Ok(m),
            None if path_matched => Err(RouteError::MethodNotAllowed),
            None => Err(RouteError::NotFound),
        }
    }
}

impl Pattern {
    fn parse(method: &str, uri: &str) -> Result<Pattern, String> {
        let bad = |why: &str| format!("URI template {uri:?}: {why}");
        let method = http::Method::from_bytes(method.as_bytes())
            .map_err(|_| format!("{method:?} is not an HTTP method"))?;
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let path = path
            .strip_prefix('/')
            .ok_or_else(|| bad("does not start with /"))?;
        let mut segments = Vec::new();
        if !path.is_empty() {
            for s in path.trim_end_matches('/').split('/') {
                segments.push(
                    match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(l) => match l.strip_suffix('+') {
                            Some(g) => Segment::Greedy(g.to_owned()),
                            None => Segment::Label(l.to_owned()),
                        },
                        None if s.contains(['{', '}']) => {
                            return Err(bad("a label must be a whole segment"))
                        }
                        None => Segment::Literal(s.to_owned()),
                    },
                );
            }
        }
        if segments
            .iter()
            .filter(|s| matches!(s, Segment::Greedy(_)))
            .count()
            > 1
        {
            return Err(bad("more than one greedy label"));
        }
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None => (p.to_owned(), None),
            })
            .collect();
        Ok(Pattern {
            method,
            segments,
            query,
        })
    }

    /// Specificity, compared lexicographically: per segment a literal 2, a label 1, a greedy
    /// label 0; a longer template wins over its prefix.
    fn rank(&self) -> Vec<u8> {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Literal(_) => 2,
                Segment::Label(_) => 1,
                Segment::Greedy(_) => 0,
            })
            .collect()
    }

    /// The labels' values when the path (its segments, still percent-encoded) matches.
    fn match_path(&self, request: &[&str]) -> Option<Vec<(String, String)>> {
        // The empty segment after a trailing slash is optional.
        let trimmed = match request {
            [rest @ .., ""] if !rest.is_empty() => Some(rest),
            _ => None,
        };
        self.match_segments(request)
            .or_else(|| trimmed.and_then(|t| self.match_segments(t)))
            // `/` is one empty segment; a template of no segments matches it.
            .or_else(|| (request == [""] && self.segments.is_empty()).then(Vec::new))
    }

    fn match_segments(&self, request: &[&str]) -> Option<Vec<(String, String)>> {
        let greedy_at = self
            .segments
            .iter()
            .position(|s| matches!(s, Segment::Greedy(_)));
        let mut labels = Vec::new();
        let one = |pattern: &Segment, seg: &str, labels: &mut Vec<(String, String)>| -> bool {
            let Some(value) = percent_decode(seg, false) else {
                return false;
            };
            match pattern {
                Segment::Literal(l) => *l == value,
                Segment::Label(_) if value.is_empty() => false,
                Segment::Label(name) => {
                    labels.push((name.clone(), value));
                    true
                }
                Segment::Greedy(_) => false,
            }
        };
        match greedy_at {
            None => {
                if request.len() != self.segments.len() {
                    return None;
                }
                for (p, s) in self.segments.iter().zip(request) {
                    if !one(p, s, &mut labels) {
                        return None;
                    }
                }
            }
            Some(g) => {
                let suffix = self.segments.len() - g - 1;
                if request.len() < g + 1 + suffix {
                    return None;
                }
                for (p, s) in self.segments[..g].iter().zip(request) {
                    if !one(p, s, &mut labels) {
                        return None;
                    }
                }
                let end = request.len() - suffix;
                let mut value = String::new();
                for (i, s) in request[g..end].iter().enumerate() {
                    if i > 0 {
                        value.push('/');
                    }
                    value.push_str(&percent_decode(s, false)?);
                }
                if value.is_empty() {
                    return None;
                }
                let Segment::Greedy(name) = &self.segments[g] else {
                    return None;
                };
                labels.push((name.clone(), value));
                for (p, s) in self.segments[g + 1..].iter().zip(&request[end..]) {
                    if !one(p, s, &mut labels) {
                        return None;
                    }
                }
            }
        }
        Some(labels)
    }
}

/// A query string's parameters in order, names and values percent-decoded (`+` a space); a
/// parameter without `=` has an empty value. Parameters that do not decode as UTF-8 are dropped.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

/// Percent-decodes `s` (and `+` to a space in a query); `None` when the result is not UTF-8. A
/// `%` not followed by two hex digits is kept as it is.
pub fn percent_decode(s: &str, query: bool) -> Option<String> {
    if !(s.contains('%') || (query && s.contains('+'))) {
        return Some(s.to_owned());
    }
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(match b[i] {
            b'+' if query => b' ',
            c => c,
        });
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> RestRoutes {
        RestRoutes::new(&[
            ("GET", "/objects/{Key+}"),                 // 0
            ("PUT", "/objects/{Key+}"),                 // 1
            ("GET", "/objects/{Key+}/acl"),             // 2
            ("GET", "/objects/special"),                // 3
            ("GET", "/things/{Id}"),                    // 4
            ("GET", "/things/{Id}/parts/{Part}"),       // 5
            ("GET", "/"),                               // 6
            ("POST", "/things/{Id}?operation=archive"), // 7
            ("POST", "/things/{Id}"),                   // 8
            ("GET", "/things/{Id}?versions"),           // 9
        ])
        .unwrap()
    }

    fn find(method: &str, uri: &str) -> Result<(usize, Vec<(String, String)>), RouteError> {
        let uri: http::Uri = uri.parse().unwrap();
        routes()
            .find(&method.parse().unwrap(), &uri)
            .map(|m| (m.operation, m.labels))
    }

    fn labels(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn labels_match_one_segment_and_greedy_labels_several() {
        assert_eq!(
            find("GET", "/things/t%201"),
            Ok((4, labels(&[("Id", "t 1")])))
        );
        assert_eq!(
            find("GET", "/things/a/parts/b%2Fc"),
            Ok((5, labels(&[("Id", "a"), ("Part", "b/c")])))
        );
        assert_eq!(
            find("GET", "/objects/a/b%20c/d.txt"),
            Ok((0, labels(&[("Key", "a/b c/d.txt")])))
        );
        assert_eq!(find("PUT", "/objects/k"), Ok((1, labels(&[("Key", "k")]))));
        // A greedy label followed by a literal segment.
        assert_eq!(
            find("GET", "/objects/a/b/acl"),
            Ok((2, labels(&[("Key", "a/b")])))
        );
        // `+` in a path is a plus.
        assert_eq!(
            find("GET", "/things/a+b"),
            Ok((4, labels(&[("Id", "a+b")])))
        );
    }

    #[test]
    fn the_most_specific_template_wins() {
        // A literal over a greedy label.
        assert_eq!(find("GET", "/objects/special"), Ok((3, vec![])));
        // A query literal over none, when the path ties.
        assert_eq!(
            find("POST", "/things/x?operation=archive"),
            Ok((7, labels(&[("Id", "x")])))
        );
        assert_eq!(
            find("POST", "/things/x?operation=other"),
            Ok((8, labels(&[("Id", "x")])))
        );
        assert_eq!(
            find("GET", "/things/x?versions&max=2"),
            Ok((9, labels(&[("Id", "x")])))
        );
        assert_eq!(
            find("GET", "/things/x?max=2"),
            Ok((4, labels(&[("Id", "x")])))
        );
    }

    /// botocore sends `GET /backup-jobs/` for ListBackupJobs (its template ends in a slash):
    /// that is the list, not DescribeBackupJob with an empty id.
    #[test]
    fn a_label_never_matches_an_empty_segment() {
        let routes = RestRoutes::new(&[
            ("GET", "/backup-jobs/{backupJobId}"),
            ("GET", "/backup-jobs/"),
        ])
        .unwrap();
        let find = |u: &str| {
            routes
                .find(&http::Method::GET, &u.parse().unwrap())
                .map(|m| m.operation)
        };
        assert_eq!(find("/backup-jobs/"), Ok(1));
        assert_eq!(find("/backup-jobs"), Ok(1));
        assert_eq!(find("/backup-jobs/j1"), Ok(0));
    }

    #[test]
    fn trailing_slashes_and_the_root() {
        assert_eq!(find("GET", "/things/x/"), Ok((4, labels(&[("Id", "x")]))));
        assert_eq!(find("GET", "/"), Ok((6, vec![])));
        // A greedy label keeps a trailing slash as part of its value.
        assert_eq!(
            find("GET", "/objects/dir/"),
            Ok((0, labels(&[("Key", "dir/")])))
        );
    }

    #[test]
    fn unknown_paths_and_methods() {
        assert_eq!(find("GET", "/nothing/here"), Err(RouteError::NotFound));
        assert_eq!(find("GET", "/things"), Err(RouteError::NotFound));
        assert_eq!(find("GET", "/objects"), Err(RouteError::NotFound));
        assert_eq!(
            find("DELETE", "/things/x"),
            Err(RouteError::MethodNotAllowed)
        );
        // Not UTF-8 once decoded: no label takes it.
        assert_eq!(find("GET", "/things/%FF"), Err(RouteError::NotFound));
    }

    #[test]
    fn a_checked_template_that_cannot_be_read_matches_nothing() {
        let routes = RestRoutes::checked(&[("GET", "/x{Id}"), ("GET", "/things/{Id}")]);
        let uri: http::Uri = "/things/a".parse().unwrap();
        assert_eq!(routes.find(&http::Method::GET, &uri).unwrap().operation, 1);
        let uri: http::Uri = "/xa".parse().unwrap();
        assert_eq!(
            routes.find(&http::Method::GET, &uri),
            Err(RouteError::NotFound)
        );
    }

    #[test]
    fn bad_templates_are_errors() {
        for (m, t) in [
            ("GET", "things/{Id}"),
            ("GET", "/x{Id}"),
            ("GET", "/{A+}/{B+}"),
            ("G T", "/"),
        ] {
            assert!(RestRoutes::new(&[(m, t)]).is_err(), "{m} {t}");
        }
    }

    #[test]
    fn queries_and_percent_decoding() {
        assert_eq!(
            parse_query("a=1&b&c=x%20y+z&&d=%zz"),
            labels(&[("a", "1"), ("b", ""), ("c", "x y z"), ("d", "%zz")])
        );
        assert_eq!(percent_decode("%41%42c", false).as_deref(), Some("ABc"));
        assert_eq!(percent_decode("50%", false).as_deref(), Some("50%"));
        assert_eq!(percent_decode("%4", false).as_deref(), Some("%4"));
        assert_eq!(percent_decode("%e2%9c%93", false).as_deref(), Some("✓"));
        assert_eq!(percent_decode("%ff", false), None);
    }
}
