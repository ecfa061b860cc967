//! A model's `pattern` (Java regex syntax, as AWS services evaluate it) rewritten for the Rust
//! regex engines the server runtime uses, once, at generation time.
//!
//! The rules, each where Java and the `regex` crate differ:
//! - **Whole value.** AWS matches a pattern against the entire value (Java's `String.matches`),
//!   not a substring, although Smithy's spec text says patterns are not implicitly anchored: AWS
//!   refuses `test-with-identity-pool` for `[\w ]+` (getmoto/moto#1979,
//!   awslabs/serverless-automated-ui-testing#2). So every pattern becomes `\A(?:…)\z`; one that
//!   already carries `^`/`$` keeps its meaning (`^` and `$` then match where `\A` and `\z` do).
//! - `\w`, `\d`, `\s`, `\W`, `\D`, `\S`, `\b` and the POSIX classes (`\p{Alnum}`, `\p{Punct}`, …)
//!   are ASCII in Java; Unicode in Rust. `.` excludes Java's line terminators
//!   (`\n`, `\r`, U+0085, U+2028, U+2029), not only `\n`.
//! - `\uXXXX` escapes (with UTF-16 surrogate pairs for code points above U+FFFF), octal `\0nn`;
//!   lone surrogates cannot occur in a string and are dropped.
//! - Inside a class Java reads `--` and `~~` literally, and `-` after a class escape (`[\w-.]`)
//!   too; Rust would read set operations or a range.
//! - A pattern that is one class with a counted repetition (`[\p{L}\p{N}]{1,1024}`,
//!   `^.{1,100000}$`) matches exactly the values whose every character is in the class and whose
//!   length in characters is in the range: it is compiled as `\A(?:class)*\z` plus that count,
//!   because the counted form builds an automaton beyond the regex crate's size limit.
//! - Look-around and back-references (`(?!aws:)`, `(?<!-)`, `\3`) need a backtracking engine:
//!   such patterns are marked for `fancy-regex`; all others use the `regex` crate.

use std::fmt::Write as _;

/// A pattern ready for the runtime: what [`translate`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// Anchored, in the Rust engines' syntax.
    pub regex: String,
    /// Needs look-around or back-references (`fancy-regex`).
    pub fancy: bool,
    /// A length in characters the value must also have (see the module docs).
    pub chars: Option<(u64, Option<u64>)>,
}

/// Java's line terminators, which `.` does not match.
const DOT: &str = r"[^\n\r\x{85}\x{2028}\x{2029}]";
const SPACE: &str = r"[ \t\n\x0B\f\r]";

/// Rewrites one model pattern; `Err` says what cannot be expressed.
pub fn translate(java: &str) -> Result<Translated, String> {
    let (body, chars) = match counted_class(java) {
        Some((atom, min, max)) => (format!("(?:{atom})*"), Some((min, max))),
        None => (java.to_owned(), None),
    };
    let mut t = Translator {
        src: body.chars().collect(),
        i: 0,
        out: String::with_capacity(body.len() + 16),
        depth: 0,
        fancy: false,
        groups: Vec::new(),
        dotall: has_dotall_flag(&body),
    };
    t.run()?;
    Ok(Translated {
        regex: format!(r"\A(?:{})\z", t.out),
        fancy: t.fancy,
        chars,
    })
}

/// Translates `java` and builds it with the engine the server will use (with that engine's
/// default limits, as the runtime builds it); `Err` says why it cannot be checked.
pub fn check(java: &str) -> Result<Translated, String> {
    let t = translate(java).map_err(|e| format!("cannot be read: {e}"))?;
    let built = if t.fancy {
        fancy_regex::Regex::new(&t.regex)
            .map(drop)
            .map_err(|e| e.to_string())
    } else {
        regex::Regex::new(&t.regex)
            .map(drop)
            .map_err(|e| e.to_string())
    };
    match built {
        Ok(()) => Ok(t),
        Err(e) => Err(format!(
            "cannot be built as {:?}: {}",
            t.regex,
            e.lines().last().unwrap_or("").trim_end_matches('.')
        )),
    }
}

