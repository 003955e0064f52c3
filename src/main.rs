//! `ctsync`: runs ctsync scenarios headless. A thin shell over ctsync-core: it reads files, calls the
//! core, prints, and maps outcomes to exit codes (0 ok, 1 expectations failed, 2 bad input).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod expr_cmd;
mod input;

/// Exit code for bad input: a malformed scenario, an unreadable file, a bad expression.
const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "ctsync",
    version,
    about = "Simulate Microsoft Entra ID cross-tenant synchronization, headless",
    long_about = "Simulate Microsoft Entra ID cross-tenant synchronization, headless.\n\n\
                  ctsync runs scenario files (tenants, policies, sync jobs and a timeline) through a \
                  deterministic model of the Entra provisioning engine and prints what happens.\n\n\
                  Exit codes: 0 ok, 1 expectations failed, 2 bad input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check that a scenario file loads: valid JSON, known ids, no duplicates, a supported version.
    Validate {
        /// The scenario file (JSON).
        file: std::path::PathBuf,
    },
    /// Evaluate an attribute-mapping expression, like the admin center's "Test expression"; prints the
    /// result as JSON (null when nothing would flow).
    Expr(expr_cmd::ExprArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { file } => validate(&file),
        Command::Expr(args) => expr_cmd::run(&args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

fn validate(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let scenario = input::load_scenario(file)?;
    println!(
        "{}: ok ({} tenants, {} sync jobs)",
        file.display(),
        scenario.tenants.len(),
        scenario.jobs.len()
    );
    Ok(ExitCode::SUCCESS)
}
