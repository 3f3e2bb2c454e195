//! Share images: a 1200×630 PNG card per page (title, context, headline chart), since social
//! platforms show no SVG. Drawn as SVG and rasterised with resvg, with a CJK font found on
//! the machine; without one, no card is drawn (empty boxes would be worse than none).

use crate::charts::svg::text_width;
use crate::charts::Chart;
use crate::escape::{html as esc, xml_chars};
use resvg::tiny_skia::Pixmap;
use resvg::usvg::{self, fontdb};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// Families tried in order; the first one installed draws every card.
const PREFERRED: &[&str] = &[
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "Droid Sans Fallback",
];
const COLORS: [&str; 3] = ["#0072B2", "#E69F00", "#009E73"];

/// What a card says: the page's own facts, never another page's figures.
#[derive(Debug, Clone)]
pub struct Card<'a> {
    pub site_title: &'a str,
    pub title: std::borrow::Cow<'a, str>,
    /// A line of context: a batch and period, a date.
    pub subtitle: Option<String>,
    /// The page's own headline figure, drawn large.
    pub figure: Option<Figure>,
    /// Further facts, a line each: an owner, a count.
    pub facts: Vec<String>,
    /// Where the site lives, shown at the bottom.
    pub host: &'a str,
    /// A chart of the page's own figures, drawn under its title (on the home page the
    /// site's headline chart, on a period's page what entered each batch in it).
    pub chart: Option<&'a Chart>,
}

/// A headline figure: what it is (`总投资`) and the figure (`12.5 亿元`), or the site's
/// word for a figure not published, drawn muted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub known: bool,
}

/// Draws cards with one CJK font. Made once per build and shared by every thread: the
/// system fonts are scanned once, the chosen family's files are read into memory once, and the parts of
/// a card that every page shares (the frame, the site's title, the host, the headline chart)
/// are drawn once, so that each card lays out only its own title and subtitle.
pub struct Painter {
    family: String,
    options: usvg::Options<'static>,
    /// What identifies the font files drawn with (path, length, modification time of
    /// each), for the cache of cards.
    font_id: String,
    /// The shared parts, drawn once per different SVG text (in practice one or two).
    frames: Mutex<HashMap<String, Arc<Frame>>>,
}

impl Painter {
    /// Finds a CJK font: the file named by `SANPI_FONT`, else the first of [`PREFERRED`]
    /// among the machine's fonts. The error says what to install.
    pub fn new() -> Result<Painter, String> {
        let mut db = fontdb::Database::new();
        if let Some(path) = std::env::var_os("SANPI_FONT") {
            db.load_font_file(&path)
                .map_err(|e| format!("SANPI_FONT {}: {e}", path.to_string_lossy()))?;
            let family = db
                .faces()
                .next()
                .and_then(|f| f.families.first())
                .map(|(n, _)| n.clone());
            let family = family
                .ok_or_else(|| format!("SANPI_FONT {} holds no font", path.to_string_lossy()))?;
            return Ok(Painter::with(db, family));
        }
        db.load_system_fonts();
        let installed = |want: &str| {
            db.faces()
                .any(|f| f.families.iter().any(|(n, _)| n == want))
        };
        let family = PREFERRED
            .iter()
            .find(|f| installed(f))
            .map(|f| f.to_string());
        match family {
            Some(f) => Ok(Painter::with(db, f)),
            None => Err("no CJK font is installed, so share images (og:image) and the charts' PNGs are left out; install one (Debian: fonts-noto-cjk) or point SANPI_FONT at a font file".into()),
        }
    }

