//! `ctsync lint`: the design review of a scenario. The checks are core's (`ctsync_core::lint`);
//! this prints them and exits 1 when any finding is an error.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ctsync_core::lint::{self, Severity};

use crate::input::load_scenario;
use crate::EXIT_EXPECTATIONS_FAILED;

#[derive(Args)]
pub struct LintArgs {
    /// The scenario file (JSON), or a share link.
    #[arg(value_name = "FILE|LINK")]
    file: PathBuf,
    /// Review the state after this tick instead of the initial state.
    #[arg(long)]
    after_tick: Option<u64>,
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &LintArgs) -> anyhow::Result<ExitCode> {
    let scenario = load_scenario(&args.file)?;
    let review = match args.after_tick {
        Some(tick) => {
            if tick > ctsync_core::scenario::MAX_TICKS {
                anyhow::bail!(
                    "--after-tick {tick} is beyond the limit of {}",
                    ctsync_core::scenario::MAX_TICKS
                );
            }
            lint::lint_after(&scenario, tick)
        }
        None => lint::lint(&scenario),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&review)?);
    } else {
        let state = match review.after_tick {
            Some(t) => format!("after tick {t}"),
            None => "initial state".to_string(),
        };
        println!(
            "{}: {} ({state})",
            crate::input::label(&args.file),
            scenario.name
        );
        for f in &review.findings {
            let objects: Vec<String> = f
                .objects
                .iter()
                .map(|o| match &o.tenant {
                    Some(t) => format!("{} {t}/{}", o.kind, o.id),
                    None => format!("{} {}", o.kind, o.id),
                })
                .collect();
            println!();
            println!("{} {} {}", f.code.code(), f.severity.as_str(), f.title);
            println!("  {}", f.message);
            println!("  objects: {}", objects.join(", "));
            println!("  fix: {}", f.fix);
            if let Some(d) = &f.decision {
                println!("  docs/decisions.md — {}: {}", d.topic, d.behaviour);
            }
        }
        println!();
        println!(
            "{} errors, {} warnings, {} notes",
            review.count(Severity::Error),
            review.count(Severity::Warning),
            review.count(Severity::Info)
        );
    }
    Ok(if review.errors() > 0 {
        ExitCode::from(EXIT_EXPECTATIONS_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}
