//! The taxi scenario: at each connection count, `POST /v3/taxi-invoice/cards`
//! requests prepared beforehand (see [`crate::taxi_prepare`]), each a new
//! card on its own trip order with its own uploaded file, sent once; kabao's
//! CPU per accepted card is compared with crypto floors measured right
//! before and after, and a few passengers' cards are read back from the
//! control API afterwards.

use crate::floor_bracket::FloorBracket;
use crate::http::{Connection, Reply};
use crate::load::{self, Source};
use crate::oa_setup::wait_until_idle;
use crate::procstat::TicksPerSecond;
use crate::profile::Profiler;
use crate::report::{FloorRun, TaxiResult};
use crate::server::{Kabao, Tenants};
use crate::taxi_prepare::{openid, PreparedCard};
use crate::taxi_world::{TaxiWorld, CARDS_PATH};
use crate::Args;
use anyhow::{ensure, Context as _};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, StatusCode};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Passengers whose cards are listed on the control API after each load.
pub const READ_BACK_USERS: usize = 4;

/// Prepared cards, each handed out once.
pub struct CardPool {
    world: Arc<TaxiWorld>,
    cards: Vec<PreparedCard>,
    next: AtomicUsize,
}

impl CardPool {
    /// A pool of `cards` sent as `world`'s provider.
    pub fn new(world: Arc<TaxiWorld>, cards: Vec<PreparedCard>) -> Self {
        Self {
            world,
            cards,
            next: AtomicUsize::new(0),
        }
    }

    /// How many cards the pool holds.
    pub fn len(&self) -> usize {
        self.cards.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.cards.is_empty()
    }

    /// The cards handed out so far (each was sent).
    pub fn sent(&self) -> &[PreparedCard] {
        &self.cards[..self.next.load(Ordering::Relaxed).min(self.cards.len())]
    }
}

impl Source for CardPool {
    fn next_request(&self, _n: usize) -> Option<hyper::Request<Full<Bytes>>> {
        let card = self.cards.get(self.next.fetch_add(1, Ordering::Relaxed))?;
        let (authorization, body) = (card.authorization.clone(), card.body.clone());
        Some(
            self.world
                .request(Method::POST, CARDS_PATH, authorization, body),
        )
    }

    /// HTTP 204, as the official page answers.
    fn succeeded(&self, reply: &Reply) -> bool {
        reply.status == StatusCode::NO_CONTENT
    }
}

/// Runs the taxi loads at every connection count; floors measured go to `floors`.
pub async fn run(
    kabao: &Kabao,
    tenants: &Tenants,
    ticks: TicksPerSecond,
    args: &Args,
    floors: &mut Vec<FloorRun>,
) -> anyhow::Result<Vec<TaxiResult>> {
    eprintln!("taxi: provisioning a service provider with a signed-in fleet");
    let world = TaxiWorld::provision(kabao, tenants)
        .await
        .map_err(|e| crate::with_log_tail(kabao, e))?;
    let world = Arc::new(world);
    let (mut results, mut number) = (Vec::new(), 0u64);
    let mut bracket = FloorBracket::new(kabao, ticks, args.floor_iterations);
    for (run, &connections) in args.connections.iter().enumerate() {
        let name = format!("the {connections}-connection taxi-cards scenario");
        bracket.before(&name, floors)?;
        let mut result = one_load(kabao, &world, ticks, args, run, connections, number).await?;
        number += result.setup.cards as u64;
        result.set_floor(bracket.after(&name, floors)?);
        eprintln!(
            "{CARDS_PATH:<26} {connections:>3} conn: {:>6.0} cards/s, p99 {:.2} ms, kabao {:.1} µs CPU/card{} ({}), {} errors",
            result.cards_per_sec,
            result.latency.p99_us / 1000.0,
            result.kabao_cpu_per_card_us,
            result
                .postgres_cpu_per_card_us
                .map(|p| format!(" + PostgreSQL {p:.1} µs"))
                .unwrap_or_default(),
            result.floor_ratio.map_or("no floor".into(), |r| format!("{r:.2}× the floor")),
            result.errors + result.warmup_errors
        );
        results.push(result);
    }
    Ok(results)
}