    fn with(mut db: fontdb::Database, family: String) -> Painter {
        db.set_sans_serif_family(family.clone());
        let ids: Vec<fontdb::ID> = db
            .faces()
            .filter(|f| f.families.iter().any(|(n, _)| *n == family))
            .map(|f| f.id)
            .collect();
        // fontdb otherwise opens and maps a font file again for every text it lays out and
        // every glyph it outlines: some 300 times per card (issue 17). The family's files
        // are read into memory once, for the whole build, and their faces loaded from there.
        let mut paths: Vec<std::path::PathBuf> = Vec::new();
        for &id in &ids {
            if let Some((fontdb::Source::File(path), _)) = db.face_source(id) {
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
        let mut files: Vec<String> = Vec::new();
        for path in paths {
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            let of_file: Vec<fontdb::ID> = ids
                .iter()
                .copied()
                .filter(|&id| {
                    matches!(db.face_source(id), Some((fontdb::Source::File(p), _)) if p == path)
                })
                .collect();
            for id in of_file {
                db.remove_face(id);
            }
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
            files.push(file_identity(&path));
        }
        if files.is_empty() {
            // A font loaded otherwise (from memory): its faces identify it.
            files.extend(
                db.faces()
                    .filter(|f| f.families.iter().any(|(n, _)| *n == family))
                    .map(|f| format!("{:?} {}", f.post_script_name, f.index)),
            );
        }
        files.sort();
        files.dedup();
        let options = usvg::Options {
            fontdb: Arc::new(db),
            font_family: family.clone(),
            ..usvg::Options::default()
        };
        Painter {
            font_id: format!("{family}\n{}", files.join("\n")),
            family,
            options,
            frames: Mutex::new(HashMap::new()),
        }
    }

    pub fn family(&self) -> &str {
        &self.family
    }

    /// What identifies the font: its family and files.
    pub fn font_id(&self) -> &str {
        &self.font_id
    }

    /// The card as PNG bytes.
    pub fn png(&self, card: &Card) -> Result<Vec<u8>, String> {
        let parts = parts(card, &self.family);
        let frame = self.frame(&parts)?;
        let mut pixmap = frame.pixmap.clone();
        let tree =
            usvg::Tree::from_str(&parts.own_svg(), &self.options).map_err(|e| e.to_string())?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        encode_png(&pixmap, Some(&frame))
    }

    /// Any SVG (a chart) as an opaque PNG `scale` times its size, drawn with this painter's
    /// CJK font and encoded as the cards are.
    pub fn svg_png(&self, svg: &str, scale: f32) -> Result<Vec<u8>, String> {
        let tree = usvg::Tree::from_str(svg, &self.options).map_err(|e| e.to_string())?;
        let size = tree.size();
        let (w, h) = (
            (size.width() * scale).ceil() as u32,
            (size.height() * scale).ceil() as u32,
        );
        let mut pixmap = Pixmap::new(w, h).ok_or("cannot allocate the image")?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        encode_png(&pixmap, None)
    }

    /// The shared parts of a card, drawn the first time they are asked for.
    fn frame(&self, parts: &Parts) -> Result<Arc<Frame>, String> {
        let svg = parts.frame_svg();
        let frames = || self.frames.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = frames().get(&svg) {
            return Ok(f.clone());
        }
        let tree = usvg::Tree::from_str(&svg, &self.options).map_err(|e| e.to_string())?;
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate the image")?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        let frame = Frame {
            indexed: Indexed::of(&pixmap, None),
            pixmap,
        };
        Ok(frames().entry(svg).or_insert(Arc::new(frame)).clone())
    }
}

/// The shared parts of the cards, drawn, with their palette when they have one.
struct Frame {
    pixmap: Pixmap,
    indexed: Option<Indexed>,
}

/// A font file's path, length and modification time: a changed file is another font.
fn file_identity(path: &Path) -> String {
    let meta = std::fs::metadata(path).ok();
    let len = meta.as_ref().map_or(0, |m| m.len());
    let mtime = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{} {len} {mtime}", path.display())
}

/// An opaque card as a PNG, compressed the fast way (fdeflate). A card has few colours (a
/// few dozen: flat colours and the anti-aliased edges of text in two greys), so it is stored
/// losslessly as a palette of at most 256 colours and one byte a pixel, which is a third of
/// the data to compress and, measured on the benchmark's cards, 32 KB a card instead of the
/// 51 KB of zlib's default level on RGBA, in a tenth of the time. A card with more colours
/// is stored as RGB.
///
/// `frame` is what the card was drawn on: its rows that the card left as they were keep the
/// frame's palette indices, so that only the rows with the card's own text are looked up.
fn encode_png(pixmap: &Pixmap, frame: Option<&Frame>) -> Result<Vec<u8>, String> {
    // Every card is drawn on an opaque background, so the premultiplied pixels are the
    // plain ones and the alpha channel can go.
    let (color, palette, data) = match Indexed::of(pixmap, frame) {
        Some(ix) => (png::ColorType::Indexed, Some(ix.palette), ix.indices),
        None => (
            png::ColorType::Rgb,
            None,
            pixmap
                .data()
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect(),
        ),
    };
    let mut out = Vec::with_capacity(48 * 1024);
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(color);
    enc.set_depth(png::BitDepth::Eight);
    if let Some(p) = palette {
        enc.set_palette(p);
    }
    enc.set_deflate_compression(png::DeflateCompression::FdeflateUltraFast);
    enc.set_filter(png::Filter::Adaptive);
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(&data).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// An image as a palette (RGB triples, in order of first appearance) and one index a pixel.
#[derive(Clone)]
struct Indexed {
    /// An open-addressed table of 1,024 slots: (colour, index), an index of 256 for free.
    /// The colours are the pixels' four bytes as they are (all opaque).
    table: Vec<(u32, u16)>,
    palette: Vec<u8>,
    indices: Vec<u8>,
}

impl Indexed {
    /// The palette and indices of `pixmap`, or None when it has more than 256 colours.
    /// With a `frame` of the same size, the rows equal to the frame's keep its indices.
    fn of(pixmap: &Pixmap, frame: Option<&Frame>) -> Option<Indexed> {
        let row = pixmap.width() as usize * 4;
        let rgba = pixmap.data();
        let base = frame.and_then(|f| {
            let same_size =
                f.pixmap.width() == pixmap.width() && f.pixmap.height() == pixmap.height();
            f.indexed
                .as_ref()
                .filter(|_| same_size)
                .map(|ix| (&f.pixmap, ix))
        });
        match base {
            Some((frame, ix)) => {
                let mut ix = ix.clone();
                for (y, (mine, theirs)) in rgba
                    .chunks_exact(row)
                    .zip(frame.data().chunks_exact(row))
                    .enumerate()
                {
                    if mine != theirs && !ix.map(mine, y * row / 4) {
                        return None;
                    }
                }
                Some(ix)
            }
            None => {
                let mut ix = Indexed {
                    table: vec![(0, 256); 1024],
                    palette: Vec::with_capacity(3 * 256),
                    indices: vec![0; rgba.len() / 4],
                };
                ix.map(rgba, 0).then_some(ix)
            }
        }
    }

    /// Looks up the pixels `rgba`, the first of which is pixel number `first`, adding their
    /// colours to the palette; false when they are more than 256.
    fn map(&mut self, rgba: &[u8], first: usize) -> bool {
        let Some(indices) = self.indices.get_mut(first..first + rgba.len() / 4) else {
            return false;
        };
        // Most pixels are the same colour as the one before (a flat background, bars).
        let mut last = (0u32, 256u16);
        for (p, out) in rgba.chunks_exact(4).zip(indices.iter_mut()) {
            let Ok(q) = <[u8; 4]>::try_from(p) else {
                continue;
            };
            let c = u32::from_ne_bytes(q);
            if c == last.0 && last.1 < 256 {
                *out = last.1 as u8;
                continue;
            }
            let mut slot = (c.wrapping_mul(0x9E37_79B1) >> 22) as usize;
            let index = loop {
                match self.table[slot] {
                    (_, 256) => {
                        let n = self.palette.len() / 3;
                        if n == 256 {
                            return false;
                        }
                        self.palette.extend_from_slice(&q[..3]);
                        self.table[slot] = (c, n as u16);
                        break n as u16;
                    }
                    (k, i) if k == c => break i,
                    _ => slot = (slot + 1) % 1024,
                }
            };
            last = (c, index);
            *out = index as u8;
        }
        true
    }
}

/// Whether `bytes` are a whole PNG of a card: the signature, an 8-bit RGB or palette header of
/// [`WIDTH`]×[`HEIGHT`], image data, every chunk's checksum right, and nothing after its end.
/// Cheap enough for every cached card of every build, unlike decoding it.
pub fn is_card_png(bytes: &[u8]) -> bool {
    let Some(mut rest) = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n") else {
        return false;
    };
    let mut first = true;
    let mut data = false;
    while rest.len() >= 12 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let Some(chunk) = rest.get(4..8 + len) else {
            return false;
        };
        let Some(crc) = rest.get(8 + len..12 + len) else {
            return false;
        };
        if crc32fast::hash(chunk) != u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]]) {
            return false;
        }
        let (kind, body) = chunk.split_at(4);
        if first {
            let header_ok = kind == b"IHDR"
                && body.len() == 13
                && body[0..4] == WIDTH.to_be_bytes()
                && body[4..8] == HEIGHT.to_be_bytes()
                && body[8] == 8
                && matches!(body[9], 2 | 3);
            if !header_ok {
                return false;
            }
            first = false;
        }
        data |= kind == b"IDAT";
        rest = &rest[12 + len..];
        if kind == b"IEND" {
            return data && rest.is_empty();
        }
    }
    false
}

