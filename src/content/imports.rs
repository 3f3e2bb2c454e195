//! content/imports.yaml: what `sanpi import` remembers about the ledgers it read, which no
//! project file says: the period of the latest ledger that listed each project.

use crate::content::entry::{self, Origin};
use crate::diagnostics::Diagnostic;
use crate::source::Source;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The file, relative to the site's root.
pub const PATH: &str = "content/imports.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    ledger_period: BTreeMap<String, u32>,
}

/// content/imports.yaml as read.
#[derive(Debug, Clone)]
pub struct Imports {
    pub origin: Origin,
    /// Project id → the period of the latest ledger imported that listed the project.
    pub ledger_period: BTreeMap<String, u32>,
}

impl Imports {
    pub fn parse(src: &Source) -> Result<Imports, Diagnostic> {
        let parsed = entry::parse::<Raw>(src, false)?;
        Ok(Imports {
            origin: parsed.origin,
            ledger_period: parsed.raw.ledger_period,
        })
    }
}

/// The text of content/imports.yaml holding `ledger_period`, as `sanpi import` writes it:
/// a comment saying what it is, then one line per project, by id.
pub fn text(ledger_period: &BTreeMap<String, u32>) -> String {
    let mut out = String::from(
        "# Kept by `sanpi import`: the period of the latest ledger (项目台账) that listed each\n\
         # project, shown on its page. Importing a ledger updates it.\n",
    );
    if ledger_period.is_empty() {
        out.push_str("ledger_period: {}\n");
        return out;
    }
    out.push_str("ledger_period:\n");
    for (id, n) in ledger_period {
        // Ids are slugs (lowercase ASCII, digits, hyphens), plain YAML keys as they are.
        out.push_str(&format!("  {id}: {n}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        crate::source::decode(text.as_bytes().to_vec(), PATH).unwrap()
    }

    #[test]
    fn the_written_text_reads_back() {
        let map = BTreeMap::from([("a-park".to_string(), 6), ("b".to_string(), 7)]);
        let read = Imports::parse(&src(&text(&map))).unwrap();
        assert_eq!(read.ledger_period, map);
        let empty = Imports::parse(&src(&text(&BTreeMap::new()))).unwrap();
        assert!(empty.ledger_period.is_empty());
        assert!(Imports::parse(&src("# nothing yet\n"))
            .unwrap()
            .ledger_period
            .is_empty());
    }

    #[test]
    fn a_wrong_value_is_an_error_at_its_line() {
        let e = Imports::parse(&src("ledger_period:\n  a: seven\n")).unwrap_err();
        assert_eq!(e.path, PATH);
        assert_eq!(e.pos.map(|p| p.line), Some(2), "{e}");
        let e = Imports::parse(&src("periods:\n  a: 7\n")).unwrap_err();
        assert_eq!(e.pos.map(|p| p.line), Some(1), "{e}");
    }
}
