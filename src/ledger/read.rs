//! Reading a ledger file into sparse grids of cells with their addresses: xlsx ([`super::xlsx`])
//! and ods ([`super::ods`]) streamed from their zip file, xls through calamine once its size
//! is known to be bounded ([`super::xls`]), CSV in UTF-8 or GB18030 through csv and
//! encoding_rs. What a ledger may hold is bounded ([`super::grid`]), so that a hostile file is
//! refused with an error at its file (and cell) instead of taking the machine's memory.

pub use super::grid::{address, col_letters, number_text, Cell, Grid, Merge};
use super::grid::{date_cell, Budget};
use calamine::{Data, Reader, Xls};
use quick_xml::events::Event;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::Path;

/// The most bytes a part of a workbook (a sheet, the shared strings) may hold unpacked.
pub const MAX_PART: u64 = 64 << 20;
/// The largest ledger file read.
pub const MAX_FILE: u64 = 256 << 20;

/// An error reading a ledger: about the whole file, or at a cell (`SHEET!D7`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub at: Option<String>,
    pub message: String,
}

impl From<String> for ReadError {
    fn from(message: String) -> Self {
        ReadError { at: None, message }
    }
}

impl ReadError {
    pub fn at(at: String, message: impl Into<String>) -> Self {
        ReadError {
            at: Some(at),
            message: message.into(),
        }
    }
}

/// Reads the ledger at `path`: every sheet of a workbook in order (only `sheet` when given),
/// or the one grid of a CSV file.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Vec<Grid>, ReadError> {
    if !path.is_file() {
        return Err(String::from("there is no such file").into());
    }
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE {
        return Err(format!(
            "the file is {} MB, more than the {} MB a ledger may be",
            size >> 20,
            MAX_FILE >> 20
        )
        .into());
    }
    let cannot = |e: io::Error| ReadError::from(format!("cannot read the ledger: {e}"));
    let mut budget = Budget::default();
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
    if is_csv {
        let bytes = std::fs::read(path).map_err(cannot)?;
        return csv_grid(&bytes, &mut budget).map(|g| vec![g]);
    }
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let mut magic = [0u8; 8];
    let n = file.read(&mut magic).map_err(cannot)?;
    file.rewind().map_err(cannot)?;
    let not_a_sheet = || {
        ReadError::from(
            "cannot read the ledger as a spreadsheet (xlsx, xls, ods or csv)".to_string(),
        )
    };
    if magic[..n].starts_with(b"PK") {
        let mut zip = zip::ZipArchive::new(BufReader::new(file))
            .map_err(|e| ReadError::from(format!("{}: {e}", not_a_sheet().message)))?;
        if zip.index_for_name("xl/workbook.xml").is_some() {
            super::xlsx::read(&mut zip, sheet, &mut budget)
        } else if zip.index_for_name("content.xml").is_some() {
            super::ods::read(&mut zip, sheet, &mut budget)
        } else if zip.index_for_name("xl/workbook.bin").is_some() {
            Err(
                String::from("the ledger is an xlsb workbook, which is not read; save it as xlsx")
                    .into(),
            )
        } else {
            Err(not_a_sheet())
        }
    } else if magic[..n].starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        xls(path, sheet, &mut budget)
    } else {
        Err(not_a_sheet())
    }
}

/// The names of a workbook's sheets that are read: all, or only `sheet` (an error when the
/// workbook has no such sheet).
pub fn chosen<'n>(names: &'n [String], sheet: Option<&str>) -> Result<Vec<&'n String>, ReadError> {
    if let Some(s) = sheet {
        if !names.iter().any(|n| n == s) {
            return Err(format!(
                "the ledger has no sheet `{s}`; its sheets are {}",
                names.join(", ")
            )
            .into());
        }
    }
    Ok(names
        .iter()
        .filter(|n| sheet.is_none_or(|s| s == n.as_str()))
        .collect())
}

/// A part of a zip file, read with at most [`MAX_PART`] bytes unpacked: more is an error
/// naming the part, whatever its header claims.
pub fn part<'z, R: Read + Seek>(
    zip: &'z mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<impl BufRead + 'z>, ReadError> {
    let Some(i) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let entry = zip
        .by_index(i)
        .map_err(|e| ReadError::from(format!("cannot read {name} in the ledger: {e}")))?;
    if entry.size() > MAX_PART {
        return Err(too_big(name));
    }
    Ok(Some(BufReader::new(Capped {
        inner: entry,
        left: MAX_PART,
    })))
}

/// The error for a part of a zip file larger than [`MAX_PART`].
pub fn too_big(name: &str) -> ReadError {
    format!(
        "{name} in the ledger unpacks to more than {} MB, which is no table of projects",
        MAX_PART >> 20
    )
    .into()
}

/// The message of the I/O error [`Capped`] gives when its limit is passed.
pub const CAPPED: &str = "sanpi: part too large";

/// A reader that fails once it has given `left` bytes.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self
            .left
            .checked_sub(n as u64)
            .ok_or_else(|| io::Error::other(CAPPED))?;
        Ok(n)
    }
}

/// An XML error while reading `name`: its size when the cap was passed, else what broke.
pub fn xml_error(name: &str, e: &quick_xml::Error) -> ReadError {
    if e.to_string().contains(CAPPED) {
        too_big(name)
    } else {
        format!("{name} in the ledger is not well-formed: {e}").into()
    }
}

