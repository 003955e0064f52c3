//! Benchmark: the sync engine at scale. A hub of 100,000 users, all assigned through one group to
//! three started jobs (default mappings), into three spoke tenants that accept everyone:
//! - `initial_cycle_*`: tick 0, the three jobs' initial cycles (300,000 user×job evaluations, every
//!   user created), without and with rendering each event to JSON text (`event_json_text`, as `ctsync run --json` prints it) and to a
//!   readable line (`event_line`). Criterion's "elem/s" is user×job evaluations per second.
//! - `incremental_cycle_100_changes`: after the initial cycle, `setAttributes` on 100 users, then
//!   one tick (the three jobs' incremental cycles).
//!
//! Run with `cargo bench -p ctsync-core --bench engine`. Building and cloning simulations is
//! setup and not measured. `cargo run --release -p ctsync-core --example initial_cycle` runs the
//! initial cycle once, for a profiler.

// Criterion does not build for wasm32; there the benchmark is an empty program.
#[cfg(not(target_arch = "wasm32"))]
#[path = "support/large_scenario.rs"]
mod large_scenario;

/// The CLI's allocator (see the workspace's Cargo.toml): the benchmark measures the engine as
/// `ctsync` runs it.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::Duration;

    use criterion::{criterion_group, BatchSize, Criterion, Throughput};
    use ctsync_core::engine::event::{Effect, Event};
    use ctsync_core::Simulation;

    use super::large_scenario::{attribute_changes, scenario, SPOKES};

    /// Users in the hub.
    const USERS: usize = 100_000;
    /// Users changed before the incremental cycle.
    const CHANGED_USERS: usize = 100;

    /// Renders every event of the simulation the way the CLI does (JSON text and a line); returns
    /// the total length so the work cannot be optimized away.
    fn render_all(sim: &Simulation) -> usize {
        sim.events()
            .iter()
            .map(|e| sim.event_json_text(e).len() + sim.event_line(e).len())
            .sum()
    }

    fn engine(c: &mut Criterion) {
        let scenario = scenario(USERS);
        scenario
            .validate()
            .expect("the benchmark scenario is valid");
        let fresh = Simulation::new(&scenario);
        let evaluations = (USERS * SPOKES.len()) as u64;

        // A sanity check that the benchmark measures real work: every user is created everywhere.
        let mut after_initial = fresh.clone();
        after_initial.step();
        let created = after_initial
            .events()
            .iter()
            .filter(|e| e.effect() == Some(Effect::Created))
            .count();
        assert_eq!(
            created as u64, evaluations,
            "every user is created in every spoke"
        );

        let mut group = c.benchmark_group("engine");
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(20));
        group.throughput(Throughput::Elements(evaluations));
        group.bench_function("initial_cycle_100k_users_3_jobs", |b| {
            b.iter_batched(
                || fresh.clone(),
                |mut sim| {
                    sim.step();
                    sim
                },
                BatchSize::PerIteration,
            )
        });
        group.bench_function("initial_cycle_100k_users_3_jobs_rendered", |b| {
            b.iter_batched(
                || fresh.clone(),
                |mut sim| {
                    sim.step();
                    let rendered = render_all(&sim);
                    (sim, rendered)
                },
                BatchSize::PerIteration,
            )
        });
        group.finish();

        // The incremental cycle runs again and again on one simulation: each round changes the
        // same 100 users to new values, so every round is a real change of 100 users.
        let mut group = c.benchmark_group("engine");
        group.sample_size(20);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(10));
        let mut sim = after_initial;
        let mut round = 0u64;
        let changes_before = sim.events().len();
        group.bench_function("incremental_cycle_100_changes", |b| {
            b.iter_batched(
                || {
                    round += 1;
                    attribute_changes(USERS, CHANGED_USERS, round)
                },
                |commands| {
                    for command in &commands {
                        sim.apply(command);
                    }
                    sim.step();
                },
                BatchSize::SmallInput,
            )
        });
        group.finish();
        // Each round logged an update per changed user and job, plus one cycle summary per job.
        let updates = sim.events()[changes_before..]
            .iter()
            .filter(|e| matches!(e, Event::Object(o) if o.effect == Effect::Updated))
            .count();
        assert_eq!(
            updates as u64,
            round * (CHANGED_USERS * SPOKES.len()) as u64,
            "every changed user is updated in every spoke"
        );
    }

    criterion_group!(benches, engine);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