struct Translator {
    src: Vec<char>,
    i: usize,
    out: String,
    /// Nesting of character classes (`[a[b]]`).
    depth: usize,
    fancy: bool,
    /// Open groups: where each look-around group starts in `out`, `None` for other groups.
    groups: Vec<Option<usize>>,
    /// The pattern turns on `(?s)` somewhere: `.` is then left to the engine, whose `(?s)` means
    /// what Java's does (outside such a group Rust's `.` still refuses only `\n`).
    dotall: bool,
}

impl Translator {
    fn peek(&self, k: usize) -> Option<char> {
        self.src.get(self.i + k).copied()
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek(0) {
            self.i += 1;
            match c {
                '\\' => self.escape()?,
                '[' => {
                    self.depth += 1;
                    self.out.push('[');
                    if self.peek(0) == Some('^') {
                        self.out.push('^');
                        self.i += 1;
                    }
                    // `[]…]` and `[^]…]`: a `]` first is a literal.
                    if self.peek(0) == Some(']') {
                        self.out.push_str(r"\]");
                        self.i += 1;
                    }
                }
                ']' if self.depth > 0 => {
                    self.depth -= 1;
                    self.out.push(']');
                }
                '.' if self.depth == 0 && !self.dotall => self.out.push_str(DOT),
                '(' if self.depth == 0 => {
                    // Look-ahead `(?=`, `(?!`, look-behind `(?<=`, `(?<!` (not `(?<name>`).
                    let look = matches!(
                        (self.peek(0), self.peek(1), self.peek(2)),
                        (Some('?'), Some('=' | '!'), _) | (Some('?'), Some('<'), Some('=' | '!'))
                    );
                    // Possessive and atomic forms are backtracking-engine features too.
                    let atomic = self.peek(0) == Some('?') && self.peek(1) == Some('>');
                    self.fancy |= look || atomic;
                    self.groups.push(look.then_some(self.out.len()));
                    self.out.push('(');
                }
                ')' if self.depth == 0 => {
                    self.out.push(')');
                    if let Some(Some(start)) = self.groups.pop() {
                        self.quantified_look_around(start);
                    }
                }
                '+' if self.depth == 0 && self.possessive_after_quantifier() => {
                    self.fancy = true;
                    self.out.push('+');
                }
                '-' if self.depth > 0 && self.peek(0) == Some('-') => {
                    self.out.push_str(r"\-\-");
                    self.i += 1;
                }
                '~' if self.depth > 0 && self.peek(0) == Some('~') => {
                    self.out.push_str(r"\~\~");
                    self.i += 1;
                }
                c => self.out.push(c),
            }
        }
        if self.depth > 0 {
            return Err("a character class is not closed".to_owned());
        }
        Ok(())
    }

    /// Java accepts a quantifier on a look-around (`(?!\.)+`), which the backtracking engine
    /// refuses: an assertion repeated at least once is the assertion, and one that may be
    /// repeated zero times always holds.
    fn quantified_look_around(&mut self, start: usize) {
        let (min_zero, len) = match (self.peek(0), self.peek(1)) {
            (Some('+'), _) => (false, 1),
            (Some('*' | '?'), _) => (true, 1),
            (Some('{'), Some(d)) if d.is_ascii_digit() => {
                let Some(close) = self.src[self.i..].iter().position(|c| *c == '}') else {
                    return;
                };
                (d == '0', close + 1)
            }
            _ => return,
        };
        self.i += len;
        // A lazy or possessive mark after the quantifier changes nothing here.
        if matches!(self.peek(0), Some('?' | '+')) {
            self.i += 1;
        }
        if min_zero {
            self.out.truncate(start);
        }
    }

    /// A `+` that follows a quantifier is Java's possessive form.
    fn possessive_after_quantifier(&self) -> bool {
        let prev = self.i.checked_sub(2).and_then(|j| self.src.get(j)).copied();
        let escaped = self
            .i
            .checked_sub(3)
            .and_then(|j| self.src.get(j))
            .is_some_and(|c| *c == '\\');
        matches!(prev, Some('*' | '+' | '?' | '}')) && !escaped
    }

