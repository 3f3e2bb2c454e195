//! An xlsx workbook read straight from its zip file with quick-xml, cell by cell: only the
//! cells that hold values are kept (a sheet's `<dimension>` is never trusted), date-formatted
//! numbers become dates, and a formula saved without its value is noted, not read as empty.

use super::grid::{date_cell, iso_date_cell, number_text, too_long, Budget, MAX_CELL_CHARS};
use super::read::{address, attr, chosen, each_event, push_text, Cell, Grid, Merge, ReadError};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{Read, Seek};

/// Rows and columns a sheet has.
const ROWS: usize = 1 << 20;
const COLS: usize = 1 << 14;

/// A shared string, or the length of one too long for a cell.
type Shared = Result<Box<str>, usize>;

/// Reads the sheets of the workbook (only `sheet` when given), in order.
pub(super) fn read<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    sheet: Option<&str>,
    budget: &mut Budget,
) -> Result<Vec<Grid>, ReadError> {
    let (sheets, is_1904) = workbook(zip)?;
    let dates = date_styles(zip)?;
    let strings = shared_strings(zip)?;
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    let paths: HashMap<&String, &String> = sheets.iter().map(|(n, p)| (n, p)).collect();
    let mut grids = Vec::new();
    for name in chosen(&names, sheet)? {
        let ctx = Ctx {
            name,
            strings: &strings,
            dates: &dates,
            is_1904,
        };
        grids.push(sheet_grid(zip, paths[name], &ctx, budget)?);
    }
    Ok(grids)
}

/// The sheets' names and parts, in order, and whether dates count from 1904.
fn workbook<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> Result<(Vec<(String, String)>, bool), ReadError> {
    let mut targets: HashMap<String, String> = HashMap::new();
    each_event(zip, "xl/_rels/workbook.xml.rels", |ev| {
        if let Event::Start(e) | Event::Empty(e) = ev {
            if e.local_name().as_ref() == b"Relationship" {
                if let (Some(id), Some(t)) = (attr(e, b"Id"), attr(e, b"Target")) {
                    let t = match t.strip_prefix('/') {
                        Some(abs) => abs.to_string(),
                        None => format!("xl/{t}"),
                    };
                    targets.insert(id, t);
                }
            }
        }
        Ok(())
    })?;
    let (mut sheets, mut is_1904) = (Vec::new(), false);
    each_event(zip, "xl/workbook.xml", |ev| {
        if let Event::Start(e) | Event::Empty(e) = ev {
            match e.local_name().as_ref() {
                b"sheet" => {
                    let name = attr(e, b"name").unwrap_or_default();
                    let id = e
                        .attributes()
                        .filter_map(Result::ok)
                        .find(|a| a.key.local_name().as_ref() == b"id" && a.key.prefix().is_some())
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                    let path = id.and_then(|id| targets.get(&id).cloned());
                    sheets.push((name, path.unwrap_or_default()));
                }
                b"workbookPr" => {
                    is_1904 = matches!(attr(e, b"date1904").as_deref(), Some("1" | "true"));
                }
                _ => {}
            }
        }
        Ok(())
    })?;
    Ok((sheets, is_1904))
}

/// For each cell style (`s="N"`), whether its number format shows a date or time.
fn date_styles<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<Vec<bool>, ReadError> {
    let mut formats: HashMap<String, bool> = HashMap::new();
    let (mut styles, mut in_xfs) = (Vec::new(), false);
    each_event(zip, "xl/styles.xml", |ev| {
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"numFmt" => {
                    if let (Some(id), Some(code)) = (attr(e, b"numFmtId"), attr(e, b"formatCode")) {
                        formats.insert(id, is_date_format(&code));
                    }
                }
                b"cellXfs" => in_xfs = matches!(ev, Event::Start(_)),
                b"xf" if in_xfs => {
                    let id = attr(e, b"numFmtId").unwrap_or_default();
                    let builtin = id.parse::<u32>().is_ok_and(
                        |n| matches!(n, 14..=22 | 27..=36 | 45..=47 | 50..=58 | 71..=81),
                    );
                    styles.push(formats.get(&id).copied().unwrap_or(builtin));
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
            _ => {}
        }
        Ok(())
    })?;
    Ok(styles)
}

