//! A chart's PNG with its lines of text drawn once per build: a chart is mostly text (labels,
//! notes, its source line), the same lines on many charts (a province draws three charts per
//! region), and resvg lays out, outlines and rasterises every glyph of every line anew.
//!
//! The chart's SVG is split into its `<text>` elements and the rest. The rest is drawn by
//! resvg as before; each line of text is drawn by resvg too, alone on a transparent canvas
//! of its own with the chart's style, at the same fraction of a pixel, the first time any
//! chart needs it, and laid over the chart. Drawing a glyph is the same at any whole-pixel
//! offset, so a line comes out as resvg draws it in place (a pixel can differ by a rounding
//! step where two glyphs of a line overlap). Text is drawn over the other shapes, as every
//! chart of sanpi places it. An SVG this does not recognise (another element inside a text,
//! an attribute it does not know) or a line that does not fit its canvas is drawn whole by
//! resvg: the shortcut can only be taken or not.

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The attributes a chart's `<text>` may have; any other makes the chart be drawn whole.
const KNOWN: &[&str] = &[
    "x",
    "y",
    "dy",
    "text-anchor",
    "font-size",
    "fill",
    "font-weight",
];

/// A line of text as its own canvas draws it: its colour, and its coverage of each pixel
/// (0–255), `width` a row, cut to the pixels it touches; where their top left corner is
/// from the line's anchor (in whole pixels). A quarter of the memory of its RGBA pixels.
struct Run {
    rgb: [u8; 3],
    cover: Vec<u8>,
    width: usize,
    left: i32,
    top: i32,
}

impl Run {
    /// Lays the line over the opaque `pixmap` with its top left corner at (x, y), as a
    /// colour at each pixel's coverage; what falls outside is left out.
    fn lay(&self, pixmap: &mut Pixmap, x: i32, y: i32) {
        let (w, h) = (pixmap.width() as i32, pixmap.height() as i32);
        let data = pixmap.data_mut();
        for (row, cover) in self.cover.chunks_exact(self.width.max(1)).enumerate() {
            let py = y + row as i32;
            if py < 0 || py >= h {
                continue;
            }
            for (col, &a) in cover.iter().enumerate() {
                let px = x + col as i32;
                if a == 0 || px < 0 || px >= w {
                    continue;
                }
                let at = (py as usize * w as usize + px as usize) * 4;
                let a = u32::from(a);
                for (d, c) in data[at..at + 3].iter_mut().zip(self.rgb) {
                    *d = ((u32::from(*d) * (255 - a) + u32::from(c) * a + 127) / 255) as u8;
                }
            }
        }
    }
}

/// The lines drawn so far in this build, by the SVG that draws each alone (None: it did not
/// fit its canvas).
#[derive(Default)]
pub(super) struct Runs {
    drawn: Mutex<HashMap<String, Option<Arc<Run>>>>,
}

/// A `<text>` element of a chart: its anchor point (SVG units), its other attributes as
/// written, and its content as written (escaped).
struct Line<'a> {
    x: f32,
    y: f32,
    size: f32,
    chars: usize,
    anchor: &'a str,
    attrs: Vec<(&'a str, &'a str)>,
    content: &'a str,
}

/// The SVG without its text elements, its `<style>` element, and its lines; None when it
/// holds a text this does not recognise.
fn split(svg: &str) -> Option<(String, &str, Vec<Line<'_>>)> {
    let mut rest = String::with_capacity(svg.len());
    let mut lines = Vec::new();
    let mut at = 0;
    while let Some(found) = svg[at..].find("<text") {
        let start = at + found;
        if !svg[start + "<text".len()..].starts_with([' ', '>']) {
            return None; // <textPath>, or something else this does not know
        }
        rest.push_str(&svg[at..start]);
        let open_end = start + svg[start..].find('>')?;
        let content_end = open_end + svg[open_end..].find("</text>")?;
        let content = &svg[open_end + 1..content_end];
        if content.contains('<') || svg[start..open_end].ends_with('/') {
            return None;
        }
        let attrs = attributes(&svg[start + "<text".len()..open_end])?;
        let get = |name: &str| attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        if attrs.iter().any(|(n, _)| !KNOWN.contains(n)) {
            return None;
        }
        lines.push(Line {
            x: get("x")?.parse().ok()?,
            y: get("y")?.parse().ok()?,
            size: get("font-size")?.parse().ok().filter(|s: &f32| *s > 0.0)?,
            chars: content.chars().count(),
            anchor: get("text-anchor").unwrap_or("start"),
            attrs: attrs
                .into_iter()
                .filter(|(n, _)| !matches!(*n, "x" | "y" | "text-anchor"))
                .collect(),
            content,
        });
        at = content_end + "</text>".len();
    }
    rest.push_str(&svg[at..]);
    let style = svg
        .find("<style>")
        .and_then(|s| Some(&svg[s..s + svg[s..].find("</style>")? + "</style>".len()]))
        .unwrap_or("");
    Some((rest, style, lines))
}

