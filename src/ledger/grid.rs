//! A sheet of a ledger as a sparse grid: only the cells that hold values are kept, so a stray
//! cell far from the table costs nothing; and the budget that bounds what a ledger may hold.

use std::collections::{BTreeMap, HashSet};

/// The most cells with values a ledger may hold, all sheets together (a ledger of 50,000
/// projects in 40 columns), merged values spread included.
pub const MAX_CELLS: usize = 2_000_000;
/// The most bytes of text the cells of a ledger may hold together.
pub const MAX_TEXT: usize = 128 << 20;
/// The most characters of one cell: what Excel and WPS let a cell hold.
pub const MAX_CELL_CHARS: usize = 32_767;
/// The most merged ranges of one sheet.
pub const MAX_MERGES: usize = 100_000;

/// One cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A spreadsheet number, as the shortest decimal that gives it back (as Excel shows it).
    Number(String),
    /// A date-typed cell as `YYYY-MM-DD` (`YYYY-MM-DD HH:MM:SS` with a time of day, `HH:MM:SS`
    /// for a time alone).
    Date(String),
}

impl Cell {
    pub fn text(&self) -> &str {
        match self {
            Cell::Empty => "",
            Cell::Text(s) | Cell::Number(s) | Cell::Date(s) => s,
        }
    }
}

/// A rectangle of merged cells, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub first_col: usize,
    pub last_row: usize,
    pub last_col: usize,
}

/// A row: its cells with values, by column.
pub type Row = Vec<(usize, Cell)>;

/// One sheet (or the CSV file), row 0 being the spreadsheet's row 1.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// The sheet's name; None for CSV.
    pub sheet: Option<String>,
    rows: BTreeMap<usize, Row>,
    pub merges: Vec<Merge>,
    /// Formula cells saved without their value, which cannot be read.
    pub unsaved: Vec<(usize, usize)>,
    /// The filled cells inside a merged range three columns wide or more.
    wide: HashSet<(usize, usize)>,
}

/// Column letters as a spreadsheet shows them: 0 is A, 26 is AA.
pub fn col_letters(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// What is left of the cells and text a ledger may hold ([`MAX_CELLS`], [`MAX_TEXT`]).
#[derive(Debug)]
pub struct Budget {
    cells: usize,
    bytes: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            cells: MAX_CELLS,
            bytes: MAX_TEXT,
        }
    }
}

impl Budget {
    /// Takes `n` cells of `len` bytes of text each, or says why the ledger holds too much.
    pub fn take(&mut self, n: usize, len: usize) -> Result<(), String> {
        let bytes = n.saturating_mul(len);
        if n > self.cells {
            return Err(format!(
                "the ledger holds more than {MAX_CELLS} cells with values, which is no table of \
                 projects; remove what is not one"
            ));
        }
        if bytes > self.bytes {
            return Err(format!(
                "the ledger holds more than {} MB of text, which is no table of projects; remove \
                 what is not one",
                MAX_TEXT >> 20
            ));
        }
        self.cells -= n;
        self.bytes -= bytes;
        Ok(())
    }
}

/// The error for a cell that holds more than [`MAX_CELL_CHARS`].
pub fn too_long(chars: usize) -> String {
    format!(
        "this cell holds {chars} characters, more than the {MAX_CELL_CHARS} a spreadsheet cell \
         can hold"
    )
}

impl Grid {
    /// A grid of the dense `rows` (CSV, tests): empty cells left out.
    pub fn from_rows(sheet: Option<String>, rows: Vec<Vec<Cell>>, merges: Vec<Merge>) -> Grid {
        let mut cells = Vec::new();
        for (r, row) in rows.into_iter().enumerate() {
            for (c, cell) in row.into_iter().enumerate() {
                cells.push((r, c, cell));
            }
        }
        let mut budget = Budget {
            cells: usize::MAX,
            bytes: usize::MAX,
        };
        Grid::new(sheet, cells, merges, Vec::new(), &mut budget).unwrap_or_default()
    }

