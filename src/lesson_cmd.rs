//! `ctsync lesson list|show|check`: the guided lessons. The lessons and their checks are core's
//! (`ctsync_core::lessons`); this lists them, prints one, and checks a learner's file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use ctsync_core::lessons;

use crate::input::load_scenario;
use crate::EXIT_EXPECTATIONS_FAILED;

#[derive(Subcommand)]
pub enum LessonCommand {
    /// List the lessons: id, title, the pain points they teach, and the goal.
    List,
    /// Print a lesson's scenario (JSON), to save as the file you work on.
    Show {
        /// The lesson's id (see `ctsync lesson list`).
        id: String,
    },
    /// Check a lesson file you edited; exit 0 when solved, 1 when not yet.
    Check {
        /// Your copy of the lesson's scenario.
        file: PathBuf,
        /// Also print the hints when the lesson is not solved yet.
        #[arg(long)]
        hints: bool,
    },
}

pub fn run(command: &LessonCommand) -> anyhow::Result<ExitCode> {
    match command {
        LessonCommand::List => {
            for l in lessons::list() {
                let points: Vec<String> = l.pain_points.iter().map(u32::to_string).collect();
                println!("{:<32} {}", l.id, l.title);
                println!(
                    "{:<32} goal: {}{}",
                    "",
                    l.goal,
                    if points.is_empty() {
                        String::new()
                    } else {
                        format!(" (pain points {})", points.join(", "))
                    }
                );
                println!("{:<32} file: {}", "", l.path);
            }
            Ok(ExitCode::SUCCESS)
        }
        LessonCommand::Show { id } => {
            let Some(lesson) = lessons::find(id) else {
                let known: Vec<String> = lessons::list().into_iter().map(|l| l.id).collect();
                anyhow::bail!(
                    "no lesson has the id '{id}' (lessons: {})",
                    known.join(", ")
                );
            };
            println!("{}", lesson.to_json_pretty());
            Ok(ExitCode::SUCCESS)
        }
        LessonCommand::Check { file, hints } => {
            let scenario = load_scenario(file)?;
            let result = lessons::check(&scenario)?;
            println!("{}: {}", result.id, result.goal);
            if !result.from_library {
                println!("  (not a library lesson: checked with the file's own check)");
            }
            for r in &result.results {
                match &r.failure {
                    None => println!("  ✓ after tick {}: {}", r.after_tick, r.what),
                    Some(actual) => {
                        println!("  ✗ after tick {}: {}", r.after_tick, r.what);
                        println!("      actual: {actual}");
                    }
                }
            }
            if result.solved() {
                println!("Solved.");
                return Ok(ExitCode::SUCCESS);
            }
            println!("Not solved yet.");
            if *hints {
                for (i, h) in result.hints.iter().enumerate() {
                    println!("  hint {}: {h}", i + 1);
                }
            } else {
                println!("  (--hints shows the hints)");
            }
            Ok(ExitCode::from(EXIT_EXPECTATIONS_FAILED))
        }
    }
}
