//! ctsync-core: the whole domain of ctsync, a simulator of Microsoft Entra ID cross-tenant synchronization.
//!
//! This crate is pure: it never reads files, the environment or the wall clock, and never draws
//! unseeded randomness. Time is a simulated clock, randomness comes from a seeded generator, and every
//! collection whose order reaches an output is ordered. The same scenario therefore produces the same
//! provisioning log on every platform, natively and in wasm32.

pub mod check;
pub mod clock;
pub mod compare;
pub mod decisions;
pub mod engine;
pub mod explain;
pub mod expr;
pub mod filter;
pub mod lessons;
pub mod link;
pub mod lint;
pub mod readiness;
pub mod replay;
pub mod rng;
pub mod scenario;
pub mod sort;
pub mod test_expression;

pub use engine::Simulation;
pub use scenario::{Scenario, ScenarioError};