    /// A class (`\w`, POSIX) in the form that fits where it stands: nested brackets inside a
    /// class are unions in both syntaxes.
    fn class(&mut self, body: &str) {
        let _ = write!(self.out, "[{body}]");
        self.literal_dash_after_class();
    }

    /// A `-` after a class escape is a literal in Java (`[\w-.]`, `[\p{Z}-_]`); Rust would
    /// read a range.
    fn literal_dash_after_class(&mut self) {
        if self.depth > 0 && self.peek(0) == Some('-') && self.peek(1) != Some(']') {
            self.out.push_str(r"\-");
            self.i += 1;
        }
    }

    fn escape(&mut self) -> Result<(), String> {
        let Some(c) = self.peek(0) else {
            return Err("the pattern ends with a lone backslash".to_owned());
        };
        self.i += 1;
        match c {
            'w' => self.class("a-zA-Z0-9_"),
            'W' => self.class("^a-zA-Z0-9_"),
            'd' => self.class("0-9"),
            'D' => self.class("^0-9"),
            's' => self.class(&SPACE[1..SPACE.len() - 1]),
            'S' => self.class(&format!("^{}", &SPACE[1..SPACE.len() - 1])),
            'p' | 'P' => {
                let name = self.braced_name()?;
                let negated = c == 'P';
                match posix(&name) {
                    Some(body) => {
                        let body = if negated {
                            format!("^{body}")
                        } else {
                            body.to_owned()
                        };
                        self.class(&body);
                    }
                    None => {
                        let _ = write!(self.out, "\\{c}{{{}}}", unicode_property(&name));
                        self.literal_dash_after_class();
                    }
                }
            }
            'u' => {
                let cp = self.hex4()?;
                if (0xD800..0xDC00).contains(&cp)
                    && self.peek(0) == Some('\\')
                    && self.peek(1) == Some('u')
                {
                    let save = self.i;
                    self.i += 2;
                    let low = self.hex4()?;
                    if (0xDC00..0xE000).contains(&low) {
                        let full = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        return self.code_point(full);
                    }
                    self.i = save;
                }
                self.code_point(cp)?;
            }
            '0' => {
                // Java's octal escape: \0n, \0nn, \0mnn (m ≤ 3).
                let mut v = 0u32;
                let mut n = 0;
                while n < 3 {
                    match self.peek(0).and_then(|d| d.to_digit(8)) {
                        Some(d) if n < 2 || v < 0o40 => {
                            v = v * 8 + d;
                            self.i += 1;
                            n += 1;
                        }
                        _ => break,
                    }
                }
                if n == 0 {
                    return Err(r"`\0` must be followed by an octal digit".to_owned());
                }
                self.code_point(v)?;
            }
            '1'..='9' if self.depth == 0 => {
                // A back-reference.
                self.fancy = true;
                self.out.push('\\');
                self.out.push(c);
            }
            'e' => self.out.push_str(r"\x1B"),
            // Java's `\v` is vertical whitespace, Rust's the one character U+000B.
            'v' => self.class(r"\n\x0B\f\r\x{85}\x{2028}\x{2029}"),
            'Z' => self.out.push_str(r"\z"),
            'Q' => {
                // Quoted up to `\E`.
                while let Some(q) = self.peek(0) {
                    if q == '\\' && self.peek(1) == Some('E') {
                        self.i += 2;
                        return Ok(());
                    }
                    self.i += 1;
                    self.literal(q);
                }
            }
            c => {
                self.out.push('\\');
                self.out.push(c);
            }
        }
        Ok(())
    }

    fn literal(&mut self, c: char) {
        if c.is_ascii_punctuation() || c == ' ' {
            self.out.push('\\');
        }
        self.out.push(c);
    }

