//! A check of an xls workbook before calamine reads it: calamine makes each sheet a dense
//! grid from its first to its last cell (and reserves the sheet's declared dimension), so a
//! stray far cell would take gigabytes. The workbook stream is found in the compound file and
//! its BIFF records are walked for the extent of each sheet's cells, without reading values.

use super::grid::MAX_CELLS;
use super::read::{address, ReadError};
use std::collections::HashMap;
use std::path::Path;

const END: u32 = 0xFFFF_FFFE;

fn u16_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?) as u32)
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// Refuses a workbook whose sheets would make calamine allocate more than [`MAX_CELLS`]
/// cells, naming the sheet and its far cell.
pub(super) fn bounds(path: &Path) -> Result<(), ReadError> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the ledger: {e}"))?;
    let stream = workbook_stream(&bytes).ok_or_else(|| {
        ReadError::from(
            "cannot read the ledger as an xls workbook: its compound file is damaged".to_string(),
        )
    })?;
    check(&stream)
}

/// The `Workbook` (or `Book`) stream of a compound file.
fn workbook_stream(b: &[u8]) -> Option<Vec<u8>> {
    let shift = u16_at(b, 30)?;
    if !(7..=16).contains(&shift) {
        return None;
    }
    let size = 1usize << shift;
    let sectors = b.len() / size;
    let sector = |i: u32| b.get((i as usize + 1) * size..(i as usize + 2) * size);
    // The FAT's sectors: 109 in the header, then the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109).filter_map(|k| u32_at(b, 76 + 4 * k)).collect();
    let mut difat = u32_at(b, 68)?;
    for _ in 0..sectors {
        if difat >= END {
            break;
        }
        let s = sector(difat)?;
        let n = size / 4 - 1;
        fat_sectors.extend((0..n).filter_map(|k| u32_at(s, 4 * k)));
        difat = u32_at(s, 4 * n)?;
    }
    let mut fat = Vec::new();
    for &f in fat_sectors
        .iter()
        .filter(|f| **f < END)
        .take(u32_at(b, 44)? as usize)
    {
        let s = sector(f)?;
        fat.extend((0..size / 4).filter_map(|k| u32_at(s, 4 * k)));
    }
    let dir = chain(u32_at(b, 48)?, size, &sector, &fat)?;
    let entries: Vec<&[u8]> = dir.chunks_exact(128).collect();
    let root = entries.first()?;
    let found = entries.iter().find(|e| {
        let n = u16_at(e, 64).unwrap_or(0) as usize;
        let name: Vec<u16> = e[..n.min(64)]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|c| *c != 0)
            .collect();
        e[66] == 2
            && matches!(
                String::from_utf16_lossy(&name).as_str(),
                "Workbook" | "Book"
            )
    })?;
    let (start, len) = (u32_at(found, 116)?, u32_at(found, 120)? as usize);
    let mut data = if len < u32_at(b, 56)? as usize {
        let mini_stream = chain(u32_at(root, 116)?, size, &sector, &fat)?;
        let minifat_bytes = chain(u32_at(b, 60)?, size, &sector, &fat).unwrap_or_default();
        let minifat: Vec<u32> = (0..minifat_bytes.len() / 4)
            .filter_map(|k| u32_at(&minifat_bytes, 4 * k))
            .collect();
        let mini = |i: u32| mini_stream.get(i as usize * 64..(i as usize + 1) * 64);
        chain(start, 64, &mini, &minifat)?
    } else {
        chain(start, size, &sector, &fat)?
    };
    data.truncate(len);
    Some(data)
}

/// The bytes of the chain of sectors (of `unit` bytes, found by `get`) from `start`, following
/// `table`; `None` for a chain that loops or leaves the file.
fn chain<'a>(
    start: u32,
    unit: usize,
    get: &dyn Fn(u32) -> Option<&'a [u8]>,
    table: &[u32],
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = start;
    for _ in 0..=table.len() {
        if i >= END {
            return Some(out);
        }
        out.extend_from_slice(get(i)?.get(..unit)?);
        i = *table.get(i as usize)?;
    }
    None
}

/// The extent of one sheet's cells.
#[derive(Default)]
struct Extent {
    name: String,
    min: (u32, u32),
    max: (u32, u32),
    any: bool,
}

impl Extent {
    fn add(&mut self, r: u32, c: u32) {
        if !self.any {
            (self.min, self.max, self.any) = ((r, c), (r, c), true);
        }
        self.min = (self.min.0.min(r), self.min.1.min(c));
        self.max = (self.max.0.max(r), self.max.1.max(c));
    }

    fn cells(&self) -> u64 {
        if !self.any {
            return 0;
        }
        (self.max.0 - self.min.0 + 1) as u64 * (self.max.1 - self.min.1 + 1) as u64
    }
}