/// One load at `connections`: prepare, check one, warm up, measure, read back.
async fn one_load(
    kabao: &Kabao,
    world: &Arc<TaxiWorld>,
    ticks: TicksPerSecond,
    args: &Args,
    run: usize,
    connections: usize,
    first_number: u64,
) -> anyhow::Result<TaxiResult> {
    let warmup = Duration::from_secs(args.warmup_secs);
    let warm_count = if warmup.is_zero() {
        0
    } else {
        args.taxi_warmup_cards
    };
    let count = 1 + warm_count + args.taxi_cards;
    eprintln!(
        "{CARDS_PATH} {connections:>3} conn: preparing {count} trips, uploads and cards with {} in flight",
        args.setup_concurrency
    );
    let (mut cards, mut setup) = world
        .prepare(kabao.addr, run, first_number, count, args.setup_concurrency)
        .await
        .map_err(|e| crate::with_log_tail(kabao, e))?;
    let (idle_wait, _) = wait_until_idle(kabao, ticks, Duration::from_secs(60)).await?;
    setup.idle_wait_secs = idle_wait.as_secs_f64();
    eprintln!(
        "  rides {:.1} s, uploads {:.1} s, signing {:.1} s, then idle after {:.1} s",
        setup.rides_secs, setup.uploads_secs, setup.presign_secs, setup.idle_wait_secs
    );
    let probe = cards.remove(0);
    let check = check_one(kabao.addr, world, &probe).await?;
    let measured = cards.split_off(warm_count.min(cards.len()));
    let warm_pool = Arc::new(CardPool::new(world.clone(), cards));
    let warm_outcome = if warm_pool.is_empty() {
        load::Outcome::default()
    } else {
        load::run(&kabao.addrs, warm_pool.clone(), connections, warmup).await
    };

    let pool = Arc::new(CardPool::new(world.clone(), measured));
    let recording = Profiler::from_args(args).start(&kabao.pids()).await;
    let before = kabao.reading(ticks)?;
    let duration = Duration::from_secs(args.duration_secs);
    let outcome = load::run(&kabao.addrs, pool.clone(), connections, duration).await;
    let used = kabao.reading(ticks)?.since(&before, ticks);
    let profile = recording.map(|r| r.finish(ticks));

    let complete = outcome.errors + warm_outcome.errors == 0;
    let sent: Vec<&PreparedCard> = std::iter::once(&probe)
        .chain(warm_pool.sent())
        .chain(pool.sent())
        .collect();
    let verified = spot_check(kabao.addr, world, run, &sent, complete).await?;
    let mut result = TaxiResult::new(
        connections,
        pool.len(),
        outcome,
        [used.kabao, used.bench],
        used.steal_percent,
        setup,
        warm_outcome,
        check,
        verified,
    );
    result.set_machine(&used);
    result.profile = profile;
    Ok(result)
}

/// Sends `probe` and checks the 204 (empty, signed by the platform key),
/// then finds its card on the control API with its trip, file and number.
async fn check_one(
    addr: SocketAddr,
    world: &TaxiWorld,
    probe: &PreparedCard,
) -> anyhow::Result<String> {
    let request = world.request(
        Method::POST,
        CARDS_PATH,
        probe.authorization.clone(),
        probe.body.clone(),
    );
    let reply = Connection::open(addr).await?.send(request).await?;
    ensure!(
        reply.status == StatusCode::NO_CONTENT && reply.body.is_empty(),
        "a prepared card was answered {}: {}",
        reply.status,
        reply.snippet(300)
    );
    let serial = crate::scenario::verify_response_signature(&reply, &world.platform_keys)?;
    let listed = world.cards_of(addr, &probe.openid).await?;
    let card = listed
        .iter()
        .find(|c| c["trip"]["trip_order"]["token"] == probe.token.as_str())
        .with_context(|| format!("the checked card is not among {}'s cards", probe.openid))?;
    check_card(card, probe)?;
    ensure!(
        card["company_mchid"] == world.company_mchid.as_str()
            && card["warnings"] == Value::Array(Vec::new()),
        "the checked card is not the one inserted: {card}"
    );
    Ok(format!(
        "204 with an empty body, its signature verified with platform key {serial}; the card \
         listed on the control API (`GET /_kabao/api/taxi/cards?openid=`) INSERTED for the \
         passenger, with its trip's token, its own media id and fapiao number, its company, \
         and no warnings"
    ))
}

/// Whether a listed card is `sent`'s: INSERTED, its passenger, file and number.
fn check_card(card: &Value, sent: &PreparedCard) -> anyhow::Result<()> {
    ensure!(
        card["status"] == "INSERTED"
            && card["card_openid"] == sent.openid.as_str()
            && card["fapiao_media_id"] == sent.media_id.as_str()
            && card["fapiao_card_information"]["fapiao_number"] == sent.fapiao_number.as_str(),
        "the card of trip {} is not the one sent (openid {}, media id {}, fapiao number {}): {card}",
        sent.token,
        sent.openid,
        sent.media_id,
        sent.fapiao_number
    );
    Ok(())
}

/// Lists the cards of [`READ_BACK_USERS`] passengers of load `run`: each
/// must be one of the `sent` cards (by its trip's token) as it was sent,
/// with a card code of its own; when no request failed (`complete`), every
/// card sent to them must be there.
async fn spot_check(
    addr: SocketAddr,
    world: &TaxiWorld,
    run: usize,
    sent: &[&PreparedCard],
    complete: bool,
) -> anyhow::Result<String> {
    let (mut listed, mut expected, mut codes) = (0, 0, HashSet::new());
    for user in (0..READ_BACK_USERS).map(|u| openid(run, u)) {
        let theirs: HashMap<&str, &PreparedCard> = sent
            .iter()
            .filter(|c| c.openid == user)
            .map(|c| (c.token.as_str(), *c))
            .collect();
        let cards = world.cards_of(addr, &user).await?;
        for card in &cards {
            let token = card["trip"]["trip_order"]["token"].as_str().unwrap_or("");
            let sent = theirs
                .get(token)
                .with_context(|| format!("{user} has a card on a trip never sent: {card}"))?;
            check_card(card, sent)?;
            codes.insert(card["card_code"].as_str().unwrap_or("").to_owned());
        }
        ensure!(
            !complete || cards.len() == theirs.len(),
            "{user} was sent {} cards but has {}",
            theirs.len(),
            cards.len()
        );
        listed += cards.len();
        expected += theirs.len();
    }
    ensure!(
        codes.len() == listed,
        "{listed} cards listed with only {} distinct card codes",
        codes.len()
    );
    Ok(format!(
        "{listed} cards of {READ_BACK_USERS} passengers (of the {expected} sent to them) listed \
         on the control API, each INSERTED on a trip sent to that passenger with that trip's \
         own media id and fapiao number, {} distinct card codes",
        codes.len()
    ))
}
