//! Tenants, tokens, tickets, counters and settings in SQLite.

use super::{corrupt, SqliteStore};
use crate::domain::ids::{Appid, Mchid, Openid, PublicKeyId, SerialNo};
use crate::domain::tenant::{
    ApiV3Key, App, AppRole, Merchant, MerchantCertificate, MerchantKind, PlatformKey, PlatformMode,
    User,
};
use crate::domain::token::{AccessToken, ApiTicket, TokenKind};
use crate::store::{Store, StoreResult};
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

fn app_from_row(row: &SqliteRow) -> Result<App, sqlx::Error> {
    Ok(App {
        appid: Appid::parse("appid", row.try_get("appid")?).map_err(|e| corrupt("appid", e))?,
        secret: row.try_get("secret")?,
        role: AppRole::parse("role", row.try_get("role")?).map_err(|e| corrupt("role", e))?,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The merchant columns read by [`merchant_from_row`], in its order.
const MERCHANT_COLUMNS: &str =
    "mchid, name, kind, parent_mchid, apiv3_key, callback_url, platform_mode, created_at";

fn merchant_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Merchant> {
    let parent: Option<String> = row.get(3)?;
    Ok(Merchant {
        mchid: Mchid::parse("mchid", &row.get::<_, String>(0)?).map_err(|e| undecodable(0, e))?,
        name: row.get(1)?,
        kind: MerchantKind::parse("kind", &row.get::<_, String>(2)?)
            .map_err(|e| undecodable(2, e))?,
        parent_mchid: parent
            .map(|p| Mchid::parse("parent_mchid", &p))
            .transpose()
            .map_err(|e| undecodable(3, e))?,
        apiv3_key: ApiV3Key::parse("apiv3_key", &row.get::<_, String>(4)?)
            .map_err(|e| undecodable(4, e))?,
        callback_url: row.get(5)?,
        platform_mode: PlatformMode::parse("platform_mode", &row.get::<_, String>(6)?)
            .map_err(|e| undecodable(6, e))?,
        created_at: row.get(7)?,
    })
}

/// The certificate columns read by [`certificate_from_row`], in its order.
const CERTIFICATE_COLUMNS: &str = "mchid, serial_no, public_key_pem, certificate_pem, not_after";

fn certificate_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<MerchantCertificate> {
    Ok(MerchantCertificate {
        mchid: Mchid::parse("mchid", &row.get::<_, String>(0)?).map_err(|e| undecodable(0, e))?,
        serial_no: SerialNo::parse("serial_no", &row.get::<_, String>(1)?)
            .map_err(|e| undecodable(1, e))?,
        public_key_pem: row.get(2)?,
        certificate_pem: row.get(3)?,
        not_after: row.get(4)?,
    })
}

/// A stored value that does not parse as what its column holds.
fn undecodable(column: usize, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        e.to_string().into(),
    )
}

fn platform_key_from_row(row: &SqliteRow) -> Result<PlatformKey, sqlx::Error> {
    let serial: Option<String> = row.try_get("serial_no")?;
    let key_id: Option<String> = row.try_get("public_key_id")?;
    Ok(PlatformKey {
        serial_no: serial
            .map(|s| SerialNo::parse("serial_no", &s))
            .transpose()
            .map_err(|e| corrupt("serial_no", e))?,
        public_key_id: key_id
            .map(|s| PublicKeyId::parse("public_key_id", &s))
            .transpose()
            .map_err(|e| corrupt("public_key_id", e))?,
        private_key_pem: row.try_get("private_key_pem")?,
        certificate_pem: row.try_get("certificate_pem")?,
        not_before: row.try_get("not_before")?,
        not_after: row.try_get("not_after")?,
    })
}

fn user_from_row(row: &SqliteRow) -> Result<User, sqlx::Error> {
    let unionid: Option<String> = row.try_get("unionid")?;
    Ok(User {
        appid: Appid::parse("appid", row.try_get("appid")?).map_err(|e| corrupt("appid", e))?,
        openid: Openid::parse("openid", row.try_get("openid")?)
            .map_err(|e| corrupt("openid", e))?,
        unionid: unionid
            .map(|u| Openid::parse("unionid", &u))
            .transpose()
            .map_err(|e| corrupt("unionid", e))?,
        name: row.try_get("name")?,
    })
}

fn token_from_row(row: &SqliteRow) -> Result<AccessToken, sqlx::Error> {
    Ok(AccessToken {
        token: row.try_get("token")?,
        appid: row.try_get("appid")?,
        kind: TokenKind::from_stored(row.try_get("kind")?),
        issued_at: row.try_get("issued_at")?,
        expires_at: row.try_get("expires_at")?,
    })
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn is_unprovisioned(&self) -> StoreResult<bool> {
        let count: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM apps) + (SELECT COUNT(*) FROM merchants)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(count == 0)
    }

    async fn put_app(&self, app: &App) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO apps (appid, secret, role, name, created_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (appid) DO UPDATE SET secret = excluded.secret, role = excluded.role, name = excluded.name",
        )
        .bind(app.appid.as_str())
        .bind(&app.secret)
        .bind(app.role.as_str())
        .bind(&app.name)
        .bind(app.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn app(&self, appid: &str) -> StoreResult<Option<App>> {
        let row = sqlx::query("SELECT * FROM apps WHERE appid = ?")
            .bind(appid)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(app_from_row).transpose()?)
    }

    async fn apps(&self) -> StoreResult<Vec<App>> {
        let rows = sqlx::query("SELECT * FROM apps ORDER BY appid")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(app_from_row).collect::<Result<_, _>>()?)
    }

    async fn put_merchant(
        &self,
        m: &Merchant,
        certificates: &[MerchantCertificate],
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO merchants (mchid, name, kind, parent_mchid, apiv3_key, callback_url, platform_mode, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (mchid) DO UPDATE SET name = excluded.name, kind = excluded.kind,
               parent_mchid = excluded.parent_mchid, apiv3_key = excluded.apiv3_key,
               callback_url = excluded.callback_url, platform_mode = excluded.platform_mode",
        )
        .bind(m.mchid.as_str())
        .bind(&m.name)
        .bind(m.kind.as_str())
        .bind(m.parent_mchid.as_ref().map(|p| p.as_str()))
        .bind(m.apiv3_key.expose())
        .bind(&m.callback_url)
        .bind(m.platform_mode.as_str())
        .bind(m.created_at)
        .execute(&mut *tx)
        .await?;
        for c in certificates {
            sqlx::query(
                "INSERT INTO merchant_certificates (mchid, serial_no, public_key_pem, certificate_pem, not_after)
                 VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (mchid, serial_no) DO UPDATE SET public_key_pem = excluded.public_key_pem,
                   certificate_pem = excluded.certificate_pem, not_after = excluded.not_after",
            )
            .bind(c.mchid.as_str())
            .bind(c.serial_no.as_str())
            .bind(&c.public_key_pem)
            .bind(&c.certificate_pem)
            .bind(c.not_after)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        // A merchant's name is its derived seller name.
        self.setup_cache.forget();
        Ok(())
    }

    async fn merchant(&self, mchid: &str) -> StoreResult<Option<Merchant>> {
        use rusqlite::OptionalExtension;
        // Every signed request's keyring refresh lands here, so it is a
        // point read on the caller's thread.
        self.point_read(|conn| {
            conn.prepare_cached(&format!(
                "SELECT {MERCHANT_COLUMNS} FROM merchants WHERE mchid = ?"
            ))?
            .query_row([mchid], merchant_from_row)
            .optional()
        })
    }

    async fn merchants(&self) -> StoreResult<Vec<Merchant>> {
        // The tenants table is small: read like a point read.
        self.point_read(|conn| {
            conn.prepare_cached(&format!(
                "SELECT {MERCHANT_COLUMNS} FROM merchants ORDER BY mchid"
            ))?
            .query_map([], merchant_from_row)?
            .collect()
        })
    }

    async fn merchant_certificates(&self, mchid: &str) -> StoreResult<Vec<MerchantCertificate>> {
        self.point_read(|conn| {
            conn.prepare_cached(&format!(
                "SELECT {CERTIFICATE_COLUMNS} FROM merchant_certificates WHERE mchid = ? ORDER BY serial_no"
            ))?
            .query_map([mchid], certificate_from_row)?
            .collect()
        })
    }

    async fn put_platform_key(&self, k: &PlatformKey) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM platform_keys WHERE serial_no = ? OR public_key_id = ?")
            .bind(k.serial_no.as_ref().map(|s| s.as_str()))
            .bind(k.public_key_id.as_ref().map(|s| s.as_str()))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO platform_keys (serial_no, public_key_id, private_key_pem, certificate_pem, not_before, not_after)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(k.serial_no.as_ref().map(|s| s.as_str()))
        .bind(k.public_key_id.as_ref().map(|s| s.as_str()))
        .bind(&k.private_key_pem)
        .bind(&k.certificate_pem)
        .bind(k.not_before)
        .bind(k.not_after)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn platform_keys(&self) -> StoreResult<Vec<PlatformKey>> {
        let rows = sqlx::query("SELECT * FROM platform_keys ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(platform_key_from_row)
            .collect::<Result<_, _>>()?)
    }

    async fn put_user(&self, u: &User) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO users (appid, openid, unionid, name) VALUES (?, ?, ?, ?)
             ON CONFLICT (appid, openid) DO UPDATE SET unionid = excluded.unionid, name = excluded.name",
        )
        .bind(u.appid.as_str())
        .bind(u.openid.as_str())
        .bind(u.unionid.as_ref().map(|x| x.as_str()))
        .bind(&u.name)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn users(&self, appid: Option<&str>) -> StoreResult<Vec<User>> {
        let rows = match appid {
            Some(a) => {
                sqlx::query("SELECT * FROM users WHERE appid = ? ORDER BY openid")
                    .bind(a)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("SELECT * FROM users ORDER BY appid, openid")
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
    }

    async fn save_token(&self, t: &AccessToken, retire_others_by: Option<i64>) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        if let Some(by) = retire_others_by {
            sqlx::query("UPDATE access_tokens SET expires_at = ? WHERE appid = ? AND kind = ? AND expires_at > ?")
                .bind(by)
                .bind(&t.appid)
                .bind(t.kind.as_str())
                .bind(by)
                .execute(&mut *tx)
                .await?;
        }
        // Expired tokens are kept a day so late callers get 42001, then dropped.
        sqlx::query("DELETE FROM access_tokens WHERE appid = ? AND kind = ? AND expires_at < ?")
            .bind(&t.appid)
            .bind(t.kind.as_str())
            .bind(t.issued_at - 86_400)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO access_tokens (token, appid, kind, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)")
            .bind(&t.token)
            .bind(&t.appid)
            .bind(t.kind.as_str())
            .bind(t.issued_at)
            .bind(t.expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn token(&self, token: &str) -> StoreResult<Option<AccessToken>> {
        let row = sqlx::query("SELECT * FROM access_tokens WHERE token = ?")
            .bind(token)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(token_from_row).transpose()?)
    }

    async fn latest_token(&self, appid: &str, kind: TokenKind) -> StoreResult<Option<AccessToken>> {
        let row = sqlx::query(
            "SELECT * FROM access_tokens WHERE appid = ? AND kind = ? ORDER BY issued_at DESC, expires_at DESC LIMIT 1",
        )
        .bind(appid)
        .bind(kind.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(token_from_row).transpose()?)
    }

    async fn save_ticket(&self, t: &ApiTicket) -> StoreResult<()> {
        sqlx::query("INSERT INTO api_tickets (ticket, appid, kind, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)")
            .bind(&t.ticket)
            .bind(&t.appid)
            .bind(&t.kind)
            .bind(t.issued_at)
            .bind(t.expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn ticket(&self, ticket: &str) -> StoreResult<Option<ApiTicket>> {
        let row = sqlx::query("SELECT * FROM api_tickets WHERE ticket = ?")
            .bind(ticket)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| -> Result<ApiTicket, sqlx::Error> {
            Ok(ApiTicket {
                ticket: r.try_get("ticket")?,
                appid: r.try_get("appid")?,
                kind: r.try_get("kind")?,
                issued_at: r.try_get("issued_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
        .map_err(Into::into)
    }

    async fn count_call(&self, appid: &str, api: &str, day: i64) -> StoreResult<i64> {
        let count: i64 = sqlx::query_scalar(
            "INSERT INTO call_counters (appid, api, day, count) VALUES (?, ?, ?, 1)
             ON CONFLICT (appid, api, day) DO UPDATE SET count = count + 1
             RETURNING count",
        )
        .bind(appid)
        .bind(api)
        .bind(day)
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }

    async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
