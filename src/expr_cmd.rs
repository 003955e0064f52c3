//! `ctsync expr`: the admin center's "Test expression", headless. Parses and evaluates one expression
//! against attributes given as JSON and prints the result as one line of JSON.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{anyhow, Context};
use chrono::{DateTime, Utc};
use ctsync_core::expr::{self, EvalContext, Outcome, Purpose, Value};
use ctsync_core::rng::SeededRng;

/// The arguments of `ctsync expr`.
#[derive(clap::Args)]
pub struct ExprArgs {
    /// The expression, e.g. 'Join(" ", [givenName], [surname])'.
    pub expression: String,
    /// Source attributes as a JSON object; arrays are multi-valued attributes.
    #[arg(long, default_value = "{}")]
    pub attrs: String,
    /// The simulated time Now() returns (RFC 3339). Defaults to ctsync's scenario start time, so runs
    /// are reproducible.
    #[arg(long)]
    pub now: Option<String>,
    /// Seed of the generator Guid() and RandomString() draw from.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Values already present in the target, for SelectUniqueValue (a JSON array of strings).
    #[arg(long, default_value = "[]")]
    pub existing: String,
    /// Evaluate as an update where these source attributes changed (comma-separated); shows the
    /// cross-tenant Switch quirk. Without it, the evaluation is a creation.
    #[arg(long, value_delimiter = ',')]
    pub changed: Option<Vec<String>>,
    /// Evaluate as a cross-tenant sync mapping instead of "Test expression" (refuses SelectUniqueValue).
    #[arg(long)]
    pub cross_tenant: bool,
}

/// Runs `ctsync expr`: prints the value that would flow (`null` when nothing flows) on stdout, and why a
/// value does not flow on stderr. Bad input and evaluation errors are `Err`.
pub fn run(args: &ExprArgs) -> anyhow::Result<()> {
    let expression =
        expr::parse(&args.expression).map_err(|e| anyhow!("cannot parse the expression: {e}"))?;
    let attrs = read_attributes(&args.attrs)?;
    let existing: Vec<String> = serde_json::from_str(&args.existing)
        .context("--existing must be a JSON array of strings")?;
    let now: DateTime<Utc> = match &args.now {
        Some(text) => DateTime::parse_from_rfc3339(text)
            .with_context(|| {
                format!("--now '{text}' is not an RFC 3339 date-time like 2026-01-01T00:00:00Z")
            })?
            .with_timezone(&Utc),
        None => ctsync_core::clock::default_start(),
    };
    let changed: Option<BTreeSet<String>> = args
        .changed
        .as_ref()
        .map(|names| names.iter().map(|n| n.trim().to_string()).collect());
    let mut rng = SeededRng::new(args.seed);
    let mut context = EvalContext {
        now,
        rng: &mut rng,
        changed_attributes: changed.as_ref(),
        existing_values: &existing,
        purpose: if args.cross_tenant {
            Purpose::CrossTenantMapping
        } else {
            Purpose::TestExpression
        },
    };
    let outcome = expr::evaluate(&expression, &attrs, &mut context)
        .map_err(|e| anyhow!("cannot evaluate the expression: {e}"))?;
    match outcome {
        Outcome::Flow(value) => println!("{}", value.to_json()),
        Outcome::DoNotFlow(reason) => {
            println!("null");
            eprintln!("note: the value does not flow: {reason}");
        }
        Outcome::WriteNull { reason } => {
            println!("null");
            eprintln!("note: a null is written, clearing the target value: {reason}");
        }
    }
    Ok(())
}

fn read_attributes(json: &str) -> anyhow::Result<BTreeMap<String, Value>> {
    let object: BTreeMap<String, serde_json::Value> = serde_json::from_str(json)
        .context("--attrs must be a JSON object like {\"givenName\":\"John\",\"proxyAddresses\":[\"a\",\"b\"]}")?;
    object
        .into_iter()
        .map(|(name, value)| {
            let value =
                Value::from_json(&value).with_context(|| format!("--attrs: attribute '{name}'"))?;
            Ok((name, value))
        })
        .collect()
}
