//! Reading a ledger file into grids of cells with their addresses: xlsx, xls and ods through
//! calamine (merged cells resolved), CSV in UTF-8 or GB18030 through csv and encoding_rs.

use calamine::{open_workbook_auto, Data, Reader, Sheets};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::path::Path;

/// One cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A spreadsheet number, as the shortest decimal that gives it back (as Excel shows it).
    Number(String),
}

impl Cell {
    pub fn text(&self) -> &str {
        match self {
            Cell::Empty => "",
            Cell::Text(s) | Cell::Number(s) => s,
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

/// One sheet (or the CSV file) as rows of cells, row 0 being the spreadsheet's row 1.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The sheet's name; None for CSV.
    pub sheet: Option<String>,
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
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

impl Grid {
    pub fn cell(&self, r: usize, c: usize) -> &Cell {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&Cell::Empty)
    }

    /// Where a cell is, after `LEDGER:`: `SHEET!D14`, or `14:4` in a CSV file.
    pub fn address(&self, r: usize, c: usize) -> String {
        match &self.sheet {
            Some(s) => format!("{s}!{}{}", col_letters(c), r + 1),
            None => format!("{}:{}", r + 1, c + 1),
        }
    }

    /// Gives the value of a cell merged over several rows to each row it covers.
    fn spread_merges(&mut self) {
        for m in self.merges.clone() {
            if m.last_row == m.first_row {
                continue;
            }
            let v = self.cell(m.first_row, m.first_col).clone();
            for r in m.first_row..=m.last_row {
                let Some(row) = self.rows.get_mut(r) else {
                    break;
                };
                if row.len() <= m.first_col {
                    row.resize(m.first_col + 1, Cell::Empty);
                }
                if row[m.first_col] == Cell::Empty {
                    row[m.first_col] = v.clone();
                }
            }
        }
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

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(i.to_string()),
        Data::Float(f) => Cell::Number(number_text(*f)),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => Cell::Text(dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// Reads the ledger at `path`: every sheet of a workbook in order (only `sheet` when given),
/// or the one grid of a CSV file. Errors are messages about the whole file.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Vec<Grid>, String> {
    if !path.is_file() {
        return Err("there is no such file".into());
    }
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
    if is_csv {
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read the ledger: {e}"))?;
        return csv_grid(&bytes).map(|g| vec![g]);
    }
    let mut wb = open_workbook_auto(path).map_err(|e| {
        format!("cannot read the ledger as a spreadsheet (xlsx, xls, ods or csv): {e}")
    })?;
    let names = wb.sheet_names();
    if let Some(s) = sheet {
        if !names.iter().any(|n| n == s) {
            return Err(format!(
                "the ledger has no sheet `{s}`; its sheets are {}",
                names.join(", ")
            ));
        }
    }
    let mut grids = Vec::new();
    let mut ods_merges: Option<HashMap<String, Vec<Merge>>> = None;
    for name in names
        .iter()
        .filter(|n| sheet.is_none_or(|s| s == n.as_str()))
    {
        let range = wb
            .worksheet_range(name)
            .map_err(|e| format!("cannot read the sheet `{name}`: {e}"))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); r0 as usize];
        for row in range.rows() {
            let mut cells = vec![Cell::Empty; c0 as usize];
            cells.extend(row.iter().map(cell_of));
            rows.push(cells);
        }
        let dims = match &mut wb {
            Sheets::Xlsx(x) => x
                .worksheet_merge_cells(name)
                .and_then(Result::ok)
                .unwrap_or_default(),
            Sheets::Xls(x) => x.worksheet_merge_cells(name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut merges: Vec<Merge> = dims
            .iter()
            .map(|d| Merge {
                first_row: d.start.0 as usize,
                first_col: d.start.1 as usize,
                last_row: d.end.0 as usize,
                last_col: d.end.1 as usize,
            })
            .collect();
        if let Sheets::Ods(_) = wb {
            merges = ods_merges
                .get_or_insert_with(|| ods_merged_cells(path))
                .get(name)
                .cloned()
                .unwrap_or_default();
        }
        let mut g = Grid {
            sheet: Some(name.clone()),
            rows,
            merges,
        };
        g.spread_merges();
        grids.push(g);
    }
    Ok(grids)
}

/// The merged cells of each sheet of an .ods file, which calamine does not report: read from
/// the spans of content.xml (`table:number-rows-spanned`, `table:number-columns-spanned`).
/// Nothing when the file cannot be read so (calamine has read its cells already).
fn ods_merged_cells(path: &Path) -> HashMap<String, Vec<Merge>> {
    let mut out: HashMap<String, Vec<Merge>> = HashMap::new();
    let Ok(file) = std::fs::File::open(path) else {
        return out;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return out;
    };
    let Ok(entry) = zip.by_name("content.xml") else {
        return out;
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
    let attr = |e: &BytesStart, key: &[u8]| -> Option<String> {
        e.attributes()
            .filter_map(Result::ok)
            .find(|a| a.key.as_ref() == key)
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
    };
    let count = |e: &BytesStart, key: &[u8]| -> usize {
        attr(e, key)
            .and_then(|v| v.parse().ok())
            .unwrap_or(1usize)
            .max(1)
    };
    let (mut sheet, mut row, mut col, mut row_repeat) = (None::<String>, 0usize, 0usize, 1usize);
    let mut buf = Vec::new();
    loop {
        let ev = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    b"table:table" => {
                        sheet = attr(e, b"table:name");
                        row = 0;
                    }
                    b"table:table-row" => {
                        col = 0;
                        row_repeat = count(e, b"table:number-rows-repeated");
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        let rows = count(e, b"table:number-rows-spanned");
                        let cols = count(e, b"table:number-columns-spanned");
                        if (rows > 1 || cols > 1) && e.name().as_ref() == b"table:table-cell" {
                            if let Some(s) = &sheet {
                                out.entry(s.clone()).or_default().push(Merge {
                                    first_row: row,
                                    first_col: col,
                                    last_row: row.saturating_add(rows - 1),
                                    last_col: col.saturating_add(cols - 1),
                                });
                            }
                        }
                        col = col.saturating_add(count(e, b"table:number-columns-repeated"));
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"table:table-row" => row = row.saturating_add(row_repeat),
                b"table:table" => sheet = None,
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    out
}

/// Decodes CSV bytes: UTF-8 with or without a byte-order mark, else GB18030 (which GBK is a
/// part of), as Excel and WPS save CSV in China.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err("the CSV file is neither UTF-8 nor GB18030/GBK text".into());
    }
    Ok(text.into_owned())
}

fn csv_grid(bytes: &[u8]) -> Result<Grid, String> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("record {} cannot be read as CSV: {e}", i + 1))?;
        rows.push(
            rec.iter()
                .map(|s| {
                    // data/projects.csv writes `'=…` for text a spreadsheet would run.
                    let s = match s.strip_prefix('\'') {
                        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
                        _ => s,
                    };
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Grid {
        sheet: None,
        rows,
        merges: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_numbers() {
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(3), "D");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(27), "AB");
        assert_eq!(number_text(242500.0), "242500");
        assert_eq!(number_text(24.25), "24.25");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(0.0001), "0.0001");
    }

    #[test]
    fn csv_in_utf8_with_bom_and_gb18030() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("项目名称,总投资\n甲,1\n");
        assert_eq!(decode(&gbk).unwrap(), "项目名称,总投资\n甲,1\n");
        assert_eq!(decode("\u{feff}名称".as_bytes()).unwrap(), "名称");
        let g = csv_grid("a,b\n,\"x,y\"\n'=1+2,'x\n".as_bytes()).unwrap();
        assert_eq!(g.cell(2, 0), &Cell::Text("=1+2".into()));
        assert_eq!(g.cell(2, 1), &Cell::Text("'x".into()));
        assert_eq!(g.cell(1, 1), &Cell::Text("x,y".into()));
        assert_eq!(g.cell(1, 0), &Cell::Empty);
        assert_eq!(g.address(1, 1), "2:2");
    }
}
