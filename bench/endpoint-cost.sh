#!/usr/bin/env bash
# What resolving an endpoint costs, interpreted (this project: the rule set's JSON embedded, read
# once, walked by awsgen_rt::endpoint) against compiled (the official aws-sdk-cognitoidentity:
# smithy-rs generates each rule set's conditions as Rust code over a decision-diagram table), on
# cognito-identity's rule set. Prints, for each:
#   - instructions per resolve (callgrind), alternating us-east-1 and us-west-2 so that the
#     official resolver's one-entry cache misses every time: the rules' evaluation itself;
#   - instructions per resolve with the same parameters every time (the official SDK resolves on
#     every call and hits its cache; this client resolves once, when it is built);
#   - instructions to read the rules and partitions and resolve once in a fresh process;
#   - machine code of the resolver (symbol sizes in the release binary) and its LLVM IR lines
#     (what the compiler works through, the usual stand-in for its compile time).
#
# Usage: bench/endpoint-cost.sh [N] [OFFICIAL_SDK_VERSION]   (defaults 1000, 1.121.0)
# Built outside the workspace, in .cache/bench-endpoint/ (the official SDK never enters the
# project's dependency tree).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1000}"
sdk_version="${2:-1.121.0}"
work="$root/.cache/bench-endpoint"
mkdir -p "$work/ours/src" "$work/official/src"

cat > "$work/ours/Cargo.toml" <<TOML
[package]
name = "endpoint-ours"
version = "0.0.0"
edition = "2021"
[dependencies]
awsgen-rt = { path = "$root/runtime" }
serde_json = "1"
[workspace]
TOML
cat > "$work/ours/src/main.rs" <<RS
use std::collections::BTreeMap;
use awsgen_rt::endpoint::{Partitions, RuleSet, Value};
const RULES: &str = include_str!("$root/model/cognito-identity-2014-06-30.endpoint-rule-set.json");
const PARTITIONS: &str = include_str!("$root/model/partitions.json");
RS
cat >> "$work/ours/src/main.rs" <<'RS'
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (mode, n) = (a[1].as_str(), a[2].parse::<usize>().unwrap());
    if mode == "none" {
        return;
    }
    let rules = RuleSet::parse(RULES).unwrap();
    let partitions = Partitions::parse(PARTITIONS).unwrap();
    let regions = ["us-east-1", "us-west-2"];
    for i in 0..n {
        let region = if mode == "alternate" { regions[i % 2] } else { regions[0] };
        let mut params = BTreeMap::new();
        params.insert("Region".to_owned(), Value::String(region.to_owned()));
        params.insert("UseFIPS".to_owned(), Value::Bool(false));
        params.insert("UseDualStack".to_owned(), Value::Bool(false));
        let e = rules.resolve(&params, &partitions).unwrap();
        assert!(e.url.ends_with(".amazonaws.com"));
        std::hint::black_box(e);
    }
}
RS

cat > "$work/official/Cargo.toml" <<TOML
[package]
name = "endpoint-official"
version = "0.0.0"
edition = "2021"
[dependencies]
aws-sdk-cognitoidentity = "=$sdk_version"
[workspace]
TOML
cat > "$work/official/src/main.rs" <<'RS'
use aws_sdk_cognitoidentity::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
use std::future::Future;
use std::task::{Context, Poll, Waker};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (mode, n) = (a[1].as_str(), a[2].parse::<usize>().unwrap());
    if mode == "none" {
        return;
    }
    // Reads the partitions (a static built on first use).
    let resolver = DefaultResolver::new();
    let regions = ["us-east-1", "us-west-2"];
    let mut cx = Context::from_waker(Waker::noop());
    for i in 0..n {
        let region = if mode == "alternate" { regions[i % 2] } else { regions[0] };
        let params = Params::builder()
            .region(region)
            .use_fips(false)
            .use_dual_stack(false)
            .build()
            .unwrap();
        let mut fut = std::pin::pin!(resolver.resolve_endpoint(&params));
        let Poll::Ready(e) = fut.as_mut().poll(&mut cx) else { panic!("pending") };
        let e = e.unwrap();
        assert!(e.url().ends_with(".amazonaws.com"));
        std::hint::black_box(e);
    }
}
RS

