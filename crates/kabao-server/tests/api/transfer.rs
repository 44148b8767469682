//! `kabao export` and `kabao import` move a whole store to the other
//! backend (SQLite → PostgreSQL on the `api` target, PostgreSQL → SQLite on
//! `api_postgres`) and back: kabao started on the copy serves every card and
//! PDF of the original, and the copy exported again is the same file; a
//! fapiao store moves with its applications and delivered callbacks.

use crate::fapiao_issue::{callbacks, direct_inserted, direct_order, issue_one, paid_order};
use crate::fapiao_world::{FapiaoWorld, DIRECT};
use crate::helpers::{config, spawn_with};
use crate::oa_world::{pdf_bytes, vat_invoice, World};
use crate::test_db::{database_url, postgres, postgres_database};
use serde_json::json;
use std::path::Path;

/// Runs the `kabao` binary; returns (success, stderr).
fn kabao(args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kabao"))
        .args(args)
        .output()
        .expect("kabao runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A store of the other backend, kept in `dir`.
fn other_backend(dir: &Path) -> String {
    if postgres() {
        format!("sqlite://{}", dir.join("copy.db").display())
    } else {
        postgres_database(dir)
    }
}

/// Runs `kabao import` of `file` into `url`; returns (success, stderr).
fn import(url: &str, file: &Path) -> (bool, String) {
    kabao(&[
        "import",
        "--database-url",
        url,
        "--in",
        file.to_str().unwrap(),
    ])
}

fn export(url: &str, file: &Path) -> String {
    let (ok, stderr) = kabao(&[
        "export",
        "--database-url",
        url,
        "--out",
        file.to_str().unwrap(),
    ]);
    assert!(ok, "export failed: {stderr}");
    std::fs::read_to_string(file).unwrap()
}

#[tokio::test]
async fn transfer_a_store_moves_to_the_other_backend_and_back_with_every_card_and_pdf() {
    let world = World::new().await;
    world.authorised_order("MOVE-1", &world.alice).await;
    let pdf = world.pdf("moved").await;
    let inserted = world.insert("MOVE-1", vat_invoice(&pdf, "20000001")).await;
    assert_eq!(inserted["errcode"], 0, "{inserted}");
    let cards = world.cards_of(&world.alice).await;
    assert_eq!(cards.len(), 1);
    let source_dir = world.app.stop().await;
    let source = database_url(source_dir.path());
    let first = export(&source, &source_dir.path().join("first.jsonl"));

    let copy_dir = tempfile::tempdir().unwrap();
    let copy = other_backend(copy_dir.path());
    let file = source_dir.path().join("first.jsonl");
    let (ok, stderr) = import(&copy, &file);
    assert!(ok, "import failed: {stderr}");
    assert!(stderr.contains("imported"), "{stderr}");
    let (again, refusal) = import(&copy, &file);
    assert!(!again, "a second import into a filled store is refused");
    assert!(refusal.contains("not empty"), "{refusal}");

    // The copy, exported again, holds the same rows (its header names its own backend).
    let second = export(&copy, &copy_dir.path().join("second.jsonl"));
    let rows = |text: &str| {
        let mut rows: Vec<serde_json::Value> = text
            .lines()
            .skip(1)
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        rows.sort_by_key(|r| r.to_string());
        rows
    };
    assert_eq!(rows(&second), rows(&first));

    // kabao on the copy serves the card and its PDF.
    let mut cfg = config(copy_dir.path());
    cfg.database_url = copy.clone();
    let moved = World {
        app: spawn_with(copy_dir, cfg).await,
        ..world
    };
    assert_eq!(moved.cards_of(&moved.alice).await, cards);
    let link = moved
        .call(
            "/card/invoice/platform/getpdf?action=get_url",
            &moved.platform_token,
            &json!({"s_media_id": pdf}),
        )
        .await;
    let r = moved
        .app
        .http
        .get(link["pdf_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf_bytes("moved"));
}

#[tokio::test]
async fn transfer_an_export_of_another_schema_version_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.jsonl");
    std::fs::write(
        &file,
        "{\"kabao_export\":1,\"schema_version\":1,\"backend\":\"sqlite\",\"tables\":[]}\n",
    )
    .unwrap();
    let target = format!("sqlite://{}", dir.path().join("new.db").display());
    let (ok, stderr) = kabao(&[
        "import",
        "--database-url",
        &target,
        "--in",
        file.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(stderr.contains("schema version 1"), "{stderr}");
}

/// The callbacks of the direct merchant as the control API lists them, once
/// none is pending any more.
async fn settled_callbacks(world: &FapiaoWorld) -> serde_json::Value {
    for _ in 0..100 {
        let (status, list) = world
            .app
            .admin_get(&format!("/callbacks?mchid={DIRECT}"))
            .await;
        assert_eq!(status, 200, "{list}");
        let all = list.as_array().unwrap();
        if !all.is_empty() && all.iter().all(|c| c["status"] == "delivered") {
            return list;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the callbacks never all reached delivered");
}

#[tokio::test]
async fn transfer_moves_fapiao_applications_and_their_delivered_callbacks() {
    let world = FapiaoWorld::start().await;
    let tx = direct_order(&world).await;
    issue_one(&world, &tx, 100).await;
    let before = direct_inserted(&world, &tx).await;
    callbacks(&world, &world.direct, "/direct", "FAPIAO.CARD_INSERTED", 1).await;
    let delivered = settled_callbacks(&world).await;
    let source_dir = world.app.stop().await;
    let file = source_dir.path().join("fapiao.jsonl");
    let first = export(&database_url(source_dir.path()), &file);

    let copy_dir = tempfile::tempdir().unwrap();
    let copy = other_backend(copy_dir.path());
    let (ok, stderr) = import(&copy, &file);
    assert!(ok, "import failed: {stderr}");
    let mut cfg = config(copy_dir.path());
    cfg.database_url = copy.clone();
    let moved = FapiaoWorld {
        app: spawn_with(copy_dir, cfg).await,
        ..world
    };

    // The application, its fapiao and card, and every callback with its
    // attempts are there as they were.
    assert_eq!(direct_inserted(&moved, &tx).await, before);
    assert_eq!(settled_callbacks(&moved).await, delivered);

    // The copy goes on from there: a new application is issued and its
    // callbacks get ids after the moved ones.
    let next = paid_order(&moved, DIRECT).await;
    issue_one(&moved, &next, 200).await;
    direct_inserted(&moved, &next).await;
    callbacks(&moved, &moved.direct, "/direct", "FAPIAO.CARD_INSERTED", 2).await;
    let after = settled_callbacks(&moved).await;
    let ids = |list: &serde_json::Value| -> Vec<i64> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let (old, new) = (ids(&delivered), ids(&after));
    assert_eq!(
        new.len(),
        old.len() + 2,
        "ISSUED and CARD_INSERTED of the new one: {after}"
    );
    let highest_old = old.iter().max().unwrap();
    assert!(
        new.iter().filter(|id| *id > highest_old).count() == 2,
        "{new:?} after {old:?}"
    );
    assert!(first.lines().count() > 1);
}