/// The attributes of a start tag as `name="value"` pairs; None when it holds anything else.
fn attributes(tag: &str) -> Option<Vec<(&str, &str)>> {
    let mut out = Vec::new();
    let mut s = tag.trim_start();
    while !s.is_empty() {
        let eq = s.find('=')?;
        let name = &s[..eq];
        if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == '"') {
            return None;
        }
        let value = s[eq + 1..].strip_prefix('"')?;
        let end = value.find('"')?;
        out.push((name, &value[..end]));
        s = value[end + 1..].trim_start();
    }
    Some(out)
}

impl Runs {
    /// `svg` drawn `scale` times its size on white, its lines of text from those drawn
    /// before; None when it must be drawn whole by resvg.
    pub(super) fn draw(
        &self,
        svg: &str,
        scale: f32,
        options: &usvg::Options,
    ) -> Result<Option<Pixmap>, String> {
        let Some((rest, style, lines)) = split(svg) else {
            return Ok(None);
        };
        let mut runs = Vec::with_capacity(lines.len());
        for line in &lines {
            let Some(placed) = self.run(line, style, scale, options)? else {
                return Ok(None);
            };
            runs.push(placed);
        }
        let tree = usvg::Tree::from_str(&rest, options).map_err(|e| e.to_string())?;
        let mut pixmap = super::on_white(&tree, scale)?;
        for (run, x, y) in runs {
            run.lay(&mut pixmap, x + run.left, y + run.top);
        }
        Ok(Some(pixmap))
    }