    /// The code point of an escape, or nothing for a lone surrogate (no string holds one);
    /// `-` ranges through the surrogates keep their valid ends.
    fn code_point(&mut self, cp: u32) -> Result<(), String> {
        if (0xD800..0xE000).contains(&cp) {
            // Drop it and a range it starts or ends (`\uDC00-\uDBFF`), which only covers
            // surrogates in the models that have one.
            if self.peek(0) == Some('-') && self.peek(1) != Some(']') && self.depth > 0 {
                self.i += 1;
                self.skip_class_atom();
            } else if self.out.ends_with('-') && self.depth > 0 {
                self.out.pop();
            }
            return Ok(());
        }
        let _ = write!(self.out, "\\x{{{cp:X}}}");
        Ok(())
    }

    /// Skips one class atom: a character or an escape with its argument.
    fn skip_class_atom(&mut self) {
        if self.peek(0) == Some('\\') {
            self.i += 1;
            match self.peek(0) {
                Some('u') => self.i += 5,
                Some('x') if self.peek(1) == Some('{') => {
                    while self.peek(0).is_some_and(|c| c != '}') {
                        self.i += 1;
                    }
                    self.i += 1;
                }
                Some('x') => self.i += 3,
                Some(_) => self.i += 1,
                None => {}
            }
        } else {
            self.i += 1;
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits: String = self.src.iter().skip(self.i).take(4).collect();
        if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(r"`\u` must be followed by four hexadecimal digits".to_owned());
        }
        self.i += 4;
        u32::from_str_radix(&digits, 16).map_err(|e| e.to_string())
    }

    /// `{Name}` after `\p`, or a one-letter name (`\pL`).
    fn braced_name(&mut self) -> Result<String, String> {
        match self.peek(0) {
            Some('{') => {
                let start = self.i + 1;
                let Some(len) = self.src[start..].iter().position(|c| *c == '}') else {
                    return Err(r"`\p{` is not closed".to_owned());
                };
                self.i = start + len + 1;
                Ok(self.src[start..start + len].iter().collect())
            }
            Some(c) => {
                self.i += 1;
                Ok(c.to_string())
            }
            None => Err(r"`\p` needs a property name".to_owned()),
        }
    }
}

/// An inline flag group that turns `s` on: `(?s)`, `(?is:`, but not `(?-s)`.
fn has_dotall_flag(p: &str) -> bool {
    p.match_indices("(?").any(|(i, _)| {
        let flags = &p[i + 2..];
        let end = flags.find([')', ':', '-']).unwrap_or(0);
        flags[..end].chars().all(|c| c.is_ascii_alphabetic()) && flags[..end].contains('s')
    })
}

/// Java's POSIX classes, ASCII unless a flag says otherwise (no AWS model sets one).
fn posix(name: &str) -> Option<&'static str> {
    const PUNCT: &str = r##"!-/:-@\[-`{-~"##;
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => r"\x00-\x7F",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => PUNCT,
        "Graph" => r##"!-~"##,
        "Print" => r##" -~"##,
        "Blank" => r" \t",
        "Cntrl" => r"\x00-\x1F\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => &SPACE[1..SPACE.len() - 1],
        // Java's `\p{all}` and `\p{LD}` (letter or digit: `Character.isLetterOrDigit`).
        "all" => r"\x{0}-\x{10FFFF}",
        "LD" => r"\p{L}\p{Nd}",
        _ => return None,
    })
}

/// A Unicode property in the Rust engines' spelling: Java writes `IsAlphabetic`,
/// `IsWhitespace`, `IsL`, `InGreek`, `javaLowerCase`.
fn unicode_property(name: &str) -> String {
    match name {
        "IsAlphabetic" => "Alphabetic".to_owned(),
        "IsWhitespace" | "IsWhite_Space" => "White_Space".to_owned(),
        "javaLowerCase" | "IsLowercase" => "Lowercase".to_owned(),
        "javaUpperCase" | "IsUppercase" => "Uppercase".to_owned(),
        "javaWhitespace" => "White_Space".to_owned(),
        n => n
            .strip_prefix("Is")
            .or_else(|| n.strip_prefix("In"))
            .unwrap_or(n)
            .to_owned(),
    }
}

