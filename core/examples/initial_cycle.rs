//! Runs the engine benchmark's scenario once, for a profiler: the initial cycle (100,000 users
//! into three spokes by default; pass another count as the first argument), then one incremental
//! cycle after `setAttributes` on 100 users. Add `render` as the second argument to render every
//! event of the initial cycle too. Times are wall clock and, on Linux, this thread's CPU time,
//! which other work on a busy machine disturbs less.
//!
//! `cargo build --profile bench -p ctsync-core --example initial_cycle`, then e.g.
//! `valgrind --tool=callgrind --toggle-collect='ctsync_core::engine::Simulation::step'
//! target/release/examples/initial_cycle 10000`.

#[path = "../benches/support/large_scenario.rs"]
mod large_scenario;

use std::time::{Duration, Instant};

use ctsync_core::Simulation;

/// The CLI's allocator, as in the benchmark.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Wall clock and CPU time of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<Duration>) {
    let (wall, cpu) = (Instant::now(), thread_cpu_time());
    let out = f();
    let cpu = thread_cpu_time().zip(cpu).map(|(end, start)| end - start);
    (out, wall.elapsed(), cpu)
}

/// This thread's time on a CPU, from `/proc/thread-self/schedstat` (nanoseconds first).
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn show(wall: Duration, cpu: Option<Duration>) -> String {
    match cpu {
        Some(cpu) => format!("{:.1} ms (CPU {:.1} ms)", ms(wall), ms(cpu)),
        None => format!("{:.1} ms", ms(wall)),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let mut args = std::env::args().skip(1);
    let users: usize = args
        .next()
        .map(|a| a.parse().expect("the first argument is a user count"))
        .unwrap_or(100_000);
    let render = args.next().as_deref() == Some("render");
    let mut sim = Simulation::new(&large_scenario::scenario(users));
    let ((), wall, cpu) = timed(|| sim.step());
    let evaluations = (users * large_scenario::SPOKES.len()) as f64;
    let per_second = evaluations / cpu.unwrap_or(wall).as_secs_f64();
    println!(
        "initial tick, {users} users × {} jobs: {} events in {} — {per_second:.0} evaluations/s",
        large_scenario::SPOKES.len(),
        sim.events().len(),
        show(wall, cpu)
    );
    if render {
        let (bytes, wall, cpu) = timed(|| {
            sim.events()
                .iter()
                .map(|e| sim.event_json_text(e).len() + sim.event_line(e).len())
                .sum::<usize>()
        });
        println!(
            "rendering every event: {bytes} bytes in {}",
            show(wall, cpu)
        );
    }
    let initial = cpu.unwrap_or(wall);
    let commands = large_scenario::attribute_changes(users, 100, 1);
    let ((), wall, cpu) = timed(|| {
        for command in &commands {
            sim.apply(command);
        }
        sim.step();
    });
    println!(
        "incremental tick after 100 changes: {} — {:.3}% of the initial tick",
        show(wall, cpu),
        100.0 * cpu.unwrap_or(wall).as_secs_f64() / initial.as_secs_f64()
    );
}
