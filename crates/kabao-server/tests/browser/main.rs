//! Real-browser tests: the real kabao on 127.0.0.1:0, chromedriver on a
//! free loopback port, Debian's Chromium headless. A person authorises an
//! invoice and finds the card in the card package, fills in a fapiao title
//! and finds the fapiao, discards cards, and every page answers with an
//! empty and a full store. Screenshots go to `target/browser-screenshots/`.
//! The tests skip (saying so) only where Chromium or chromedriver is not
//! installed; `.ci/run` installs both.

// The API tests' own helpers, shared as they are.
#[path = "../api/fapiao_world.rs"]
#[allow(dead_code)]
mod fapiao_world;
#[path = "../api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "../api/oa_world.rs"]
#[allow(dead_code)]
mod oa_world;
#[path = "../api/receiver.rs"]
#[allow(dead_code)]
mod receiver;
#[path = "../api/test_db.rs"]
#[allow(dead_code)]
mod test_db;

mod authorise;
mod console;
mod discard;
mod every_page;
mod fapiao_title;
mod harness;
mod steps;
