//! Ascending card codes for the SQLite writer. A code is the primary key of
//! `invoice_cards`; random codes land on a different page of that index for
//! every insert, and each such page is written to the WAL again at every
//! commit. Codes that ascend all land on the index's last page, which a
//! batch writes once. They stay 12 digits, not starting with 0, with a small
//! random gap between neighbours, as the handler's random code would.

use crate::domain::invoice::ids;
use rand::Rng;
use rusqlite::Connection;

/// The highest code ascending codes are minted up to; above it (after some
/// 900 billion cards) codes are random again and retried on collision.
const LAST_ASCENDING_CODE: u64 = 999_999_000_000;

/// Largest random gap between two consecutive codes.
const MAX_GAP: u64 = 9;

/// Remembers the last code minted by this writer.
#[derive(Debug, Default)]
pub(super) struct CodeMint {
    last: Option<u64>,
}

impl CodeMint {
    /// A code above every code in the store: read from the store the first
    /// time and after [`CodeMint::forget`], counted on from then.
    pub(super) fn next(&mut self, conn: &Connection) -> rusqlite::Result<String> {
        let last = match self.last {
            Some(last) => last,
            None => highest_code(conn)?,
        };
        let next = last + rand::thread_rng().gen_range(1..=MAX_GAP);
        if next > LAST_ASCENDING_CODE {
            self.last = None;
            return Ok(ids::card_code());
        }
        self.last = Some(next);
        Ok(next.to_string())
    }

    /// Makes the next code read the store's highest again: another process
    /// on the same file took a code this writer meant to mint.
    pub(super) fn forget(&mut self) {
        self.last = None;
    }
}

/// The highest 12-digit code stored, or the lowest a code can be.
fn highest_code(conn: &Connection) -> rusqlite::Result<u64> {
    let highest: Option<String> = conn
        .prepare_cached("SELECT max(code) FROM invoice_cards")?
        .query_row([], |r| r.get(0))?;
    let floor = 100_000_000_000;
    Ok(highest
        .and_then(|code| code.parse::<u64>().ok())
        .filter(|code| (floor..=LAST_ASCENDING_CODE).contains(code))
        .unwrap_or(floor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(codes: &[&str]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE invoice_cards (code TEXT PRIMARY KEY)")
            .unwrap();
        for code in codes {
            conn.execute("INSERT INTO invoice_cards VALUES (?1)", [code])
                .unwrap();
        }
        conn
    }

    #[test]
    fn codes_ascend_above_the_highest_stored_and_keep_the_real_shape() {
        let conn = store_with(&["512345678901", "300000000000"]);
        let mut mint = CodeMint::default();
        let mut previous = 512_345_678_901u64;
        for _ in 0..1000 {
            let code = mint.next(&conn).unwrap();
            assert_eq!(code.len(), 12);
            let value: u64 = code.parse().unwrap();
            assert!(value > previous && value <= previous + MAX_GAP);
            previous = value;
        }
    }

    #[test]
    fn forgetting_reads_codes_another_process_stored() {
        let conn = store_with(&[]);
        let mut mint = CodeMint::default();
        let first: u64 = mint.next(&conn).unwrap().parse().unwrap();
        assert!(first > 100_000_000_000);
        conn.execute("INSERT INTO invoice_cards VALUES ('700000000000')", [])
            .unwrap();
        mint.forget();
        let after: u64 = mint.next(&conn).unwrap().parse().unwrap();
        assert!(after > 700_000_000_000);
    }

    #[test]
    fn near_the_top_codes_are_random_again() {
        let conn = store_with(&["999999000000"]);
        let mut mint = CodeMint::default();
        for _ in 0..20 {
            assert_eq!(mint.next(&conn).unwrap().len(), 12);
        }
    }
}
