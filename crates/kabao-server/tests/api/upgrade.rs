//! A database written by an older kabao opens under this one with nothing
//! lost: the migrations that reshape tables carry every stored row across.

use kabao_server::store;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use std::str::FromStr;

/// The schema as kabao shipped it before uploaded PDFs left `pdf_media`.
const BEFORE_PDF_CONTENT: [(i64, &str, &str); 5] = [
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
];

#[tokio::test]
async fn uploaded_pdfs_survive_the_move_to_their_own_table() {
    if crate::helpers::postgres() {
        return; // upgrades an SQLite file made with the old schema
    }
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kabao.db").display());
    {
        let mut conn = SqliteConnectOptions::from_str(&url)
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
        for (version, name, sql) in BEFORE_PDF_CONTENT {
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            sqlx::query("INSERT INTO kabao_migrations (version, name) VALUES (?, ?)")
                .bind(version)
                .bind(name)
                .execute(&mut conn)
                .await
                .unwrap();
        }
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
