//! Running one due step of the state machine: the step row is claimed
//! (`FOR UPDATE SKIP LOCKED`, so processes polling together take different
//! steps) and deleted in the transaction that applies it, so a step runs
//! once even with several kabao processes, and a process that dies
//! mid-step leaves it, rolled back, to another. Its callback and the next
//! step are written in the same transaction.

use super::events::{enqueue_fapiao_event, EventSubject};
use super::jobs::{schedule_job, NewJob};
use super::read::{fapiao_from_row, FAPIAO_COLUMNS};
use crate::domain::fapiao::face::{ApplicationKind, CardInformation};
use crate::domain::fapiao::numbers::{new_card_code, new_numbers, NumberStyle};
use crate::domain::fapiao::{CardStatus, FapiaoEvent, FapiaoStatus, JobAction};
use crate::store::fapiao::{IssuedFapiao, JobRun, StoredFapiao};
use sqlx::PgConnection;

/// A claimed step.
#[derive(sqlx::FromRow)]
struct Job {
    owner_mchid: String,
    fapiao_apply_id: String,
    fapiao_id: String,
    action: String,
    fail_code: Option<String>,
    fail_message: Option<String>,
}

impl Job {
    /// The error the step fails with, if the outcome said so.
    fn failure(&self) -> Option<(&str, &str)> {
        let code = self.fail_code.as_deref()?;
        Some((code, self.fail_message.as_deref().unwrap_or("")))
    }
}

/// Takes and runs the earliest due step, if any.
pub(super) async fn run_next(conn: &mut PgConnection, now: i64) -> sqlx::Result<Option<JobRun>> {
    let claimed: Option<Job> = sqlx::query_as(
        "DELETE FROM fapiao_jobs WHERE id = (
           SELECT id FROM fapiao_jobs WHERE due_at IS NOT NULL AND due_at <= $1 ORDER BY due_at, id
           LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING owner_mchid, fapiao_apply_id, fapiao_id, action, fail_code, fail_message",
    )
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(job) = claimed else {
        return Ok(None);
    };
    let context: Option<(String, String)> = sqlx::query_as(
        "SELECT caller_mchid, kind FROM fapiao_applications WHERE owner_mchid = $1 AND fapiao_apply_id = $2",
    )
    .bind(&job.owner_mchid)
    .bind(&job.fapiao_apply_id)
    .fetch_optional(&mut *conn)
    .await?;
    let row = sqlx::query(&format!(
        "SELECT {FAPIAO_COLUMNS} FROM fapiaos WHERE owner_mchid = $1 AND fapiao_apply_id = $2 AND fapiao_id = $3
         FOR UPDATE"
    ))
    .bind(&job.owner_mchid)
    .bind(&job.fapiao_apply_id)
    .bind(&job.fapiao_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (Some((caller_mchid, kind)), Some(row)) = (context, row) else {
        // The fapiao is gone: the step is dropped.
        return Ok(Some(JobRun {
            callback_enqueued: false,
        }));
    };
    let fapiao = fapiao_from_row(&row)?;
    let kind = ApplicationKind::parse(&kind).unwrap_or(ApplicationKind::Classic);
    let subject = EventSubject {
        caller_mchid: &caller_mchid,
        owner_mchid: &job.owner_mchid,
        fapiao_apply_id: &job.fapiao_apply_id,
    };
    let step = Step {
        conn,
        job: &job,
        fapiao: &fapiao,
        subject: &subject,
        kind,
        now,
    };
    let enqueued = match JobAction::parse(&job.action) {
        Some(JobAction::Issue) => step.issue().await?,
        Some(JobAction::InsertCard) => step.insert_card().await?,
        Some(JobAction::Reverse) => step.reverse().await?,
        Some(JobAction::DiscardCard) => step.discard_card().await?,
        None => false,
    };
    Ok(Some(JobRun {
        callback_enqueued: enqueued,
    }))
}

/// One step being applied to one fapiao.
struct Step<'a> {
    conn: &'a mut PgConnection,
    job: &'a Job,
    fapiao: &'a StoredFapiao,
    subject: &'a EventSubject<'a>,
    kind: ApplicationKind,
    now: i64,
}

