//! The ctsync playground: renders a scenario and dispatches the user's commands into ctsync-core.
//! Components render and dispatch; they never decide sync semantics (those rules live in core).

mod app;
mod canvas;
mod examples;

pub use app::App;
