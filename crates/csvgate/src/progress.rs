//! A progress bar on standard error for runs that take more than a moment: never when
//! standard error is not a terminal, nor with `--quiet`.
//!
//! The engine adds the bytes it reads to a shared counter; a ticker thread here turns
//! the counter into the bar, so the checking threads never draw anything.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar appears: quick runs never show one.
const DELAY: Duration = Duration::from_millis(800);
const TICK: Duration = Duration::from_millis(100);

/// A running progress display; dropping it clears the bar.
pub struct Progress {
    done: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts a display of `counter` against `total` bytes, if standard error is a
    /// terminal and the run is not quiet; `None` otherwise.
    pub fn start(counter: Arc<AtomicU64>, total: u64, quiet: bool) -> Option<Progress> {
        if quiet || total == 0 || !std::io::stderr().is_terminal() {
            return None;
        }
        let done = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&done);
        let ticker = thread::spawn(move || {
            let started = Instant::now();
            let mut bar: Option<ProgressBar> = None;
            while !stop.load(Ordering::Relaxed) {
                thread::sleep(TICK);
                if bar.is_none() && started.elapsed() >= DELAY {
                    let shown = ProgressBar::with_draw_target(
                        Some(total),
                        ProgressDrawTarget::stderr_with_hz(10),
                    );
                    if let Ok(style) = ProgressStyle::with_template(
                        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                    ) {
                        shown.set_style(style);
                    }
                    bar = Some(shown);
                }
                if let Some(bar) = &bar {
                    bar.set_position(counter.load(Ordering::Relaxed).min(total));
                }
            }
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
        });
        Some(Progress {
            done,
            ticker: Some(ticker),
        })
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            // The ticker only draws; if it panicked there is nothing to clean up.
            let _ = ticker.join();
        }
    }
}