impl Step<'_> {
    /// ISSUE_ACCEPTED → ISSUED (card INSERT_ACCEPTED when it has a card) or
    /// ISSUE_FAILED; FAPIAO.ISSUED either way.
    async fn issue(mut self) -> sqlx::Result<bool> {
        if self.fapiao.status != FapiaoStatus::IssueAccepted {
            return Ok(false);
        }
        let job = self.job;
        if let Some((code, message)) = job.failure() {
            self.set(
                "status = ?, error_code = ?, error_message = ?",
                &[
                    Some(FapiaoStatus::IssueFailed.as_str()),
                    Some(code),
                    Some(message),
                ],
            )
            .await?;
            return self
                .event(FapiaoEvent::Issued, FapiaoStatus::IssueFailed, None)
                .await;
        }
        let blue = self.numbers();
        let card_status = self
            .fapiao
            .card
            .as_ref()
            .map(|_| CardStatus::InsertAccepted);
        let blue = serde_json::to_string(&blue).unwrap_or_default();
        self.set(
            "status = ?, blue_json = ?, card_status = ?",
            &[
                Some(FapiaoStatus::Issued.as_str()),
                Some(&blue),
                card_status.map(CardStatus::as_str),
            ],
        )
        .await?;
        if card_status.is_some() {
            self.schedule(JobAction::InsertCard).await?;
        }
        self.event(FapiaoEvent::Issued, FapiaoStatus::Issued, card_status)
            .await
    }

    /// card INSERT_ACCEPTED → INSERTED with a card code; FAPIAO.CARD_INSERTED.
    async fn insert_card(mut self) -> sqlx::Result<bool> {
        if self.fapiao.card_status != Some(CardStatus::InsertAccepted) {
            return Ok(false);
        }
        let Some(card) = self.fapiao.card.clone() else {
            return Ok(false);
        };
        let card = CardInformation {
            card_code: card.card_code.or_else(|| Some(new_card_code())),
            ..card
        };
        let card = serde_json::to_string(&card).unwrap_or_default();
        self.set(
            "card_status = ?, card_json = ?",
            &[Some(CardStatus::Inserted.as_str()), Some(&card)],
        )
        .await?;
        self.event(
            FapiaoEvent::CardInserted,
            self.fapiao.status,
            Some(CardStatus::Inserted),
        )
        .await
    }

    /// REVERSE_ACCEPTED → REVERSED (its card DISCARD_ACCEPTED) or
    /// REVERSE_FAILED; FAPIAO.REVERSED either way.
    async fn reverse(mut self) -> sqlx::Result<bool> {
        if self.fapiao.status != FapiaoStatus::ReverseAccepted {
            return Ok(false);
        }
        let job = self.job;
        if let Some((code, message)) = job.failure() {
            self.set(
                "status = ?, error_code = ?, error_message = ?",
                &[
                    Some(FapiaoStatus::ReverseFailed.as_str()),
                    Some(code),
                    Some(message),
                ],
            )
            .await?;
            return self
                .event(
                    FapiaoEvent::Reversed,
                    FapiaoStatus::ReverseFailed,
                    self.fapiao.card_status,
                )
                .await;
        }
        let red = self.numbers();
        let in_package = matches!(
            self.fapiao.card_status,
            Some(CardStatus::Inserted | CardStatus::InsertAccepted)
        );
        let card_status = if in_package {
            Some(CardStatus::DiscardAccepted)
        } else {
            self.fapiao.card_status
        };
        let red = serde_json::to_string(&red).unwrap_or_default();
        self.set(
            "status = ?, red_json = ?, card_status = ?",
            &[
                Some(FapiaoStatus::Reversed.as_str()),
                Some(&red),
                card_status.map(CardStatus::as_str),
            ],
        )
        .await?;
        if in_package {
            self.schedule(JobAction::DiscardCard).await?;
        }
        self.event(FapiaoEvent::Reversed, FapiaoStatus::Reversed, card_status)
            .await
    }

    /// card DISCARD_ACCEPTED → DISCARDED; FAPIAO.CARD_DISCARDED.
    async fn discard_card(mut self) -> sqlx::Result<bool> {
        if self.fapiao.card_status != Some(CardStatus::DiscardAccepted) {
            return Ok(false);
        }
        self.set("card_status = ?", &[Some(CardStatus::Discarded.as_str())])
            .await?;
        self.event(
            FapiaoEvent::CardDiscarded,
            self.fapiao.status,
            Some(CardStatus::Discarded),
        )
        .await
    }

    fn numbers(&self) -> IssuedFapiao {
        let style = if self.kind.is_digital() {
            NumberStyle::Digital
        } else {
            NumberStyle::Classic
        };
        let year = time::OffsetDateTime::from_unix_timestamp(self.now)
            .map(|t| t.year())
            .unwrap_or(2026);
        IssuedFapiao {
            numbers: new_numbers(style, year),
            issued_at: self.now,
        }
    }

    /// `UPDATE fapiaos SET <assignments>, updated_at = now` for this
    /// fapiao, binding `values` to the assignments' `?` placeholders in
    /// order (numbered here after the four fixed parameters).
    async fn set(&mut self, assignments: &str, values: &[Option<&str>]) -> sqlx::Result<()> {
        let mut numbered = String::with_capacity(assignments.len() + 8);
        let mut next = 5;
        for c in assignments.chars() {
            if c == '?' {
                numbered.push_str(&format!("${next}"));
                next += 1;
            } else {
                numbered.push(c);
            }
        }
        let sql = format!(
            "UPDATE fapiaos SET {numbered}, updated_at = $1
             WHERE owner_mchid = $2 AND fapiao_apply_id = $3 AND fapiao_id = $4"
        );
        let mut query = sqlx::query(&sql)
            .bind(self.now)
            .bind(&self.job.owner_mchid)
            .bind(&self.job.fapiao_apply_id)
            .bind(&self.job.fapiao_id);
        for value in values {
            query = query.bind(*value);
        }
        query.execute(&mut *self.conn).await?;
        Ok(())
    }

    /// Schedules the card step that follows this one.
    async fn schedule(&mut self, action: JobAction) -> sqlx::Result<()> {
        schedule_job(
            self.conn,
            &NewJob {
                owner_mchid: &self.job.owner_mchid,
                fapiao_apply_id: &self.job.fapiao_apply_id,
                fapiao_id: &self.job.fapiao_id,
                action,
                now: self.now,
            },
        )
        .await?;
        Ok(())
    }

    async fn event(
        &mut self,
        event: FapiaoEvent,
        status: FapiaoStatus,
        card_status: Option<CardStatus>,
    ) -> sqlx::Result<bool> {
        enqueue_fapiao_event(
            self.conn,
            self.subject,
            event,
            &self.fapiao.fapiao_id,
            status,
            card_status,
            self.now,
        )
        .await?;
        Ok(true)
    }
}
