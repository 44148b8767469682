//! The user deletes a fapiao card from the card package, from the card
//! package page or the control API alike: the card goes DISCARD_ACCEPTED,
//! then DISCARDED with FAPIAO.CARD_DISCARDED to the merchant, the same
//! steps a reversal takes (fapiao-domain §4.5: "INSERTED --(reverse or user
//! discards)--> DISCARD_ACCEPTED --> DISCARDED").

use crate::state::AppState;
use crate::store::fapiao_cards::FapiaoCardDiscard;
use crate::store::StoreResult;

/// Discards the card of one fapiao and wakes the fapiao worker to finish it.
pub async fn discard(
    state: &AppState,
    owner_mchid: &str,
    fapiao_apply_id: &str,
    fapiao_id: &str,
) -> StoreResult<FapiaoCardDiscard> {
    let outcome = state
        .store
        .discard_fapiao_card(owner_mchid, fapiao_apply_id, fapiao_id, state.clock.now())
        .await?;
    if outcome == FapiaoCardDiscard::Accepted {
        state.fapiao_wakeup.notify_one();
    }
    Ok(outcome)
}
