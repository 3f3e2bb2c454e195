//! Share images: a 1200×630 PNG card per page (title, context, headline chart), since social
//! platforms show no SVG. Drawn as SVG and rasterised with resvg, with a CJK font found on
//! the machine; without one, no card is drawn (empty boxes would be worse than none).

use crate::charts::svg::text_width;
use crate::charts::Chart;
use crate::escape::{html as esc, xml_chars};
use resvg::usvg::{self, fontdb};
use std::sync::Arc;

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

/// What a card says.
#[derive(Debug, Clone)]
pub struct Card<'a> {
    pub site_title: &'a str,
    pub title: &'a str,
    /// A line of context: a batch and period, a date.
    pub subtitle: Option<String>,
    /// Where the site lives, shown at the bottom.
    pub host: &'a str,
    pub chart: Option<&'a Chart>,
}

/// Draws cards with one CJK font.
pub struct Painter {
    db: Arc<fontdb::Database>,
    family: String,
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
            None => Err("no CJK font is installed, so share images (og:image) are left out; install one (Debian: fonts-noto-cjk) or point SANPI_FONT at a font file".into()),
        }
    }

    fn with(mut db: fontdb::Database, family: String) -> Painter {
        db.set_sans_serif_family(family.clone());
        Painter {
            db: Arc::new(db),
            family,
        }
    }

    pub fn family(&self) -> &str {
        &self.family
    }

    /// The card as PNG bytes.
    pub fn png(&self, card: &Card) -> Result<Vec<u8>, String> {
        let svg = card_svg(card, &self.family);
        let opt = usvg::Options {
            fontdb: self.db.clone(),
            font_family: self.family.clone(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(&svg, &opt).map_err(|e| e.to_string())?;
        let mut pixmap =
            resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate the image")?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(|e| e.to_string())
    }
}

fn t(s: &str) -> String {
    esc(&xml_chars(s))
}

/// Cuts `text` into at most `lines` lines of `width` pixels at `size`, the last one ending
/// with an ellipsis when text is left over.
fn wrap(text: &str, width: f64, size: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for c in text.chars() {
        let line = out.last_mut().expect("one line at least");
        if text_width(line, size) + text_width(&c.to_string(), size) > width {
            if out.len() == lines {
                let last = out.last_mut().expect("one line at least");
                last.pop();
                last.push('…');
                return out;
            }
            out.push(String::new());
        }
        out.last_mut().expect("one line at least").push(c);
    }
    out
}

/// The card as SVG text.
pub fn card_svg(card: &Card, family: &str) -> String {
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"{}\">\n<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#ffffff\"/>\n",
        t(family)
    );
    for (i, c) in COLORS.iter().enumerate() {
        s.push_str(&format!(
            "<rect x=\"{}\" y=\"0\" width=\"400\" height=\"14\" fill=\"{c}\"/>\n",
            i * 400
        ));
    }
    s.push_str(&format!(
        "<text x=\"64\" y=\"84\" font-size=\"30\" fill=\"#5b6470\">{}</text>\n",
        t(&wrap(card.site_title, 1072.0, 30.0, 1)[0])
    ));
    let title_size = 54.0;
    let mut y: f64 = 162.0;
    for line in wrap(card.title, 1072.0, title_size, 2) {
        s.push_str(&format!("<text x=\"64\" y=\"{y}\" font-size=\"{title_size}\" font-weight=\"bold\" fill=\"#1f2328\">{}</text>\n", t(&line)));
        y += 68.0;
    }
    if let Some(sub) = &card.subtitle {
        s.push_str(&format!(
            "<text x=\"64\" y=\"{}\" font-size=\"30\" fill=\"#1f2328\">{}</text>\n",
            y - 6.0,
            t(&wrap(sub, 1072.0, 30.0, 1)[0])
        ));
        y += 44.0;
    }
    if let Some(chart) = card.chart.filter(|c| !c.bars.is_empty()) {
        let top = y.max(330.0);
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
        let x0 = 64.0 + label_w + 20.0;
        let x1 = (1136.0 - value_w - 12.0).max(x0 + 100.0);
        let max = chart
            .bars
            .iter()
            .map(|b| b.parts.iter().map(|p| p.value).sum::<f64>())
            .fold(0.0, f64::max);
        for (i, (bar, value)) in chart.bars.iter().zip(&values).enumerate() {
            let by = top + i as f64 * row;
            let h = row * 0.62;
            s.push_str(&format!("<text x=\"{}\" y=\"{}\" font-size=\"28\" text-anchor=\"end\" fill=\"#1f2328\">{}</text>\n", x0 - 16.0, by + h * 0.5 + 10.0, t(&bar.label)));
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
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"26\" fill=\"#1f2328\">{}</text>\n",
                x + 12.0,
                by + h * 0.5 + 9.0,
                t(value)
            ));
        }
    }
    s.push_str(&format!("<text x=\"1136\" y=\"606\" font-size=\"24\" text-anchor=\"end\" fill=\"#5b6470\">{}</text>\n", t(card.host)));
    s.push_str("</svg>\n");
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

    #[test]
    fn card_text_is_escaped() {
        let card = Card {
            site_title: "<站点>",
            title: "</text><script>x</script>",
            subtitle: None,
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
            title: "第七期项目",
            subtitle: Some("开工一批".into()),
            host: "example.org",
            chart: None,
        };
        let png = p.png(&card).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    }
}
