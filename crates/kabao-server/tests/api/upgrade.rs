//! A database written by an older kabao opens under this one with nothing
//! lost: the migrations that reshape tables carry every stored row across.

use kabao_server::store;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use std::str::FromStr;

/// kabao's SQLite migrations in order, as files: (version, name, SQL).
const SHIPPED: [(i64, &str, &str); 8] = [
    (
        1,
        "0001_tenants.sql",
        include_str!("../../migrations/sqlite/0001_tenants.sql"),
    ),
    (
        2,
        "0002_oa_invoices.sql",
        include_str!("../../migrations/sqlite/0002_oa_invoices.sql"),
    ),
    (
        3,
        "0003_event_pushes.sql",
        include_str!("../../migrations/sqlite/0003_event_pushes.sql"),
    ),
    (
        4,
        "0004_fapiao.sql",
        include_str!("../../migrations/sqlite/0004_fapiao.sql"),
    ),
    (
        5,
        "0005_taxi.sql",
        include_str!("../../migrations/sqlite/0005_taxi.sql"),
    ),
    (
        6,
        "0006_pdf_content.sql",
        include_str!("../../migrations/sqlite/0006_pdf_content.sql"),
    ),
    (
        7,
        "0007_callback_outbox_bound.sql",
        include_str!("../../migrations/sqlite/0007_callback_outbox_bound.sql"),
    ),
    (
        8,
        "0008_fapiao_lean.sql",
        include_str!("../../migrations/sqlite/0008_fapiao_lean.sql"),
    ),
];

