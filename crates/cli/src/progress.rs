//! Progress on stderr for long work (build of many datasets, audit of a directory, import of
//! a workbook, scale's phases), drawn by indicatif only when stderr is a terminal and
//! `--quiet` is not given: a pipe or a log file gets no progress noise, only the results.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: no progress at all.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

fn enabled() -> bool {
    !QUIET.load(Ordering::Relaxed) && std::io::stderr().is_terminal()
}

/// A bar or a spinner, or nothing when progress is off.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// A bar over `total` items (shown only for more than one).
    pub fn bar(total: usize) -> Progress {
        if !enabled() || total < 2 {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("[{bar:30}] {pos}/{len} {elapsed} {wide_msg}")
        {
            bar.set_style(style.progress_chars("#>-"));
        }
        Progress(Some(bar))
    }

    /// A spinner for a phase whose length is not known, with its message.
    pub fn phase(message: &str) -> Progress {
        if !enabled() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    /// One more item done, named by `message`.
    pub fn inc(&self, message: &str) {
        if let Some(b) = &self.0 {
            b.set_message(message.to_string());
            b.inc(1);
        }
    }

    /// The phase now under way.
    pub fn set(&self, message: &str) {
        if let Some(b) = &self.0 {
            b.set_message(message.to_string());
        }
    }

    /// Removes the bar from the terminal; results follow on stdout.
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}
