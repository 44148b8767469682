//! Tax math of a fapiao line (fapiao-domain §4.2): the merchant gives the
//! line total (tax included) and the rate; kabao splits it into amount and
//! tax, tax first, rounding half away from zero, in integer fen.

/// `tax_rate` is in ten-thousandths: 1300 = 13 %.
pub const TAX_RATE_SCALE: i64 = 10_000;

/// The highest `tax_rate` kabao accepts (100 %).
pub const MAX_TAX_RATE: i64 = TAX_RATE_SCALE;

/// A line total split into its amount before tax and its tax, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineSplit {
    /// 金额: the total without tax.
    pub amount: i64,
    /// 税额.
    pub tax_amount: i64,
}

/// Splits a tax-included `total` (fen, negative for a discount line) at
/// `tax_rate` (ten-thousandths). `tax_free` is true when the line's
/// `tax_prefer_mark` is anything but NO_FAVORABLE: its tax is then 0.
/// `tax = round_half_up(total × rate / (10000 + rate))`, `amount = total − tax`,
/// with a negative total rounded like its absolute value.
pub fn split_line_total(total: i64, tax_rate: i64, tax_free: bool) -> LineSplit {
    if tax_free || tax_rate <= 0 {
        return LineSplit {
            amount: total,
            tax_amount: 0,
        };
    }
    let magnitude = i128::from(total.unsigned_abs());
    let rate = i128::from(tax_rate);
    let denominator = 2 * (i128::from(TAX_RATE_SCALE) + rate);
    let tax = (2 * magnitude * rate + denominator / 2) / denominator;
    let tax = i64::try_from(tax).unwrap_or(i64::MAX) * total.signum();
    LineSplit {
        amount: total - tax,
        tax_amount: tax,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reproduces_the_reference_examples() {
        assert_eq!(
            split_line_total(429_900, 1300, false),
            LineSplit {
                amount: 380_442,
                tax_amount: 49_458
            }
        );
        assert_eq!(split_line_total(382_895, 1300, false).tax_amount, 44_050);
    }

    #[test]
    fn a_tax_free_line_has_no_tax() {
        assert_eq!(
            split_line_total(10_000, 1300, true),
            LineSplit {
                amount: 10_000,
                tax_amount: 0
            }
        );
    }

    #[test]
    fn an_exact_half_fen_rounds_up() {
        // rate 10000 (100 %): tax = total / 2, so an odd total ends in .5.
        assert_eq!(split_line_total(3, 10_000, false).tax_amount, 2);
        assert_eq!(split_line_total(-3, 10_000, false).tax_amount, -2);
    }

    proptest! {
        #[test]
        fn amount_and_tax_add_up_to_the_total(total in -1_000_000_000_000i64..1_000_000_000_000, rate in 0i64..=MAX_TAX_RATE, free in any::<bool>()) {
            let split = split_line_total(total, rate, free);
            prop_assert_eq!(split.amount + split.tax_amount, total);
        }

        #[test]
        fn the_tax_is_the_nearest_fen_to_the_exact_tax(total in 0i64..1_000_000_000_000, rate in 1i64..=MAX_TAX_RATE) {
            let split = split_line_total(total, rate, false);
            // |tax·(10000+rate) − total·rate| ≤ (10000+rate)/2
            let exact_scaled = i128::from(total) * i128::from(rate);
            let got_scaled = i128::from(split.tax_amount) * i128::from(TAX_RATE_SCALE + rate);
            prop_assert!((got_scaled - exact_scaled).abs() * 2 <= i128::from(TAX_RATE_SCALE + rate));
        }

        #[test]
        fn a_negative_total_splits_as_the_mirror_of_its_absolute_value(total in 1i64..1_000_000_000_000, rate in 0i64..=MAX_TAX_RATE) {
            let positive = split_line_total(total, rate, false);
            let negative = split_line_total(-total, rate, false);
            prop_assert_eq!(negative.tax_amount, -positive.tax_amount);
            prop_assert_eq!(negative.amount, -positive.amount);
        }

        #[test]
        fn the_tax_never_exceeds_the_total_and_grows_with_the_rate(total in 0i64..1_000_000_000_000, rate in 0i64..MAX_TAX_RATE) {
            let lower = split_line_total(total, rate, false);
            let higher = split_line_total(total, rate + 1, false);
            prop_assert!(lower.tax_amount <= higher.tax_amount);
            prop_assert!(higher.tax_amount <= total);
            prop_assert!(lower.amount >= 0);
        }
    }
}
