//! Share images: a 1200×630 PNG card per page (title, context, headline chart), since social
//! platforms show no SVG. The frame every card shares is drawn once with resvg; a card's own
//! lines of text come from glyphs rasterised once per build (`glyphs`), and a card with a
//! chart is drawn with resvg. The font is a CJK font found on the machine; without one, no
//! card is drawn (empty boxes would be worse than none).

mod deflate;
mod glyphs;
mod layout;
mod png;
mod runs;
mod wrap;

use crate::charts::Chart;
pub use layout::card_svg;
use layout::{parts, Parts};
pub use png::is_card_png;
use png::{encode_png, Indexed};
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
    /// site's headline chart, on a period's page what entered each batch in it, on a
    /// chart's page the chart itself).
    pub chart: Option<&'a Chart>,
    /// The chart's source line, drawn at the foot (on a chart's page, where the card is the
    /// picture that travels).
    pub source: Option<&'a str>,
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
    /// The card's own text is drawn from glyphs rasterised once (None when the faces'
    /// data is not in memory: then resvg draws everything).
    glyphs: Option<glyphs::Glyphs>,
    /// The charts' lines of text, each drawn once.
    runs: runs::Runs,
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
        let glyphs = glyphs::Glyphs::new(&db, &family);
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
            glyphs,
            runs: runs::Runs::default(),
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
        self.png_of(&self.layout(card))
    }

    /// Where everything on `card` goes, drawn with this painter's font: what
    /// [`Painter::png_of`] draws and [`Layout::svg`] describes.
    pub fn layout(&self, card: &Card) -> Layout {
        Layout(parts(card, &self.family))
    }

    /// The card laid out as `layout`, as PNG bytes.
    pub fn png_of(&self, layout: &Layout) -> Result<Vec<u8>, String> {
        let parts = &layout.0;
        let frame = self.frame(parts)?;
        match self.own_text(parts, &frame) {
            Some(png) => png,
            None => self.all_by_resvg(parts, &frame),
        }
    }

    /// The card's own part drawn by resvg on its frame: for what [`Painter::own_text`]
    /// cannot draw.
    fn all_by_resvg(&self, parts: &Parts, frame: &Frame) -> Result<Vec<u8>, String> {
        let mut pixmap = frame.pixmap.clone();
        let tree =
            usvg::Tree::from_str(&parts.own_svg(), &self.options).map_err(|e| e.to_string())?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        encode_png(&pixmap, Some(frame))
    }

    /// The card drawn the fast way, its own lines of text from the glyphs drawn once, or
    /// None when it cannot be (it holds a chart, or a character the font lacks).
    fn own_text(&self, parts: &Parts, frame: &Frame) -> Option<Result<Vec<u8>, String>> {
        let (glyphs, inks, lines) = (
            self.glyphs.as_ref()?,
            frame.inks.as_ref()?,
            parts.own_lines()?,
        );
        let texts: Vec<glyphs::Text> = lines
            .iter()
            .map(|l| glyphs::Text {
                x: layout::LEFT as f32,
                y: l.y as f32,
                size: l.size as f32,
                colour: l.fill,
                bold: l.bold,
                text: &l.text,
            })
            .collect();
        // Each thread draws on one canvas that holds a frame's indices: no image of 756 KB
        // allocated and freed per card, and after a card only the rows it drew on are
        // copied back from the frame (the whole frame only when the canvas held another).
        thread_local!(static CANVAS: std::cell::RefCell<(u64, Vec<u8>)> = const {
            std::cell::RefCell::new((0, Vec::new()))
        });
        CANVAS.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (holds, canvas) = &mut *cell;
            let src = inks.indexed.indices();
            if *holds != frame.id || canvas.len() != src.len() {
                canvas.clear();
                canvas.extend_from_slice(src);
            }
            // Unknown until the drawn rows are put back (a panic leaves it unknown).
            *holds = 0;
            let width = WIDTH as usize;
            let mut touched = vec![false; HEIGHT as usize];
            let png = glyphs
                .draw(&texts, inks, canvas, width, &mut touched)
                .then(|| png::encode_card(&inks.indexed, canvas, &touched, &inks.rows));
            for (y, _) in touched.iter().enumerate().filter(|(_, t)| **t) {
                let row = y * width..(y + 1) * width;
                canvas[row.clone()].copy_from_slice(&src[row]);
            }
            *holds = frame.id;
            png
        })
    }

    /// Any SVG (a chart) as an opaque PNG `scale` times its size, drawn with this painter's
    /// CJK font and encoded as the cards are.
    pub fn svg_png(&self, svg: &str, scale: f32) -> Result<Vec<u8>, String> {
        if let Some(pixmap) = self.runs.draw(svg, scale, &self.options)? {
            let png = encode_png(&pixmap, None);
            recycle(pixmap);
            return png;
        }
        self.svg_png_whole(svg, scale)
    }

    /// Forgets the charts' lines of text kept for [`Painter::svg_png`] (once the charts
    /// are drawn: their memory is better spent on the pages).
    pub fn forget_lines(&self) {
        self.runs.clear();
    }

    /// [`Painter::svg_png`] with every part drawn by resvg in place.
    fn svg_png_whole(&self, svg: &str, scale: f32) -> Result<Vec<u8>, String> {
        let tree = usvg::Tree::from_str(svg, &self.options).map_err(|e| e.to_string())?;
        let pixmap = on_white(&tree, scale)?;
        let png = encode_png(&pixmap, None);
        recycle(pixmap);
        png
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
        let indexed = Indexed::of(&pixmap, None);
        let inks = indexed
            .as_ref()
            .and_then(|ix| glyphs::Inks::new(ix, layout::TEXT_COLOURS));
        static FRAMES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let frame = Frame {
            id: FRAMES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            indexed,
            pixmap,
            inks,
        };
        Ok(frames().entry(svg).or_insert(Arc::new(frame)).clone())
    }
}