fn t(s: &str) -> String {
    esc(&xml_chars(s))
}

/// Words that follow a number as its measure, longest first: a line never breaks between a
/// number and them (`12个项目`, `228.35亿元`).
const MEASURES: &[&str] = &[
    "个项目",
    "平方米",
    "千瓦",
    "兆瓦",
    "亿元",
    "万元",
    "千元",
    "个",
    "项",
    "家",
    "亿",
    "万",
    "元",
    "期",
    "批",
    "年",
    "月",
    "日",
    "号",
    "天",
    "次",
    "人",
    "名",
    "座",
    "米",
    "亩",
    "吨",
    "%",
    "％",
];
/// Chinese numerals, as in 第十二期.
const NUMERALS: &str = "零一二三四五六七八九十百千两";
/// Punctuation that never starts a line, and that never ends one.
const NO_START: &str = "，。、；：！？）》」』”’…·,.;:!?)]%％";
const NO_END: &str = "（《「『“‘([";

/// `text` cut into the pieces a line may break between: a CJK character, a Latin word, a
/// number with its measure word (`12个项目`, `第七期`), each with the punctuation that may not
/// be parted from it.
fn pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut open = String::new();
    while i < chars.len() {
        let c = chars[i];
        if NO_END.contains(c) {
            open.push(c);
            i += 1;
            continue;
        }
        let start = i;
        let digit_run = |i: &mut usize| {
            let from = *i;
            while *i < chars.len() {
                let c = chars[*i];
                let next_alnum = chars.get(*i + 1).is_some_and(|n| n.is_ascii_alphanumeric());
                let inner = matches!(c, '.' | ',' | '-' | '/' | '\'') && *i > from && next_alnum;
                if c.is_ascii_alphanumeric() || c.is_numeric() && !NUMERALS.contains(c) || inner {
                    *i += 1;
                } else {
                    break;
                }
            }
        };
        let mut number = false;
        if c == '第'
            && chars
                .get(i + 1)
                .is_some_and(|n| NUMERALS.contains(*n) || n.is_ascii_digit())
        {
            i += 1;
            while i < chars.len() && (NUMERALS.contains(chars[i]) || chars[i].is_ascii_digit()) {
                i += 1;
            }
            number = true;
        } else if c.is_ascii_alphanumeric() || c.is_numeric() && !NUMERALS.contains(c) {
            digit_run(&mut i);
            number = chars[i - 1].is_numeric();
        } else {
            i += 1;
        }
        if number {
            let rest: String = chars[i..].iter().take(3).collect();
            if let Some(m) = MEASURES.iter().find(|m| rest.starts_with(**m)) {
                i += m.chars().count();
            }
        }
        while i < chars.len() && NO_START.contains(chars[i]) {
            i += 1;
        }
        let mut piece = std::mem::take(&mut open);
        piece.extend(&chars[start..i]);
        out.push(piece);
    }
    if !open.is_empty() {
        out.push(open);
    }
    out
}

