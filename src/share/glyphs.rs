//! A card's own lines of text, drawn from rasterised glyphs kept for the whole build and
//! written straight into the card's palette indices (issue 17).
//!
//! Drawing a card through SVG lays out and outlines every glyph of it again (parsing the
//! font's CFF tables each time) and blends in RGBA, some 3 ms a card. Here a line is shaped
//! once (harfrust, as resvg does), each glyph of each size and quarter-pixel position is
//! outlined (skrifa) and rasterised (tiny-skia, resvg's rasteriser) the first time a card
//! needs it, and its coverage, cut to [`LEVELS`] steps, picks a palette entry: the text's
//! colour laid over the white card at that coverage. The result matches resvg's drawing to
//! within a step of coverage and a quarter of a pixel. What this cannot draw as resvg would
//! (a character the font lacks, which resvg takes from another font) is left to resvg.

use super::png::Indexed;
use resvg::tiny_skia::{FillRule, Mask, PathBuilder, Transform};
use resvg::usvg::fontdb;
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::prelude::{LocationRef, Size};
use skrifa::MetadataProvider;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Steps of coverage between the card's white and the text's colour.
pub(super) const LEVELS: u32 = 32;
/// Positions of a glyph within a pixel, across.
const SUBPIXELS: f32 = 4.0;

/// One face's data, for shaping and outlines.
struct Face {
    data: Arc<dyn AsRef<[u8]> + Sync + Send>,
    index: u32,
    units_per_em: f32,
    shaper: harfrust::ShaperData,
}

impl Face {
    fn bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }
}

/// Which glyph, in which face, at which size (in quarter pixels) and which quarter-pixel
/// offset across.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    bold: bool,
    glyph: u32,
    size: u32,
    offset: u8,
}

/// A rasterised glyph: its coverage in steps (0 to [`LEVELS`]), `width` a row, placed
/// `left` and `top` from the pen's position on the baseline.
struct Raster {
    left: i32,
    top: i32,
    width: usize,
    steps: Vec<u8>,
    /// For each row, the columns from its first step above 0 to after its last.
    spans: Vec<(u16, u16)>,
}

/// The regular and bold faces of the card's family, and every glyph drawn so far.
pub(super) struct Glyphs {
    regular: Face,
    bold: Face,
    cache: Mutex<HashMap<Key, Option<Arc<Raster>>>>,
}