/// The value of attribute `key` of an XML element, unescaped.
pub fn attr(e: &quick_xml::events::BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.as_ref() == key)
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value);
            quick_xml::escape::unescape(&raw)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| raw.into_owned())
        })
}

/// Calls `f` with each XML event of the part `name` of a zip file (read as [`part`]); says
/// whether the part is there.
pub fn each_event<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    mut f: impl FnMut(&Event) -> Result<(), ReadError>,
) -> Result<bool, ReadError> {
    let Some(input) = part(zip, name)? else {
        return Ok(false);
    };
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => return Ok(true),
            Ok(ev) => f(&ev)?,
            Err(e) => return Err(xml_error(name, &e)),
        }
        buf.clear();
    }
}

/// Appends the text an XML event holds (text, CDATA, an entity or character reference).
pub fn push_text(out: &mut String, ev: &Event) {
    match ev {
        Event::Text(t) => out.push_str(&t.xml_content().unwrap_or_default()),
        Event::CData(t) => out.push_str(&t.decode().unwrap_or_default()),
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                out.push(c);
            } else if let Some(s) =
                quick_xml::escape::resolve_xml_entity(&r.decode().unwrap_or_default())
            {
                out.push_str(s);
            }
        }
        _ => {}
    }
}

fn cell_of(d: &Data, is_1904: bool) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(i.to_string()),
        Data::Float(f) => Cell::Number(number_text(*f)),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) if !dt.is_duration() => date_cell(dt.as_f64(), is_1904),
        Data::DateTime(dt) => Cell::Number(number_text(dt.as_f64())),
        Data::DateTimeIso(s) => super::grid::iso_date_cell(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// An xls workbook through calamine, once [`super::xls::bounds`] has found that no sheet
/// makes calamine's dense grids large.
fn xls(path: &Path, sheet: Option<&str>, budget: &mut Budget) -> Result<Vec<Grid>, ReadError> {
    super::xls::bounds(path)?;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the ledger: {e}"))?;
    let mut wb = Xls::new(BufReader::new(file)).map_err(|e| {
        format!("cannot read the ledger as a spreadsheet (xlsx, xls, ods or csv): {e}")
    })?;
    let is_1904 = wb.has_1904_epoch();
    let names = wb.sheet_names();
    let mut grids = Vec::new();
    for name in chosen(&names, sheet)? {
        let range = wb
            .worksheet_range(name)
            .map_err(|e| format!("cannot read the sheet `{name}`: {e}"))?;
        let mut cells = Vec::new();
        for (r, c, d) in range.used_cells() {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let (r, c) = (r + r0 as usize, c + c0 as usize);
            let cell = cell_of(d, is_1904);
            let len = cell.text().len();
            if cell.text().chars().count() > super::grid::MAX_CELL_CHARS {
                return Err(ReadError::at(
                    address(Some(name), r, c),
                    super::grid::too_long(cell.text().chars().count()),
                ));
            }
            budget
                .take(1, len)
                .map_err(|m| ReadError::at(address(Some(name), r, c), m))?;
            cells.push((r, c, cell));
        }
        let merges = wb
            .worksheet_merge_cells(name)
            .unwrap_or_default()
            .iter()
            .map(|d| Merge {
                first_row: d.start.0 as usize,
                first_col: d.start.1 as usize,
                last_row: d.end.0 as usize,
                last_col: d.end.1 as usize,
            })
            .collect();
        grids.push(Grid::new(
            Some(name.clone()),
            cells,
            merges,
            Vec::new(),
            budget,
        )?);
    }
    Ok(grids)
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

fn csv_grid(bytes: &[u8], budget: &mut Budget) -> Result<Grid, ReadError> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for (r, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("record {} cannot be read as CSV: {e}", r + 1))?;
        for (c, s) in rec.iter().enumerate() {
            // data/projects.csv writes `'=…` for text a spreadsheet would run.
            let s = match s.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
                _ => s,
            };
            if s.trim().is_empty() {
                continue;
            }
            let at = || address(None, r, c);
            let chars = s.chars().count();
            if chars > super::grid::MAX_CELL_CHARS {
                return Err(ReadError::at(at(), super::grid::too_long(chars)));
            }
            budget
                .take(1, s.len())
                .map_err(|m| ReadError::at(at(), m))?;
            cells.push((r, c, Cell::Text(s.to_string())));
        }
    }
    Ok(Grid::new(None, cells, Vec::new(), Vec::new(), budget)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_bom_and_gb18030() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("项目名称,总投资\n甲,1\n");
        assert_eq!(decode(&gbk).unwrap(), "项目名称,总投资\n甲,1\n");
        assert_eq!(decode("\u{feff}名称".as_bytes()).unwrap(), "名称");
        let g = csv_grid(
            "a,b\n,\"x,y\"\n'=1+2,'x\n".as_bytes(),
            &mut Budget::default(),
        )
        .unwrap();
        assert_eq!(g.cell(2, 0), &Cell::Text("=1+2".into()));
        assert_eq!(g.cell(2, 1), &Cell::Text("'x".into()));
        assert_eq!(g.cell(1, 1), &Cell::Text("x,y".into()));
        assert_eq!(g.cell(1, 0), &Cell::Empty);
        assert_eq!(g.address(1, 1), "2:2");
    }
}
