//! Reading and moving kabao's clock; the offset is persisted so it survives restarts.

use super::error::{AdminError, AdminJson};
use crate::domain::FieldError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use kabao_protocol::apiv3::rfc3339_cst;
use serde::{Deserialize, Serialize};

/// Settings key of the persisted clock offset.
pub const CLOCK_OFFSET_KEY: &str = "clock_offset_ms";

/// What the clock reads.
#[derive(Debug, Serialize)]
pub struct ClockView {
    now: i64,
    now_rfc3339: String,
    offset_seconds: f64,
}

/// How to move the clock: exactly one of the three.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveClock {
    #[serde(default)]
    advance_seconds: Option<i64>,
    #[serde(default)]
    set_unix: Option<i64>,
    #[serde(default)]
    reset: Option<bool>,
}

fn view(state: &AppState) -> ClockView {
    let now = state.clock.now();
    ClockView {
        now,
        now_rfc3339: rfc3339_cst(now),
        offset_seconds: state.clock.offset_ms() as f64 / 1000.0,
    }
}

/// `GET /_kabao/api/clock`
pub async fn get_clock(State(state): State<AppState>) -> Json<ClockView> {
    Json(view(&state))
}

/// `POST /_kabao/api/clock` with `{"advance_seconds":N}`, `{"set_unix":T}` or `{"reset":true}`.
pub async fn move_clock(
    State(state): State<AppState>,
    AdminJson(body): AdminJson<MoveClock>,
) -> Result<Json<ClockView>, AdminError> {
    match (body.advance_seconds, body.set_unix, body.reset) {
        (Some(s), None, None) => {
            state.clock.advance_ms(s.saturating_mul(1000));
        }
        (None, Some(t), None) => {
            state.clock.set_now_ms(t.saturating_mul(1000));
        }
        (None, None, Some(true)) => state.clock.reset(),
        _ => {
            return Err(AdminError::field(FieldError::new(
                "body",
                "give exactly one of advance_seconds, set_unix or reset:true",
            )))
        }
    }
    state
        .store
        .put_setting(CLOCK_OFFSET_KEY, &state.clock.offset_ms().to_string())
        .await?;
    Ok(Json(view(&state)))
}
