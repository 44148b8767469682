//! Synthesized stores for the scaling scenario: a `kabao export` of a small
//! store the bench built over HTTP (one platform, template, merchant, its
//! users and a few inserted cards) is the template; [`write`] repeats its
//! rows of one card — the card, its authorised order, its PDF and the PDF's
//! bytes, the authorisation's event push — with new unique keys, spread over
//! many users, and adds authorised orders with unused PDFs for the inserts
//! the bench will send. The result is an export file `kabao import` loads
//! into an empty store much faster than the same cards can be made over HTTP.

use anyhow::{bail, ensure, Context as _};
use base64::Engine as _;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::Write;

/// Card codes of synthesized cards start here (12 digits; kabao's own codes
/// continue above the highest stored one).
const CODE_BASE: u64 = 200_000_000_000;
/// Codes of consecutive synthesized cards differ by this much, as kabao's
/// ascending codes leave small gaps.
const CODE_STEP: u64 = 4;
/// `s_media_id`s of the synthesized cards' PDFs (16 digits).
const MEDIA_BASE: u64 = 2_000_000_000_000_000;
/// `s_media_id`s of the PDFs the bench's inserts will bind (16 digits).
const PENDING_MEDIA_BASE: u64 = 3_000_000_000_000_000;
/// Insert numbers ([`crate::oa_setup::insert_body`]) of the bench's inserts
/// into a synthesized store: above any number the HTTP setup used.
pub const PENDING_NUMBER_BASE: u64 = 1_000_000_000;

/// The rows of a small export, grouped by table, in the file's table order.
#[derive(Debug, Clone)]
pub struct Template {
    header: Value,
    tables: Vec<String>,
    rows: BTreeMap<String, Vec<Map<String, Value>>>,
}

/// The rows of one stored card (and what refers to it) that [`write`] repeats.
#[derive(Debug, Clone)]
struct CardRows {
    card: Map<String, Value>,
    order: Map<String, Value>,
    media: Map<String, Value>,
    content: Map<String, Value>,
    push: Option<Map<String, Value>>,
    user: Map<String, Value>,
    user_data: Map<String, Value>,
    push_fields: Option<Map<String, Value>>,
}

/// What to synthesize on top of the template.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Stored cards to add.
    pub cards: usize,
    /// Users of the merchant the cards (and the pending orders) go to in turn.
    pub users: usize,
    /// Authorised orders with an unused PDF each, for inserts to come.
    pub pending: usize,
    /// The time prefix of the first synthesized `encrypt_code`, in µs.
    pub base_micros: u64,
}

/// Rows written per table.
pub type Written = BTreeMap<String, u64>;

impl Template {
    /// Parses an export file (JSON lines: a header, then `{"table", "row"}` lines).
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header: Value = serde_json::from_str(lines.next().context("the export is empty")?)?;
        let tables: Vec<String> = header["tables"]
            .as_array()
            .context("the export header names no tables")?
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect();
        let mut rows: BTreeMap<String, Vec<Map<String, Value>>> = BTreeMap::new();
        for line in lines {
            let mut line: Value = serde_json::from_str(line)?;
            let table = line["table"]
                .as_str()
                .context("a row line names no table")?
                .to_owned();
            let Value::Object(row) = line["row"].take() else {
                bail!("a row line of {table} has no row");
            };
            rows.entry(table).or_default().push(row);
        }
        Ok(Self {
            header,
            tables,
            rows,
        })
    }

    /// The rows of `table`.
    pub fn rows(&self, table: &str) -> &[Map<String, Value>] {
        self.rows.get(table).map_or(&[], Vec::as_slice)
    }

    /// Cards the template holds.
    pub fn cards(&self) -> usize {
        self.rows("invoice_cards").len()
    }

    /// The first card's rows and those that belong to it.
    fn card_rows(&self) -> anyhow::Result<CardRows> {
        let card = self
            .rows("invoice_cards")
            .first()
            .context("the template store has no card")?
            .clone();
        let field = |row: &Map<String, Value>, name: &str| -> anyhow::Result<String> {
            row.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .with_context(|| format!("a template row has no {name}"))
        };
        let (order_id, media_id, openid) = (
            field(&card, "order_id")?,
            field(&card, "s_pdf_media_id")?,
            field(&card, "openid")?,
        );
        let find = |table: &str, column: &str, value: &str| {
            self.rows(table)
                .iter()
                .find(|r| r.get(column).and_then(Value::as_str) == Some(value))
                .cloned()
                .with_context(|| format!("no {table} row with {column} {value} in the template"))
        };
        let push = self
            .rows("event_pushes")
            .iter()
            .find(|r| {
                r.get("fields")
                    .and_then(Value::as_str)
                    .is_some_and(|f| f.contains(&format!("\"{order_id}\"")))
            })
            .cloned();
        let push_fields = match &push {
            Some(p) => Some(serde_json::from_str(&field(p, "fields")?)?),
            None => None,
        };
        let user_data = serde_json::from_str(&field(&card, "user_data")?)?;
        Ok(CardRows {
            order: find("auth_orders", "order_id", &order_id)?,
            media: find("pdf_media", "s_media_id", &media_id)?,
            content: find("pdf_media_content", "s_media_id", &media_id)?,
            user: find("users", "openid", &openid)?,
            card,
            push,
            user_data,
            push_fields,
        })
    }
}

