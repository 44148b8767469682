//! What every worker shares: a task on the tokio runtime that does rounds
//! of due work until stopped, sleeping between them until nudged or until
//! its pause ends, and a handle that stops it.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// How long [`Worker::stop`] waits for the loop before aborting it.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// When a worker looks for due work again.
pub(super) enum Next {
    /// At once: the round stopped short of all the due work.
    Now,
    /// When nudged, or after this pause.
    After(Duration),
    /// Never: the round saw the stop request.
    Stop,
}

/// A worker's rounds of due work.
pub(super) trait Rounds: Send + 'static {
    /// Runs before the first round.
    fn start(&mut self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Does the work due now; `stop` may end what is in flight early.
    fn round(&mut self, stop: &mut watch::Receiver<bool>) -> impl Future<Output = Next> + Send;
}

/// A running worker (event pushes, fapiao steps or APIv3 callbacks);
/// [`Worker::stop`] ends it.
pub struct Worker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Worker {
    /// Starts `rounds` on the current tokio runtime as the worker `name`,
    /// woken early by `wakeup`.
    pub(super) fn spawn(name: &'static str, rounds: impl Rounds, wakeup: Arc<Notify>) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(name, rounds, wakeup, stopped));
        Self { stop, task }
    }

    /// Stops the worker promptly, aborting it after a short grace. What was
    /// in flight stays in the store and is picked up after the next start:
    /// a leased delivery is due again, a fapiao step that did not commit
    /// runs again.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(STOP_GRACE, self.task).await.is_err() {
            abort.abort();
        }
    }
}

async fn run(
    name: &'static str,
    mut rounds: impl Rounds,
    wakeup: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    tracing::debug!("{name} worker started");
    rounds.start().await;
    while !*stop.borrow() {
        let pause = match rounds.round(&mut stop).await {
            Next::Now => continue,
            Next::Stop => break,
            Next::After(pause) => pause,
        };
        tokio::select! {
            _ = stop.changed() => break,
            () = wakeup.notified() => {}
            () = tokio::time::sleep(pause) => {}
        }
    }
    drop(rounds);
    tracing::debug!("{name} worker stopped");
}
