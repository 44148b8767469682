//! What one due step of the fapiao state machine does to its fapiao: the
//! query-free half of running `fapiao_jobs`, written once for both
//! backends. A store reads the fapiao's state, asks [`decide`] for the
//! change, writes it with [`FapiaoChange`]'s one `UPDATE`, schedules the
//! step that follows and puts [`StepDecision::callback`] in the outbox, all
//! in the transaction that deletes the step.

use crate::domain::fapiao::face::{ApplicationKind, CardInformation};
use crate::domain::fapiao::numbers::{new_card_code, new_numbers, NumberStyle};
use crate::domain::fapiao::{CardStatus, FapiaoEvent, FapiaoStatus, JobAction};
use crate::store::callback::NewCallback;
use crate::store::fapiao::IssuedFapiao;
use serde_json::json;

/// What a step reads of its fapiao.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StepFapiao {
    /// 商户发票单号.
    pub fapiao_id: String,
    /// Its status now.
    pub status: FapiaoStatus,
    /// Its card's status now.
    pub card_status: Option<CardStatus>,
    /// The card it goes (or went) into.
    pub card: Option<CardInformation>,
}

impl StepFapiao {
    /// The step's view of a fapiao from its stored columns; Err names the
    /// column that does not parse.
    pub(crate) fn from_columns(
        fapiao_id: String,
        status: &str,
        card_status: Option<&str>,
        card_json: Option<&str>,
    ) -> Result<Self, (&'static str, String)> {
        let status = FapiaoStatus::parse(status)
            .ok_or_else(|| ("status", format!("unknown status {status}")))?;
        let card = card_json
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| ("card_json", e.to_string()))?;
        Ok(Self {
            fapiao_id,
            status,
            card_status: card_status.and_then(CardStatus::parse),
            card,
        })
    }
}

/// The application a step's callback reports on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventSubject<'a> {
    /// The merchant that called (the callback's `mchid` and recipient).
    pub caller_mchid: &'a str,
    /// The merchant the fapiao are for.
    pub owner_mchid: &'a str,
    /// The application.
    pub fapiao_apply_id: &'a str,
    /// Its kind (the number style of what it issues).
    pub kind: ApplicationKind,
}

/// The new values of a fapiao's columns; None leaves a column as it is.
/// Every step writes `status` and `card_status` (unchanged ones with the
/// value read in the same transaction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FapiaoChange {
    /// `status`.
    pub status: FapiaoStatus,
    /// `card_status`.
    pub card_status: Option<CardStatus>,
    /// `error_code` and `error_message` of a failed 数电 step.
    pub error: Option<(String, String)>,
    /// `blue_json`: the issued fapiao.
    pub blue_json: Option<String>,
    /// `red_json`: the red fapiao of a reversal.
    pub red_json: Option<String>,
    /// `card_json`: the card with its code.
    pub card_json: Option<String>,
}

/// The one `UPDATE` of [`FapiaoChange`], with SQLite's placeholders; the
/// PostgreSQL store numbers them. Parameters in order: status,
/// card_status, error_code, error_message, blue_json, red_json, card_json,
/// updated_at, owner_mchid, fapiao_apply_id, fapiao_id.
pub(crate) const UPDATE_FAPIAO: &str = "UPDATE fapiaos SET status = ?, card_status = ?,
       error_code = COALESCE(?, error_code), error_message = COALESCE(?, error_message),
       blue_json = COALESCE(?, blue_json), red_json = COALESCE(?, red_json),
       card_json = COALESCE(?, card_json), updated_at = ?
     WHERE owner_mchid = ? AND fapiao_apply_id = ? AND fapiao_id = ?";

/// What running a step does: the change, the step that follows, and the
/// callback reporting it.
#[derive(Debug, Clone)]
pub(crate) struct StepDecision {
    /// The fapiao's new columns.
    pub change: FapiaoChange,
    /// The card step scheduled after it.
    pub next: Option<JobAction>,
    /// The FAPIAO.* callback.
    pub callback: NewCallback,
}

