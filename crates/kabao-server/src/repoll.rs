//! Polls a connection again on the spot when it wakes itself while being
//! polled, instead of handing it back to tokio.
//!
//! hyper's request-body channel wakes the connection's own task once per
//! request that has a body: the dispatcher hands the body over, and the
//! handler's read of it wakes the dispatcher, which is the same task, while
//! that task is running. tokio treats a task woken during its own poll as a
//! yield: it goes to the back of the run queue and another worker thread is
//! woken to steal it. With one client sending one request at a time, that is
//! a futex wake, a second thread waking up, and the request's state moving
//! between cores, for every request (about 7% of kabao's CPU per fapiao
//! application, measured with `kabao-bench` and perf). [`RepollSelfWakes`]
//! sees the wake arrive while it is polling and polls once more itself; a
//! wake that arrives at any other time goes to tokio as before.

use futures_util::task::AtomicWaker;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// Polls in a row before a future that keeps waking itself is handed back
/// to tokio, so one busy connection cannot hold a worker thread forever.
const MOST_POLLS_IN_A_ROW: usize = 4;

/// The inner future is being polled.
const POLLING: u8 = 1;
/// It was woken while being polled.
const WOKEN: u8 = 2;

/// Wraps a task's future; see the module documentation.
pub struct RepollSelfWakes<F> {
    inner: Pin<Box<F>>,
    state: Arc<WakeState>,
    waker: Waker,
}

impl<F: Future> RepollSelfWakes<F> {
    /// Wraps `inner`, which is meant to be the whole of a spawned task.
    pub fn new(inner: F) -> Self {
        let state = Arc::new(WakeState {
            flags: AtomicU8::new(0),
            task: AtomicWaker::new(),
        });
        Self {
            inner: Box::pin(inner),
            waker: Waker::from(state.clone()),
            state,
        }
    }
}

impl<F: Future> Future for RepollSelfWakes<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.state.task.register(cx.waker());
        for _ in 0..MOST_POLLS_IN_A_ROW {
            // Clears WOKEN: a wake that came while not polling went to tokio.
            this.state.flags.store(POLLING, Ordering::Release);
            let mut inner_cx = Context::from_waker(&this.waker);
            if let Poll::Ready(output) = this.inner.as_mut().poll(&mut inner_cx) {
                this.state.flags.store(0, Ordering::Release);
                return Poll::Ready(output);
            }
            let quiet =
                this.state
                    .flags
                    .compare_exchange(POLLING, 0, Ordering::AcqRel, Ordering::Acquire);
            if quiet.is_ok() {
                return Poll::Pending;
            }
        }
        this.state.flags.store(0, Ordering::Release);
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// What the inner future's waker reaches.
struct WakeState {
    flags: AtomicU8,
    /// tokio's waker for the task.
    task: AtomicWaker,
}

impl Wake for WakeState {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut flags = self.flags.load(Ordering::Acquire);
        while flags & POLLING != 0 {
            match self.flags.compare_exchange_weak(
                flags,
                flags | WOKEN,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return,
                Err(now) => flags = now,
            }
        }
        self.task.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Wakes itself during its first `self_wakes` polls, then is ready.
    struct WakesItself {
        self_wakes: usize,
        polls: Arc<AtomicUsize>,
    }

    impl Future for WakesItself {
        type Output = usize;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            let polls = self.polls.fetch_add(1, Ordering::SeqCst) + 1;
            if self.self_wakes == 0 {
                return Poll::Ready(polls);
            }
            self.self_wakes -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    /// A waker that counts its wakes.
    struct CountingWaker(AtomicUsize);
    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Counts the wakes tokio's side would see.
    fn counting_waker() -> Arc<CountingWaker> {
        Arc::new(CountingWaker(AtomicUsize::new(0)))
    }

    fn poll_once<F: Future>(
        future: &mut RepollSelfWakes<F>,
        outer: &Arc<CountingWaker>,
    ) -> Poll<F::Output> {
        let waker = Waker::from(outer.clone());
        Pin::new(future).poll(&mut Context::from_waker(&waker))
    }

    /// A wrapped future that wakes itself `self_wakes` times, and its poll count.
    fn wakes_itself(self_wakes: usize) -> (RepollSelfWakes<WakesItself>, Arc<AtomicUsize>) {
        let polls = Arc::new(AtomicUsize::new(0));
        let future = RepollSelfWakes::new(WakesItself {
            self_wakes,
            polls: polls.clone(),
        });
        (future, polls)
    }

    #[test]
    fn a_wake_during_the_poll_is_served_by_polling_again_not_by_the_scheduler() {
        let (mut future, _) = wakes_itself(2);
        let outer = counting_waker();
        assert_eq!(poll_once(&mut future, &outer), Poll::Ready(3));
        assert_eq!(outer.0.load(Ordering::SeqCst), 0, "tokio was never woken");
    }

    #[test]
    fn a_future_that_keeps_waking_itself_is_handed_back_to_the_scheduler() {
        let (mut future, polls) = wakes_itself(100);
        let outer = counting_waker();
        assert_eq!(poll_once(&mut future, &outer), Poll::Pending);
        assert_eq!(polls.load(Ordering::SeqCst), MOST_POLLS_IN_A_ROW);
        assert_eq!(outer.0.load(Ordering::SeqCst), 1, "woken to run again");
    }

    #[test]
    fn a_wake_after_the_poll_reaches_the_task() {
        let (send, receive) = tokio::sync::oneshot::channel::<u8>();
        let mut future = RepollSelfWakes::new(receive);
        let outer = counting_waker();
        assert!(
            poll_once(&mut future, &outer).is_pending(),
            "nothing sent yet"
        );
        assert_eq!(outer.0.load(Ordering::SeqCst), 0);
        send.send(7).unwrap();
        assert_eq!(outer.0.load(Ordering::SeqCst), 1, "the send woke the task");
        assert_eq!(poll_once(&mut future, &outer), Poll::Ready(Ok(7)));
    }
}
