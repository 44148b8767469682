//! Identifiers minted by the invoice flows, shaped like the real ones so
//! integrators' column sizes and validators are exercised.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rand::distributions::Alphanumeric;
use rand::Rng;

/// `s_pappid`: base64url (no padding) of `<appid>_<32 random bytes>`, so the
/// platform's appid can be read back from it as from the real ones.
pub fn s_pappid(appid: &str) -> String {
    let mut raw = format!("{appid}_").into_bytes();
    raw.extend(rand::thread_rng().gen::<[u8; 32]>());
    URL_SAFE_NO_PAD.encode(raw)
}

/// A card template id: `p` and 27 URL-safe characters.
pub fn card_id() -> String {
    let bytes: [u8; 21] = rand::thread_rng().gen();
    format!("p{}", &URL_SAFE_NO_PAD.encode(bytes)[..27])
}

/// A card code: 12 digits, not starting with 0.
pub fn card_code() -> String {
    let n: u64 = rand::thread_rng().gen_range(100_000_000_000..1_000_000_000_000);
    n.to_string()
}

/// An `s_media_id`: a 64-bit integer in decimal, 16 digits.
pub fn media_id() -> String {
    let n: u64 = rand::thread_rng().gen_range(1_000_000_000_000_000..10_000_000_000_000_000);
    n.to_string()
}

/// An `encrypt_code` as the invoice chooser hands it out: 44 base64
/// characters. The first 6 bytes are the time in microseconds and the other
/// 26 random: codes minted one after another share their first characters,
/// so the unique index on them grows in one place instead of on a random
/// page per card, while the random part keeps every code unguessable.
pub fn encrypt_code() -> String {
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64);
    let mut raw = [0u8; 32];
    raw[..6].copy_from_slice(&micros.to_be_bytes()[2..]);
    rand::thread_rng().fill(&mut raw[6..]);
    STANDARD.encode(raw)
}

/// An unguessable key for a page or download link.
pub fn link_key() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_ids_have_the_real_shapes() {
        let s = s_pappid("wx5ab0c0de00000001");
        assert_eq!(s.len(), 68);
        let decoded = URL_SAFE_NO_PAD.decode(&s).unwrap();
        assert!(decoded.starts_with(b"wx5ab0c0de00000001_"));
        let c = card_id();
        assert_eq!(c.len(), 28);
        assert!(c.starts_with('p'));
        assert_eq!(card_code().len(), 12);
        assert_eq!(media_id().len(), 16);
        assert_eq!(encrypt_code().len(), 44);
    }

    #[test]
    fn encrypt_codes_minted_together_start_alike_and_differ() {
        let (a, b) = (encrypt_code(), encrypt_code());
        let (a, b) = (STANDARD.decode(a).unwrap(), STANDARD.decode(b).unwrap());
        let micros = |raw: &[u8]| {
            let mut be = [0u8; 8];
            be[2..].copy_from_slice(&raw[..6]);
            u64::from_be_bytes(be)
        };
        let apart = micros(&b).wrapping_sub(micros(&a));
        assert!(apart < 1_000_000, "minted {apart} µs apart");
        assert_ne!(a[6..], b[6..]);
    }
}
