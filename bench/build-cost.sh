#!/usr/bin/env bash
# Build cost of a one-call binary: the generated client against the official
# aws-sdk-cognitoidentity, side by side in one run. Cold release builds (fresh target
# directories, crates already downloaded), crate count, stripped size.
# BENCH_SERVICE=eks measures a restJson1 client instead: EKS ListClusters, the client generated
# from the pinned botocore's model (`cargo xtask sweep` downloads it) against aws-sdk-eks
# (OFFICIAL_SDK_VERSION then defaults to the newest 1.x).
#
# Usage: [BENCH_SERVICE=eks] bench/build-cost.sh [OFFICIAL_SDK_VERSION]   (default 1.121.0)
# Runs outside the workspace, so the official SDK never enters the project's dependency tree.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
service="${BENCH_SERVICE:-cognito-identity}"
case "$service" in
    cognito-identity) sdk_version="${1:-1.121.0}" ;;
    eks) sdk_version="${1:-1}" ;;
    *) echo "BENCH_SERVICE must be cognito-identity or eks" >&2; exit 2 ;;
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/ours/src" "$work/official/src"
cat > "$work/ours/Cargo.toml" <<TOML
[package]
name = "one-call-ours"
version = "0.0.0"
edition = "2021"
[dependencies]
cognito-identity-client = { path = "$root/generated/cognito-identity-client" }
tokio = { version = "1", features = ["rt", "macros"] }
[profile.release]
strip = true
[workspace]
TOML
cat > "$work/ours/src/main.rs" <<'RS'
use cognito_identity_client::{Client, Config};
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:4566".into());
    let client = Client::new(Config::builder().region("us-east-1").endpoint_url(endpoint).build().unwrap()).unwrap();
    match client.get_id().identity_pool_id("us-east-1:00000000-0000-0000-0000-000000000000").send().await {
        Ok(out) => println!("{:?}", out.identity_id),
        Err(e) => println!("{e}"),
    }
}
RS
cat > "$work/official/Cargo.toml" <<TOML
[package]
name = "one-call-official"
version = "0.0.0"
edition = "2021"
[dependencies]
aws-sdk-cognitoidentity = "=$sdk_version"
tokio = { version = "1", features = ["rt", "macros"] }
[profile.release]
strip = true
[workspace]
TOML
cat > "$work/official/src/main.rs" <<'RS'
use aws_sdk_cognitoidentity::{config::Region, Client, Config};
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:4566".into());
    let config = Config::builder()
        .behavior_version_latest()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .build();
    let client = Client::from_conf(config);
    match client.get_id().identity_pool_id("us-east-1:00000000-0000-0000-0000-000000000000").send().await {
        Ok(out) => println!("{:?}", out.identity_id),
        Err(e) => println!("{e}"),
    }
}
RS

if [ "$service" = eks ]; then
    models="$root/.cache/botocore-1.44.5/models"
    [ -f "$models/eks-2017-11-01.normal.json" ] || { echo "no EKS model in $models: run cargo xtask sweep once" >&2; exit 2; }
    mkdir -p "$work/models"
    cp "$models/eks-2017-11-01.normal.json" "$models/eks-2017-11-01.endpoint-rule-set.json" "$work/models/"
    (cd "$root" && cargo run --quiet -p xtask -- gen --models "$work/models" --out "$work/gen" >/dev/null)
    cat > "$work/ours/Cargo.toml" <<TOML
[package]
name = "one-call-ours"
version = "0.0.0"
edition = "2021"
[dependencies]
eks-client = { path = "$work/gen/eks-client" }
tokio = { version = "1", features = ["rt", "macros"] }
[profile.release]
strip = true
[workspace]
TOML
    cat > "$work/ours/src/main.rs" <<'RS'
use eks_client::{Client, Config};
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:4566".into());
    let client = Client::new(Config::builder().region("us-east-1").endpoint_url(endpoint).build().unwrap()).unwrap();
    match client.list_clusters().max_results(10).send().await {
        Ok(out) => println!("{:?}", out.clusters),
        Err(e) => println!("{e}"),
    }
}
RS
    sed -i "s/aws-sdk-cognitoidentity = \"=$sdk_version\"/aws-sdk-eks = \"$sdk_version\"/" "$work/official/Cargo.toml"
    cat > "$work/official/src/main.rs" <<'RS'
use aws_sdk_eks::{config::Region, Client, Config};
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:4566".into());
    let config = Config::builder()
        .behavior_version_latest()
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .build();
    let client = Client::from_conf(config);
    match client.list_clusters().max_results(10).send().await {
        Ok(out) => println!("{:?}", out.clusters),
        Err(e) => println!("{e}"),
    }
}
RS
fi

measure() {
    local dir="$1"
    (cd "$dir" && cargo fetch --quiet)
    local start end
    start=$(date +%s.%N)
    (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --release --quiet)
    end=$(date +%s.%N)
    local crates size
    crates=$(cd "$dir" && cargo tree -e normal --prefix none --quiet | sed 's/ (.*//; s/ (\*)//' | sort -u | wc -l)
    size=$(stat -c %s "$dir/target/release/$(basename "$dir" | sed 's/^/one-call-/')" 2>/dev/null || stat -c %s "$dir"/target/release/one-call-*)
    echo "$(echo "$end - $start" | bc) $crates $size"
}

echo "cold release build of a one-call binary ($service), $(nproc) cores, $(date -u +%Y-%m-%d)"
read -r ours_s ours_crates ours_size < <(measure "$work/ours")
read -r off_s off_crates off_size < <(measure "$work/official")
printf '| client | cold release build s | crates | stripped binary bytes |\n|---|---|---|---|\n'
printf '| generated (this project) | %.1f | %s | %s |\n' "$ours_s" "$ours_crates" "$ours_size"
official=$(cd "$work/official" && cargo tree --depth 1 --prefix none --quiet | grep -m1 '^aws-sdk-' | cut -d' ' -f1,2)
printf '| %s | %.1f | %s | %s |\n' "$official" "$off_s" "$off_crates" "$off_size"
printf '\nbuild time ratio %.2f (budget ≤ 0.35), stripped size %.1f MB (budget ≤ 3 MB)\n' \
    "$(echo "$ours_s / $off_s" | bc -l)" "$(echo "$ours_size / 1000000" | bc -l)"
