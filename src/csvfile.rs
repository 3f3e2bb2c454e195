//! The CSV writer every CSV file of the output uses: UTF-8 with a byte-order mark, CRLF, and
//! cells that a spreadsheet would run as formulas defused.

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Text that a spreadsheet would run as a formula is prefixed with `'`, as OWASP advises.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A CSV file: UTF-8 with a byte-order mark, so that spreadsheets show Chinese correctly.
pub(crate) fn bytes(head: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    // Writing into a Vec cannot fail.
    let _ = w.write_record(head);
    for r in rows {
        let _ = w.write_record(r.iter().map(|c| defuse(c)));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_has_bom_and_defuses_formulas() {
        let b = super::bytes(
            &["a", "b"],
            &[
                vec!["=1+2".into(), "-3.5".into()],
                vec!["x,y".into(), "中".into()],
            ],
        );
        assert!(b.starts_with(super::BOM));
        let t = String::from_utf8(b[3..].to_vec()).unwrap();
        assert_eq!(t, "a,b\r\n'=1+2,-3.5\r\n\"x,y\",中\r\n");
    }
}
