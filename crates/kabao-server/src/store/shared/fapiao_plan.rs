//! When a step of the fapiao state machine runs and whether it fails,
//! from the outcome in force: the query-free half of scheduling
//! `fapiao_jobs`, for both backends.

use crate::domain::fapiao::face::ApplicationKind;
use crate::domain::fapiao::outcome::Outcome;
use crate::domain::fapiao::JobAction;

/// Issue and reverse steps follow the outcome; so does inserting a
/// self-issued fapiao (its only step). Card steps after an issue or a
/// reversal run at once.
pub(crate) fn outcome_applies(kind: Option<ApplicationKind>, action: JobAction) -> bool {
    match action {
        JobAction::Issue | JobAction::Reverse => true,
        JobAction::InsertCard => kind == Some(ApplicationKind::SelfIssued),
        JobAction::DiscardCard => false,
    }
}

/// When the step is due (None: held) and the error it fails with: only
/// 数电 issue and reverse steps can fail.
pub(crate) fn plan(
    outcome: &Outcome,
    kind: Option<ApplicationKind>,
    action: JobAction,
    now: i64,
) -> (Option<i64>, Option<(String, String)>) {
    let (due_at, fail) = outcome.plan(now);
    let can_fail = kind.is_some_and(ApplicationKind::is_digital)
        && matches!(action, JobAction::Issue | JobAction::Reverse);
    let fail = fail
        .filter(|_| can_fail)
        .map(|(code, message)| (code.to_owned(), message.to_owned()));
    (due_at, fail)
}

/// Whether a step planned for `due_at` is due at `now`, so the fapiao worker
/// should be woken for it; a held step (None) never is.
pub(crate) fn due_now(due_at: Option<i64>, now: i64) -> bool {
    due_at.is_some_and(|due| due <= now)
}
