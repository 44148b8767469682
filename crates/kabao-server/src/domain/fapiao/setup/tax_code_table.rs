//! The tax classification table kabao ships (`data/tax_codes.csv`), seen by
//! every merchant in tax-codes before its own additions.

use super::TaxCode;
use std::sync::LazyLock;

const SHIPPED_CSV: &str = include_str!("../../../../data/tax_codes.csv");

static SHIPPED: LazyLock<Vec<TaxCode>> = LazyLock::new(|| parse_table(SHIPPED_CSV));

/// The shipped table, ordered by tax code.
pub fn shipped_tax_codes() -> &'static [TaxCode] {
    &SHIPPED
}

/// Parses the CSV (`#` comments, one header line); a malformed shipped
/// table is a build mistake, so it panics naming the line.
fn parse_table(csv: &str) -> Vec<TaxCode> {
    let mut rows: Vec<TaxCode> = csv
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split(',').map(str::trim).collect();
            assert_eq!(cols.len(), 6, "tax_codes.csv: {line}");
            TaxCode {
                tax_code: cols[0].to_owned(),
                goods_name: cols[1].to_owned(),
                goods_category: cols[2].to_owned(),
                goods_id: cols[3].parse().ok(),
                tax_rate: cols[4]
                    .parse()
                    .unwrap_or_else(|_| panic!("tax_codes.csv tax_rate: {line}")),
                tax_prefer_mark: cols[5].to_owned(),
            }
        })
        .collect();
    rows.sort_by(|a, b| a.tax_code.cmp(&b.tax_code));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fapiao::setup::TAX_PREFER_MARKS;

    #[test]
    fn the_shipped_table_is_well_formed_and_holds_the_seed_code() {
        let table = shipped_tax_codes();
        assert!(table.len() >= 30);
        for row in table {
            assert_eq!(row.tax_code.len(), 19, "{}", row.tax_code);
            assert!(row.tax_code.chars().all(|c| c.is_ascii_digit()));
            assert!([0, 300, 600, 900, 1300].contains(&row.tax_rate));
            assert!(TAX_PREFER_MARKS.contains(&row.tax_prefer_mark.as_str()));
            assert!(row.goods_id.is_some());
            if row.tax_prefer_mark != "NO_FAVORABLE" {
                assert_eq!(row.tax_rate, 0, "{}", row.tax_code);
            }
        }
        let seed = table
            .iter()
            .find(|r| r.tax_code == "3010101020203000000")
            .unwrap();
        assert_eq!(seed.goods_name, "出租汽车客运服务");
        assert_eq!(seed.goods_category, "运输服务");
        let mut codes: Vec<_> = table.iter().map(|r| &r.tax_code).collect();
        codes.dedup();
        assert_eq!(codes.len(), table.len(), "duplicate tax codes");
    }
}