# The official SDK's dependencies are already built where bench/instructions.sh builds them.
(cd "$work/ours" && CARGO_TARGET_DIR="$work/ours/target" cargo build --release --quiet)
(cd "$work/official" && CARGO_TARGET_DIR="$root/.cache/bench-one-call/official/target" cargo build --release --quiet)
ours="$work/ours/target/release/endpoint-ours"
official="$root/.cache/bench-one-call/official/target/release/endpoint-official"

count() { # binary mode n -> instructions
    local out
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$3" 2>&1 | grep -E "Collected" | awk '{print $4}')
    echo "${out//,/}"
}
per() { echo $(( ($(count "$1" "$2" "$3") - $(count "$1" "$2" 0)) / $3 )); }

echo "endpoint resolution, cognito-identity's rule set, $(date -u +%Y-%m-%d) (callgrind)"
printf '| | interpreted (this project) | compiled (aws-sdk-cognitoidentity %s) |\n|---|---|---|\n' "$sdk_version"
printf '| instructions per resolve, parameters alternating | %s | %s |\n' "$(per "$ours" alternate "$n")" "$(per "$official" alternate "$n")"
printf '| instructions per resolve, same parameters | %s | %s (its cache) |\n' "$(per "$ours" same "$n")" "$(per "$official" same "$n")"
# Reading the rules and partitions and one resolve, against a process that reads nothing.
printf '| first resolve in a process, reading included | %s | %s |\n' \
    "$(( $(count "$ours" same 1) - $(count "$ours" none 0) ))" \
    "$(( $(count "$official" same 1) - $(count "$official" none 0) ))"

size_of() { # binary regex -> bytes of matching symbols
    nm -C --size-sort -S "$1" | grep -E "$2" | python3 -c 'import sys; print(sum(int(l.split()[1], 16) for l in sys.stdin))'
}
printf '| machine code of the resolver (bytes) | %s | %s |\n' \
    "$(size_of "$ours" 'awsgen_rt::endpoint')" \
    "$(size_of "$official" 'aws_sdk_cognitoidentity::(config::endpoint|endpoint_lib)')"
printf '| rules and partitions as data (bytes) | %s | %s |\n' \
    "$(( $(wc -c < "$root/model/cognito-identity-2014-06-30.endpoint-rule-set.json") + $(wc -c < "$root/model/partitions.json") ))" \
    "partitions only, minified"

# LLVM IR lines of each resolver, as cargo-llvm-lines counts them: the lines of each function
# definition in the crate's IR, summed over the functions of the resolver's modules.
ir_lines() { # crate-dir target-dir package regex
    local dir="$1" target="$2" pkg="$3" re="$4" ll
    (cd "$dir" && CARGO_TARGET_DIR="$target" cargo rustc --release --quiet -p "$pkg" -- --emit=llvm-ir -C codegen-units=1 >/dev/null 2>&1)
    ll=$(ls -t "$target"/release/deps/"${pkg//-/_}"-*.ll | head -1)
    python3 - "$ll" "$re" <<'PY'
import re, subprocess, sys
path, pattern = sys.argv[1], re.compile(sys.argv[2])
names, counts, current = [], [], None
for line in open(path, encoding="utf-8", errors="replace"):
    if line.startswith("define "):
        m = re.search(r'@("?)([^\s("]+)\1\(', line)
        current = len(names); names.append(m.group(2) if m else ""); counts.append(0)
    if current is not None:
        counts[current] += 1
        if line.startswith("}"):
            current = None
demangled = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True).stdout.split("\n")
print(sum(c for d, c in zip(demangled, counts) if pattern.search(d)), "of", sum(counts))
PY
}
printf '| LLVM IR lines of the resolver (of the crate) | %s | %s |\n' \
    "$(ir_lines "$work/ours" "$work/ours/target" awsgen-rt 'awsgen_rt::endpoint')" \
    "$(ir_lines "$work/official" "$root/.cache/bench-one-call/official/target" aws-sdk-cognitoidentity 'aws_sdk_cognitoidentity::(config::endpoint|endpoint_lib)')"
