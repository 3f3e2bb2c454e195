//! An ods workbook read straight from its `content.xml` with quick-xml: the cells that hold
//! values (repeated rows and columns counted against the budget, empty ones costing nothing),
//! merged ranges from the spans, and formulas saved without their value.

use super::grid::{iso_date_cell, number_text, too_long, Budget, MAX_CELL_CHARS};
use super::read::{address, attr, chosen, each_event, push_text, Cell, Grid, Merge, ReadError};
use quick_xml::events::{BytesStart, Event};
use std::io::{Read, Seek};

/// The cell being read: its column, how many times it repeats, and what it holds.
struct Pending {
    col: usize,
    repeat: usize,
    /// The value from the cell's attributes (numbers, dates, booleans).
    value: Option<Cell>,
    formula: bool,
    text: String,
    paragraphs: usize,
}

/// One table being read.
#[derive(Default)]
struct Table {
    name: String,
    read: bool,
    row: usize,
    row_repeat: usize,
    col: usize,
    row_cells: Vec<(usize, usize, Cell)>,
    cells: Vec<(usize, usize, Cell)>,
    merges: Vec<Merge>,
    unsaved: Vec<(usize, usize)>,
}

/// Reads the sheets of the workbook (only `sheet` when given), in order.
pub(super) fn read<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    sheet: Option<&str>,
    budget: &mut Budget,
) -> Result<Vec<Grid>, ReadError> {
    let mut names = Vec::new();
    let mut grids = Vec::new();
    let mut t: Option<Table> = None;
    let mut cell: Option<Pending> = None;
    let mut note = 0usize; // depth inside office:annotation, whose text is no value
    each_event(zip, "content.xml", |ev| {
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    b"table:table" if !empty => {
                        let name = attr(e, b"table:name").unwrap_or_default();
                        names.push(name.clone());
                        t = Some(Table {
                            read: sheet.is_none_or(|s| s == name),
                            name,
                            ..Table::default()
                        });
                    }
                    b"table:table-row" => {
                        if let Some(t) = &mut t {
                            t.col = 0;
                            t.row_repeat = count(e, b"table:number-rows-repeated");
                            if empty {
                                t.row = t.row.saturating_add(t.row_repeat);
                            }
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        if let Some(t) = t.as_mut().filter(|t| t.read) {
                            if e.name().as_ref() == b"table:table-cell" {
                                let rows = count(e, b"table:number-rows-spanned");
                                let cols = count(e, b"table:number-columns-spanned");
                                if rows > 1 || cols > 1 {
                                    t.merges.push(Merge {
                                        first_row: t.row,
                                        first_col: t.col,
                                        last_row: t.row.saturating_add(rows - 1),
                                        last_col: t.col.saturating_add(cols - 1),
                                    });
                                }
                            }
                            let p = Pending {
                                col: t.col,
                                repeat: count(e, b"table:number-columns-repeated"),
                                value: attr_value(e),
                                formula: attr(e, b"table:formula").is_some(),
                                text: String::new(),
                                paragraphs: 0,
                            };
                            t.col = t.col.saturating_add(p.repeat);
                            if empty {
                                finish(t, p, budget)?;
                            } else {
                                cell = Some(p);
                            }
                        } else if let Some(t) = &mut t {
                            t.col = t
                                .col
                                .saturating_add(count(e, b"table:number-columns-repeated"));
                        }
                    }
                    b"office:annotation" if !empty => note += 1,
                    name if note == 0 => {
                        if let Some(p) = &mut cell {
                            match name {
                                b"text:p" | b"text:h" => {
                                    if p.paragraphs > 0 {
                                        p.text.push('\n');
                                    }
                                    p.paragraphs += 1;
                                }
                                b"text:s" => {
                                    let n = count(e, b"text:c").min(MAX_CELL_CHARS + 1);
                                    p.text.extend(std::iter::repeat_n(' ', n));
                                }
                                b"text:tab" => p.text.push('\t'),
                                b"text:line-break" => p.text.push('\n'),
                                _ => {}
                            }
                            cap(&mut p.text);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"office:annotation" => note = note.saturating_sub(1),
                b"table:table-cell" | b"table:covered-table-cell" => {
                    if let (Some(t), Some(p)) = (&mut t, cell.take()) {
                        finish(t, p, budget)?;
                    }
                }
                b"table:table-row" => {
                    if let Some(t) = &mut t {
                        end_row(t, budget)?;
                    }
                }
                b"table:table" => {
                    if let Some(t) = t.take().filter(|t| t.read) {
                        grids.push(Grid::new(
                            Some(t.name),
                            t.cells,
                            t.merges,
                            t.unsaved,
                            budget,
                        )?);
                    }
                }
                _ => {}
            },
            ev if note == 0 => {
                if let Some(p) = &mut cell {
                    push_text(&mut p.text, ev);
                    cap(&mut p.text);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    chosen(&names, sheet)?;
    Ok(grids)
}

/// Stops a cell's text from growing far beyond what a cell may hold (it is then refused).
fn cap(text: &mut String) {
    let most = (MAX_CELL_CHARS + 1) * 4;
    if text.len() > most {
        let mut end = most;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

/// A count attribute (repeats, spans): 1 when missing or not a number.
fn count(e: &BytesStart, key: &[u8]) -> usize {
    attr(e, key)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1usize)
        .max(1)
}

/// The value a cell's attributes give (numbers, dates, times, booleans); `None` for text.
fn attr_value(e: &BytesStart) -> Option<Cell> {
    let v = |k: &[u8]| attr(e, k).unwrap_or_default();
    match attr(e, b"office:value-type")?.as_str() {
        "float" | "percentage" | "currency" => {
            let s = v(b"office:value");
            Some(match s.trim().parse::<f64>() {
                Ok(f) => Cell::Number(number_text(f)),
                Err(_) => Cell::Text(s),
            })
        }
        "date" => Some(iso_date_cell(v(b"office:date-value").trim())),
        "time" => Some(time_cell(&v(b"office:time-value"))),
        "boolean" => Some(Cell::Text(
            matches!(v(b"office:boolean-value").trim(), "true" | "1").to_string(),
        )),
        _ => Some(Cell::Empty), // text: from the paragraphs
    }
}

/// An ISO duration such as `PT12H30M00S` as `12:30:00`; other text as it is.
fn time_cell(s: &str) -> Cell {
    let parts = s.trim().strip_prefix("PT").and_then(|rest| {
        let (h, rest) = rest.split_once('H')?;
        let (m, rest) = rest.split_once('M')?;
        let sec = rest.strip_suffix('S')?;
        let sec = sec.split('.').next()?;
        Some((
            h.parse::<u64>().ok()?,
            m.parse::<u64>().ok()?,
            sec.parse::<u64>().ok()?,
        ))
    });
    match parts {
        Some((h, m, s)) => Cell::Date(format!("{h:02}:{m:02}:{s:02}")),
        None => Cell::Text(s.to_string()),
    }
}

/// Keeps a read cell for its row (or notes a formula without its value).
fn finish(t: &mut Table, p: Pending, budget: &mut Budget) -> Result<(), ReadError> {
    let at = |c: usize| address(Some(&t.name), t.row, c);
    let cell = match p.value {
        Some(Cell::Empty) | None if !p.text.trim().is_empty() => Cell::Text(p.text),
        Some(v) => v,
        None if p.formula => {
            t.unsaved.push((t.row, p.col));
            return Ok(());
        }
        None => return Ok(()),
    };
    if cell.text().trim().is_empty() {
        return Ok(());
    }
    let n = cell.text().chars().count();
    if n > MAX_CELL_CHARS {
        return Err(ReadError::at(at(p.col), too_long(n)));
    }
    budget
        .take(p.repeat, cell.text().len())
        .map_err(|m| ReadError::at(at(p.col), m))?;
    for k in 0..p.repeat {
        t.row_cells
            .push((t.row, p.col.saturating_add(k), cell.clone()));
    }
    Ok(())
}

/// Ends a row: its cells, once for each time the row repeats.
fn end_row(t: &mut Table, budget: &mut Budget) -> Result<(), ReadError> {
    let cells = std::mem::take(&mut t.row_cells);
    if t.row_repeat > 1 {
        for (r, c, cell) in &cells {
            budget
                .take(t.row_repeat - 1, cell.text().len())
                .map_err(|m| ReadError::at(address(Some(&t.name), *r, *c), m))?;
        }
        for k in 1..t.row_repeat {
            for (r, c, cell) in &cells {
                t.cells.push((r.saturating_add(k), *c, cell.clone()));
            }
        }
    }
    t.cells.extend(cells);
    t.row = t.row.saturating_add(t.row_repeat);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_clock_times() {
        assert_eq!(time_cell("PT12H30M00S"), Cell::Date("12:30:00".into()));
        assert_eq!(time_cell("PT1H2M3.5S"), Cell::Date("01:02:03".into()));
        assert_eq!(time_cell("x"), Cell::Text("x".into()));
    }
}
