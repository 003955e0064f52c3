//! `ctsync`: runs ctsync scenarios headless. A thin shell over ctsync-core: it reads files, calls the
//! core, prints, and maps outcomes to exit codes (0 ok, 1 expectations failed, 2 bad input).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod compare_cmd;
mod explain_cmd;
mod expr_cmd;
mod input;
mod lesson_cmd;
mod link_cmd;
mod lint_cmd;
mod report;

/// mimalloc rather than the system allocator: running a large scenario allocates many small
/// objects (see the workspace's Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code when some expectations did not hold (or, for `lint`, when a finding is an error).
const EXIT_EXPECTATIONS_FAILED: u8 = 1;
/// Exit code for bad input: a malformed scenario, an unreadable file, a bad expression.
const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "ctsync",
    version,
    about = "Simulate Microsoft Entra ID cross-tenant synchronization, headless",
    long_about = "Simulate Microsoft Entra ID cross-tenant synchronization, headless.\n\n\
                  ctsync runs scenario files (tenants, policies, sync jobs and a timeline), or the share links \
                  that carry them, through a \
                  deterministic model of the Entra provisioning engine and prints what happens.\n\
                  Time moves in ticks of 40 simulated minutes, Entra's fixed sync interval: in tick N \
                  the timeline commands stamped N apply, then every started job that is due runs one cycle.\n\n\
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
        /// The scenario file (JSON), or a share link.
        #[arg(value_name = "FILE|LINK")]
        file: PathBuf,
    },
    /// Run a scenario and print the provisioning log: one line per event and a summary per tick.
    Run {
        /// The scenario file (JSON), or a share link.
        #[arg(value_name = "FILE|LINK")]
        file: PathBuf,
        /// How many ticks to run (ticks 0..N-1). Default: through the last tick the scenario names.
        #[arg(long)]
        ticks: Option<u64>,
        /// Print JSON Lines (Graph-shaped provisioning records) instead of readable lines.
        #[arg(long)]
        json: bool,
    },
    /// Run scenarios and check their expectations; exit 1 if any does not hold.
    Check {
        /// Scenario files (JSON) or share links.
        #[arg(required = true, value_name = "FILE|LINK")]
        files: Vec<PathBuf>,
    },
    /// Print the scenario format's JSON Schema (for editors and validation tools).
    Schema,
    /// Print a tenant's directory after a tick.
    State {
        /// The scenario file (JSON), or a share link.
        #[arg(value_name = "FILE|LINK")]
        file: PathBuf,
        /// The tenant's scenario id.
        #[arg(long)]
        tenant: String,
        /// Show the directory after this tick ran. Default: after the last tick the scenario names.
        #[arg(long)]
        after_tick: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// Evaluate an attribute-mapping expression, like the admin center's "Test expression"; prints the
    /// result as JSON (null when nothing would flow).
    Expr(expr_cmd::ExprArgs),
    /// Explain why a user is (or is not) in a tenant — every job's chain from the connection test to
    /// the action it would take, and what already happened — or why an attribute holds its value.
    Explain(explain_cmd::ExplainArgs),
    /// Review a scenario's design: checks with stable codes (XTS001…), a severity, the objects
    /// involved and a fix; exit 1 when any finding is an error.
    Lint(lint_cmd::LintArgs),
    /// Compare designs: for each, who is where (a presence matrix); for two, what each costs and gives
    /// (jobs, partner settings, accounts, licences, reachable users, users missing).
    Compare(compare_cmd::CompareArgs),
    /// Share links: pack a scenario into the fragment of a playground URL, or unpack one. Every
    /// command that takes a scenario file also takes a link.
    #[command(subcommand)]
    Link(link_cmd::LinkCommand),
    /// Guided lessons on the documented pitfalls: list them, print one, check your solution.
    #[command(subcommand)]
    Lesson(lesson_cmd::LessonCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { file } => validate(&file),
        Command::Schema => schema(),
        Command::Expr(args) => expr_cmd::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Explain(args) => explain_cmd::run(&args),
        Command::Lint(args) => lint_cmd::run(&args),
        Command::Compare(args) => compare_cmd::run(&args),
        Command::Link(command) => link_cmd::run(&command),
        Command::Lesson(command) => lesson_cmd::run(&command),
        Command::Run { file, ticks, json } => report::run(&file, ticks, json),
        Command::Check { files } => report::check(&files),
        Command::State {
            file,
            tenant,
            after_tick,
            json,
        } => report::state(&file, &tenant, after_tick, json),
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
        "{}: ok ({}, {})",
        input::label(file),
        report::count(scenario.tenants.len(), "tenant", "tenants"),
        report::count(scenario.jobs.len(), "sync job", "sync jobs"),
    );
    Ok(ExitCode::SUCCESS)
}

fn schema() -> anyhow::Result<ExitCode> {
    let schema = schemars::schema_for!(ctsync_core::Scenario);
    println!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(ExitCode::SUCCESS)
}
