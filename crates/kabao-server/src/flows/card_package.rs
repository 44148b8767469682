//! What happens to a card in the user's card package: reimbursement moves
//! (with the `update_invoice_status` pushes) and the user deleting it (with
//! `user_del_card`).

use crate::domain::ids::Appid;
use crate::domain::invoice::card::{InvoiceCard, CARD_DISCARDED};
use crate::domain::invoice::reimburse::{transition, Changer, ReimburseStatus};
use crate::state::AppState;
use crate::store::invoice::StatusChange;
use crate::store::push::NewPush;
use crate::store::StoreError;
use kabao_protocol::oa::{OaErrcode, OaEvent};

/// Why a status move was refused.
#[derive(Debug)]
pub enum MoveError {
    /// A reimbursement rule, with the card's code for the detail.
    Rule(OaErrcode, String),
    /// A card changed between read and write (72036).
    Busy,
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for MoveError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

fn push_to(appid: &str, card: &InvoiceCard, event: OaEvent, now: i64) -> Option<NewPush> {
    Some(NewPush {
        appid: Appid::parse("appid", appid).ok()?,
        from_openid: card.openid.clone(),
        event,
        created_at: now,
    })
}

/// Moves every card to `next` for `changer`, all or nothing, pushing
/// `update_invoice_status` to the merchant (and, for a reimburser's move,
/// to the inserting platform).
pub async fn move_status(
    state: &AppState,
    cards: &[InvoiceCard],
    next: ReimburseStatus,
    changer: Changer<'_>,
) -> Result<(), MoveError> {
    let now = state.clock.now();
    let mut changes = Vec::with_capacity(cards.len());
    let mut pushes = Vec::new();
    for card in cards {
        let current = ReimburseStatus::parse(&card.reimburse_status)
            .ok_or_else(|| MoveError::Rule(OaErrcode::InvoiceStatusError, card.code.clone()))?;
        let holder = transition(current, card.reimburse_appid.as_deref(), next, changer)
            .map_err(|code| MoveError::Rule(code, card.code.clone()))?;
        changes.push(StatusChange {
            code: card.code.clone(),
            expected_status: card.reimburse_status.clone(),
            new_status: next.as_str().to_owned(),
            new_holder: holder,
        });
        let event = OaEvent::UpdateInvoiceStatus {
            status: next.as_str().to_owned(),
            card_id: card.card_id.clone(),
            code: card.code.clone(),
        };
        pushes.extend(push_to(&card.appid, card, event.clone(), now));
        if matches!(changer, Changer::Reimburser(_)) && card.platform_appid != card.appid {
            pushes.extend(push_to(&card.platform_appid, card, event, now));
        }
    }
    if state
        .store
        .set_reimburse_status(&changes, &pushes, now)
        .await?
    {
        Ok(())
    } else {
        Err(MoveError::Busy)
    }
}

/// The user deletes the card; `user_del_card` goes to the platform that
/// owns the card template. False when it was already deleted.
pub async fn discard(state: &AppState, card: &InvoiceCard) -> Result<bool, StoreError> {
    if card.card_status == CARD_DISCARDED {
        return Ok(false);
    }
    let now = state.clock.now();
    let event = OaEvent::UserDelCard {
        card_id: card.card_id.clone(),
        user_card_code: card.code.clone(),
    };
    let pushes: Vec<NewPush> = push_to(&card.platform_appid, card, event, now)
        .into_iter()
        .collect();
    let discarded = state.store.discard_card(&card.code, now, &pushes).await?;
    state.push_notifier.nudge();
    Ok(discarded)
}
