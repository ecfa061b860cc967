//! `cargo xtask`: the project's tasks.

mod bench;
mod endpoint_cases;
mod gen;
mod model_diff;
mod sweep;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Generation allocates and frees millions of small token and syntax-tree nodes; with mimalloc it
// takes about 0.6 of the CPU time it takes with glibc's allocator (BENCHMARKS.md, fifth session).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks for awsgen, the AWS service code generator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the crates under generated/ from every model in model/.
    Gen {
        /// Change nothing; fail and list the files whose committed content is stale.
        #[arg(long)]
        check: bool,
        /// Directory holding `<service>-<version>.normal.json` models (and `.paginators.json`).
        #[arg(long, default_value = "model")]
        models: PathBuf,
        /// Directory the crates are written to (relative to the workspace root, or absolute);
        /// outside `generated/` the crates' path to the runtime is worked out for it.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Run the benchmarks in release (generation, client, server); see BENCHMARKS.md.
    Bench {
        /// `--quick`, and any of `generation`, `client`, `server`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Bring a service's model into model/ from botocore (a pinned version, or a given file).
    ImportModel {
        /// The service's name in botocore (`cognito-identity`).
        service: String,
        #[arg(long)]
        botocore_version: Option<String>,
        /// A service-2.json, .json.gz, botocore wheel or source distribution.
        #[arg(long)]
        from: Option<String>,
    },
    /// Every change between two versions of a model, classified for clients and servers.
    Diff {
        /// The old model: a path, or REV:PATH for a git revision.
        old: String,
        /// The new model: a path, or REV:PATH for a git revision.
        new: String,
        /// text, markdown or json.
        #[arg(long, default_value = "text")]
        format: String,
        /// Exit non-zero when any change breaks clients or servers.
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Generate and compile the crates of every model of a pinned botocore in a protocol the
    /// generator speaks.
    Sweep {
        #[arg(long, default_value = sweep::DEFAULT_BOTOCORE)]
        botocore_version: String,
        /// Only models of these protocols (botocore's names: `json`, `rest-json`,
        /// `smithy-rpc-v2-cbor`); all that the
        /// generator speaks by default.
        #[arg(long, value_delimiter = ',')]
        protocols: Vec<String>,
        /// Only these models (service names like `dynamodb`, or `<service>-<api version>`).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Generate these models but do not compile them.
        #[arg(long, value_delimiter = ',')]
        generate_only: Vec<String>,
        /// Also run the interop tests (generated DynamoDB and Secrets Manager clients against moto).
        #[arg(long)]
        interop: bool,
    },
    /// Run every test of the project (what CI runs): installs what the tests need, then
    /// `cargo test --workspace`.
    Test {
        /// Arguments passed on to `cargo test` (e.g. a test name filter after `--`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    match cli.command {
        Command::Gen { check, models, out } => gen::run(
            &root.join(models),
            &root.join(out),
            &root.join("runtime"),
            check,
        ),
        Command::Test { args } => test::run(&root, &args),
        Command::Bench { args } => bench::run(&root, &args),
        Command::ImportModel {
            service,
            botocore_version,
            from,
        } => model_diff::import(
            &root,
            &service,
            botocore_version.as_deref(),
            from.as_deref(),
        ),
        Command::Diff {
            old,
            new,
            format,
            fail_on_breaking,
        } => model_diff::run(&root, &old, &new, &format, fail_on_breaking),
        Command::Sweep {
            botocore_version,
            protocols,
            only,
            generate_only,
            interop,
        } => sweep::run(
            &root,
            &sweep::Options {
                botocore_version,
                protocols,
                only,
                generate_only,
                interop,
            },
        ),
    }
}

/// The workspace root: `cargo xtask` runs with the xtask crate's manifest directory known.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