    /// A grid of `cells` (row, column, value, in any order; empty ones are dropped), with
    /// merged values spread down over the rows they cover, each spread value taken from
    /// `budget`.
    pub fn new(
        sheet: Option<String>,
        cells: Vec<(usize, usize, Cell)>,
        merges: Vec<Merge>,
        unsaved: Vec<(usize, usize)>,
        budget: &mut Budget,
    ) -> Result<Grid, String> {
        let mut rows: BTreeMap<usize, Row> = BTreeMap::new();
        for (r, c, cell) in cells {
            if cell != Cell::Empty {
                rows.entry(r).or_default().push((c, cell));
            }
        }
        for row in rows.values_mut() {
            row.sort_by_key(|(c, _)| *c);
            row.dedup_by_key(|(c, _)| *c);
        }
        let mut g = Grid {
            sheet,
            rows,
            merges,
            unsaved,
            wide: HashSet::new(),
        };
        g.spread_merges(budget)?;
        Ok(g)
    }

    pub fn cell(&self, r: usize, c: usize) -> &Cell {
        let row = self.row(r);
        match row.binary_search_by_key(&c, |(c, _)| *c) {
            Ok(i) => &row[i].1,
            Err(_) => &Cell::Empty,
        }
    }

    /// The cells with values of row `r`, by column.
    pub fn row(&self, r: usize) -> &[(usize, Cell)] {
        self.rows.get(&r).map_or(&[], |row| &row[..])
    }

    /// The rows that hold values from row `from` on, in order.
    pub fn rows_from(&self, from: usize) -> impl Iterator<Item = (usize, &[(usize, Cell)])> {
        self.rows.range(from..).map(|(r, row)| (*r, &row[..]))
    }

    /// The texts of row `r`, column by column up to its last cell with a value.
    pub fn texts(&self, r: usize) -> Vec<String> {
        let row = self.row(r);
        let mut out = vec![String::new(); row.last().map_or(0, |(c, _)| c + 1)];
        for (c, cell) in row {
            out[*c] = cell.text().to_string();
        }
        out
    }

    /// Whether the filled cell at `r`, `c` is inside a merged range three columns wide or
    /// more.
    pub fn in_wide_merge(&self, r: usize, c: usize) -> bool {
        self.wide.contains(&(r, c))
    }

    /// Where a cell is, after `LEDGER:`: `SHEET!D14`, or `14:4` in a CSV file.
    pub fn address(&self, r: usize, c: usize) -> String {
        address(self.sheet.as_deref(), r, c)
    }

    /// Gives the value of a cell merged over several rows to each row it covers that holds
    /// values of its own, and notes the cells of wide merges. The work is bounded by
    /// `budget`, whatever the merged ranges (overlapping, covering the whole sheet).
    fn spread_merges(&mut self, budget: &mut Budget) -> Result<(), String> {
        if self.merges.len() > MAX_MERGES {
            return Err(format!(
                "the sheet `{}` has more than {MAX_MERGES} merged ranges",
                self.sheet.as_deref().unwrap_or_default()
            ));
        }
        let mut work = MAX_CELLS;
        let mut spend = |n: usize| -> Result<(), String> {
            work = work.checked_sub(n).ok_or_else(|| {
                "the ledger's merged cells cover more than the cells it may hold".to_string()
            })?;
            Ok(())
        };
        for m in self.merges.clone() {
            if m.last_row > m.first_row {
                let v = self.cell(m.first_row, m.first_col).clone();
                if v != Cell::Empty {
                    let from = m.first_row.saturating_add(1);
                    for (_, row) in self.rows.range_mut(from..=m.last_row.max(from)) {
                        spend(1)?;
                        if let Err(i) = row.binary_search_by_key(&m.first_col, |(c, _)| *c) {
                            budget.take(1, v.text().len())?;
                            row.insert(i, (m.first_col, v.clone()));
                        }
                    }
                }
            }
            if m.last_col >= m.first_col.saturating_add(2) {
                for (r, row) in self.rows.range(m.first_row..=m.last_row.max(m.first_row)) {
                    spend(1)?;
                    for (c, _) in row
                        .iter()
                        .filter(|(c, _)| (m.first_col..=m.last_col).contains(c))
                    {
                        spend(1)?;
                        self.wide.insert((*r, *c));
                    }
                }
            }
        }
        Ok(())
    }
}

