//! The exit status: csvgate's contract with scripts and CI.

use std::process::ExitCode;

/// How a run ended. Ordered by precedence: when several apply, the greatest wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// 0: no finding at or above the fail level.
    Success,
    /// 1: at least one finding at or above the fail level.
    Failure,
    /// 2: the run could not be done (bad arguments, unreadable path, invalid schema).
    Error,
}

impl ExitStatus {
    /// The status code the process ends with.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// A problem that has already been reported on standard error; the run ends with
/// [`ExitStatus::Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

#[cfg(test)]
mod tests {
    use super::ExitStatus;

    #[test]
    fn error_wins_over_failure() {
        assert_eq!(
            ExitStatus::Failure.max(ExitStatus::Error),
            ExitStatus::Error
        );
        assert_eq!(
            ExitStatus::Success.max(ExitStatus::Failure),
            ExitStatus::Failure
        );
        assert_eq!(
            [ExitStatus::Success, ExitStatus::Failure, ExitStatus::Error].map(ExitStatus::code),
            [0, 1, 2]
        );
    }
}
