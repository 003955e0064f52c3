//! The admin center's "Test expression" against a user of a running simulation: evaluates an
//! expression (typically one being edited, not yet saved) over a source user's attributes as the
//! provisioning engine imports them (stored and computed ones: `objectId`, `netId`,
//! `alternativeSecurityIds`, …), on the simulated clock, with a seeded generator.

use std::collections::BTreeSet;

use crate::engine::directory::{TenantIdx, UserIdx};
use crate::engine::SourceAttributes;
use crate::expr::{self, EvalContext, EvalError, Expression, Outcome, Purpose};
use crate::rng::SeededRng;
use crate::Simulation;

/// Evaluates `expression` for user `user` of tenant `tenant` as "Test expression" does: as a
/// creation (no changed attributes, so the Switch quirk does not apply), `Now()` at the simulation's
/// next tick, `Guid()` and `RandomString()` from a generator seeded by the scenario's seed.
pub fn test_expression(
    sim: &Simulation,
    tenant: TenantIdx,
    user: UserIdx,
    expression: &Expression,
    seed: u64,
) -> Result<Outcome, EvalError> {
    let mut rng = SeededRng::new(seed ^ u64::from(user));
    let changed: Option<&BTreeSet<String>> = None;
    let mut context = EvalContext {
        now: sim.time_at(sim.next_tick()),
        rng: &mut rng,
        changed_attributes: changed,
        existing_values: &[],
        purpose: Purpose::TestExpression,
    };
    let attributes = SourceAttributes { sim, tenant, user };
    expr::evaluate(expression, &attributes, &mut context)
}

/// The outcome in the admin center's words: the value, or why nothing flows.
pub fn describe(outcome: &Result<Outcome, EvalError>) -> String {
    match outcome {
        Ok(Outcome::Flow(value)) => value.log_display(),
        Ok(Outcome::DoNotFlow(reason)) => format!("(no value) {reason}"),
        Ok(Outcome::WriteNull { reason }) => format!("(null written) {reason}"),
        Err(error) => format!("Error: {error}"),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::Scenario;

    #[test]
    fn evaluates_over_a_source_user_of_the_simulation() {
        let s = Scenario::from_json(include_str!(
            "../../scenarios/examples/configure-example.json"
        ))
        .unwrap();
        let sim = Simulation::new(&s);
        let t = sim.tenant_index("source").unwrap();
        let u = sim.tenant(t).dir.user_by_local_id("users1").unwrap();
        let e = expr::parse(r#"Join(" ", [givenName], [surname], [department])"#).unwrap();
        assert_eq!(
            describe(&test_expression(&sim, t, u, &e, 1)),
            "User S1 Marketing"
        );
        let e = expr::parse("[city]").unwrap();
        assert!(describe(&test_expression(&sim, t, u, &e, 1)).starts_with("(no value)"));
        let e = expr::parse("[alternativeSecurityIds]").unwrap();
        assert_eq!(describe(&test_expression(&sim, t, u, &e, 1)), "None");
    }
}