/// The step `action` applied to `fapiao`, failing with `failure` when the
/// outcome said so; None when the fapiao has moved on (the step is dropped).
pub(crate) fn decide(
    action: JobAction,
    fapiao: &StepFapiao,
    failure: Option<(&str, &str)>,
    subject: &EventSubject<'_>,
    now: i64,
) -> Option<StepDecision> {
    let unchanged = FapiaoChange {
        status: fapiao.status,
        card_status: fapiao.card_status,
        error: None,
        blue_json: None,
        red_json: None,
        card_json: None,
    };
    let failed = |status| FapiaoChange {
        status,
        error: failure.map(|(code, message)| (code.to_owned(), message.to_owned())),
        ..unchanged.clone()
    };
    let (change, next, event) = match action {
        // ISSUE_ACCEPTED → ISSUED (card INSERT_ACCEPTED when it has a card)
        // or ISSUE_FAILED; FAPIAO.ISSUED either way.
        JobAction::Issue => {
            if fapiao.status != FapiaoStatus::IssueAccepted {
                return None;
            }
            if failure.is_some() {
                (failed(FapiaoStatus::IssueFailed), None, FapiaoEvent::Issued)
            } else {
                let card_status = fapiao.card.as_ref().map(|_| CardStatus::InsertAccepted);
                let change = FapiaoChange {
                    status: FapiaoStatus::Issued,
                    card_status,
                    blue_json: Some(issued_json(subject.kind, now)),
                    ..unchanged
                };
                let next = card_status.map(|_| JobAction::InsertCard);
                (change, next, FapiaoEvent::Issued)
            }
        }
        // card INSERT_ACCEPTED → INSERTED with a card code; FAPIAO.CARD_INSERTED.
        JobAction::InsertCard => {
            if fapiao.card_status != Some(CardStatus::InsertAccepted) {
                return None;
            }
            let card = fapiao.card.clone()?;
            let card = CardInformation {
                card_code: card.card_code.or_else(|| Some(new_card_code())),
                ..card
            };
            let change = FapiaoChange {
                card_status: Some(CardStatus::Inserted),
                card_json: Some(serde_json::to_string(&card).unwrap_or_default()),
                ..unchanged
            };
            (change, None, FapiaoEvent::CardInserted)
        }
        // REVERSE_ACCEPTED → REVERSED (its card DISCARD_ACCEPTED) or
        // REVERSE_FAILED; FAPIAO.REVERSED either way.
        JobAction::Reverse => {
            if fapiao.status != FapiaoStatus::ReverseAccepted {
                return None;
            }
            if failure.is_some() {
                (
                    failed(FapiaoStatus::ReverseFailed),
                    None,
                    FapiaoEvent::Reversed,
                )
            } else {
                let in_package = matches!(
                    fapiao.card_status,
                    Some(CardStatus::Inserted | CardStatus::InsertAccepted)
                );
                let change = FapiaoChange {
                    status: FapiaoStatus::Reversed,
                    card_status: if in_package {
                        Some(CardStatus::DiscardAccepted)
                    } else {
                        fapiao.card_status
                    },
                    red_json: Some(issued_json(subject.kind, now)),
                    ..unchanged
                };
                let next = in_package.then_some(JobAction::DiscardCard);
                (change, next, FapiaoEvent::Reversed)
            }
        }
        // card DISCARD_ACCEPTED → DISCARDED; FAPIAO.CARD_DISCARDED.
        JobAction::DiscardCard => {
            if fapiao.card_status != Some(CardStatus::DiscardAccepted) {
                return None;
            }
            let change = FapiaoChange {
                card_status: Some(CardStatus::Discarded),
                ..unchanged
            };
            (change, None, FapiaoEvent::CardDiscarded)
        }
    };
    let callback = event_callback(subject, event, &fapiao.fapiao_id, &change, now);
    Some(StepDecision {
        change,
        next,
        callback,
    })
}

/// New numbers for a fapiao issued (blue) or reversed (red) now, as stored.
fn issued_json(kind: ApplicationKind, now: i64) -> String {
    let style = if kind.is_digital() {
        NumberStyle::Digital
    } else {
        NumberStyle::Classic
    };
    let year = time::OffsetDateTime::from_unix_timestamp(now)
        .map(|t| t.year())
        .unwrap_or(2026);
    let issued = IssuedFapiao {
        numbers: new_numbers(style, year),
        issued_at: now,
    };
    serde_json::to_string(&issued).unwrap_or_default()
}