/// The order id of synthesized card `i`.
pub fn order_id(i: usize) -> String {
    format!("kabao-scale-{i:010}")
}

/// The order id of pending insert `j`.
pub fn pending_order_id(j: usize) -> String {
    format!("kabao-scale-new-{j:010}")
}

/// The user who authorised pending order `j` (the owner of the card its insert makes).
pub fn pending_owner(plan: &Plan, j: usize) -> String {
    openid(j % plan.users)
}

/// The `s_media_id` of synthesized card `i`'s PDF.
pub fn media_id(i: usize) -> String {
    (MEDIA_BASE + i as u64).to_string()
}

/// The `s_media_id` of pending insert `j`'s unused PDF.
pub fn pending_media_id(j: usize) -> String {
    (PENDING_MEDIA_BASE + j as u64).to_string()
}

/// The card code of synthesized card `i`.
pub fn code(i: usize) -> String {
    (CODE_BASE + CODE_STEP * i as u64).to_string()
}

/// The openid of synthesized user `u` (28 characters, like WeChat's).
pub fn openid(u: usize) -> String {
    format!("oKbScale{u:020}")
}

/// The 20-digit `billing_no` of synthesized card `i` (above every number
/// [`crate::oa_setup::insert_body`] makes).
pub fn billing_no(i: usize) -> String {
    format!("9{i:019}")
}

/// A well-mixed 64-bit value of `n` (SplitMix64), for the random-looking parts.
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The `encrypt_code` of synthesized card `i`: 44 base64 characters of 32
/// bytes, the first 6 the time in µs (`base_micros + i`, so codes are
/// unique and ascend as kabao mints them), the rest random-looking.
pub fn encrypt_code(base_micros: u64, i: usize) -> String {
    let mut raw = [0u8; 32];
    raw[..6].copy_from_slice(&(base_micros + i as u64).to_be_bytes()[2..]);
    for (k, chunk) in raw[6..].chunks_mut(8).enumerate() {
        let bytes = mix((i as u64) << 2 | k as u64).to_be_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    base64::engine::general_purpose::STANDARD.encode(raw)
}

/// A 64-hex-digit request hash for synthesized card `i`.
fn request_hash(i: usize) -> String {
    (0..4)
        .map(|k| format!("{:016x}", mix(((i as u64) << 2 | k) ^ 0x5EED)))
        .collect()
}

fn set(row: &mut Map<String, Value>, column: &str, value: impl Into<Value>) {
    row.insert(column.to_owned(), value.into());
}

fn line(out: &mut dyn Write, table: &str, row: &Map<String, Value>) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, &json!({"table": table, "row": row}))?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes the template's rows and, after each table's own rows, the
/// synthesized rows of that table, as an export file for `kabao import`.
pub fn write(template: &Template, plan: &Plan, out: &mut dyn Write) -> anyhow::Result<Written> {
    ensure!(plan.users > 0, "cards need at least one user");
    let rows = template.card_rows()?;
    let next_push_id = template
        .rows("event_pushes")
        .iter()
        .filter_map(|r| r.get("id").and_then(Value::as_i64))
        .max()
        .unwrap_or(0)
        + 1;
    serde_json::to_writer(&mut *out, &template.header)?;
    out.write_all(b"\n")?;
    let mut written = Written::new();
    for table in &template.tables {
        let mut count = 0u64;
        for row in template.rows(table) {
            line(out, table, row)?;
            count += 1;
        }
        count += synthesize(table, &rows, plan, next_push_id, out)?;
        written.insert(table.clone(), count);
    }
    out.flush()?;
    Ok(written)
}