/// `ATOM{m,n}` as the whole pattern (with optional `^`/`$`), where ATOM matches exactly one
/// character: `.`, a class `[…]`, or a class escape. Returns the atom and the count.
fn counted_class(p: &str) -> Option<(&str, u64, Option<u64>)> {
    let p = p.strip_prefix('^').unwrap_or(p);
    let p = match p.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => p,
    };
    let open = p.rfind('{')?;
    let (atom, quant) = p.split_at(open);
    let inner = quant.strip_prefix('{')?.strip_suffix('}')?;
    let (min, max) = match inner.split_once(',') {
        Some((a, "")) => (a.parse().ok()?, None),
        Some((a, b)) => (a.parse().ok()?, Some(b.parse().ok()?)),
        None => {
            let n = inner.parse().ok()?;
            (n, Some(n))
        }
    };
    if max.is_some_and(|m| m < min) || !single_char_atom(atom) {
        return None;
    }
    Some((atom, min, max))
}

fn single_char_atom(a: &str) -> bool {
    let b = a.as_bytes();
    match b {
        [b'.'] => true,
        [b'\\', c] => b"wWdDsS".contains(c),
        [b'\\', b'p' | b'P', b'{', .., b'}'] => !a[3..a.len() - 1].contains(['{', '}']),
        [b'[', .., b']'] => class_is_whole(a),
        _ => false,
    }
}

/// `[…]` is one class from its first byte to its last (not `[a]x[b]`), and holds no
/// escape that could match more than one character.
fn class_is_whole(a: &str) -> bool {
    let b = a.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i + 1 != b.len() {
                    return false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str) -> String {
        translate(p).unwrap().regex
    }

    #[test]
    fn anchored_at_both_ends() {
        assert_eq!(re("[a-z]+"), r"\A(?:[a-z]+)\z");
        assert_eq!(re("^a|b$"), r"\A(?:^a|b$)\z");
    }

    #[test]
    fn java_classes_are_ascii() {
        assert_eq!(re(r"[\w-]+"), r"\A(?:[[a-zA-Z0-9_]-]+)\z");
        assert_eq!(re(r"\d+\S"), r"\A(?:[0-9]+[^ \t\n\x0B\f\r])\z");
        assert_eq!(re(r"[\w-\/.]+"), r"\A(?:[[a-zA-Z0-9_]\-\/.]+)\z");
        assert_eq!(re(r"\p{Alnum}+"), r"\A(?:[a-zA-Z0-9]+)\z");
        assert_eq!(re(r"\p{L}+"), r"\A(?:\p{L}+)\z");
        assert_eq!(re(r"\p{IsAlphabetic}"), r"\A(?:\p{Alphabetic})\z");
    }

    #[test]
    fn escapes_and_surrogates() {
        assert_eq!(re(r"\u0041"), r"\A(?:\x{41})\z");
        assert_eq!(
            re(r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF]*"),
            r"\A(?:[\x{20}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]*)\z"
        );
        assert_eq!(re(r"[^/\000-\037]"), r"\A(?:[^/\x{0}-\x{1F}])\z");
        assert_eq!(re(r"[a--z~~]"), r"\A(?:[a\-\-z\~\~])\z");
    }

    #[test]
    fn counted_single_class_is_counted_apart() {
        let t = translate(r"^[\p{L}\p{N}]{1,1024}$").unwrap();
        assert_eq!(t.regex, r"\A(?:(?:[\p{L}\p{N}])*)\z");
        assert_eq!(t.chars, Some((1, Some(1024))));
        assert_eq!(translate(".{3,}").unwrap().chars, Some((3, None)));
        assert_eq!(translate("[a-z]{2}[0-9]{1,3}").unwrap().chars, None);
        assert_eq!(translate("[a-z]+{2}").unwrap().chars, None);
    }

    #[test]
    fn look_around_and_back_references_are_fancy() {
        assert!(translate("^(?!aws:).*$").unwrap().fancy);
        assert!(translate(r"[a-z]*(?<!-)").unwrap().fancy);
        assert!(translate(r"(a)\1").unwrap().fancy);
        assert!(!translate(r"(?:a)(?i)b").unwrap().fancy);
    }

    #[test]
    fn malformed() {
        assert!(translate("[a-z").is_err());
        assert!(translate(r"a\").is_err());
        assert!(translate(r"\u12").is_err());
    }
}
