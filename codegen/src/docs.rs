//! Docs: the model's HTML documentation turned into rustdoc Markdown that renders as intended and
//! gives `cargo doc` nothing to warn about (no stray tags, no broken intra-doc links, no bare
//! URLs, no accidental code blocks or doctests).

/// Converts model HTML to Markdown lines (without the `///` prefix).
pub fn html_to_markdown(html: &str) -> Vec<String> {
    let mut r = Renderer::default();
    for token in tokenize(html) {
        r.token(token);
    }
    r.finish()
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Text(String),
    Open {
        name: String,
        href: Option<String>,
    },
    Close(String),
    /// A tag this converter does not render, shown as text (`<region>` placeholders).
    Literal(&'a str),
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

const KNOWN: &[&str] = &[
    "p",
    "code",
    "ul",
    "ol",
    "li",
    "a",
    "b",
    "strong",
    "i",
    "em",
    "note",
    "important",
    "br",
    "pre",
    "div",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "fullname",
    "span",
    "title",
    "u",
    "sup",
    "sub",
    "para",
    "emphasis",
    "literal",
    "programlisting",
    "ulink",
    "itemizedlist",
    "listitem",
    "orderedlist",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
];

fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            None => {
                out.push(Token::Text(decode_entities(rest)));
                break;
            }
            Some(i) => {
                if i > 0 {
                    out.push(Token::Text(decode_entities(&rest[..i])));
                }
                rest = &rest[i..];
                let Some(end) = rest.find('>') else {
                    out.push(Token::Text(decode_entities(rest)));
                    break;
                };
                let raw = &rest[..=end];
                rest = &rest[end + 1..];
                out.push(parse_tag(raw));
            }
        }
    }
    out
}

fn parse_tag(raw: &str) -> Token<'_> {
    let inner = raw[1..raw.len() - 1].trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r.trim_start()),
        None => (false, inner),
    };
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim_end();
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if name.is_empty() || !KNOWN.contains(&name.as_str()) {
        return Token::Literal(raw);
    }
    if closing {
        return Token::Close(name);
    }
    let href = attr(&inner[name_end..], "href").map(|h| decode_entities(&h));
    Token::Open { name, href }
}

fn attr(attrs: &str, key: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(key) {
        let at = from + pos;
        let after = attrs[at + key.len()..].trim_start();
        if let Some(v) = after.strip_prefix('=') {
            let v = v.trim_start();
            let quote = v.chars().next()?;
            if quote == '"' || quote == '\'' {
                let body = &v[1..];
                let end = body.find(quote)?;
                return Some(body[..end].trim().to_owned());
            }
            let end = v.find(char::is_whitespace).unwrap_or(v.len());
            return Some(v[..end].to_owned());
        }
        from = at + key.len();
    }
    None
}

/// Escapes text so Markdown shows it as written and rustdoc sees no links or HTML in it.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
                .unwrap_or(rest.len());
            let mut url = &rest[..end];
            while url.ends_with(['.', ',', ')', ';', ':']) {
                url = &url[..url.len() - 1];
            }
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.len();
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += c.len_utf8();
        let _ = bytes;
    }
    out
}

