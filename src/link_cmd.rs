//! `ctsync link encode|decode`: share links, the same text the playground puts in its address bar.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use ctsync_core::link::{self, Selection, ViewState, CHAT_LINK_CHARS};

use crate::input;

#[derive(Subcommand)]
pub enum LinkCommand {
    /// Print a scenario's share link: `#<payload>`, or `URL#<payload>` with --base. The length of the
    /// fragment goes to stderr, with a warning above the 2,000 characters that fit a chat message.
    Encode {
        /// The scenario file (or a link, to re-encode it).
        #[arg(value_name = "FILE|LINK")]
        file: PathBuf,
        /// The playground's address the link opens (any fragment it has is replaced).
        #[arg(long, value_name = "URL")]
        base: Option<String>,
        /// The tick the link opens at (default: the link's own tick, or 0 for a file).
        #[arg(long)]
        tick: Option<u64>,
    },
    /// Print the scenario a share link carries, as pretty JSON (the view it opens at goes to stderr).
    /// LINK may be a whole URL, `#payload` or the bare payload.
    Decode {
        #[arg(value_name = "LINK")]
        link: String,
    },
}

pub fn run(command: &LinkCommand) -> anyhow::Result<ExitCode> {
    match command {
        LinkCommand::Encode { file, base, tick } => encode(file, base.as_deref(), *tick),
        LinkCommand::Decode { link } => decode(link),
    }
}

fn encode(
    file: &std::path::Path,
    base: Option<&str>,
    tick: Option<u64>,
) -> anyhow::Result<ExitCode> {
    let (scenario, mut view) = input::load(file)?;
    if let Some(tick) = tick {
        if tick > ctsync_core::scenario::MAX_TICKS {
            anyhow::bail!(
                "--tick {tick} is beyond the limit of {}",
                ctsync_core::scenario::MAX_TICKS
            );
        }
        view.tick = tick;
    }
    let payload = link::encode(&scenario, &view);
    let fragment_chars = payload.len() + 1;
    let base = base.map(|b| b.split('#').next().unwrap_or(b)).unwrap_or("");
    println!("{base}#{payload}");
    if fragment_chars > CHAT_LINK_CHARS {
        eprintln!(
            "{fragment_chars} characters from the '#': more than the {CHAT_LINK_CHARS} that fit a chat message"
        );
    } else {
        eprintln!("{fragment_chars} characters from the '#'");
    }
    Ok(ExitCode::SUCCESS)
}

fn decode(text: &str) -> anyhow::Result<ExitCode> {
    let (scenario, view) = link::decode(text)?;
    println!("{}", scenario.to_json_pretty());
    if view != ViewState::default() {
        eprintln!("view: {}", describe(&view));
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(view: &ViewState) -> String {
    let selection = match &view.selection {
        None => "nothing selected".to_string(),
        Some(Selection::Tenant(id)) => format!("tenant {id} selected"),
        Some(Selection::Job(id)) => format!("sync job {id} selected"),
        Some(Selection::User { tenant, user }) => format!("user {user} in {tenant} selected"),
    };
    format!("tick {}, {selection}", view.tick)
}
