//! The rules' standard library: what `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`,
//! `aws.parseArn` and `aws.isVirtualHostableS3Bucket` compute, as botocore computes it.

use std::sync::Arc;

use super::{Map, Value};

/// botocore: unset unless `0 <= start < stop <= len` and the input is ASCII; `reverse` counts
/// from the end.
pub(super) fn substring(s: &str, start: i64, stop: i64, reverse: bool) -> Option<&str> {
    let len = s.len() as i64;
    if start < 0 || start >= stop || stop > len || !s.is_ascii() {
        return None;
    }
    let (a, b) = if reverse {
        (len - stop, len - start)
    } else {
        (start, stop)
    };
    s.get(a as usize..b as usize)
}

/// Percent-encoding of everything but the unreserved characters (botocore: `quote(value,
/// safe='')`, which keeps `A-Z a-z 0-9 _ . - ~`).
pub(super) fn uri_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `{scheme, authority, path, normalizedPath, isIp}` of an `http` or `https` URL without a
/// query; unset for anything else (botocore's `parse_url`).
pub(super) fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains('?') || rest.contains('#') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let end = v6.find(']')?;
        let port = &v6[end + 1..];
        if !port.is_empty() && !valid_port(port.strip_prefix(':')?) {
            return None;
        }
        &authority[..end + 2]
    } else {
        match authority.rsplit_once(':') {
            Some((h, port)) => {
                if !valid_port(port) {
                    return None;
                }
                h
            }
            None => authority,
        }
    };
    let is_ip = is_ipv4(host) || (host.starts_with('[') && host.ends_with(']'));
    let mut normalized = path.to_owned();
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    let mut r = Map::new();
    r.insert("scheme".to_owned(), Value::String(scheme.to_owned()));
    r.insert("authority".to_owned(), Value::String(authority.to_owned()));
    r.insert("path".to_owned(), Value::String(path.to_owned()));
    r.insert("normalizedPath".to_owned(), Value::String(normalized));
    r.insert("isIp".to_owned(), Value::Bool(is_ip));
    Some(Value::Record(Arc::new(r)))
}

pub(super) fn valid_port(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 5
        && p.bytes().all(|b| b.is_ascii_digit())
        && p.parse::<u32>().is_ok_and(|n| n <= 65535)
}

pub(super) fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// `^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$` for each label (botocore's `is_valid_host_label`); with
/// `allow_subdomains`, every dot-separated label.
pub(super) fn is_valid_host_label(s: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        return s.split('.').all(|l| is_valid_host_label(l, false));
    }
    !s.is_empty()
        && s.len() <= 63
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// botocore's `aws_is_virtual_hostable_s3_bucket`: at least 3 characters, lower case, not an
/// IPv4 address, and a valid host label (labels with `allow_subdomains`).
pub(super) fn is_virtual_hostable_s3_bucket(s: &str, allow_subdomains: bool) -> bool {
    s.len() >= 3 && s.to_lowercase() == s && !is_ipv4(s) && is_valid_host_label(s, allow_subdomains)
}

/// botocore's `aws_parse_arn`: `arn:partition:service:region:account:resource`, the resource
/// split on `:` and `/`; unset without six parts, a partition, a service or a resource.
pub(super) fn parse_arn(s: &str) -> Option<Value> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() != 6
        || parts[0] != "arn"
        || parts[1].is_empty()
        || parts[2].is_empty()
        || parts[5].is_empty()
    {
        return None;
    }
    let resource = parts[5]
        .split([':', '/'])
        .map(|p| Value::String(p.to_owned()))
        .collect();
    let mut r = Map::new();
    r.insert("partition".to_owned(), Value::String(parts[1].to_owned()));
    r.insert("service".to_owned(), Value::String(parts[2].to_owned()));
    r.insert("region".to_owned(), Value::String(parts[3].to_owned()));
    r.insert("accountId".to_owned(), Value::String(parts[4].to_owned()));
    r.insert("resourceId".to_owned(), Value::Array(resource));
    Some(Value::Record(Arc::new(r)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::eval::get_attr;
    use crate::endpoint::parse::parse_path;

    #[test]
    fn templates_paths_and_functions() {
        assert_eq!(substring("abcdef", 0, 3, false), Some("abc"));
        assert_eq!(substring("abcdef", 0, 3, true), Some("def"));
        assert_eq!(substring("ab", 0, 3, false), None);
        assert_eq!(uri_encode("a b/c~"), "a%20b%2Fc~");
        assert!(is_valid_host_label("a-b.c", true) && !is_valid_host_label("a-b.c", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
        let url = parse_url("https://example.com:8443/path").unwrap();
        assert_eq!(
            get_attr(&url, &parse_path("normalizedPath").unwrap()),
            Some(&Value::String("/path/".into()))
        );
        assert!(parse_url("https://example.com/?q=1").is_none());
        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/name").unwrap();
        assert_eq!(
            get_attr(&arn, &parse_path("resourceId[1]").unwrap()),
            Some(&Value::String("name".into()))
        );
    }
}
