//! `ctsync explain`: why is a user (not) in a tenant, or why does an attribute hold its value.
//! The reasoning is core's (`ctsync_core::explain`); this prints it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ctsync_core::explain::{self, Check, ExplainRequest, Explanation, Finding};
use ctsync_core::scenario::UserRef;

use crate::input::load_scenario;

#[derive(Args)]
pub struct ExplainArgs {
    /// The scenario file (JSON), or a share link.
    #[arg(value_name = "FILE|LINK")]
    file: PathBuf,
    /// The user: `contoso/adele` (user adele of tenant contoso) or a local id.
    #[arg(long)]
    user: String,
    /// The tenant the question is about.
    #[arg(long)]
    tenant: String,
    /// Explain the state after this tick. Default: after the last tick the scenario names.
    #[arg(long)]
    after_tick: Option<u64>,
    /// Explain this attribute of the user's account in the tenant.
    #[arg(long)]
    attribute: Option<String>,
    /// Print the explanation as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let scenario = load_scenario(&args.file)?;
    let request = ExplainRequest {
        user: UserRef::parse(&args.user),
        tenant: args.tenant.clone(),
        after_tick: args.after_tick,
        attribute: args.attribute.clone(),
    };
    if let Some(attribute) = &args.attribute {
        let answer = explain::explain_attribute(&scenario, &request, attribute)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&answer)?);
            return Ok(ExitCode::SUCCESS);
        }
        println!("{}", answer.verdict);
        println!();
        if let Some(job) = &answer.job {
            println!("  job       {job}");
        }
        if let Some(mapping) = &answer.mapping {
            println!("  mapping   {mapping}");
        }
        println!("  target    {}", shown(answer.target_value.as_deref()));
        if answer.mapping.is_some() {
            println!("  mapped    {}", shown(answer.mapped_value.as_deref()));
        }
        if !answer.writes.is_empty() {
            println!("  writes by sync:");
            for w in &answer.writes {
                println!(
                    "    tick {:>4}  {} {}: {} → {}",
                    w.tick,
                    w.job,
                    w.action,
                    shown(w.old.as_deref()),
                    shown(w.new.as_deref())
                );
            }
        }
        println!();
        for f in &answer.findings {
            println!("  [{}] {}", f.reason.code(), f.text);
            if let Some(fix) = &f.fix {
                println!("      fix: {fix}");
            }
            if let Some(d) = &f.decision {
                println!("      docs/decisions.md — {}: {}", d.topic, d.behaviour);
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let answer = explain::explain(&scenario, &request)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
        return Ok(ExitCode::SUCCESS);
    }
    print_explanation(&answer);
    Ok(ExitCode::SUCCESS)
}

fn shown(v: Option<&str>) -> String {
    v.map(|v| format!("'{v}'"))
        .unwrap_or_else(|| "(empty)".into())
}

fn mark(check: &Check) -> &'static str {
    match check.passed {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "·",
    }
}

fn print_finding(f: &Finding, indent: &str) {
    println!("{indent}[{}] {}", f.reason.code(), f.text);
    if let Some(fix) = &f.fix {
        println!("{indent}    fix: {fix}");
    }
    if let Some(d) = &f.decision {
        println!(
            "{indent}    docs/decisions.md — {}: {}",
            d.topic, d.behaviour
        );
    }
}

fn print_explanation(e: &Explanation) {
    let after = e
        .after_tick
        .map(|t| format!("after tick {t}"))
        .unwrap_or_else(|| "before tick 0".into());
    println!("{} ({after})", e.verdict);
    if !e.accounts.is_empty() {
        println!();
        println!("Accounts in {}:", e.tenant);
        for a in &e.accounts {
            println!(
                "  {} — {}, {}{}",
                a.user_principal_name,
                a.kind,
                a.state,
                a.created_by_job
                    .as_ref()
                    .map(|j| format!(", created by {j}"))
                    .unwrap_or_default()
            );
        }
    }
    let job_findings: usize = e.jobs.iter().map(|c| c.findings.len()).sum();
    if e.findings.len() > job_findings {
        println!();
        for f in e
            .findings
            .iter()
            .filter(|f| !e.jobs.iter().any(|c| c.findings.iter().any(|x| x == *f)))
        {
            print_finding(f, "");
        }
    }
    for c in &e.jobs {
        println!();
        println!(
            "Job {} ({}) {} → {} · {}{}",
            c.job,
            c.display_name,
            c.source,
            c.target,
            c.status,
            if c.relay {
                " · relay through a hub"
            } else {
                ""
            }
        );
        if let Some(u) = &c.source_user {
            println!("  source user {u}");
        }
        for (name, check) in [
            ("configuration", &c.configuration),
            ("connection", &c.connection),
            ("import", &c.import),
            ("assignment", &c.assignment),
            ("eligibility", &c.eligibility),
        ] {
            if !check.text.is_empty() {
                println!("  {} {name:<14} {}", mark(check), check.text);
            }
        }
        if !c.clauses.is_empty() && c.eligibility.passed.is_some() {
            println!("    scoping clauses:");
            for clause in &c.clauses {
                println!(
                    "    {} {}   ({} = {}){}",
                    if clause.result { "✓" } else { "✗" },
                    clause.clause,
                    clause.attribute,
                    shown(clause.value.as_deref()),
                    clause
                        .note
                        .as_ref()
                        .map(|n| format!(" — {n}"))
                        .unwrap_or_default()
                );
            }
        }
        for (name, check) in [("scope", &c.scope), ("matching", &c.matching)] {
            if !check.text.is_empty() {
                println!("  {} {name:<14} {}", mark(check), check.text);
            }
        }
        if let Some(a) = &c.action {
            println!("  → action         {}", a.text);
            for v in a.values.iter().filter(|v| v.changes) {
                let value = if v.redacted {
                    "[Redact]".to_string()
                } else {
                    shown(v.value.as_deref())
                };
                match &v.current {
                    Some(cur) if a.action != "Create" => {
                        println!("        {:<28} '{cur}' → {value}", v.attribute)
                    }
                    _ => println!("        {:<28} {value}", v.attribute),
                }
            }
            for n in &a.notes {
                println!("        note: {n}");
            }
        }
        for f in &c.findings {
            print_finding(f, "  ");
        }
    }
    if !e.history.is_empty() {
        println!();
        println!("History:");
        for h in &e.history {
            let marker = if h.kind == "command" { "▸ " } else { "" };
            println!("  tick {:>4}  {marker}{}", h.tick, h.text);
        }
    }
}
