//! The numbers printed on an issued fapiao: 发票代码, 发票号码, 校验码 and
//! 密码 (the cipher area), made up by kabao the way a tax system would.

use rand::Rng;

/// Which kind of fapiao the numbers are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    /// Classic tax-control e-fapiao: 12-digit code, 8-digit number.
    Classic,
    /// 数电 (fully digital) fapiao: no code, 20-digit number.
    Digital,
}

/// The identifying numbers of one blue or red fapiao.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FapiaoNumbers {
    /// 发票代码 (empty for a 数电 fapiao, which has none).
    pub fapiao_code: String,
    /// 发票号码.
    pub fapiao_number: String,
    /// 校验码 (20 digits).
    pub check_code: String,
    /// 密码区 (108 characters of digits and `+-*/<>`).
    pub password: String,
}

/// The alphabet of the cipher area.
const PASSWORD_ALPHABET: &[u8] = b"0123456789+-*/<>";

/// Fresh numbers for a fapiao issued in `year` (the code carries the year).
pub fn new_numbers(style: NumberStyle, year: i32) -> FapiaoNumbers {
    let mut rng = rand::thread_rng();
    let fapiao_code = match style {
        // 044031900111-like: province 4403, year, batch.
        NumberStyle::Classic => {
            format!("0440319{:02}{}", year.rem_euclid(100), digits(&mut rng, 3))
        }
        NumberStyle::Digital => String::new(),
    };
    let fapiao_number = match style {
        NumberStyle::Classic => digits(&mut rng, 8),
        NumberStyle::Digital => format!("{:02}44{}", year.rem_euclid(100), digits(&mut rng, 16)),
    };
    let password = (0..108)
        .map(|_| PASSWORD_ALPHABET[rng.gen_range(0..PASSWORD_ALPHABET.len())] as char)
        .collect();
    FapiaoNumbers {
        fapiao_code,
        fapiao_number,
        check_code: digits(&mut rng, 20),
        password,
    }
}

/// A card code in the user's card package (12 digits).
pub fn new_card_code() -> String {
    digits(&mut rand::thread_rng(), 12)
}

fn digits(rng: &mut impl Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_and_digital_numbers_have_their_lengths() {
        let classic = new_numbers(NumberStyle::Classic, 2026);
        assert_eq!(classic.fapiao_code.len(), 12);
        assert!(classic.fapiao_code.starts_with("044031926"));
        assert_eq!(classic.fapiao_number.len(), 8);
        assert_eq!(classic.check_code.len(), 20);
        assert_eq!(classic.password.len(), 108);
        let digital = new_numbers(NumberStyle::Digital, 2026);
        assert!(digital.fapiao_code.is_empty());
        assert_eq!(digital.fapiao_number.len(), 20);
        assert_eq!(new_card_code().len(), 12);
    }
}