/// Walks the BIFF records: each sheet's declared dimension and the extent of its cells.
fn check(s: &[u8]) -> Result<(), ReadError> {
    let far = |name: &str, r: u32, c: u32, n: u64| {
        ReadError::at(
            address(Some(name), r as usize, c as usize),
            format!(
                "the sheet spreads to this cell, which makes a grid of {n} cells, more than the \
                 {MAX_CELLS} a ledger may hold; delete what is far from the table (or save the \
                 ledger as xlsx)"
            ),
        )
    };
    let mut names: HashMap<u32, String> = HashMap::new();
    let (mut at, mut sheet, mut total) = (0usize, None::<Extent>, 0u64);
    while let (Some(typ), Some(len)) = (u16_at(s, at), u16_at(s, at + 2)) {
        let start = at;
        let d = s.get(at + 4..at + 4 + len as usize).unwrap_or(&[]);
        at += 4 + len as usize;
        match typ {
            0x0085 => {
                // BOUNDSHEET: the sheet's BOF position, then its name (BIFF8).
                let pos = u32_at(d, 0).unwrap_or(0);
                let n = *d.get(6).unwrap_or(&0) as usize;
                let name = match d.get(7) {
                    Some(1) => {
                        let u: Vec<u16> = d
                            .get(8..8 + 2 * n)
                            .unwrap_or(&[])
                            .chunks_exact(2)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .collect();
                        String::from_utf16_lossy(&u)
                    }
                    _ => d
                        .get(8..8 + n)
                        .unwrap_or(&[])
                        .iter()
                        .map(|b| *b as char)
                        .collect(),
                };
                names.insert(pos, name);
            }
            0x0809 => {
                sheet = Some(Extent {
                    name: names.get(&(start as u32)).cloned().unwrap_or_default(),
                    ..Extent::default()
                });
            }
            0x0200 => {
                let (rf, rl, cf, cl) = match d.len() {
                    10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
                    _ => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
                };
                let (rf, rl, cf, cl) = (
                    rf.unwrap_or(0),
                    rl.unwrap_or(0),
                    cf.unwrap_or(0),
                    cl.unwrap_or(0),
                );
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                let name = sheet.as_ref().map_or("", |x| x.name.as_str());
                if rl >= 1 && cl >= 1 {
                    if rl - 1 < rf {
                        return Err(far(name, rl - 1, cl - 1, 0));
                    }
                    let n = (rl - rf) as u64 * (cl - cf) as u64;
                    if n > MAX_CELLS as u64 {
                        return Err(far(name, rl - 1, cl - 1, n));
                    }
                }
            }
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00D6 | 0x00BD => {
                if let (Some(x), Some(r), Some(c)) = (&mut sheet, u16_at(d, 0), u16_at(d, 2)) {
                    x.add(r, c);
                    if typ == 0x00BD {
                        x.add(r, u16_at(d, d.len().saturating_sub(2)).unwrap_or(c));
                    }
                }
            }
            0x000A => {
                if let Some(x) = sheet.take() {
                    total += x.cells();
                    if x.cells() > MAX_CELLS as u64 || total > 2 * MAX_CELLS as u64 {
                        return Err(far(&x.name, x.max.0, x.max.1, x.cells()));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    fn number(r: u16, c: u16) -> Vec<u8> {
        let mut d = r.to_le_bytes().to_vec();
        d.extend(c.to_le_bytes());
        d.extend([0; 10]);
        record(0x0203, &d)
    }

    #[test]
    fn a_far_dimension_or_cell_of_an_xls_sheet_is_refused_at_that_cell() {
        let mut dims = 0u32.to_le_bytes().to_vec();
        dims.extend(1_048_576u32.to_le_bytes());
        dims.extend([0, 0, 0, 0x40, 0, 0]);
        let s = [
            record(0x0809, &[0; 16]),
            record(0x0200, &dims),
            record(0x000A, &[]),
        ]
        .concat();
        let e = check(&s).unwrap_err();
        assert_eq!(e.at.as_deref(), Some("!XFD1048576"));
        let s = [
            record(0x0809, &[0; 16]),
            number(0, 0),
            number(65_535, 255),
            record(0x000A, &[]),
        ]
        .concat();
        let e = check(&s).unwrap_err();
        assert_eq!(e.at.as_deref(), Some("!IV65536"));
        assert!(e.message.contains("16777216 cells"), "{}", e.message);
        let s = [
            record(0x0809, &[0; 16]),
            number(0, 0),
            number(999, 30),
            record(0x000A, &[]),
        ]
        .concat();
        assert!(check(&s).is_ok());
    }
}