/// An SQLite file at `url` as a kabao whose last migration was `last` left
/// it; the connection is for writing the old rows.
async fn older_store(url: &str, last: i64) -> sqlx::SqliteConnection {
    let mut conn = SqliteConnectOptions::from_str(url)
        .unwrap()
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::raw_sql(
        "CREATE TABLE kabao_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    for (version, name, sql) in SHIPPED.into_iter().filter(|m| m.0 <= last) {
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        sqlx::query("INSERT INTO kabao_migrations (version, name) VALUES (?, ?)")
            .bind(version)
            .bind(name)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn
}

#[tokio::test]
async fn uploaded_pdfs_survive_the_move_to_their_own_table() {
    if crate::helpers::postgres() {
        return; // upgrades an SQLite file made with the old schema
    }
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kabao.db").display());
    {
        // The schema before uploaded PDFs left `pdf_media`.
        let mut conn = older_store(&url, 5).await;
        sqlx::query(
            "INSERT INTO pdf_media (s_media_id, appid, filename, content, uploaded_at, expires_at, bound_code)
             VALUES ('3125', 'wx_platform', 'invoice.pdf', X'255044462D312E340A', 1700000000, 1700259200, 'code-1')",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let store = store::open(&url).await.unwrap();
    let pdf = store
        .pdf("3125")
        .await
        .unwrap()
        .expect("the upload is still there");
    assert_eq!(pdf.content, b"%PDF-1.4\n");
    assert_eq!(pdf.filename, "invoice.pdf");
    assert_eq!(pdf.bound_code.as_deref(), Some("code-1"));
    assert_eq!(pdf.expires_at, 1700259200);
}

#[tokio::test]
async fn fapiao_applications_and_their_steps_survive_the_leaner_tables() {
    if crate::helpers::postgres() {
        return; // upgrades an SQLite file made with the old schema
    }
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kabao.db").display());
    {
        // The schema before applications lost their rowid and steps their
        // AUTOINCREMENT: one application, its fapiao, a held and a due step.
        let mut conn = older_store(&url, 7).await;
        old_application(
            &mut conn,
            "4200000444202301010000000001",
            &[("fapiao-1", None)],
        )
        .await;
        sqlx::raw_sql(
            "INSERT INTO fapiao_jobs (owner_mchid, fapiao_apply_id, fapiao_id, action, due_at, created_at)
             VALUES ('1900000109', '4200000444202301010000000001', 'fapiao-1', 'ISSUE', NULL, 1700000000);
             INSERT INTO fapiao_jobs (owner_mchid, fapiao_apply_id, fapiao_id, action, due_at,
               fail_code, created_at)
             VALUES ('1900000109', '4200000444202301010000000001', 'fapiao-1', 'INSERT_CARD', 1700000005,
               'CARD_FAILED', 1700000000);",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let store = store::open(&url).await.unwrap();
    let mut jobs = store
        .pending_fapiao_jobs("1900000109", "4200000444202301010000000001")
        .await
        .unwrap();
    jobs.sort_by_key(|j| j.due_at);
    let seen: Vec<_> = jobs
        .iter()
        .map(|j| {
            (
                j.fapiao_id.as_str(),
                j.action.as_str(),
                j.due_at,
                j.fail_code.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("fapiao-1", "ISSUE", None, None),
            (
                "fapiao-1",
                "INSERT_CARD",
                Some(1700000005),
                Some("CARD_FAILED")
            ),
        ]
    );
    drop(store);

    let mut conn = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .foreign_keys(true)
        .connect()
        .await
        .unwrap();
    let application: (String, String, String, i64) = sqlx::query_as(
        "SELECT caller_mchid, scene, buyer_json, created_at FROM fapiao_applications
         WHERE owner_mchid = '1900000109' AND fapiao_apply_id = '4200000444202301010000000001'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        application,
        (
            "1900000109".into(),
            "WITH_WECHATPAY".into(),
            r#"{"type":"INDIVIDUAL","name":"张三"}"#.into(),
            1700000000
        )
    );
    let fapiaos: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fapiaos")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(fapiaos, 1, "the fapiao is still there");
    let orphan = sqlx::query(
        "INSERT INTO fapiaos (owner_mchid, fapiao_apply_id, fapiao_id, seq, status, total_amount,
           tax_amount, amount, fapiao_json, created_at, updated_at)
         VALUES ('1900000109', 'no-such-application', 'fapiao-9', 0, 'ISSUE_ACCEPTED', 1, 0, 1, '{}', 0, 0)",
    )
    .execute(&mut conn)
    .await;
    assert!(
        orphan.is_err(),
        "a fapiao still needs its application after the rebuild"
    );
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM fapiao_jobs ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(ids, [1, 2], "step ids are kept");
}

#[tokio::test]
async fn fapiao_steps_stored_under_their_fapiao_keep_their_ids_and_still_run() {
    if crate::helpers::postgres() {
        return; // upgrades an SQLite file made with the old schema
    }
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kabao.db").display());
    let (owner, apply_id) = ("1900000109", "4200000444202301010000000002");
    {
        // The schema before steps were keyed by their fapiao: one
        // application with two fapiao (the second with a card), a held ISSUE
        // step for each and a due INSERT_CARD step for the first.
        let mut conn = older_store(&url, 8).await;
        old_application(
            &mut conn,
            apply_id,
            &[
                ("fapiao-1", None),
                (
                    "fapiao-2",
                    Some(r#"{"card_appid":"wx5ab0c0de00000001","card_openid":"o-buyer"}"#),
                ),
            ],
        )
        .await;
        sqlx::raw_sql(
            "INSERT INTO fapiao_jobs (id, owner_mchid, fapiao_apply_id, fapiao_id, action, due_at, created_at)
             VALUES (7, '1900000109', '4200000444202301010000000002', 'fapiao-1', 'ISSUE', NULL, 1700000000),
                    (8, '1900000109', '4200000444202301010000000002', 'fapiao-2', 'ISSUE', NULL, 1700000000),
                    (9, '1900000109', '4200000444202301010000000002', 'fapiao-1', 'INSERT_CARD',
                     1700000005, 1700000000);",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let store = store::open(&url).await.unwrap();
    let pending = |jobs: Vec<store::fapiao::PendingJob>| -> Vec<(String, String, Option<i64>)> {
        jobs.into_iter()
            .map(|j| (j.fapiao_id, j.action.as_str().to_owned(), j.due_at))
            .collect()
    };
    let jobs = store.pending_fapiao_jobs(owner, apply_id).await.unwrap();
    assert_eq!(
        pending(jobs),
        [
            ("fapiao-1".into(), "INSERT_CARD".into(), Some(1700000005)),
            ("fapiao-1".into(), "ISSUE".into(), None),
            ("fapiao-2".into(), "ISSUE".into(), None),
        ],
        "every step is there, due ones first, held ones in the order they were scheduled"
    );

    // The held steps are still found through their application and released.
    let released = store
        .release_fapiao_jobs(owner, apply_id, 1700000100)
        .await
        .unwrap();
    assert_eq!(released, 2);
    let jobs = store.pending_fapiao_jobs(owner, apply_id).await.unwrap();
    assert!(
        pending(jobs).iter().all(|(_, _, due)| due.is_some()),
        "nothing held after the release"
    );
    drop(store);

    let mut conn = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .connect()
        .await
        .unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM fapiao_jobs ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(ids, [7, 8, 9], "step ids are kept");
    let duplicate = sqlx::query(
        "INSERT INTO fapiao_jobs (id, owner_mchid, fapiao_apply_id, fapiao_id, action, due_at, created_at)
         VALUES (7, '1900000109', '4200000444202301010000000002', 'fapiao-1', 'REVERSE', NULL, 0)",
    )
    .execute(&mut conn)
    .await;
    assert!(
        duplicate.is_err(),
        "a fapiao's step ids stay unique: they are its key now"
    );

    // The released steps run, earliest due first; the card step the second
    // ISSUE schedules gets an id after every stored one.
    let store = store::open(&url).await.unwrap();
    let run = store.run_due_fapiao_jobs(1700000100, 3).await.unwrap();
    assert_eq!(
        (run.ran, run.callbacks_enqueued),
        (3, 2),
        "three steps taken (the card step of a fapiao not issued yet is dropped), two FAPIAO.ISSUED"
    );
    let statuses: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT fapiao_id, status, card_status FROM fapiaos ORDER BY seq")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(
        statuses,
        [
            ("fapiao-1".into(), "ISSUED".into(), None),
            (
                "fapiao-2".into(),
                "ISSUED".into(),
                Some("INSERT_ACCEPTED".into())
            ),
        ]
    );
    let jobs = store.pending_fapiao_jobs(owner, apply_id).await.unwrap();
    assert_eq!(
        pending(jobs),
        [("fapiao-2".into(), "INSERT_CARD".into(), Some(1700000100))]
    );
    let new_id: i64 = sqlx::query_scalar("SELECT id FROM fapiao_jobs")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert!(new_id > 9, "new step id {new_id} follows the stored ones");
}

/// One CLASSIC application of merchant 1900000109 as an older kabao stored
/// it, with one fapiao in ISSUE_ACCEPTED per (fapiao_id, card_json).
async fn old_application(
    conn: &mut sqlx::SqliteConnection,
    apply_id: &str,
    fapiaos: &[(&str, Option<&str>)],
) {
    sqlx::query(
        "INSERT INTO fapiao_applications (owner_mchid, fapiao_apply_id, caller_mchid, kind, scene,
           buyer_json, request_hash, created_at)
         VALUES ('1900000109', ?, '1900000109', 'CLASSIC', 'WITH_WECHATPAY',
           '{\"type\":\"INDIVIDUAL\",\"name\":\"张三\"}', 'ab12', 1700000000)",
    )
    .bind(apply_id)
    .execute(&mut *conn)
    .await
    .unwrap();
    for (seq, (fapiao_id, card_json)) in fapiaos.iter().enumerate() {
        sqlx::query(
            "INSERT INTO fapiaos (owner_mchid, fapiao_apply_id, fapiao_id, seq, status, total_amount,
               tax_amount, amount, fapiao_json, card_json, created_at, updated_at)
             VALUES ('1900000109', ?, ?, ?, 'ISSUE_ACCEPTED', 429900, 49457, 380443, '{}', ?,
               1700000000, 1700000000)",
        )
        .bind(apply_id)
        .bind(fapiao_id)
        .bind(seq as i64)
        .bind(card_json)
        .execute(&mut *conn)
        .await
        .unwrap();
    }
}
