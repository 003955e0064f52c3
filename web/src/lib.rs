//! The ctsync playground: renders a scenario and dispatches the user's commands into ctsync-core.
//! Components render and dispatch; they never decide sync semantics (those rules live in core).
//! Outside effects each live in one small module: `timer` (timers and the clock), `files`
//! (downloads and reading picked files), `storage` (the browser storage of local scenarios).

mod about;
mod app;
mod canvas;
mod changes;
mod examples;
mod files;
mod inspector;
mod layout;
mod local;
mod modal;
mod model;
mod panels;
mod scenarios;
mod share;
mod state;
mod storage;
mod timeline;
mod timer;

pub use app::App;
