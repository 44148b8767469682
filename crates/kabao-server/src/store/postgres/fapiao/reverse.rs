//! Reversal (冲红) requests: the named ISSUED fapiao (or 数电 ones whose
//! reversal failed, to try again) move to REVERSE_ACCEPTED and their
//! REVERSE steps are scheduled, all or nothing.

use super::jobs::{schedule_job, NewJob};
use crate::domain::fapiao::{FapiaoStatus, JobAction};
use crate::store::fapiao::{ReverseRefusal, ReverseTarget};
use sqlx::PgConnection;

/// Checks every target, then changes them, inside the caller's transaction.
pub(super) async fn request_reverse(
    conn: &mut PgConnection,
    owner_mchid: &str,
    fapiao_apply_id: &str,
    reverse_reason: &str,
    targets: &[ReverseTarget],
    now: i64,
) -> sqlx::Result<Result<(), ReverseRefusal>> {
    // The fapiao rows stay locked until the transaction ends, so a step
    // running at the same time waits and sees the reversal.
    sqlx::query("SELECT 1 FROM fapiaos WHERE owner_mchid = $1 AND fapiao_apply_id = $2 FOR UPDATE")
        .bind(owner_mchid)
        .bind(fapiao_apply_id)
        .execute(&mut *conn)
        .await?;
    let Some(application) = super::read::application(conn, owner_mchid, fapiao_apply_id).await?
    else {
        return Ok(Err(ReverseRefusal::UnknownApplication));
    };
    for (i, target) in targets.iter().enumerate() {
        let Some(fapiao) = application
            .fapiaos
            .iter()
            .find(|f| f.fapiao_id == target.fapiao_id)
        else {
            return Ok(Err(ReverseRefusal::UnknownFapiao(i)));
        };
        if !matches!(
            fapiao.status,
            FapiaoStatus::Issued | FapiaoStatus::ReverseFailed
        ) {
            return Ok(Err(ReverseRefusal::NotIssued(i, fapiao.status)));
        }
        let blue = fapiao.blue.as_ref().map(|b| &b.numbers);
        if blue.map(|b| b.fapiao_number.as_str()) != Some(target.fapiao_number.as_str()) {
            return Ok(Err(ReverseRefusal::NumberMismatch(i, "fapiao_number")));
        }
        let code_differs = target
            .fapiao_code
            .as_deref()
            .filter(|c| !c.is_empty())
            .is_some_and(|c| blue.map(|b| b.fapiao_code.as_str()) != Some(c));
        if code_differs {
            return Ok(Err(ReverseRefusal::NumberMismatch(i, "fapiao_code")));
        }
    }
    for target in targets {
        sqlx::query(
            "UPDATE fapiaos SET status = $1, reverse_reason = $2, error_code = NULL,
               error_message = NULL, updated_at = $3
             WHERE owner_mchid = $4 AND fapiao_apply_id = $5 AND fapiao_id = $6",
        )
        .bind(FapiaoStatus::ReverseAccepted.as_str())
        .bind(reverse_reason)
        .bind(now)
        .bind(owner_mchid)
        .bind(fapiao_apply_id)
        .bind(&target.fapiao_id)
        .execute(&mut *conn)
        .await?;
        schedule_job(
            conn,
            &NewJob {
                owner_mchid,
                fapiao_apply_id,
                fapiao_id: &target.fapiao_id,
                action: JobAction::Reverse,
                now,
            },
        )
        .await?;
    }
    Ok(Ok(()))
}