    /// The line drawn alone, and the whole pixel its anchor falls in on the chart; None
    /// when it does not fit its canvas.
    fn run(
        &self,
        line: &Line,
        style: &str,
        scale: f32,
        options: &usvg::Options,
    ) -> Result<Option<(Arc<Run>, i32, i32)>, String> {
        let (px, py) = (line.x * scale, line.y * scale);
        let (fx, fy) = (px - px.floor(), py - py.floor());
        // A canvas wide enough for the line (a CJK character is an em wide, others less),
        // with an em to spare on each side, the anchor a whole pixel plus the same fraction.
        let em = line.size;
        let width = (em * (line.chars as f32 + 2.0)).ceil();
        let height = (em * 3.0).ceil();
        let ax = match line.anchor {
            "start" => em,
            "middle" => (width / 2.0).floor(),
            "end" => width - em,
            _ => return Ok(None),
        };
        let ay = (em * 1.5).floor();
        let (ax, ay) = (ax * scale + fx, ay * scale + fy);
        let Some(rgb) = line
            .attrs
            .iter()
            .find(|(n, _)| *n == "fill")
            .and_then(|(_, v)| colour(v))
        else {
            return Ok(None);
        };
        let mut alone = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {width} {height}\">{style}<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"",
            ax / scale,
            ay / scale,
            line.anchor
        );
        for (name, value) in &line.attrs {
            alone.push_str(&format!(" {name}=\"{value}\""));
        }
        alone.push('>');
        alone.push_str(line.content);
        alone.push_str("</text></svg>");
        let anchor = (px.floor() as i32, py.floor() as i32);
        let at = (ax.floor() as i32, ay.floor() as i32);
        if let Some(done) = self.lock().get(&alone) {
            return Ok(done.clone().map(|r| (r, anchor.0 - at.0, anchor.1 - at.1)));
        }
        let run = draw_alone(&alone, rgb, width, height, scale, options)?.map(Arc::new);
        self.lock().insert(alone, run.clone());
        Ok(run.map(|r| (r, anchor.0 - at.0, anchor.1 - at.1)))
    }

    /// Forgets the lines drawn (their memory), once the charts are drawn.
    pub(super) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<Arc<Run>>>> {
        self.drawn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A colour written `#rrggbb`.
fn colour(v: &str) -> Option<[u8; 3]> {
    let hex = v
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.is_ascii())?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// One line on a transparent canvas, cut to the pixels it touches; None when it touches the
/// canvas's edge (it may not fit) or when the canvas cannot be made.
fn draw_alone(
    svg: &str,
    rgb: [u8; 3],
    width: f32,
    height: f32,
    scale: f32,
    options: &usvg::Options,
) -> Result<Option<Run>, String> {
    let tree = usvg::Tree::from_str(svg, options).map_err(|e| e.to_string())?;
    let (w, h) = (
        (width * scale).ceil() as u32,
        (height * scale).ceil() as u32,
    );
    let Some(mut canvas) = Pixmap::new(w, h) else {
        return Ok(None);
    };
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut canvas.as_mut(),
    );
    let (w, h) = (w as usize, h as usize);
    let alpha = |x: usize, y: usize| canvas.data()[(y * w + x) * 4 + 3];
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for y in 0..h {
        for x in 0..w {
            if alpha(x, y) > 0 {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
    }
    if x0 >= x1 {
        // Nothing drawn (a line of spaces): an empty run.
        return Ok(Some(Run {
            rgb,
            cover: Vec::new(),
            width: 0,
            left: 0,
            top: 0,
        }));
    }
    if x0 == 0 || y0 == 0 || x1 == w || y1 == h {
        return Ok(None);
    }
    let cover = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .map(|(x, y)| alpha(x, y))
        .collect();
    Ok(Some(Run {
        rgb,
        cover,
        width: x1 - x0,
        left: x0 as i32,
        top: y0 as i32,
    }))
}

#[cfg(test)]
mod tests {
    use super::{attributes, colour, split};

    #[test]
    fn a_charts_lines_are_split_from_the_rest() {
        let svg = "<svg><style>text{font-family:sans-serif}</style><rect x=\"0\"/>\
                   <text x=\"12\" y=\"22\" dy=\"0.5ex\" text-anchor=\"end\" font-size=\"16\" \
                   fill=\"#222222\">第一期 &amp; 1</text><line x1=\"1\"/></svg>";
        let (rest, style, lines) = split(svg).unwrap();
        assert_eq!(
            rest,
            "<svg><style>text{font-family:sans-serif}</style><rect x=\"0\"/><line x1=\"1\"/></svg>"
        );
        assert_eq!(style, "<style>text{font-family:sans-serif}</style>");
        assert_eq!(lines.len(), 1);
        let l = &lines[0];
        assert_eq!((l.x, l.y, l.size, l.anchor), (12.0, 22.0, 16.0, "end"));
        assert_eq!(l.content, "第一期 &amp; 1");
        assert_eq!(l.chars, 11); // as written: an entity counts for more, which only widens
        assert_eq!(
            l.attrs,
            vec![("dy", "0.5ex"), ("font-size", "16"), ("fill", "#222222")]
        );
    }

    #[test]
    fn what_it_does_not_know_is_left_to_resvg() {
        let tspan = "<svg><text x=\"1\" y=\"2\" font-size=\"3\">a<tspan>b</tspan></text></svg>";
        assert!(split(tspan).is_none());
        let transform = "<svg><text x=\"1\" y=\"2\" font-size=\"3\" transform=\"r\">a</text></svg>";
        assert!(split(transform).is_none());
        let no_size = "<svg><text x=\"1\" y=\"2\">a</text></svg>";
        assert!(split(no_size).is_none());
        assert!(attributes(" x=1").is_none());
        assert_eq!(colour("#2a0aFF"), Some([0x2a, 0x0a, 0xff]));
        assert_eq!(colour("red"), None);
        assert_eq!(colour("#fff"), None);
        assert!(attributes(" x=\"1").is_none());
        assert_eq!(attributes(""), Some(vec![]));
    }
}
