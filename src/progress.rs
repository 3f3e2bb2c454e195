//! A progress bar for long builds (indicatif), shown on a terminal once a build has run
//! for a second; quick builds print nothing but their summary.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Counts work done; draws only when enabled and slow.
pub(crate) struct Progress {
    bar: ProgressBar,
    enabled: bool,
    start: Instant,
    shown: AtomicBool,
}

impl Progress {
    pub(crate) fn new(total: usize, enabled: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("rendering");
        Progress {
            bar,
            enabled,
            start: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// One more item done.
    pub(crate) fn inc(&self) {
        self.bar.inc(1);
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() > Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub(crate) fn finish(&self) {
        if self.shown.load(Ordering::Relaxed) {
            self.bar.finish_and_clear();
        }
    }
}