/// A cell's address: `SHEET!D14`, or `14:4` without a sheet (CSV).
pub fn address(sheet: Option<&str>, r: usize, c: usize) -> String {
    match sheet {
        Some(s) => format!("{s}!{}{}", col_letters(c), r + 1),
        None => format!("{}:{}", r + 1, c + 1),
    }
}

/// A spreadsheet number as Excel shows it: the shortest decimal that reads back to it, cut to
/// 15 significant digits (so that 0.1 + 0.2 reads 0.3).
pub fn number_text(v: f64) -> String {
    let s = format!("{v}");
    let significant = s.bytes().filter(u8::is_ascii_digit).count()
        - s.bytes()
            .take_while(|b| *b == b'0' || *b == b'.')
            .filter(|b| *b == b'0')
            .count();
    if significant <= 15 {
        return s;
    }
    format!("{v:.14e}")
        .parse::<f64>()
        .map(|r| format!("{r}"))
        .unwrap_or(s)
}

/// A date-typed cell's serial number (days since 1899-12-30, or 1904-01-01) as a
/// [`Cell::Date`]: `YYYY-MM-DD`, with ` HH:MM:SS` when it has a time of day, `HH:MM:SS` for a
/// time alone (a serial below 1).
pub fn date_cell(serial: f64, is_1904: bool) -> Cell {
    use calamine::{ExcelDateTime, ExcelDateTimeType};
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return Cell::Number(number_text(serial));
    }
    let dt = ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904);
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    let time = format!("{h:02}:{mi:02}:{s:02}");
    Cell::Date(if serial < 1.0 && !is_1904 {
        time
    } else if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {time}")
    })
}

/// An ISO 8601 date or date-time (`2024-03-15`, `2024-03-15T10:30:00.5`) as a
/// [`Cell::Date`], written as [`date_cell`] writes dates; other text as it is.
pub fn iso_date_cell(s: &str) -> Cell {
    let (date, time) = s.split_once('T').unwrap_or((s, ""));
    let time: String = time.chars().take(8).collect();
    if time.is_empty() || time.trim_start_matches(['0', ':']).is_empty() {
        Cell::Date(date.to_string())
    } else {
        Cell::Date(format!("{date} {time}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_numbers_and_dates() {
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(3), "D");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(27), "AB");
        assert_eq!(number_text(242500.0), "242500");
        assert_eq!(number_text(24.25), "24.25");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(0.0001), "0.0001");
        assert_eq!(date_cell(45366.0, false).text(), "2024-03-15");
        assert_eq!(date_cell(45474.75, false).text(), "2024-07-01 18:00:00");
        assert_eq!(date_cell(0.5, false).text(), "12:00:00");
        assert_eq!(iso_date_cell("2024-03-15T00:00:00").text(), "2024-03-15");
        assert_eq!(
            iso_date_cell("2024-03-15T10:30:00.5").text(),
            "2024-03-15 10:30:00"
        );
    }

    #[test]
    fn a_grid_is_sparse_and_spreads_merges_into_rows_with_values() {
        let mut budget = Budget::default();
        let cells = vec![
            (0, 0, Cell::Text("甲".into())),
            (1, 1, Cell::Text("x".into())),
            (5, 1, Cell::Text("y".into())),
            (999_999, 16_383, Cell::Number("1".into())),
        ];
        let merge = Merge {
            first_row: 0,
            first_col: 0,
            last_row: 1_048_575,
            last_col: 2,
        };
        let g = Grid::new(Some("S".into()), cells, vec![merge], vec![], &mut budget).unwrap();
        assert_eq!(g.cell(5, 0).text(), "甲");
        assert_eq!(g.cell(2, 0), &Cell::Empty);
        assert!(g.in_wide_merge(1, 1) && !g.in_wide_merge(999_999, 16_383));
        assert_eq!(g.rows_from(0).count(), 4);
        assert_eq!(g.address(999_999, 16_383), "S!XFD1000000");
    }
}
