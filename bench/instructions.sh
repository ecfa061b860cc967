#!/usr/bin/env bash
# Instructions per call, counted by valgrind's callgrind (repeatable, whatever else the machine
# does): a binary on the generated client and one on the official aws-sdk-cognitoidentity, each
# making N sequential calls to the canned loopback server of `bench`. Per call = (I(1+N) - I(1)) / N.
# Both on tokio's default (multi-thread) runtime, as `#[tokio::main]` gives a user; ListIdentities
# answers a 60-identity page of 13.5 kB (four logins and two fractional dates per identity).
#
# Usage: bench/instructions.sh [N] [OFFICIAL_SDK_VERSION]   (defaults 1000, 1.121.0)
# N is large because glibc's malloc does not settle: over the 60-identity page the generated
# client's count per call moved between 236k and 355k from one window of 100 calls to the next
# (the official SDK's stayed within 1%), so a short run says more about the heap than the code.
# Last, the decode alone (`bench decode`, no transport, one thread), which repeats exactly.
# BENCH_ALLOCATOR=mimalloc gives both binaries mimalloc as their global allocator (the default is
# the system's, glibc's malloc, as a user's binary has).
# The official SDK is built outside the workspace, in .cache/bench-one-call/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1000}"
sdk_version="${2:-1.121.0}"
work="$root/.cache/bench-one-call"
mkdir -p "$work/ours/src" "$work/official/src"
alloc_dep="" alloc_use=""
if [ "${BENCH_ALLOCATOR:-}" = mimalloc ]; then
    alloc_dep='mimalloc = "0.1"'
    alloc_use='#[global_allocator] static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;'
fi

cat > "$work/ours/Cargo.toml" <<TOML
[package]
name = "calls-ours"
version = "0.0.0"
edition = "2021"
[dependencies]
cognito-identity-client = { path = "$root/generated/cognito-identity-client" }
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }
$alloc_dep
[workspace]
TOML
{ echo "$alloc_use"; cat <<'RS'
use cognito_identity_client::{Client, Config, Credentials, RetryConfig};
#[tokio::main]
async fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (endpoint, op, n) = (&a[1], a[2].as_str(), a[3].parse::<usize>().unwrap());
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::from_keys("AKIDBENCH", "bench-secret", None))
            .retry(RetryConfig::disabled())
            .build()
            .unwrap(),
    )
    .unwrap();
    let pool = "us-east-1:00000000-0000-4000-8000-000000000000";
    let identity = "us-east-1:11111111-0000-4000-8000-000000000000";
    for _ in 0..n {
        match op {
            "GetId" => { client.get_id().identity_pool_id(pool).logins([("graph.facebook.com".to_owned(), "token".to_owned())]).send().await.unwrap(); }
            "DescribeIdentityPool" => { client.describe_identity_pool().identity_pool_id(pool).send().await.unwrap(); }
            "ListIdentityPools" => { client.list_identity_pools().max_results(60).send().await.unwrap(); }
            "GetCredentialsForIdentity" => { client.get_credentials_for_identity().identity_id(identity).send().await.unwrap(); }
            "ListIdentities" => { client.list_identities().identity_pool_id(pool).max_results(60).send().await.unwrap(); }
            other => panic!("unknown operation {other}"),
        }
    }
}
RS
} > "$work/ours/src/main.rs"
cat > "$work/official/Cargo.toml" <<TOML
[package]
name = "calls-official"
version = "0.0.0"
edition = "2021"
[dependencies]
aws-sdk-cognitoidentity = "=$sdk_version"
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }
$alloc_dep
[workspace]
TOML
{ echo "$alloc_use"; cat <<'RS'
use aws_sdk_cognitoidentity::config::{Credentials, Region};
use aws_sdk_cognitoidentity::{Client, Config};
#[tokio::main]
async fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (endpoint, op, n) = (&a[1], a[2].as_str(), a[3].parse::<usize>().unwrap());
    let config = Config::builder()
        .behavior_version_latest()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIDBENCH", "bench-secret", None, None, "bench"))
        .build();
    let client = Client::from_conf(config);
    let pool = "us-east-1:00000000-0000-4000-8000-000000000000";
    let identity = "us-east-1:11111111-0000-4000-8000-000000000000";
    for _ in 0..n {
        match op {
            "GetId" => { client.get_id().identity_pool_id(pool).logins("graph.facebook.com", "token").send().await.unwrap(); }
            "DescribeIdentityPool" => { client.describe_identity_pool().identity_pool_id(pool).send().await.unwrap(); }
            "ListIdentityPools" => { client.list_identity_pools().max_results(60).send().await.unwrap(); }
            "GetCredentialsForIdentity" => { client.get_credentials_for_identity().identity_id(identity).send().await.unwrap(); }
            "ListIdentities" => { client.list_identities().identity_pool_id(pool).max_results(60).send().await.unwrap(); }
            other => panic!("unknown operation {other}"),
        }
    }
}
RS
} > "$work/official/src/main.rs"

(cd "$root" && cargo build --release --quiet -p bench)
for p in ours official; do
    (cd "$work/$p" && CARGO_TARGET_DIR="$work/$p/target" cargo build --release --quiet)
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$root/target/release/bench" serve-canned "$port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

count() { # binary op calls -> instructions
    local out
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "http://127.0.0.1:$port" "$2" "$3" 2>&1 | grep -E "Collected" | awk '{print $4}')
    echo "${out//,/}"
}

echo "instructions per call (callgrind, (I(1+$n) - I(1)) / $n), $(date -u +%Y-%m-%d)"
printf '| operation | generated client | aws-sdk-cognitoidentity %s | ratio |\n|---|---|---|---|\n' "$sdk_version"
for op in GetId DescribeIdentityPool ListIdentityPools GetCredentialsForIdentity ListIdentities; do
    o1=$(count "$work/ours/target/release/calls-ours" "$op" 1)
    on=$(count "$work/ours/target/release/calls-ours" "$op" $((n + 1)))
    f1=$(count "$work/official/target/release/calls-official" "$op" 1)
    fn=$(count "$work/official/target/release/calls-official" "$op" $((n + 1)))
    ours=$(( (on - o1) / n ))
    official=$(( (fn - f1) / n ))
    printf '| %s | %s | %s | %.2f |\n' "$op" "$ours" "$official" "$(echo "$ours / $official" | bc -l)"
done

d0=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$root/target/release/bench" decode 0 2>&1 | grep -E "Collected" | awk '{print $4}')
d1=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$root/target/release/bench" decode 100 2>&1 | grep -E "Collected" | awk '{print $4}')
echo
echo "decode and drop of one ListIdentities page and one ListIdentityPools page (bench decode): $(( (${d1//,/} - ${d0//,/}) / 100 )) instructions"