/// The palette of a card's frame with, for each colour of text, an entry for each step of
/// coverage over white.
#[derive(Clone)]
pub(super) struct Inks {
    pub(super) indexed: Indexed,
    /// The frame's rows, filtered once for every card drawn on it.
    pub(super) rows: super::png::FrameRows,
    /// Each colour of text (as #rrggbb) with its entries, by step (step 0 is white).
    steps: Vec<(&'static str, Vec<u8>)>,
    /// For each palette entry, which colour of text (by its place in `steps`) and step it
    /// is, so that glyphs that touch keep the darker coverage.
    ink_of: Vec<Option<(usize, u8)>>,
}

/// White's palette entry: [`Inks::new`] puts it first.
const WHITE: u8 = 0;

impl Inks {
    /// The frame's palette extended by the steps of `colours`, or None when the frame has
    /// no white or the palette would pass 256 entries.
    pub(super) fn new(frame: &Indexed, colours: &[&'static str]) -> Option<Inks> {
        let mut indexed = frame.with_first([255, 255, 255])?;
        let mut steps = Vec::with_capacity(colours.len());
        let mut ink_of = vec![None; 256];
        for (c, colour) in colours.iter().enumerate() {
            let rgb = parse_hex(colour)?;
            let mut entries = vec![WHITE];
            for step in 1..=LEVELS {
                let mix = |v: u8| {
                    let v = f32::from(v);
                    (255.0 + (v - 255.0) * step as f32 / LEVELS as f32).round() as u8
                };
                let i = indexed.add([mix(rgb[0]), mix(rgb[1]), mix(rgb[2])])?;
                ink_of[usize::from(i)].get_or_insert((c, step as u8));
                entries.push(i);
            }
            steps.push((*colour, entries));
        }
        Some(Inks {
            rows: super::png::FrameRows::of(indexed.indices(), super::WIDTH as usize),
            indexed,
            steps,
            ink_of,
        })
    }
}

fn parse_hex(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.strip_prefix('#').filter(|h| h.len() == 6)?;
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// A line to draw: its text, at `x`, on baseline `y`.
pub(super) struct Text<'a> {
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) size: f32,
    pub(super) colour: &'static str,
    pub(super) bold: bool,
    pub(super) text: &'a str,
}

impl Glyphs {
    /// The regular and bold faces of `family` in `db` (the nearest weights it has, as resvg
    /// picks them), when their data is in memory.
    pub(super) fn new(db: &fontdb::Database, family: &str) -> Option<Glyphs> {
        let face = |weight| {
            let id = db.query(&fontdb::Query {
                families: &[fontdb::Family::Name(family)],
                weight,
                ..fontdb::Query::default()
            })?;
            let (source, index) = db.face_source(id)?;
            let data = match source {
                fontdb::Source::Binary(d) => d,
                fontdb::Source::SharedFile(_, d) => d,
                fontdb::Source::File(_) => return None,
            };
            let (units_per_em, shaper) = {
                let bytes: &[u8] = (*data).as_ref();
                let font = skrifa::FontRef::from_index(bytes, index).ok()?;
                let upem = font
                    .metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em;
                let hr = harfrust::FontRef::from_index(bytes, index).ok()?;
                (f32::from(upem.max(1)), harfrust::ShaperData::new(&hr))
            };
            Some(Face {
                data,
                index,
                units_per_em,
                shaper,
            })
        };
        Some(Glyphs {
            regular: face(fontdb::Weight::NORMAL)?,
            bold: face(fontdb::Weight::BOLD)?,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// Draws `texts` into `indices` (a `width`-pixel-wide image of palette indices on the
    /// frame of `inks`), marking in `touched` every row a glyph may have changed; false when
    /// a character is not in the font, and then `indices` are to be thrown away.
    pub(super) fn draw(
        &self,
        texts: &[Text],
        inks: &Inks,
        indices: &mut [u8],
        width: usize,
        touched: &mut [bool],
    ) -> bool {
        for t in texts {
            let Some(colour) = inks.steps.iter().position(|(c, _)| *c == t.colour) else {
                return false;
            };
            let steps = &inks.steps[colour].1;
            let face = if t.bold { &self.bold } else { &self.regular };
            let Ok(font) = harfrust::FontRef::from_index(face.bytes(), face.index) else {
                return false;
            };
            let shaper = face.shaper.shaper(&font).build();
            let mut buffer = harfrust::UnicodeBuffer::new();
            buffer.push_str(t.text);
            buffer.guess_segment_properties();
            let shaped = shaper.shape(buffer, harfrust::ShapeOptions::new());
            let scale = t.size / face.units_per_em;
            let mut pen: i64 = 0;
            for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
                if info.glyph_id == 0 {
                    return false;
                }
                let x = t.x + (pen + i64::from(pos.x_offset)) as f32 * scale;
                let y = (t.y - pos.y_offset as f32 * scale).round() as i32;
                pen += i64::from(pos.x_advance);
                let mut xi = x.floor();
                let mut offset = ((x - xi) * SUBPIXELS).round();
                if offset >= SUBPIXELS {
                    xi += 1.0;
                    offset = 0.0;
                }
                let key = Key {
                    bold: t.bold,
                    glyph: info.glyph_id,
                    size: (t.size * 4.0).round() as u32,
                    offset: offset as u8,
                };
                let Some(raster) = self.raster(face, key) else {
                    continue;
                };
                blit(&raster, xi as i32, y, steps, colour, inks, indices, width);
                let rows = raster.steps.len() / raster.width.max(1);
                let top = (y + raster.top).clamp(0, touched.len() as i32) as usize;
                let end = (y + raster.top + rows as i32).clamp(0, touched.len() as i32) as usize;
                touched[top..end].fill(true);
            }
        }
        true
    }

    /// The glyph of `key`, rasterised the first time it is asked for; None for a glyph with
    /// nothing to draw (a space).
    fn raster(&self, face: &Face, key: Key) -> Option<Arc<Raster>> {
        let cache = || self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = cache().get(&key) {
            return r.clone();
        }
        // Drawn outside the lock: two threads may draw the same glyph, alike.
        let r = rasterise(face, key).map(Arc::new);
        cache().entry(key).or_insert(r).clone()
    }
}

/// Adds a glyph's coverage at (`x`, `y`) to the image, in the steps of one colour. Where two
/// glyphs of that colour touch, the darker step stays; over anything else (which a card's
/// layout never puts under text) a glyph is drawn where it covers more than half a pixel.
#[allow(clippy::too_many_arguments)]
fn blit(
    raster: &Raster,
    x: i32,
    y: i32,
    steps: &[u8],
    colour: usize,
    inks: &Inks,
    indices: &mut [u8],
    width: usize,
) {
    let height = (indices.len() / width) as i32;
    // The glyph's columns that fall on the image.
    let x0 = x + raster.left;
    let from = (-x0).max(0) as usize;
    let to = ((width as i32 - x0).max(0) as usize).min(raster.width);
    if from >= to {
        return;
    }
    let rows = raster.steps.chunks_exact(raster.width).zip(&raster.spans);
    for (row, (glyph, &(first, end))) in rows.enumerate() {
        let py = y + raster.top + row as i32;
        let (a, b) = (from.max(usize::from(first)), to.min(usize::from(end)));
        if py < 0 || py >= height || a >= b {
            continue;
        }
        let start = py as usize * width + (x0 + a as i32) as usize;
        let line = &mut indices[start..start + (b - a)];
        for (dst, &step) in line.iter_mut().zip(&glyph[a..b]) {
            if step == 0 {
                continue;
            }
            let keep = if *dst == WHITE {
                0
            } else {
                match inks.ink_of[usize::from(*dst)] {
                    Some((k, s)) if k == colour => s,
                    _ if u32::from(step) * 2 > LEVELS => 0,
                    _ => continue,
                }
            };
            if step > keep {
                *dst = steps[usize::from(step)];
            }
        }
    }
}

/// Outlines and rasterises one glyph.
fn rasterise(face: &Face, key: Key) -> Option<Raster> {
    let font = skrifa::FontRef::from_index(face.bytes(), face.index).ok()?;
    let outline = font.outline_glyphs().get(skrifa::GlyphId::new(key.glyph))?;
    let mut pen = Pen(PathBuilder::new());
    outline
        .draw(
            DrawSettings::unhinted(Size::unscaled(), LocationRef::default()),
            &mut pen,
        )
        .ok()?;
    let scale = key.size as f32 / 4.0 / face.units_per_em;
    let offset = f32::from(key.offset) / SUBPIXELS;
    let path = pen
        .0
        .finish()?
        .transform(Transform::from_row(scale, 0.0, 0.0, -scale, offset, 0.0))?;
    let b = path.bounds();
    let (left, top) = (b.left().floor() as i32, b.top().floor() as i32);
    let w = (b.right().ceil() as i32 - left).max(1) as u32;
    let h = (b.bottom().ceil() as i32 - top).max(1) as u32;
    let mut mask = Mask::new(w, h)?;
    mask.fill_path(
        &path,
        FillRule::Winding,
        true,
        Transform::from_translate(-left as f32, -top as f32),
    );
    let steps: Vec<u8> = mask
        .data()
        .iter()
        .map(|&c| ((u32::from(c) * LEVELS + 127) / 255) as u8)
        .collect();
    let spans = steps
        .chunks_exact(w as usize)
        .map(|row| {
            let first = row.iter().position(|&s| s > 0).unwrap_or(row.len());
            let end = row.iter().rposition(|&s| s > 0).map_or(first, |i| i + 1);
            (first as u16, end as u16)
        })
        .collect();
    Some(Raster {
        left,
        top,
        width: w as usize,
        steps,
        spans,
    })
}

/// skrifa's outline drawn into a tiny-skia path.
struct Pen(PathBuilder);

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }

    fn close(&mut self) {
        self.0.close();
    }
}