fn code_span(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() {
        return String::new();
    }
    let mut ticks = 1;
    while s.contains(&"`".repeat(ticks)) {
        ticks += 1;
    }
    let fence = "`".repeat(ticks);
    if s.starts_with('`') || s.ends_with('`') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

#[derive(Default)]
struct Renderer {
    lines: Vec<String>,
    /// The paragraph being built, words joined with single spaces.
    current: String,
    /// Prefix of the current block's first line (list marker) and of its following lines.
    lists: Vec<(bool, usize)>,
    pending_marker: Option<String>,
    code_depth: usize,
    code_buf: String,
    pre_depth: usize,
    link: Option<(Option<String>, String)>,
    bold: usize,
    italic: usize,
}

impl Renderer {
    fn indent(&self) -> String {
        " ".repeat(
            self.lists.len().saturating_sub(1) * 2 + if self.lists.is_empty() { 0 } else { 2 },
        )
    }

    fn push_text(&mut self, text: &str) {
        if let Some((_, buf)) = &mut self.link {
            buf.push_str(text);
            return;
        }
        self.current.push_str(text);
    }

    fn flush(&mut self) {
        let text = collapse(&self.current);
        self.current.clear();
        if text.is_empty() && self.pending_marker.is_none() {
            return;
        }
        let indent = self.indent();
        match self.pending_marker.take() {
            Some(marker) => {
                let outer = " ".repeat(self.lists.len().saturating_sub(1) * 2);
                self.lines
                    .push(format!("{outer}{marker}{text}").trim_end().to_owned());
            }
            None => {
                if !self.lists.is_empty() {
                    self.blank();
                    self.lines.push(format!("{indent}{text}"));
                } else {
                    self.blank();
                    self.lines.push(text);
                    self.lines.push(String::new());
                }
            }
        }
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn token(&mut self, t: Token<'_>) {
        if self.pre_depth > 0 {
            match &t {
                Token::Close(n) if n == "pre" || n == "programlisting" => {}
                Token::Open { name, .. } if name == "pre" || name == "programlisting" => {}
                Token::Text(s) => {
                    self.code_buf.push_str(s);
                    return;
                }
                Token::Literal(s) => {
                    self.code_buf.push_str(&decode_entities(s));
                    return;
                }
                _ => return,
            }
        }
        match t {
            Token::Text(s) => {
                if self.code_depth > 0 {
                    self.code_buf.push_str(&s);
                } else {
                    let escaped = escape_text(&s);
                    self.push_text(&escaped);
                }
            }
            Token::Literal(s) => {
                if self.code_depth > 0 {
                    self.code_buf.push_str(s);
                } else {
                    self.push_text(&escape_text(s));
                }
            }
            Token::Open { name, href } => match name.as_str() {
                "p" | "div" | "para" | "note" | "important" | "dl" | "dd" | "table" | "tr" => {
                    if self.pending_marker.is_none() {
                        self.flush();
                    }
                    if name == "note" || name == "important" {
                        let label = if name == "note" {
                            "**Note:** "
                        } else {
                            "**Important:** "
                        };
                        self.push_text(label);
                    }
                }
                "dt" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "title" => {
                    self.flush();
                    self.push_text("**");
                    self.bold += 1;
                }
                "br" => self.flush(),
                "code" | "literal" => {
                    if self.code_depth == 0 {
                        self.code_buf.clear();
                    }
                    self.code_depth += 1;
                }
                "pre" | "programlisting" => {
                    self.flush();
                    self.pre_depth += 1;
                    self.code_buf.clear();
                }
                "ul" | "ol" | "itemizedlist" | "orderedlist" => {
                    self.flush();
                    self.lists.push((name == "ol" || name == "orderedlist", 0));
                }
                "li" | "listitem" => {
                    self.flush();
                    if self.lists.is_empty() {
                        self.lists.push((false, 0));
                    }
                    let marker = match self.lists.last_mut() {
                        Some((true, n)) => {
                            *n += 1;
                            format!("{n}. ")
                        }
                        _ => "- ".to_owned(),
                    };
                    self.pending_marker = Some(marker);
                }
                "a" | "ulink" => {
                    let href = href.filter(|h| !h.is_empty() && !h.starts_with('#'));
                    self.link = Some((href, String::new()));
                }
                "b" | "strong" => {
                    self.push_text("**");
                    self.bold += 1;
                }
                "i" | "em" | "emphasis" => {
                    self.push_text("*");
                    self.italic += 1;
                }
                _ => {}
            },
            Token::Close(name) => match name.as_str() {
                "p" | "div" | "para" | "note" | "important" | "dd" | "dl" | "table" | "tr" => {
                    self.flush()
                }
                "dt" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "title" => {
                    if self.bold > 0 {
                        self.bold -= 1;
                        self.push_text("**");
                    }
                    self.flush();
                }
                "code" | "literal" if self.code_depth > 0 => {
                    self.code_depth -= 1;
                    if self.code_depth == 0 {
                        let code = collapse(&std::mem::take(&mut self.code_buf));
                        let span = code_span(&code);
                        if !span.is_empty() {
                            self.push_text(&span);
                        }
                    }
                }
                "pre" | "programlisting" if self.pre_depth > 0 => {
                    self.pre_depth -= 1;
                    if self.pre_depth == 0 {
                        let code = std::mem::take(&mut self.code_buf);
                        self.code_block(&code);
                    }
                }
                "ul" | "ol" | "itemizedlist" | "orderedlist" => {
                    self.flush();
                    self.lists.pop();
                    if self.lists.is_empty() {
                        self.blank();
                    }
                }
                "li" | "listitem" => self.flush(),
                "a" | "ulink" => {
                    if let Some((href, text)) = self.link.take() {
                        let text = collapse(&text);
                        let rendered = match href {
                            Some(h) if !text.is_empty() => format!("[{text}]({})", link_target(&h)),
                            Some(h) => format!("<{}>", h.replace(' ', "%20")),
                            None => text,
                        };
                        self.push_text(&rendered);
                    }
                }
                "b" | "strong" if self.bold > 0 => {
                    self.bold -= 1;
                    self.push_text("**");
                }
                "i" | "em" | "emphasis" if self.italic > 0 => {
                    self.italic -= 1;
                    self.push_text("*");
                }
                _ => {}
            },
        }
    }

    fn code_block(&mut self, code: &str) {
        let lines: Vec<&str> = code.trim_matches('\n').lines().collect();
        if lines.iter().all(|l| l.trim().is_empty()) {
            return;
        }
        let indent = self.indent();
        self.blank();
        self.lines.push(format!("{indent}```text"));
        for l in lines {
            let l = l.trim_end().replace("```", "'''");
            self.lines
                .push(format!("{indent}{l}").trim_end().to_owned());
        }
        self.lines.push(format!("{indent}```"));
        self.lines.push(String::new());
    }

    fn finish(mut self) -> Vec<String> {
        if let Some((href, text)) = self.link.take() {
            let text = collapse(&text);
            self.current.push_str(&match href {
                Some(h) if !text.is_empty() => format!("[{text}]({})", link_target(&h)),
                _ => text,
            });
        }
        if self.code_depth > 0 {
            let code = collapse(&std::mem::take(&mut self.code_buf));
            self.current.push_str(&code_span(&code));
        }
        for _ in 0..self.bold {
            self.current.push_str("**");
        }
        for _ in 0..self.italic {
            self.current.push('*');
        }
        self.flush();
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        while self.lines.first().is_some_and(|l| l.is_empty()) {
            self.lines.remove(0);
        }
        let mut out: Vec<String> = Vec::new();
        for l in self.lines {
            if l.is_empty() && out.last().is_some_and(|p| p.is_empty()) {
                continue;
            }
            out.push(l);
        }
        out
    }
}

fn link_target(h: &str) -> String {
    if h.contains([' ', '(', ')', '<', '>']) {
        format!(
            "<{}>",
            h.replace(' ', "%20")
                .replace('<', "%3C")
                .replace('>', "%3E")
        )
    } else {
        h.to_owned()
    }
}

/// Collapses runs of whitespace to one space and trims, as HTML does outside `<pre>`.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[test]
    fn paragraphs_code_and_links() {
        assert_eq!(
            md("<p>Hello <code>GetId</code> world.</p> <p>See <a href=\"https://x.example/a b\">docs</a> and <a>Plain</a>.</p>"),
            vec!["Hello `GetId` world.", "", "See [docs](<https://x.example/a%20b>) and Plain."]
        );
    }

    #[test]
    fn lists_and_escapes() {
        assert_eq!(
            md("<p>Ids:</p><ul><li><p>one [x] &lt;region&gt;</p></li><li>two_three https://a.example/x.</li></ul>"),
            vec!["Ids:", "", "- one \\[x\\] &lt;region&gt;", "- two\\_three <https://a.example/x>."]
        );
        assert_eq!(md("<ol><li>a</li><li>b</li></ol>"), vec!["1. a", "2. b"]);
    }

    #[test]
    fn unknown_tags_are_text() {
        assert_eq!(md("use <region> here"), vec!["use &lt;region&gt; here"]);
        assert_eq!(
            md("<pre><code>a\n  b</code></pre>"),
            vec!["```text", "a", "  b", "```"]
        );
        assert!(md("").is_empty());
    }
}