/// The FAPIAO.ISSUED / REVERSED / CARD_INSERTED / CARD_DISCARDED callback
/// (fapiao-domain §5) for one fapiao in its new state.
fn event_callback(
    subject: &EventSubject<'_>,
    event: FapiaoEvent,
    fapiao_id: &str,
    change: &FapiaoChange,
    now: i64,
) -> NewCallback {
    let mut payload = json!({
        "mchid": subject.caller_mchid,
        "fapiao_apply_id": subject.fapiao_apply_id,
        "fapiao_information": [{
            "fapiao_id": fapiao_id,
            "fapiao_status": change.status.as_str(),
        }],
    });
    if let Some(card) = change.card_status {
        payload["fapiao_information"][0]["card_status"] = json!(card.as_str());
    }
    if subject.owner_mchid != subject.caller_mchid {
        payload["sub_mchid"] = json!(subject.owner_mchid);
    }
    NewCallback {
        caller_mchid: subject.caller_mchid.to_owned(),
        event_type: event.event_type().to_owned(),
        summary: event.summary().to_owned(),
        plaintext: payload.to_string(),
        created_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBJECT: EventSubject<'static> = EventSubject {
        caller_mchid: "1900000109",
        owner_mchid: "1900000109",
        fapiao_apply_id: "A1",
        kind: ApplicationKind::Classic,
    };

    fn fapiao(status: FapiaoStatus, card_status: Option<CardStatus>) -> StepFapiao {
        StepFapiao {
            fapiao_id: "F1".into(),
            status,
            card_status,
            card: Some(CardInformation {
                card_appid: "wx1".into(),
                card_openid: "o1".into(),
                card_id: None,
                card_code: None,
            }),
        }
    }

    fn payload(decision: &StepDecision) -> serde_json::Value {
        serde_json::from_str(&decision.callback.plaintext).unwrap()
    }

    #[test]
    fn an_issue_with_a_card_schedules_its_insertion_and_reports_both_states() {
        let d = decide(
            JobAction::Issue,
            &fapiao(FapiaoStatus::IssueAccepted, None),
            None,
            &SUBJECT,
            1_700_000_000,
        )
        .unwrap();
        assert_eq!(d.change.status, FapiaoStatus::Issued);
        assert_eq!(d.change.card_status, Some(CardStatus::InsertAccepted));
        assert!(d.change.blue_json.is_some());
        assert_eq!(d.next, Some(JobAction::InsertCard));
        assert_eq!(d.callback.event_type, "FAPIAO.ISSUED");
        let info = &payload(&d)["fapiao_information"][0];
        assert_eq!(info["fapiao_status"], "ISSUED");
        assert_eq!(info["card_status"], "INSERT_ACCEPTED");
        assert!(payload(&d).get("sub_mchid").is_none());
    }

    #[test]
    fn a_failing_issue_keeps_the_card_waiting_and_records_the_error() {
        let d = decide(
            JobAction::Issue,
            &fapiao(FapiaoStatus::IssueAccepted, None),
            Some(("FAPIAO_ERR", "why")),
            &SUBJECT,
            1_700_000_000,
        )
        .unwrap();
        assert_eq!(d.change.status, FapiaoStatus::IssueFailed);
        assert_eq!(d.change.card_status, None);
        assert_eq!(d.change.error, Some(("FAPIAO_ERR".into(), "why".into())));
        assert_eq!(d.next, None);
        assert_eq!(
            payload(&d)["fapiao_information"][0]["fapiao_status"],
            "ISSUE_FAILED"
        );
    }

    #[test]
    fn a_card_insertion_gives_the_card_a_code_and_leaves_the_status() {
        let d = decide(
            JobAction::InsertCard,
            &fapiao(FapiaoStatus::Issued, Some(CardStatus::InsertAccepted)),
            None,
            &SUBJECT,
            1_700_000_000,
        )
        .unwrap();
        assert_eq!(d.change.status, FapiaoStatus::Issued);
        assert_eq!(d.change.card_status, Some(CardStatus::Inserted));
        let card: CardInformation =
            serde_json::from_str(d.change.card_json.as_deref().unwrap()).unwrap();
        assert_eq!(card.card_code.map(|c| c.len()), Some(12));
        assert_eq!(d.callback.event_type, "FAPIAO.CARD_INSERTED");
    }

    #[test]
    fn a_reversal_discards_a_card_in_the_package_and_a_sub_merchant_is_named() {
        let subject = EventSubject {
            owner_mchid: "1900000110",
            ..SUBJECT
        };
        let d = decide(
            JobAction::Reverse,
            &fapiao(FapiaoStatus::ReverseAccepted, Some(CardStatus::Inserted)),
            None,
            &subject,
            1_700_000_000,
        )
        .unwrap();
        assert_eq!(d.change.status, FapiaoStatus::Reversed);
        assert_eq!(d.change.card_status, Some(CardStatus::DiscardAccepted));
        assert!(d.change.red_json.is_some());
        assert_eq!(d.next, Some(JobAction::DiscardCard));
        assert_eq!(payload(&d)["sub_mchid"], "1900000110");
        let discard = decide(
            JobAction::DiscardCard,
            &fapiao(FapiaoStatus::Reversed, Some(CardStatus::DiscardAccepted)),
            None,
            &subject,
            1_700_000_000,
        )
        .unwrap();
        assert_eq!(discard.change.card_status, Some(CardStatus::Discarded));
        assert_eq!(discard.callback.event_type, "FAPIAO.CARD_DISCARDED");
    }

    #[test]
    fn a_step_whose_fapiao_moved_on_is_dropped() {
        let issued = fapiao(FapiaoStatus::Issued, Some(CardStatus::Inserted));
        for action in [
            JobAction::Issue,
            JobAction::InsertCard,
            JobAction::Reverse,
            JobAction::DiscardCard,
        ] {
            assert!(
                decide(action, &issued, None, &SUBJECT, 0).is_none(),
                "{action:?}"
            );
        }
    }
}
