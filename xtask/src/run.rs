//! Running child processes: from the workspace root, echoed before they run, with their output
//! either passed through or passed through and kept (to count the tests it reports).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;

use anyhow::{bail, Context};

/// The workspace root: xtask lives one level below it.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// A command for `program` that runs in the workspace root.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(workspace_root());
    cmd
}

/// A `cargo` command: the cargo that runs xtask, so the toolchain is the same.
pub fn cargo() -> Command {
    command(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// How a command line looks when echoed: `$ program arg arg`.
pub fn display(cmd: &Command) -> String {
    let mut line = String::from("$ ");
    line.push_str(&cmd.get_program().to_string_lossy());
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        line.push(' ');
        if arg.is_empty() || arg.contains(char::is_whitespace) {
            line.push_str(&format!("'{arg}'"));
        } else {
            line.push_str(&arg);
        }
    }
    line
}

/// Runs a command with its output passed through; fails unless it exits with success.
pub fn run(cmd: &mut Command) -> anyhow::Result<()> {
    println!("{}", display(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {}", cmd.get_program().to_string_lossy()))?;
    if !status.success() {
        bail!("`{}` failed ({status})", &display(cmd)[2..]);
    }
    Ok(())
}

/// What a command printed (stdout and stderr, each in order) and whether it succeeded.
pub struct Captured {
    pub success: bool,
    pub text: String,
}

/// Runs a command with its output passed through as it comes and also kept, for counting tests.
pub fn run_captured(cmd: &mut Command) -> anyhow::Result<Captured> {
    println!("{}", display(cmd));
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", cmd.get_program().to_string_lossy()))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let out = thread::spawn(move || tee(stdout, std::io::stdout()));
    let err = thread::spawn(move || tee(stderr, std::io::stderr()));
    let status = child.wait().context("waiting for a child process")?;
    let mut text = out.join().expect("stdout reader does not panic");
    text.push_str(&err.join().expect("stderr reader does not panic"));
    Ok(Captured {
        success: status.success(),
        text,
    })
}

/// Copies lines from `from` to `to` as they arrive and returns everything copied.
fn tee(from: impl Read, mut to: impl Write) -> String {
    let mut kept = String::new();
    let mut reader = BufReader::new(from);
    let mut line = Vec::new();
    while let Ok(n) = reader.read_until(b'\n', &mut line) {
        if n == 0 {
            break;
        }
        let _ = to.write_all(&line);
        let _ = to.flush();
        kept.push_str(&String::from_utf8_lossy(&line));
        line.clear();
    }
    kept
}

/// The trimmed stdout of a quiet command, or `None` when it cannot start or fails: used to ask a
/// tool for its version.
pub fn quiet_output(cmd: &mut Command) -> Option<String> {
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}