/// Cuts `text` into at most `lines` lines of `width` pixels at `size`, the last one ending
/// with an ellipsis when text is left over. Lines break between [`pieces`], never inside a
/// number and its measure word; a piece longer than a line is cut where it must.
fn wrap(text: &str, width: f64, size: f64, lines: usize) -> Vec<String> {
    let fits = |s: &str| text_width(s, size) <= width;
    // The last line with an ellipsis that fits after it.
    let ellipsis = |mut last: String| {
        while !last.is_empty() && !fits(&format!("{last}…")) {
            last.pop();
        }
        format!("{}…", last.trim_end())
    };
    let mut out: Vec<String> = vec![String::new()];
    for piece in pieces(text) {
        let line = out.pop().unwrap_or_default();
        if fits(&format!("{line}{piece}")) {
            out.push(line + &piece);
            continue;
        }
        let piece = if line.trim().is_empty() {
            out.push(line);
            piece
        } else if out.len() + 1 == lines {
            out.push(ellipsis(line));
            return out;
        } else {
            out.push(line);
            out.push(String::new());
            piece.trim_start().to_string()
        };
        // A piece longer than a line: cut where it must, character by character.
        for c in piece.chars() {
            let mut line = out.pop().unwrap_or_default();
            if !line.is_empty() && !fits(&format!("{line}{c}")) {
                if out.len() + 1 == lines {
                    out.push(ellipsis(line));
                    return out;
                }
                out.push(line);
                line = String::new();
            }
            line.push(c);
            out.push(line);
        }
    }
    out
}