thread_local! {
    /// The memory of this thread's last chart image, for the next ([`on_white`]).
    static SPARE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Keeps `pixmap`'s memory for this thread's next chart image (a common chart's, at most 8 MB:
/// a giant one's would stay in memory for the rest of the build).
fn recycle(pixmap: Pixmap) {
    let data = pixmap.take();
    if data.capacity() <= 8 << 20 {
        SPARE.with(|s| *s.borrow_mut() = data);
    }
}

/// An SVG's tree drawn `scale` times its size on opaque white, as the charts' PNGs are.
fn on_white(tree: &usvg::Tree, scale: f32) -> Result<Pixmap, String> {
    let size = tree.size();
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    // White from the start, in this thread's last image's memory: a fresh one was zeroed
    // page by page, then filled (a tenth of drawing the charts' PNGs).
    let size = resvg::tiny_skia::IntSize::from_wh(w, h).ok_or("cannot allocate the image")?;
    let mut data = SPARE.with(|s| std::mem::take(&mut *s.borrow_mut()));
    data.clear();
    data.resize(w as usize * h as usize * 4, 255);
    let mut pixmap = Pixmap::from_vec(data, size).ok_or("cannot allocate the image")?;
    resvg::render(
        tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// A card laid out: made by [`Painter::layout`], laid out once for its cache key and its
/// drawing.
pub struct Layout(Parts);

impl Layout {
    /// The card as SVG text: all it shows.
    pub fn svg(&self) -> String {
        self.0.svg()
    }
}

/// The shared parts of the cards, drawn, with their palette when they have one.
struct Frame {
    /// This frame among all a process draws (for a thread's canvas to know what it holds).
    id: u64,
    pixmap: Pixmap,
    indexed: Option<Indexed>,
    /// Its palette with the steps of each colour of text, for drawing glyphs into.
    inks: Option<glyphs::Inks>,
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

#[cfg(test)]
mod tests {
    use super::png::tests::decode;
    use super::*;

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
            source: None,
        };
        let png = p.png(&card).unwrap();
        assert!(png.starts_with(b"\x89PNG") && is_card_png(&png));
        // The same card twice: the same bytes (the second time on the frame drawn once).
        assert_eq!(p.png(&card).unwrap(), png);
    }

    /// The card's own text drawn from the cached glyphs looks as resvg draws it: the same
    /// pixels but for a step of coverage at the glyphs' edges, and glyphs a quarter of a
    /// pixel apart at most; a character the font lacks leaves the card to resvg.
    #[test]
    fn own_text_is_drawn_as_resvg_draws_it() {
        let Ok(p) = Painter::new() else { return };
        let card = Card {
            site_title: "河南省“三个一批”项目建设进展",
            title: "年产10万吨新型环保材料生产线及配套设施建设项目（一期）".into(),
            subtitle: Some("开工一批 · 第七期 · 先进制造业".into()),
            figure: Some(Figure {
                label: "总投资".into(),
                value: "12.35 亿元".into(),
                known: true,
            }),
            facts: vec![
                "项目单位：某某新材料科技有限公司".into(),
                "计划2024年6月投产 (MEMS)".into(),
            ],
            host: "example.org/sanpi",
            chart: None,
            source: None,
        };
        let parts = parts(&card, &p.family);
        let frame = p.frame(&parts).unwrap();
        let fast = p
            .own_text(&parts, &frame)
            .expect("drawn the fast way")
            .unwrap();
        let slow = p.all_by_resvg(&parts, &frame).unwrap();
        assert!(is_card_png(&fast));
        assert_eq!(p.png(&card).unwrap(), fast);
        let (a, b) = (decode(&fast), decode(&slow));
        let grey = |px: &[u8]| px.iter().map(|&c| u32::from(c)).sum::<u32>() / 3;
        let (mut inked, mut apart, mut total) = (0, 0, 0u64);
        for (x, y) in a.chunks_exact(3).zip(b.chunks_exact(3)) {
            let d = grey(x).abs_diff(grey(y));
            inked += usize::from(grey(y) < 200);
            apart += usize::from(d > 64);
            total += u64::from(d);
        }
        assert!(inked > 20_000, "{inked} pixels of text");
        // Differences only at the edges of glyphs, and small.
        assert!(apart * 50 < inked, "{apart} of {inked} pixels differ much");
        assert!(total < 3 * inked as u64, "{total} over {inked} pixels");
        // A character the font lacks: resvg draws the card.
        let lacking = Card {
            title: "\u{10FFFD}".into(),
            ..card.clone()
        };
        let parts = parts_of(&lacking, &p);
        assert!(p.own_text(&parts, &frame).is_none());
        assert!(is_card_png(&p.png(&lacking).unwrap()));
    }

    fn parts_of(card: &Card, p: &Painter) -> Parts {
        parts(card, &p.family)
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

    /// A chart's lines of text drawn once and laid over it give the picture resvg draws in
    /// place, to within a rounding step at the edges of glyphs; and charts as sanpi draws
    /// them take that way (a new attribute in `charts::svg` would quietly lose it).
    #[test]
    fn a_charts_lines_drawn_apart_match_resvgs_drawing() {
        use crate::charts::{Bar, Part};
        let Ok(p) = Painter::new() else { return };
        let bar = |label: &str, v: f64, note: Option<&str>| Bar {
            label: label.into(),
            parts: vec![
                Part {
                    series: 0,
                    value: v,
                },
                Part {
                    series: 1,
                    value: v / 3.0,
                },
            ],
            value_text: format!("{v} 亿元"),
            note: note.map(Into::into),
        };
        let chart = Chart {
            name: "investment-by-region".into(),
            title: "各地区各批次总投资（ＭＥＭＳ & <测试>）".into(),
            subtitle: Some("单位：亿元".into()),
            notes: Some("注：标“未载明”的数字来源没有公布。".into()),
            source: "来源：测试站点；数据截至2022年12月31日".into(),
            series: vec!["签约一批".into(), "开工一批".into()],
            bars: vec![
                bar("郑州市", 120.5, None),
                bar("开封市", 33.25, Some("公布数")),
                bar("洛阳市", 0.75, None),
            ],
            ..Chart::default()
        };
        let svg = crate::charts::svg::draw(&chart);
        let apart = p.runs.draw(&svg, 2.0, &p.options).unwrap();
        let apart = apart.expect("a chart of sanpi's has its lines drawn apart");
        let whole = p.svg_png_whole(&svg, 2.0).unwrap();
        let (a, b) = (decode(&encode_png(&apart, None).unwrap()), decode(&whole));
        assert_eq!(a.len(), b.len());
        let (mut off, mut inked, mut worst) = (0, 0, 0);
        for (x, y) in a.iter().zip(&b) {
            let d = x.abs_diff(*y);
            worst = worst.max(d);
            off += usize::from(d > 2);
            inked += usize::from(*y < 200);
        }
        assert!(inked > 10_000, "{inked} inked channels");
        assert!(
            off * 500 < inked,
            "{off} of {inked} channels differ by more than 2"
        );
        assert!(worst <= 32, "a channel differs by {worst}");
        // The same line twice is drawn once.
        let again = p.svg_png(&svg, 2.0).unwrap();
        assert_eq!(again, encode_png(&apart, None).unwrap());
    }
}