/// Whether a number format code shows a date or time: a y, m, d, h or s outside quoted text,
/// brackets (`[Red]`, `[$-804]`) and escaped characters.
fn is_date_format(code: &str) -> bool {
    let (mut quoted, mut bracket, mut skip) = (false, false, false);
    for c in code.chars() {
        if skip {
            skip = false;
        } else if quoted {
            quoted = c != '"';
        } else {
            match c {
                '"' => quoted = true,
                '[' => bracket = true,
                ']' => bracket = false,
                '\\' | '_' | '*' => skip = true,
                'y' | 'm' | 'd' | 'h' | 's' | 'Y' | 'M' | 'D' | 'H' | 'S' if !bracket => {
                    return true
                }
                _ => {}
            }
        }
    }
    false
}

/// The shared strings, without their phonetic runs (`<rPh>`).
fn shared_strings<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<Vec<Shared>, ReadError> {
    let mut out = Vec::new();
    let (mut cur, mut in_t, mut in_ph) = (String::new(), false, false);
    each_event(zip, "xl/sharedStrings.xml", |ev| {
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                b"si" => cur.clear(),
                b"t" if !in_ph => in_t = true,
                b"rPh" => in_ph = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == b"si" => out.push(Ok("".into())),
            Event::End(e) => match e.local_name().as_ref() {
                b"si" => {
                    let n = cur.chars().count();
                    out.push(if n > MAX_CELL_CHARS {
                        Err(n)
                    } else {
                        Ok(cur.as_str().into())
                    });
                }
                b"t" => in_t = false,
                b"rPh" => in_ph = false,
                _ => {}
            },
            ev if in_t => push_text(&mut cur, ev),
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// What reading a sheet needs to know of its workbook.
struct Ctx<'a> {
    name: &'a str,
    strings: &'a [Shared],
    dates: &'a [bool],
    is_1904: bool,
}

/// The cell being read.
#[derive(Default)]
struct Pending {
    at: (usize, usize),
    kind: String,
    style: usize,
    value: Option<String>,
    inline: Option<String>,
    formula: bool,
}

/// Where the text of an event goes.
#[derive(PartialEq)]
enum In {
    Nothing,
    Value,
    Inline,
}

/// Reads one sheet's cells with values, merged ranges, and formulas without values.
fn sheet_grid<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    path: &str,
    ctx: &Ctx,
    budget: &mut Budget,
) -> Result<Grid, ReadError> {
    let (mut cells, mut merges, mut unsaved) = (Vec::new(), Vec::new(), Vec::new());
    let (mut row, mut next_col) = (None::<usize>, 0usize);
    let mut cell: Option<Pending> = None;
    let (mut into, mut in_ph) = (In::Nothing, false);
    let found = each_event(zip, path, |ev| {
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"row" => {
                        let r = match attr(e, b"r") {
                            Some(r) => {
                                r.trim()
                                    .parse::<usize>()
                                    .ok()
                                    .filter(|r| (1..=ROWS).contains(r))
                                    .ok_or_else(|| bad_ref(ctx, &r))?
                                    - 1
                            }
                            None => row.map_or(0, |r| r + 1),
                        };
                        row = Some(r);
                        next_col = 0;
                    }
                    b"c" => {
                        let at = match attr(e, b"r") {
                            Some(a) => parse_ref(&a).ok_or_else(|| bad_ref(ctx, &a))?,
                            None => (row.unwrap_or(0), next_col),
                        };
                        next_col = at.1 + 1;
                        let p = Pending {
                            at,
                            kind: attr(e, b"t").unwrap_or_default(),
                            style: attr(e, b"s").and_then(|s| s.parse().ok()).unwrap_or(0),
                            ..Pending::default()
                        };
                        if !empty {
                            cell = Some(p);
                        }
                    }
                    b"v" if !empty => into = In::Value,
                    b"f" => {
                        if let Some(p) = &mut cell {
                            p.formula = true;
                        }
                    }
                    b"t" if !empty && !in_ph && cell.is_some() => into = In::Inline,
                    b"rPh" if !empty => in_ph = true,
                    b"mergeCell" => {
                        let r = attr(e, b"ref").unwrap_or_default();
                        let (a, b) = r.split_once(':').unwrap_or((&r, &r));
                        let (a, b) = (parse_ref(a), parse_ref(b));
                        if let (Some(a), Some(b)) = (a, b) {
                            merges.push(Merge {
                                first_row: a.0.min(b.0),
                                first_col: a.1.min(b.1),
                                last_row: a.0.max(b.0),
                                last_col: a.1.max(b.1),
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"v" | b"t" => into = In::Nothing,
                b"rPh" => in_ph = false,
                b"c" => {
                    if let Some(p) = cell.take() {
                        let at = p.at;
                        match value(p, ctx)? {
                            None => {}
                            Some(Err(())) => unsaved.push(at),
                            Some(Ok(c)) => {
                                budget.take(1, c.text().len()).map_err(|m| {
                                    ReadError::at(address(Some(ctx.name), at.0, at.1), m)
                                })?;
                                cells.push((at.0, at.1, c));
                            }
                        }
                    }
                }
                _ => {}
            },
            ev => {
                if let Some(p) = &mut cell {
                    match into {
                        In::Value => push_text(p.value.get_or_insert_with(String::new), ev),
                        In::Inline => push_text(p.inline.get_or_insert_with(String::new), ev),
                        In::Nothing => {}
                    }
                }
            }
        }
        Ok(())
    })?;
    if !found {
        return Err(format!("the sheet `{}` is missing from the workbook", ctx.name).into());
    }
    Ok(Grid::new(
        Some(ctx.name.to_string()),
        cells,
        merges,
        unsaved,
        budget,
    )?)
}

/// The value of a read cell: `None` when it holds nothing, `Err` for a formula saved
/// without its value.
#[allow(clippy::result_unit_err)]
fn value(p: Pending, ctx: &Ctx) -> Result<Option<Result<Cell, ()>>, ReadError> {
    let at = || address(Some(ctx.name), p.at.0, p.at.1);
    let Some(v) = p.value.clone().or(p.inline.clone()) else {
        return Ok(p.formula.then_some(Err(())));
    };
    let cell = match p.kind.as_str() {
        "s" => {
            let i: usize = v.trim().parse().unwrap_or(usize::MAX);
            match ctx.strings.get(i) {
                Some(Ok(s)) => Cell::Text(s.to_string()),
                Some(Err(n)) => return Err(ReadError::at(at(), too_long(*n))),
                None => {
                    return Err(ReadError::at(
                        at(),
                        format!(
                        "the cell refers to shared string {v}, which the workbook does not have"
                    ),
                    ))
                }
            }
        }
        "inlineStr" | "str" | "e" => Cell::Text(v),
        "b" => Cell::Text((v.trim() == "1").to_string()),
        "d" => iso_date_cell(v.trim()),
        _ => match v.trim().parse::<f64>() {
            Ok(f) if ctx.dates.get(p.style).copied().unwrap_or(false) => date_cell(f, ctx.is_1904),
            Ok(f) => Cell::Number(number_text(f)),
            Err(_) => Cell::Text(v),
        },
    };
    let n = cell.text().chars().count();
    if n > MAX_CELL_CHARS {
        return Err(ReadError::at(at(), too_long(n)));
    }
    Ok((!cell.text().trim().is_empty()).then_some(Ok(cell)))
}

/// A cell reference such as `AB12` as 0-based (row, column), within a sheet's size.
fn parse_ref(a: &str) -> Option<(usize, usize)> {
    let a = a.trim().trim_start_matches('$');
    let split = a.find(|c: char| !c.is_ascii_alphabetic())?;
    let (letters, digits) = a.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters.bytes().fold(0usize, |n, b| {
        n * 26 + (b.to_ascii_uppercase() - b'A') as usize + 1
    }) - 1;
    let row: usize = digits.trim_start_matches('$').parse().ok()?;
    (col < COLS && (1..=ROWS).contains(&row)).then(|| (row - 1, col))
}

fn bad_ref(ctx: &Ctx, r: &str) -> ReadError {
    format!(
        "the sheet `{}` names a cell `{r}` that is not on a sheet of {ROWS} rows and {COLS} columns",
        ctx.name
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_date_formats() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("ZZ500000"), Some((499_999, 701)));
        assert_eq!(parse_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_ref("XFE1"), None);
        assert_eq!(parse_ref("A0"), None);
        for f in [
            "yyyy/m/d",
            "yyyy\"年\"m\"月\"d\"日\"",
            "[$-804]yyyy-mm-dd",
            "h:mm",
        ] {
            assert!(is_date_format(f), "{f}");
        }
        for f in [
            "0.00",
            "#,##0\"万元\"",
            "[Red]0.0",
            "General",
            "0.00E+00",
            "\\d0",
        ] {
            assert!(!is_date_format(f), "{f}");
        }
    }
}