/// A card's SVG, in the parts drawn separately: `frame` is what every card of a site shares
/// (the background, the coloured bar, the site's title, the host), `own` the page's title,
/// context, figure, facts and chart.
struct Parts {
    open: String,
    frame: String,
    own: String,
}

impl Parts {
    fn frame_svg(&self) -> String {
        format!("{}{}</svg>\n", self.open, self.frame)
    }

    fn own_svg(&self) -> String {
        format!("{}{}</svg>\n", self.open, self.own)
    }
}

/// The card as SVG text: all it shows.
pub fn card_svg(card: &Card, family: &str) -> String {
    let p = parts(card, family);
    format!("{}{}{}</svg>\n", p.open, p.frame, p.own)
}

const INK: &str = "#1f2328";
const MUTED: &str = "#5b6470";
/// The colour of a headline figure (4.9:1 on white).
const FIGURE: &str = "#0062a0";
/// Left edge and width of the text.
const LEFT: f64 = 64.0;
const TEXT_WIDTH: f64 = 1072.0;

/// One line of text at `x`, `y`.
fn line(out: &mut String, y: f64, size: f64, fill: &str, bold: bool, text: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    out.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{y}\" font-size=\"{size}\"{weight} fill=\"{fill}\">{}</text>\n",
        t(text)
    ));
}

