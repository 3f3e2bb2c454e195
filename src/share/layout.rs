//! Where each thing on a card goes: the frame every card shares and the page's own text and
//! chart, as SVG.

use super::wrap::wrap;
use super::{Card, HEIGHT, WIDTH};
use crate::charts::svg::text_width;
use crate::charts::Chart;
use crate::escape::{html as esc, xml_chars};

fn t(s: &str) -> String {
    esc(&xml_chars(s))
}

/// A card's SVG, in the parts drawn separately: `frame` is what every card of a site shares
/// (the background, the coloured bar, the site's title, the host), `own` the page's title,
/// context, figure, facts and chart.
pub(super) struct Parts {
    open: String,
    frame: String,
    own: Own,
}

/// What a card shows of its own page: as SVG, and as lines of text when that is all it is.
struct Own {
    svg: String,
    lines: Vec<Line>,
    /// Whether the SVG holds more than the lines (a chart).
    more: bool,
}

/// One line of a card's own text, at [`LEFT`] and baseline `y`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    pub(super) y: f64,
    pub(super) size: f64,
    /// The colour, as #rrggbb.
    pub(super) fill: &'static str,
    pub(super) bold: bool,
    pub(super) text: String,
}

impl Own {
    fn line(&mut self, y: f64, size: f64, fill: &'static str, bold: bool, text: &str) {
        line(&mut self.svg, y, size, fill, bold, text);
        self.lines.push(Line {
            y,
            size,
            fill,
            bold,
            text: text.to_string(),
        });
    }
}

impl Parts {
    pub(super) fn frame_svg(&self) -> String {
        format!("{}{}</svg>\n", self.open, self.frame)
    }

    /// The whole card as SVG text.
    pub(super) fn svg(&self) -> String {
        format!("{}{}{}</svg>\n", self.open, self.frame, self.own.svg)
    }

    pub(super) fn own_svg(&self) -> String {
        format!("{}{}</svg>\n", self.open, self.own.svg)
    }

    /// The page's own part as lines of text at [`LEFT`], or None when it holds more.
    pub(super) fn own_lines(&self) -> Option<&[Line]> {
        (!self.own.more).then_some(&self.own.lines[..])
    }
}

/// The card as SVG text: all it shows.
pub fn card_svg(card: &Card, family: &str) -> String {
    parts(card, family).svg()
}

const COLORS: [&str; 3] = ["#0072B2", "#E69F00", "#009E73"];
/// The colours of a card's own lines of text.
pub(super) const TEXT_COLOURS: &[&str] = &[INK, MUTED, FIGURE];
const INK: &str = "#1f2328";
const MUTED: &str = "#5b6470";
/// The colour of a headline figure (4.9:1 on white).
const FIGURE: &str = "#0062a0";
/// Left edge and width of the text.
pub(super) const LEFT: f64 = 64.0;
const TEXT_WIDTH: f64 = 1072.0;

/// One line of text at `x`, `y`.
fn line(out: &mut String, y: f64, size: f64, fill: &str, bold: bool, text: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    out.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{y}\" font-size=\"{size}\"{weight} fill=\"{fill}\">{}</text>\n",
        t(text)
    ));
}

pub(super) fn parts(card: &Card, family: &str) -> Parts {
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

    let mut own = Own {
        svg: String::new(),
        lines: Vec::new(),
        more: false,
    };
    let title_size = 54.0;
    let mut y: f64 = 162.0;
    for l in wrap(&card.title, TEXT_WIDTH, title_size, 2) {
        own.line(y, title_size, INK, true, &l);
        y += 68.0;
    }
    if let Some(sub) = &card.subtitle {
        own.line(
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
            own.line(
                y + 10.0,
                28.0,
                MUTED,
                false,
                &wrap(&f.label, TEXT_WIDTH, 28.0, 1)[0],
            );
            own.line(
                y + 84.0,
                68.0,
                FIGURE,
                true,
                &wrap(&f.value, TEXT_WIDTH, 68.0, 1)[0],
            );
            y += 134.0;
        } else {
            let text = format!("{}{}", f.label, f.value);
            own.line(
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
        own.line(
            y + 6.0,
            30.0,
            INK,
            false,
            &wrap(fact, TEXT_WIDTH, 30.0, 1)[0],
        );
        y += 46.0;
    }
    // The source line at the foot, beside the host, in as many as two lines.
    let source: Vec<String> = card.source.map_or_else(Vec::new, |s| {
        let room = 1136.0 - LEFT - text_width(card.host, 24.0) - 32.0;
        wrap(s, room, 20.0, 2)
    });
    let bottom = if source.is_empty() {
        560.0
    } else {
        556.0 - 26.0 * source.len() as f64
    };
    if let Some(chart) = card.chart.filter(|c| !c.bars.is_empty()) {
        // The chart's own title, unless the card is titled with it.
        let mut top = y.max(300.0);
        if chart.title != card.title {
            own.line(
                top + 8.0,
                26.0,
                MUTED,
                false,
                &wrap(&chart.title, TEXT_WIDTH, 26.0, 1)[0],
            );
            top += 28.0;
        } else {
            top = y.max(220.0);
        }
        own.svg.push_str(&bars(chart, top, bottom));
        own.more = true;
    }
    for (i, l) in source.iter().enumerate() {
        own.line(bottom + 30.0 + 26.0 * i as f64, 20.0, MUTED, false, l);
    }
    Parts {
        open,
        frame: s,
        own,
    }
}

/// A chart's bars, from `top` down to `bottom`, each with its label and figure.
fn bars(chart: &Chart, top: f64, bottom: f64) -> String {
    let mut s = String::new();
    let row = ((bottom - top) / chart.bars.len() as f64).min(64.0);
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
    fn card_text_is_escaped() {
        let card = Card {
            site_title: "<站点>",
            title: "</text><script>x</script>".into(),
            subtitle: None,
            figure: None,
            facts: vec![],
            host: "a&b",
            chart: None,
            source: Some("来源：<b>"),
        };
        let svg = card_svg(&card, "Noto Sans CJK SC");
        assert!(
            !svg.contains("<script>")
                && svg.contains("&lt;站点&gt;")
                && svg.contains("a&amp;b")
                && svg.contains("来源：&lt;b&gt;")
        );
    }
}