/// Writes the synthesized rows of `table`; returns how many.
fn synthesize(
    table: &str,
    rows: &CardRows,
    plan: &Plan,
    next_push_id: i64,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    let (cards, pending) = (plan.cards, plan.pending);
    let owner = |i: usize| openid(i % plan.users);
    match table {
        "users" => {
            let mut user = rows.user.clone();
            for u in 0..plan.users {
                set(&mut user, "openid", openid(u));
                set(&mut user, "name", format!("scale user {u}"));
                line(out, table, &user)?;
            }
            Ok(plan.users as u64)
        }
        "pdf_media" | "pdf_media_content" => {
            let mut media = if table == "pdf_media" {
                rows.media.clone()
            } else {
                rows.content.clone()
            };
            for i in 0..cards {
                set(&mut media, "s_media_id", media_id(i));
                if table == "pdf_media" {
                    set(&mut media, "bound_code", code(i));
                }
                line(out, table, &media)?;
            }
            for j in 0..pending {
                set(&mut media, "s_media_id", pending_media_id(j));
                if table == "pdf_media" {
                    set(&mut media, "bound_code", Value::Null);
                }
                line(out, table, &media)?;
            }
            Ok((cards + pending) as u64)
        }
        "auth_orders" => {
            let mut order = rows.order.clone();
            for n in 0..cards + pending {
                let (id, user) = if n < cards {
                    (order_id(n), openid(n % plan.users))
                } else {
                    (pending_order_id(n - cards), pending_owner(plan, n - cards))
                };
                set(&mut order, "order_id", id);
                set(&mut order, "auth_key", format!("ks{n:030}"));
                set(&mut order, "openid", user);
                line(out, table, &order)?;
            }
            Ok((cards + pending) as u64)
        }
        "invoice_cards" => {
            let mut card = rows.card.clone();
            let mut user_data = rows.user_data.clone();
            for i in 0..cards {
                set(&mut card, "code", code(i));
                set(&mut card, "order_id", order_id(i));
                set(&mut card, "openid", owner(i));
                set(&mut card, "encrypt_code", encrypt_code(plan.base_micros, i));
                set(&mut card, "billing_no", billing_no(i));
                set(&mut card, "s_pdf_media_id", media_id(i));
                set(&mut card, "request_hash", request_hash(i));
                set(&mut user_data, "billing_no", billing_no(i));
                set(&mut user_data, "s_pdf_media_id", media_id(i));
                set(
                    &mut card,
                    "user_data",
                    Value::Object(user_data.clone()).to_string(),
                );
                line(out, table, &card)?;
            }
            Ok(cards as u64)
        }
        "event_pushes" => {
            let (Some(push), Some(fields)) = (&rows.push, &rows.push_fields) else {
                return Ok(0);
            };
            let (mut push, mut fields) = (push.clone(), fields.clone());
            for n in 0..cards + pending {
                let (id, user) = if n < cards {
                    (order_id(n), openid(n % plan.users))
                } else {
                    (pending_order_id(n - cards), pending_owner(plan, n - cards))
                };
                set(&mut fields, "succ_order_id", id);
                set(&mut push, "id", next_push_id + n as i64);
                set(&mut push, "from_openid", user.clone());
                set(
                    &mut push,
                    "fields",
                    Value::Object(fields.clone()).to_string(),
                );
                line(out, table, &push)?;
            }
            Ok((cards + pending) as u64)
        }
        _ => Ok(0),
    }
}

#[cfg(test)]
#[path = "synth_tests.rs"]
mod tests;