fn parts(card: &Card, family: &str) -> Parts {
    let open = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"{}\">\n",
        t(family)
    );
    let mut s = format!("<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#ffffff\"/>\n");
    for (i, c) in COLORS.iter().enumerate() {
        s.push_str(&format!(
            "<rect x=\"{}\" y=\"0\" width=\"400\" height=\"14\" fill=\"{c}\"/>\n",
            i * 400
        ));
    }
    line(
        &mut s,
        84.0,
        30.0,
        MUTED,
        false,
        &wrap(card.site_title, TEXT_WIDTH, 30.0, 1)[0],
    );
    s.push_str(&format!("<text x=\"1136\" y=\"606\" font-size=\"24\" text-anchor=\"end\" fill=\"{MUTED}\">{}</text>\n", t(card.host)));

    let mut own = String::new();
    let title_size = 54.0;
    let mut y: f64 = 162.0;
    for l in wrap(&card.title, TEXT_WIDTH, title_size, 2) {
        line(&mut own, y, title_size, INK, true, &l);
        y += 68.0;
    }
    if let Some(sub) = &card.subtitle {
        line(
            &mut own,
            y - 6.0,
            30.0,
            INK,
            false,
            &wrap(sub, TEXT_WIDTH, 30.0, 1)[0],
        );
        y += 44.0;
    }
    if let Some(f) = &card.figure {
        if f.known {
            line(
                &mut own,
                y + 10.0,
                28.0,
                MUTED,
                false,
                &wrap(&f.label, TEXT_WIDTH, 28.0, 1)[0],
            );
            line(
                &mut own,
                y + 84.0,
                68.0,
                FIGURE,
                true,
                &wrap(&f.value, TEXT_WIDTH, 68.0, 1)[0],
            );
            y += 134.0;
        } else {
            let text = format!("{}{}", f.label, f.value);
            line(
                &mut own,
                y + 44.0,
                40.0,
                MUTED,
                false,
                &wrap(&text, TEXT_WIDTH, 40.0, 1)[0],
            );
            y += 90.0;
        }
    }
    for fact in &card.facts {
        if y > 540.0 {
            break;
        }
        line(
            &mut own,
            y + 6.0,
            30.0,
            INK,
            false,
            &wrap(fact, TEXT_WIDTH, 30.0, 1)[0],
        );
        y += 46.0;
    }
    if let Some(chart) = card.chart.filter(|c| !c.bars.is_empty()) {
        let top = y.max(300.0);
        line(
            &mut own,
            top + 8.0,
            26.0,
            MUTED,
            false,
            &wrap(&chart.title, TEXT_WIDTH, 26.0, 1)[0],
        );
        own.push_str(&bars(chart, top + 28.0));
    }
    Parts {
        open,
        frame: s,
        own,
    }
}

