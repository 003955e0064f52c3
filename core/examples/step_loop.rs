#[path = "../benches/support/large_scenario.rs"]
mod large_scenario;
use ctsync_core::Simulation;
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().unwrap())
        .unwrap_or(5);
    let fresh = Simulation::new(&large_scenario::scenario(100_000));
    let mut total = std::time::Duration::ZERO;
    let mut best = std::time::Duration::MAX;
    for _ in 0..n {
        let mut sim = fresh.clone();
        let t = std::time::Instant::now();
        sim.step();
        total += t.elapsed();
        best = best.min(t.elapsed());
        std::hint::black_box(&sim);
        drop(sim);
    }
    println!(
        "best {:.1} ms; {:.1} ms per step, {:.0}/s",
        best.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3 / n as f64,
        300000.0 * n as f64 / total.as_secs_f64()
    );
}
