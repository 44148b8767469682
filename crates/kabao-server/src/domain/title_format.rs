//! The formats the authorisation page checks in an invoice title, as the
//! real page does before it lets a person confirm: a taxpayer id of 15 to
//! 20 digits or capital letters, a phone of digits, an email address.

/// Longest email address accepted.
const MAX_EMAIL_CHARS: usize = 100;

/// 统一社会信用代码 / 纳税人识别号: 15 to 20 digits or capital letters.
pub fn valid_taxpayer_id(id: &str) -> bool {
    (15..=20).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

/// A mobile or landline number: 6 to 20 digits or `-`, an optional `+`.
pub fn valid_phone(phone: &str) -> bool {
    let digits = phone.strip_prefix('+').unwrap_or(phone);
    (6..=20).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        && digits.bytes().any(|b| b.is_ascii_digit())
}

/// `local@domain.tld` without spaces.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.chars().count() <= MAX_EMAIL_CHARS
        && !email.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_accept_real_values_and_refuse_typos() {
        assert!(valid_taxpayer_id("91440300MA5EXAMPLE"));
        assert!(!valid_taxpayer_id("9144030"));
        assert!(!valid_taxpayer_id("91440300ma5example"));
        assert!(valid_phone("13800138000") && valid_phone("0755-86013388"));
        assert!(!valid_phone("call me") && !valid_phone("------"));
        assert!(valid_email("buyer@example.com"));
        assert!(!valid_email("buyer@") && !valid_email("buyer example.com"));
    }
}
