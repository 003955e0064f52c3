//! The CLI's readable and JSON output for `run`, `check` and `state`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ctsync_core::check::run_checks;
use ctsync_core::engine::event::{Effect, Event, JobEventKind};
use ctsync_core::Simulation;

use crate::input::load_scenario;
use crate::{EXIT_BAD_INPUT, EXIT_EXPECTATIONS_FAILED};

fn summary_text(counts: &BTreeMap<Effect, usize>) -> String {
    if counts.is_empty() {
        return "no changes".into();
    }
    counts
        .iter()
        .map(|(e, n)| format!("{} {n}", e.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run(file: &Path, ticks: Option<u64>, json: bool) -> anyhow::Result<ExitCode> {
    let scenario = load_scenario(file)?;
    let ticks = ticks.unwrap_or(scenario.last_scripted_tick() + 1);
    if ticks > ctsync_core::scenario::MAX_TICKS {
        anyhow::bail!(
            "--ticks {ticks} is beyond the limit of {}",
            ctsync_core::scenario::MAX_TICKS
        );
    }
    let mut sim = Simulation::new(&scenario);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        let mut result = Ok(());
        sim.run_json_stream(ticks, |line| {
            if result.is_ok() {
                result = writeln!(out, "{line}");
            }
        });
        result?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} — {}, {}, {} of 40 minutes",
        scenario.name,
        count(scenario.tenants.len(), "tenant", "tenants"),
        count(scenario.jobs.len(), "sync job", "sync jobs"),
        count(ticks as usize, "tick", "ticks"),
    )?;
    let mut commands_seen = 0;
    for tick in 0..ticks {
        sim.step();
        let events = sim.events_of_tick(tick);
        let counts = sim.effect_counts(tick);
        let commands = &sim.applied_commands()[commands_seen..];
        commands_seen = sim.applied_commands().len();
        let quiet = events.iter().all(|e| {
            matches!(e, Event::Job(j) if matches!(j.kind, JobEventKind::CycleCompleted { evaluated: 0, .. }))
        });
        if quiet && commands.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n── tick {tick} · {} ──",
            sim.time_at(tick).format("%Y-%m-%d %H:%M UTC")
        )?;
        for c in commands {
            match &c.rejected {
                None => writeln!(out, "  ▸ {}", c.summary)?,
                Some(why) => writeln!(out, "  ▸ {} — not applied: {why}", c.summary)?,
            }
        }
        for event in events {
            if let Event::Job(j) = event {
                if matches!(j.kind, JobEventKind::CycleCompleted { evaluated: 0, .. }) {
                    continue;
                }
            }
            writeln!(out, "  {}", sim.event_line(event))?;
            if let Event::Object(e) = event {
                for note in &e.mapping_notes {
                    writeln!(
                        out,
                        "               {}: {}",
                        sim.names.name(note.attr),
                        note.note
                    )?;
                }
            }
        }
        writeln!(out, "  = {}", summary_text(&counts))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn check(files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut failed = 0;
    let mut passed = 0;
    let mut bad_input = false;
    for file in files {
        let scenario = match load_scenario(file) {
            Ok(s) => s,
            Err(err) => {
                eprintln!("error: {err:#}");
                bad_input = true;
                continue;
            }
        };
        let (_, results) = run_checks(&scenario, 0);
        println!("{}: {}", crate::input::label(file), scenario.name);
        if results.is_empty() {
            println!("  (no expectations)");
        }
        for r in &results {
            match &r.failure {
                None => {
                    passed += 1;
                    println!("  ✓ after tick {}: {}", r.after_tick, r.what);
                }
                Some(actual) => {
                    failed += 1;
                    println!("  ✗ after tick {}: expected {}", r.after_tick, r.what);
                    println!("      actual: {actual}");
                    if let Some(source) = &r.source {
                        println!("      source: {source}");
                    }
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if bad_input {
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    }
    Ok(if failed > 0 {
        ExitCode::from(EXIT_EXPECTATIONS_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn state(
    file: &Path,
    tenant: &str,
    after_tick: Option<u64>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let scenario = load_scenario(file)?;
    let mut sim = Simulation::new(&scenario);
    let Some(t) = sim.tenant_index(tenant) else {
        let known: Vec<&str> = scenario.tenants.iter().map(|t| t.id.as_str()).collect();
        anyhow::bail!("unknown tenant '{tenant}' (tenants: {})", known.join(", "));
    };
    let after = after_tick.unwrap_or(scenario.last_scripted_tick());
    if after > ctsync_core::scenario::MAX_TICKS {
        anyhow::bail!(
            "--after-tick {after} is beyond the limit of {}",
            ctsync_core::scenario::MAX_TICKS
        );
    }
    sim.run_through(after);
    let view = sim.directory_view(t);
    if json {
        println!("{}", serde_json::to_string_pretty(&view)?);
        return Ok(ExitCode::SUCCESS);
    }
    let ts = sim.tenant(t);
    println!(
        "{} ({}) after tick {after} · {}",
        ts.display_name,
        ts.initial_domain,
        sim.time_at(after).format("%Y-%m-%d %H:%M UTC")
    );
    println!(
        "{:<58} {:<16} {:<22} displayName / department",
        "userPrincipalName", "type", "state"
    );
    for u in &view.users {
        println!(
            "{:<58} {:<16} {:<22} {} / {}",
            u.user_principal_name,
            u.kind,
            u.state,
            u.display_name.as_deref().unwrap_or(""),
            u.attributes
                .get("department")
                .map(String::as_str)
                .unwrap_or("")
        );
    }
    let _ = EXIT_BAD_INPUT;
    Ok(ExitCode::SUCCESS)
}

/// `n` and the noun, singular for one: "1 sync job", "3 tenants".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
