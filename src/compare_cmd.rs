//! `ctsync compare`: the presence matrix of one design, or two designs side by side. The numbers
//! are core's (`ctsync_core::compare`); this prints them as tables.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ctsync_core::compare::{self, PresenceMatrix};

use crate::input::load_scenario;

#[derive(Args)]
pub struct CompareArgs {
    /// The scenario file (JSON) of the first design.
    a: PathBuf,
    /// A second design to compare with the first.
    b: Option<PathBuf>,
    /// Compare after this many ticks (ticks 0..N-1). Default: through the last tick either names.
    #[arg(long)]
    ticks: Option<u64>,
    /// Print the comparison as JSON.
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// Print the comparison as a Markdown document (for a design review), like the playground's
    /// "Export Markdown".
    #[arg(long)]
    markdown: bool,
}

pub fn run(args: &CompareArgs) -> anyhow::Result<ExitCode> {
    let mut scenarios = vec![load_scenario(&args.a)?];
    if let Some(b) = &args.b {
        scenarios.push(load_scenario(b)?);
    }
    let ticks = match args.ticks {
        Some(t) => t,
        None => {
            scenarios
                .iter()
                .map(|s| s.last_scripted_tick())
                .max()
                .unwrap_or(0)
                + 1
        }
    };
    if ticks > ctsync_core::scenario::MAX_TICKS {
        anyhow::bail!(
            "--ticks {ticks} is beyond the limit of {}",
            ctsync_core::scenario::MAX_TICKS
        );
    }
    let refs: Vec<&ctsync_core::Scenario> = scenarios.iter().collect();
    let comparison = compare::compare(&refs, ticks);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&comparison)?);
        return Ok(ExitCode::SUCCESS);
    }
    if args.markdown {
        print!("{}", compare::markdown(&comparison));
        return Ok(ExitCode::SUCCESS);
    }
    for m in &comparison.matrices {
        print_matrix(m);
        println!();
    }
    let widths: Vec<usize> = comparison
        .designs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            comparison
                .table
                .iter()
                .map(|r| r.values[i].chars().count())
                .chain([d.scenario.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let label_width = comparison
        .table
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    print!("{:label_width$}", format!("after {ticks} ticks"));
    for (d, w) in comparison.designs.iter().zip(&widths) {
        print!("  {:w$}", d.scenario);
    }
    println!();
    for row in &comparison.table {
        print!("{:label_width$}", row.label);
        for (v, w) in row.values.iter().zip(&widths) {
            print!("  {v:w$}");
        }
        println!();
    }
    for d in &comparison.designs {
        if !d.missing.is_empty() {
            println!();
            println!(
                "{} — users missing where the design wants them:",
                d.scenario
            );
            for m in &d.missing {
                println!("  after tick {}: {} — {}", m.after_tick, m.what, m.actual);
            }
        }
    }
    if let Some(note) = compare::licence_note(&comparison) {
        println!();
        println!("Licences (docs/decisions.md): {note}");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_matrix(m: &PresenceMatrix) {
    let after = m
        .after_tick
        .map(|t| format!("after tick {t}"))
        .unwrap_or_else(|| "before tick 0".into());
    println!("{} — who is where ({after})", m.scenario);
    println!("rows: tenants; columns: home tenants; cells: present/home users (M members, G guests), in the address list");
    let cell_width = 26;
    let tenant_width = m
        .rows
        .iter()
        .map(|r| r.tenant.len())
        .max()
        .unwrap_or(6)
        .max(6);
    print!("{:tenant_width$}", "");
    for h in &m.home_tenants {
        print!("  {h:cell_width$}");
    }
    println!();
    for row in &m.rows {
        print!("{:tenant_width$}", row.tenant);
        for c in &row.cells {
            let text = if c.summary == "home" {
                format!("home ({} users)", c.internal)
            } else {
                format!(
                    "{}/{} ({}M {}G), {} listed",
                    c.external_members + c.external_guests,
                    c.home_users,
                    c.external_members,
                    c.external_guests,
                    c.in_address_list
                )
            };
            print!("  {text:cell_width$}");
        }
        println!();
    }
}
