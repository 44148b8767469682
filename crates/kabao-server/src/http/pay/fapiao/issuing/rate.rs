//! The issuing rate limit: at most a fixed number of issuing calls
//! (`domain::fapiao::ISSUE_CALLS_PER_SECOND`)
//! per calling merchant per second of kabao's clock, beyond which WeChat
//! answers 429 FREQUENCY_LIMITED. Counted by `AppState::issue_calls`.

use crate::http::pay::PayError;
use crate::state::AppState;
use kabao_protocol::apiv3::ErrorCode;

/// Counts one issuing call of `caller_mchid` at `now`; 429 beyond the limit.
pub(super) fn count_issue_call(
    state: &AppState,
    caller_mchid: &str,
    now: i64,
) -> Result<(), PayError> {
    if state.issue_calls.allow(caller_mchid, now) {
        return Ok(());
    }
    Err(PayError::new(
        ErrorCode::FrequencyLimited,
        format!(
            "merchant {caller_mchid} made more than {} issuing calls in one second; slow down",
            state.issue_calls.limit()
        ),
    ))
}
