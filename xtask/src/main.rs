//! `cargo xtask`: the project's tasks.

mod gen;
mod sweep;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project tasks for the awsJson code generator"
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
        /// Directory the crates are written to.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Generate and compile the crates of every awsJson model of a pinned botocore.
    Sweep {
        #[arg(long, default_value = sweep::DEFAULT_BOTOCORE)]
        botocore_version: String,
        /// Only these models (service names like `dynamodb`, or `<service>-<api version>`).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Generate these models but do not compile them.
        #[arg(long, value_delimiter = ',')]
        generate_only: Vec<String>,
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
        Command::Gen { check, models, out } => gen::run(&root.join(models), &root.join(out), check),
        Command::Test { args } => test::run(&root, &args),
        Command::Sweep {
            botocore_version,
            only,
            generate_only,
        } => sweep::run(
            &root,
            &sweep::Options {
                botocore_version,
                only,
                generate_only,
            },
        ),
    }
}

/// The workspace root: `cargo xtask` runs with the xtask crate's manifest directory known.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
