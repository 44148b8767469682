//! Delivered callbacks per second: many applications for merchants whose
//! outcome is immediate, sent as fast as kabao's per-merchant limit allows
//! (unpaced otherwise), and the `FAPIAO.ISSUED` and `FAPIAO.CARD_INSERTED`
//! callbacks counted at the bench's receiver from the first arrival to the
//! last, with kabao's CPU per delivered callback.

use crate::fapiao::{immediate_world, prepare, send_and_collect, Collected};
use crate::fapiao_callbacks;
use crate::fapiao_load::{ApplicationPool, Pace};
use crate::procstat::TicksPerSecond;
use crate::receiver::{Arrival, Receiver};
use crate::report::CallbackDelivery;
use crate::server::{Kabao, Tenants};
use crate::Args;
use std::sync::Arc;
use std::time::Duration;

/// The first mchid of the delivery load's merchants (clear of the held,
/// immediate and taxi provider ranges).
const DELIVERY_MCHIDS: u64 = 1_900_500_000;

/// Provisions the merchants, prepares the applications numbered from
/// `first`, sends them at `--connections`' largest count and counts the
/// callbacks that reach `receiver`.
pub async fn run(
    kabao: &Kabao,
    tenants: &Tenants,
    ticks: TicksPerSecond,
    args: &Args,
    receiver: &Receiver,
    first: u64,
) -> anyhow::Result<CallbackDelivery> {
    let merchants = args.fapiao_delivery_merchants;
    let connections = args.connections.iter().copied().max().unwrap_or(1);
    eprintln!(
        "fapiao delivery: {} applications for {merchants} immediate merchants on {connections} connections",
        args.fapiao_delivery_applications
    );
    let world = immediate_world(kabao, tenants, DELIVERY_MCHIDS, merchants, receiver).await?;
    let count = args.fapiao_delivery_applications;
    let (prepared, setup) =
        prepare(kabao, &world, ticks, count, first, args.setup_concurrency).await?;
    let pool = Arc::new(ApplicationPool::new(world.clone(), prepared));
    let pace = Pace {
        per_second_cap: args.fapiao_merchant_rate * merchants,
        rate: None,
    };
    // At the per-merchant cap the pool takes count / cap seconds; allow a slow kabao more.
    let cap = pace.per_second_cap.max(1) as u64;
    let send_limit = Duration::from_secs(count as u64 / cap * 10 + 120);
    let Collected {
        sent,
        drain,
        used,
        arrivals,
    } = send_and_collect(kabao, ticks, receiver, &pool, connections, pace, send_limit).await?;
    let span = arrival_span(&arrivals);
    let check = fapiao_callbacks::check(&world, pool.applications(), &sent.accepted, &arrivals);
    let result = CallbackDelivery::new(
        connections,
        pool.len(),
        sent,
        check,
        [span, drain],
        &used,
        setup,
    );
    eprintln!(
        "fapiao delivery: {} ISSUED + {} CARD_INSERTED in {:.1} s: {:.0} callbacks/s, kabao {:.1} µs CPU/callback",
        result.callbacks.issued,
        result.callbacks.card_inserted,
        result.span_secs,
        result.delivered_per_sec,
        result.kabao_cpu_per_callback_us
    );
    Ok(result)
}

/// From the first callback's arrival to the last one's (zero for fewer than two).
pub fn arrival_span(arrivals: &[Arrival]) -> Duration {
    let first = arrivals.iter().map(|a| a.at).min();
    let last = arrivals.iter().map(|a| a.at).max();
    match (first, last) {
        (Some(first), Some(last)) => last.saturating_duration_since(first),
        _ => Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn arrival(at: Instant) -> Arrival {
        Arrival {
            at,
            path: "/1900500000".into(),
            headers: Default::default(),
            body: Default::default(),
        }
    }

    #[test]
    fn the_span_runs_from_the_earliest_arrival_to_the_latest_in_any_order() {
        let t = Instant::now();
        assert_eq!(arrival_span(&[]), Duration::ZERO);
        assert_eq!(arrival_span(&[arrival(t)]), Duration::ZERO);
        let later = t + Duration::from_millis(1500);
        let middle = t + Duration::from_millis(400);
        assert_eq!(
            arrival_span(&[arrival(middle), arrival(later), arrival(t)]),
            Duration::from_millis(1500)
        );
    }
}