/// A chart's bars, from `top` down to y 560, each with its label and figure.
fn bars(chart: &Chart, top: f64) -> String {
    let mut s = String::new();
    let row = ((560.0 - top) / chart.bars.len() as f64).min(64.0);
    let label_w = chart
        .bars
        .iter()
        .map(|b| text_width(&b.label, 28.0))
        .fold(0.0, f64::max);
    let values: Vec<String> = chart
        .bars
        .iter()
        .map(|b| match &b.note {
            Some(n) => format!("{}（{n}）", b.value_text),
            None => b.value_text.clone(),
        })
        .collect();
    let value_w = values
        .iter()
        .map(|v| text_width(v, 26.0))
        .fold(0.0, f64::max);
    let x0 = LEFT + label_w + 20.0;
    let x1 = (1136.0 - value_w - 12.0).max(x0 + 100.0);
    let max = chart
        .bars
        .iter()
        .map(|b| b.parts.iter().map(|p| p.value).sum::<f64>())
        .fold(0.0, f64::max);
    for (i, (bar, value)) in chart.bars.iter().zip(&values).enumerate() {
        let by = top + i as f64 * row;
        let h = row * 0.62;
        s.push_str(&format!("<text x=\"{}\" y=\"{}\" font-size=\"28\" text-anchor=\"end\" fill=\"{INK}\">{}</text>\n", x0 - 16.0, by + h * 0.5 + 10.0, t(&bar.label)));
        let mut x = x0;
        for part in &bar.parts {
            let w = if max > 0.0 {
                part.value / max * (x1 - x0)
            } else {
                0.0
            };
            s.push_str(&format!("<rect x=\"{x:.1}\" y=\"{by:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{}\"/>\n", COLORS[part.series % 3]));
            x += w;
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"26\" fill=\"{INK}\">{}</text>\n",
            x + 12.0,
            by + h * 0.5 + 9.0,
            t(value)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_to_two_lines() {
        let lines = wrap(&"很长的标题".repeat(20), 1072.0, 54.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap("短标题", 1072.0, 54.0, 2), vec!["短标题".to_string()]);
    }

    /// A line never breaks between a number and its measure word, nor inside a number or
    /// a Latin word, nor before closing punctuation, at any width.
    #[test]
    fn lines_never_break_inside_a_number_and_its_measure_word() {
        let text = "第十二期通报：本期新增12个项目，总投资228.35亿元，MEMS传感器（二期）开工";
        let whole = ["第十二期", "12个项目，", "228.35亿元，", "MEMS", "（二"];
        for w in 4..40 {
            let width = w as f64 * 30.0;
            let lines = wrap(text, width, 30.0, 20);
            assert_eq!(lines.concat(), text, "nothing lost at {w}");
            for piece in whole {
                if text_width(piece, 30.0) <= width {
                    assert!(
                        lines.iter().any(|l| l.contains(piece)),
                        "{piece} split at {w}: {lines:?}"
                    );
                }
            }
            // Only a piece wider than a line is cut, and then anywhere.
            let all_fit = whole.iter().all(|p| text_width(p, 30.0) <= width);
            for l in &lines {
                assert!(text_width(l, 30.0) <= width, "{l} too wide at {w}");
                assert!(!all_fit || !l.starts_with(['，', '）', '。']), "{l} at {w}");
            }
        }
        // The case of issue 15: the break falls before 个项目 without the rule.
        let title = "第七期全区新签约12个项目";
        let lines = wrap(title, text_width("第七期全区新签约12", 54.0), 54.0, 2);
        assert_eq!(lines, vec!["第七期全区新签约", "12个项目"]);
        // Cut short: an ellipsis, never half a number.
        let lines = wrap(title, text_width("第七期全区新签约12", 54.0), 54.0, 1);
        assert_eq!(lines, vec!["第七期全区新签约…"]);
    }

    #[test]
    fn card_text_is_escaped() {
        let card = Card {
            site_title: "<站点>",
            title: "</text><script>x</script>".into(),
            subtitle: None,
            figure: None,
            facts: vec![],
            host: "a&b",
            chart: None,
        };
        let svg = card_svg(&card, "Noto Sans CJK SC");
        assert!(
            !svg.contains("<script>") && svg.contains("&lt;站点&gt;") && svg.contains("a&amp;b")
        );
    }

    #[test]
    fn draws_a_png_when_a_cjk_font_is_installed() {
        let Ok(p) = Painter::new() else { return };
        let card = Card {
            site_title: "测试",
            title: "第七期项目".into(),
            subtitle: Some("开工一批".into()),
            figure: None,
            facts: vec![],
            host: "example.org",
            chart: None,
        };
        let png = p.png(&card).unwrap();
        assert!(png.starts_with(b"\x89PNG") && is_card_png(&png));
        // The same card twice: the same bytes (the second time on the frame drawn once).
        assert_eq!(p.png(&card).unwrap(), png);
    }

    /// A chart's PNG is twice its SVG's size, and its Chinese title is drawn: the title's
    /// area has ink that a painter without any font leaves white.
    #[test]
    fn draws_a_chart_as_png_twice_its_size_with_chinese_glyphs() {
        let Ok(p) = Painter::new() else { return };
        let chart = Chart {
            name: "investment-by-batch".into(),
            title: "各批次总投资".into(),
            subtitle: None,
            notes: None,
            source: "来源：测试站点；数据截至2022年12月31日".into(),
            desc: String::new(),
            series: vec![],
            bars: vec![],
            empty_note: Some("尚无期次。".into()),
            scale_max: None,
            table_head: vec![],
            table_rows: vec![],
            csv_head: vec![],
            csv_rows: vec![],
        };
        let svg = crate::charts::svg::draw(&chart);
        let height: u32 = svg
            .split(" height=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let png = p.svg_png(&svg, 2.0).unwrap();
        let (w, h) = (
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            u32::from_be_bytes(png[20..24].try_into().unwrap()),
        );
        assert_eq!((w, h), (2 * crate::charts::svg::WIDTH, 2 * height));
        // The title's box: x 24..300, y 24..48 at twice the size (the title sits at y 22).
        let ink = |png: &[u8]| {
            let px = decode(png);
            let mut n = 0;
            for y in 24..48 {
                for x in 24..300 {
                    let i = ((y * w + x) * 3) as usize;
                    n += usize::from(px[i..i + 3] != [255, 255, 255]);
                }
            }
            n
        };
        let inked = ink(&png);
        assert!(inked > 300, "{inked} dark pixels in the title");
        let fontless = Painter::with(fontdb::Database::new(), "none".into());
        assert_eq!(
            ink(&fontless.svg_png(&svg, 2.0).unwrap()),
            0,
            "no font, no glyphs"
        );
        // The source line at the bottom is drawn too.
        let px = decode(&png);
        let bottom = (h - 40) as usize * w as usize * 3;
        assert!(px[bottom..(h - 20) as usize * w as usize * 3]
            .iter()
            .any(|&c| c < 200));
    }

    /// The pixels of a PNG, as RGB.
    fn decode(png: &[u8]) -> Vec<u8> {
        let mut d = png::Decoder::new(std::io::Cursor::new(png));
        d.set_transformations(png::Transformations::EXPAND);
        let mut r = d.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        buf
    }

    fn pixmap(colours: u32) -> Pixmap {
        let mut p = Pixmap::new(WIDTH, HEIGHT).unwrap();
        for (i, px) in p.data_mut().chunks_exact_mut(4).enumerate() {
            let c = (i as u32 / 7) % colours;
            px.copy_from_slice(&[(c * 37) as u8, (c >> 3) as u8, (c * 11 % 256) as u8, 255]);
        }
        p
    }

    #[test]
    fn cards_are_encoded_losslessly_with_a_palette_or_without() {
        for colours in [1, 67, 256, 257, 5000] {
            let p = pixmap(colours);
            let png = encode_png(&p, None).unwrap();
            assert!(is_card_png(&png), "{colours}");
            assert_eq!(png[25], if colours <= 256 { 3 } else { 2 }, "colour type");
            let rgb: Vec<u8> = p
                .data()
                .chunks_exact(4)
                .flat_map(|x| [x[0], x[1], x[2]])
                .collect();
            assert_eq!(decode(&png), rgb, "{colours} colours");
        }
    }

    #[test]
    fn a_card_drawn_on_a_frame_keeps_the_frames_indices_where_it_is_the_same() {
        let rgb = |p: &Pixmap| -> Vec<u8> {
            p.data()
                .chunks_exact(4)
                .flat_map(|x| [x[0], x[1], x[2]])
                .collect()
        };
        let base = pixmap(60);
        let frame = Frame {
            indexed: Indexed::of(&base, None),
            pixmap: base.clone(),
        };
        // A few rows changed, with colours the frame has and colours it has not.
        let mut card = base.clone();
        for (i, px) in card.data_mut()[4 * 1200 * 100..4 * 1200 * 140]
            .chunks_exact_mut(4)
            .enumerate()
        {
            px.copy_from_slice(&[(i % 90) as u8, 200, 7, 255]);
        }
        let png = encode_png(&card, Some(&frame)).unwrap();
        assert_eq!(png[25], 3, "a palette");
        assert_eq!(decode(&png), rgb(&card));
        // Too many colours for a palette together: RGB.
        for (i, px) in card.data_mut().chunks_exact_mut(4).take(300).enumerate() {
            px.copy_from_slice(&[(i % 256) as u8, (i / 256) as u8, 99, 255]);
        }
        let png = encode_png(&card, Some(&frame)).unwrap();
        assert_eq!(png[25], 2, "RGB");
        assert_eq!(decode(&png), rgb(&card));
    }

    #[test]
    fn broken_pngs_are_not_cards() {
        let png = encode_png(&pixmap(67), None).unwrap();
        assert!(is_card_png(&png));
        assert!(!is_card_png(&png[..png.len() - 1]));
        assert!(!is_card_png(&png[..png.len() / 2]));
        let mut flipped = png.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 1;
        assert!(!is_card_png(&flipped));
        let mut longer = png.clone();
        longer.push(0);
        assert!(!is_card_png(&longer));
        assert!(!is_card_png(b""));
        let small = Pixmap::new(10, 10).unwrap();
        assert!(!is_card_png(&encode_png(&small, None).unwrap()));
    }
}
