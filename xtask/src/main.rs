//! `cargo xtask serve|test|dist`: everything cargo alone cannot do for ctsync — installing the pinned
//! web tools, building the site with Trunk, and running every check from cheap to expensive.
//!
//! Each command first makes sure the tools it needs are present (see `tools.rs`), says what it
//! installs and why, and installs nothing on a second run.

use std::process::ExitCode;

mod run;
mod suite;
mod summary;
mod tools;
mod web;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve   install what is missing, build the playground and serve it on http://127.0.0.1:8080
  test    run every check, cheap to expensive: layering, fmt, clippy, native tests, benchmarks
          (built, not run), core's tests in wasm32, the release site build, browser tests
  dist    build the relocatable static site into dist/ (works under any path on any static host)

environment:
  CARGO_INSTALL_ROOT   where cargo and npm tools are installed (default: $CARGO_HOME or ~/.cargo)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => web::serve(),
        Some("dist") => web::dist(),
        Some("test") => return suite::run_all(),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("unknown command '{other}'\n\n{USAGE}");
            return ExitCode::from(2);
        }
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
