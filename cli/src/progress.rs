//! A one-line progress bar on standard error, for long runs over many files. Silent unless
//! standard error is a terminal (CI logs and redirected output stay clean).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Runs over fewer files than this finish before a bar would help.
const MIN_FILES: usize = 20;
const REDRAW: Duration = Duration::from_millis(100);
const WIDTH: usize = 30;

pub struct Progress {
    total: usize,
    done: usize,
    enabled: bool,
    last: Option<Instant>,
}

impl Progress {
    pub fn new(total: usize, allowed: bool) -> Progress {
        Progress {
            total,
            done: 0,
            // Quiet when the output is piped or redirected (CI, `> results.sarif`) as well as
            // when nobody watches stderr.
            enabled: allowed
                && total >= MIN_FILES
                && std::io::stderr().is_terminal()
                && std::io::stdout().is_terminal(),
            last: None,
        }
    }

    /// One more file done; `path` names it (already sanitized), built only when the bar is
    /// drawn.
    pub fn step(&mut self, path: impl FnOnce() -> String) {
        self.done += 1;
        if !self.enabled {
            return;
        }
        let path = path();
        let now = Instant::now();
        if self.last.is_some_and(|t| now.duration_since(t) < REDRAW) && self.done < self.total {
            return;
        }
        self.last = Some(now);
        let filled = (self.done * WIDTH).checked_div(self.total).unwrap_or(WIDTH);
        let bar: String = "=".repeat(filled) + &" ".repeat(WIDTH.saturating_sub(filled));
        let name: String = path
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\u{1b}[2K[{bar}] {}/{} {name}",
            self.done, self.total
        );
        let _ = err.flush();
    }

    /// Clears the bar.
    pub fn finish(&mut self) {
        if self.enabled && self.last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\u{1b}[2K");
            let _ = err.flush();
        }
    }
}
