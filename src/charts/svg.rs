//! Drawing a [`Chart`] as SVG with plotters' SVG backend: horizontal bars, so that Chinese
//! labels read on a phone, with the figure at the end of each bar.
//!
//! plotters is used without its font features, so it cannot measure text: we estimate widths
//! ourselves (a CJK character is one em, a Latin one about half), draw only non-empty text,
//! undo its font-size scaling (it writes the requested size divided by 1.24), and give the
//! file a title, a description and a CJK font stack afterwards.

use super::Chart;
use crate::escape;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Narrow enough that on a 390 px phone (358 px of column) no text is under 12 px: the
/// smallest text is [`FONT`], 14 × 358 / 400 = 12.5 px. The page lets the chart take the
/// width it is given on wider screens.
pub const WIDTH: u32 = 400;
const PAD: i32 = 12;
const FONT: f64 = 14.0;
const TITLE_FONT: f64 = 16.0;
/// The height of a line of the subtitle, notes and source.
const LINE: i32 = 20;
const BAR: i32 = 24;
const GAP: i32 = 12;
/// Colours that colour-blind readers tell apart (Okabe–Ito): blue, orange, green, and a
/// grey for published figures shown beside the entries' own.
const PALETTE: [RGBColor; 4] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(153, 153, 153),
];
const INK: RGBColor = RGBColor(34, 34, 34);
const MUTED: RGBColor = RGBColor(96, 96, 96);
const RULE: RGBColor = RGBColor(170, 170, 170);
/// Latin fonts first, so that digits keep their shapes; then CJK fonts of each platform.
pub const FONT_STACK: &str = "-apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, \"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", sans-serif";

/// The estimated width of `text` in pixels at `size`.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if crate::text::is_cjk(c) {
                1.0
            } else if c == ' ' {
                0.3
            } else if c.is_ascii_uppercase() {
                0.65
            } else {
                0.56
            }
        })
        .sum::<f64>()
        * size
}

fn style(size: f64, color: &RGBColor, h: HPos, bold: bool) -> TextStyle<'static> {
    let font = ("sans-serif", size * 1.24).into_font();
    let font = if bold {
        font.style(FontStyle::Bold)
    } else {
        font
    };
    font.color(color).pos(Pos::new(h, VPos::Center))
}

/// Draws `chart` and returns the SVG text.
pub fn draw(chart: &Chart) -> String {
    // A legend only where two named series are drawn: one alone is labelled on its bars
    // (公布数), directly, which reads better than a key to look up.
    let mut drawn: Vec<usize> = chart
        .bars
        .iter()
        .flat_map(|b| &b.parts)
        .filter(|p| p.value > 0.0)
        .map(|p| p.series)
        .filter(|&i| chart.series.get(i).is_some_and(|n| !n.is_empty()))
        .collect();
    drawn.sort_unstable();
    drawn.dedup();
    let legend = drawn.len() > 1;
    let head = Head::of(chart);
    let top = PAD + 30 + head.subtitle.len() as i32 * LINE + if legend { 28 } else { 0 };
    let rows = chart.bars.len().max(1) as i32;
    let foot = head.foot.len() as i32 * LINE;
    let height = (top + rows * (BAR + GAP) + foot + PAD) as u32;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        // Drawing into a String cannot fail; a failure would only lose this chart's look.
        let _ = paint(&root, chart, &head, top, legend);
        let _ = root.present();
    }
    // plotters escapes markup but not the control characters XML 1.0 forbids (a sector named
    // "新能\u{b}源" would make the file unreadable): remove them from the whole file.
    finish(&escape::xml_chars(&buf), chart)
}

/// The lines of text around the bars, wrapped to the picture's width: the title, the
/// subtitle, and the notes and source lines under the bars.
struct Head {
    title: Vec<String>,
    subtitle: Vec<String>,
    /// The notes, then the source, each line muted.
    foot: Vec<String>,
}

impl Head {
    fn of(chart: &Chart) -> Head {
        let width = f64::from(WIDTH) - 2.0 * f64::from(PAD);
        let mut foot = Vec::new();
        for text in chart.notes.iter().chain(std::iter::once(&chart.source)) {
            foot.extend(wrap(text, width, FONT));
        }
        Head {
            title: wrap(&chart.title, width, TITLE_FONT)
                .into_iter()
                .take(1)
                .collect(),
            subtitle: chart
                .subtitle
                .iter()
                .flat_map(|s| wrap(s, width, FONT))
                .collect(),
            foot,
        }
    }
}

/// Opening brackets and quotes, which never end a line.
const OPENING: &[char] = &['“', '‘', '《', '〈', '（', '【', '「', '『', '〔', '(', '['];
/// Closing brackets, quotes and punctuation, which never begin one.
const CLOSING: &[char] = &[
    '”', '’', '》', '〉', '）', '】', '」', '』', '〕', ')', ']', '，', '。', '、', '；', '：',
    '！', '？', ',', '.', ';', ':', '!', '?',
];

/// `text` in lines of at most `width` pixels, cut after the last Chinese punctuation or
/// before the last space of the line when there is one in its second half (so that a date
/// or a name stays whole), else where it would overflow. As Chinese typesetting does, no
/// line ends in an opening bracket or quote and none begins with a closing one: the cut
/// moves back a character or two where it would.
fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        if !line.is_empty() && text_width(&line, size) + text_width(&c.to_string(), size) > width {
            let half = line.len() / 2;
            let cut = line
                .char_indices()
                .filter(|&(i, x)| i >= half && matches!(x, '；' | '，' | '、' | '。' | '：' | ' '))
                .map(|(i, x)| if x == ' ' { i } else { i + x.len_utf8() })
                .next_back()
                .unwrap_or_else(|| kinsoku(&line, c));
            let rest = line[cut..].trim_start().to_string();
            line.truncate(cut);
            lines.push(line.trim_end().to_string());
            line = rest;
            if c == ' ' && line.is_empty() {
                continue;
            }
        }
        line.push(c);
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}

/// Where to cut `line`, which `next` would overflow: at its end, unless that leaves an
/// opening bracket at the end or puts a closing one (`next` or what follows the cut) at the
/// start of the next line; then earlier, by as few characters as that takes (never to an
/// empty line: a line of nothing but brackets is cut where it overflows).
fn kinsoku(line: &str, next: char) -> usize {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut k = chars.len();
    while k > 1 {
        let before = chars[k - 1].1;
        let after = chars.get(k).map_or(next, |&(_, c)| c);
        if OPENING.contains(&before) || CLOSING.contains(&after) {
            k -= 1;
        } else {
            break;
        }
    }
    match chars.get(k) {
        Some(&(i, _)) if k > 1 => i,
        _ => line.len(),
    }
}

fn paint<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Chart,
    head: &Head,
    top: i32,
    legend: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    for line in &head.title {
        root.draw(&Text::new(
            line.clone(),
            (PAD, PAD + 10),
            style(TITLE_FONT, &INK, HPos::Left, true),
        ))?;
    }
    for (i, line) in head.subtitle.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (PAD, PAD + 34 + i as i32 * LINE),
            style(FONT, &MUTED, HPos::Left, false),
        ))?;
    }
    let height = root.dim_in_pixel().1 as i32;
    let foot_top = height - PAD - head.foot.len() as i32 * LINE;
    for (i, line) in head.foot.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (PAD, foot_top + LINE / 2 + i as i32 * LINE),
            style(FONT, &MUTED, HPos::Left, false),
        ))?;
    }
    if legend {
        let mut x = PAD;
        // An empty name keeps a colour for its index without a legend entry.
        for (i, name) in chart
            .series
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.is_empty())
        {
            let y = top - 22;
            root.draw(&Rectangle::new(
                [(x, y - 7), (x + 14, y + 7)],
                PALETTE[i % PALETTE.len()].filled(),
            ))?;
            root.draw(&Text::new(
                name.clone(),
                (x + 20, y),
                style(FONT, &INK, HPos::Left, false),
            ))?;
            x += 28 + text_width(name, FONT) as i32 + 18;
        }
    }
    if let Some(note) = &chart.empty_note {
        let y = top + BAR / 2;
        root.draw(&Text::new(
            note.clone(),
            (PAD, y),
            style(FONT, &MUTED, HPos::Left, false),
        ))?;
        return Ok(());
    }
    let label_w = chart
        .bars
        .iter()
        .map(|b| text_width(&b.label, FONT))
        .fold(0.0, f64::max)
        .min(WIDTH as f64 * 0.35)
        .ceil() as i32;
    let value_w = chart
        .bars
        .iter()
        .map(|b| text_width(&value_label(b), FONT))
        .fold(0.0, f64::max)
        .min(WIDTH as f64 * 0.4) as i32;
    let x0 = PAD + label_w + 10;
    let x1 = (WIDTH as i32 - PAD - value_w - 8).max(x0 + 40);
    let max = chart
        .bars
        .iter()
        .map(|b| b.parts.iter().map(|p| p.value).sum::<f64>())
        .fold(chart.scale_max.unwrap_or(0.0), f64::max);
    let scale = if max > 0.0 {
        (x1 - x0) as f64 / max
    } else {
        0.0
    };
    for (i, bar) in chart.bars.iter().enumerate() {
        let y = top + i as i32 * (BAR + GAP);
        root.draw(&Text::new(
            fit(&bar.label, label_w as f64, FONT),
            (x0 - 10, y + BAR / 2),
            style(FONT, &INK, HPos::Right, false),
        ))?;
        let mut x = x0;
        for part in &bar.parts {
            let w = (part.value * scale).round() as i32;
            if w > 0 {
                let color = PALETTE[part.series % PALETTE.len()];
                root.draw(&Rectangle::new([(x, y), (x + w, y + BAR)], color.filled()))?;
                x += w;
            }
        }
        let text = value_label(bar);
        if !text.is_empty() {
            root.draw(&Text::new(
                text,
                (x + 6, y + BAR / 2),
                style(FONT, &INK, HPos::Left, false),
            ))?;
        }
    }
    let bottom = top + rows_height(chart.bars.len()) - GAP + 4;
    root.draw(&PathElement::new(
        vec![(x0, top - 4), (x0, bottom)],
        RULE.stroke_width(1),
    ))?;
    Ok(())
}

/// `text`, cut with an ellipsis to fit `width` pixels; the table below the chart has it whole.
fn fit(text: &str, width: f64, size: f64) -> String {
    if text_width(text, size) <= width + 0.5 {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&out, size) + text_width(&c.to_string(), size) + size > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn rows_height(n: usize) -> i32 {
    n as i32 * (BAR + GAP)
}

fn value_label(bar: &super::Bar) -> String {
    match &bar.note {
        Some(n) => format!("{}（{n}）", bar.value_text),
        None => bar.value_text.clone(),
    }
}

/// Gives the SVG its accessible title and description, a font stack, and clean sizes.
fn finish(raw: &str, chart: &Chart) -> String {
    let body_start = raw.find(">\n").map_or(0, |i| i + 2);
    let (open, body) = raw.split_at(body_start);
    let dims = |key: &str| -> String {
        open.split(&format!(" {key}=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("0")
            .to_string()
    };
    let (w, h) = (dims("width"), dims("height"));
    let mut out = String::with_capacity(raw.len() + 512);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\">\n<title>{}</title>\n<desc>{}</desc>\n<style>text{{font-family:{}}}</style>\n",
        escape::html(&escape::xml_chars(&chart.title)),
        escape::html(&escape::xml_chars(&chart.desc)),
        FONT_STACK.replace('"', "'"),
    ));
    // plotters prints sizes such as 14.999999999999998: round them to one decimal.
    let mut rest = body;
    while let Some(i) = rest.find("font-size=\"") {
        let (head, tail) = rest.split_at(i + "font-size=\"".len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(0);
        let v: f64 = tail[..end].parse().unwrap_or(FONT);
        let r = (v * 10.0).round() / 10.0;
        out.push_str(&format!("{r}"));
        rest = &tail[end..];
    }
    out.push_str(rest);
    tidy(&out)
}

/// Drops what plotters writes that means nothing here: newlines padding text (which shift
/// anchored text by a space), the default family (the style sets it) and full opacity.
fn tidy(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find("<text ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(open_end) = tail.find('>') else {
            break;
        };
        let Some(close) = tail.find("</text>") else {
            break;
        };
        let attrs = tail[..open_end]
            .replace(" font-family=\"sans-serif\"", "")
            .replace(" opacity=\"1\"", "");
        out.push_str(&attrs);
        out.push('>');
        out.push_str(tail[open_end + 1..close].trim_matches('\n'));
        out.push_str("</text>");
        rest = &tail[close + "</text>".len()..];
    }
    out.push_str(rest);
    out.replace(" opacity=\"1\"", "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{Bar, Part};

    fn chart(label: &str) -> Chart {
        Chart {
            name: "investment-by-batch".into(),
            title: "各批次总投资".into(),
            subtitle: Some("单位：亿元".into()),
            notes: Some("注：标“公布数”的为公开报道公布的数字。".into()),
            source: "来源：三批项目进展；第七期通报（2023年1月29日）；数据截至2022年12月31日"
                .into(),
            desc: "签约一批 166 亿元".into(),
            series: vec![],
            bars: vec![Bar {
                label: label.into(),
                parts: vec![Part {
                    series: 0,
                    value: 166.0,
                }],
                value_text: "166 亿元".into(),
                note: Some("公布数".into()),
            }],
            empty_note: None,
            scale_max: None,
            table_head: vec![],
            table_rows: vec![],
            csv_head: vec![],
            csv_rows: vec![],
        }
    }

    #[test]
    fn svg_is_clean_and_titled() {
        let svg = draw(&chart("签约一批"));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title>各批次总投资</title>") && svg.contains("签约一批"));
        assert!(!svg.contains("font-size=\"12.09"), "sizes are unscaled");
        assert!(svg.contains("font-size=\"14\""), "{svg}");
        assert!(!svg.contains("\"签约一批\"") && !svg.contains("<text></text>"));
        assert_eq!(svg, draw(&chart("签约一批")), "deterministic");
    }

    #[test]
    fn the_picture_carries_its_subtitle_notes_and_source() {
        let svg = draw(&chart("签约一批"));
        for want in [
            "单位：亿元",
            "注：标“公布数”",
            "来源：三批项目进展",
            "2022年12月31日",
        ] {
            assert!(svg.contains(want), "{want} in {svg}");
        }
        // No text is drawn under FONT px (12.5 px on screen at 390 px), the title over it.
        for size in svg.split("font-size=\"").skip(1) {
            let v: f64 = size.split('"').next().unwrap().parse().unwrap();
            assert!(v >= FONT, "{v}");
        }
        let mut bare = chart("签约一批");
        bare.notes = None;
        bare.subtitle = None;
        assert!(draw(&bare).len() < svg.len() && !draw(&bare).contains("单位"));
    }

    #[test]
    fn no_line_ends_in_an_opening_quote_nor_begins_with_a_closing_one() {
        let text = "来源：某某站点；动如脱兔跃千里 万帆竞发起长虹——郑州高新区高质量推进“三个一批”项目建设；数据截至2023年1月28日";
        for width in (120..400).step_by(7) {
            let lines = wrap(text, width as f64, 14.0);
            assert_eq!(
                lines.concat().replace(' ', ""),
                text.replace(' ', ""),
                "{width}: {lines:?}"
            );
            for (i, l) in lines.iter().enumerate() {
                let last = l.chars().last().unwrap();
                assert!(
                    !OPENING.contains(&last),
                    "{width}: line {i} ends in {last}: {lines:?}"
                );
                let first = l.chars().next().unwrap();
                assert!(
                    !CLOSING.contains(&first),
                    "{width}: line {i} begins with {first}: {lines:?}"
                );
            }
        }
        // A line of nothing but brackets is still cut, not looped on.
        assert!(!wrap(&"“".repeat(80), 100.0, 14.0).is_empty());
    }

    #[test]
    fn long_lines_wrap_within_the_picture() {
        let long = "来源：一个很长很长的网站标题；第七期通报 Zhengzhou Daily（2023年1月29日）；数据截至2022年12月31日";
        let lines = wrap(long, 376.0, FONT);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| text_width(l, FONT) <= 376.0),
            "{lines:?}"
        );
        assert_eq!(lines.concat().replace(' ', ""), long.replace(' ', ""));
        assert_eq!(wrap("短", 376.0, FONT), vec!["短".to_string()]);
    }

    #[test]
    fn long_labels_are_cut_to_fit() {
        assert_eq!(fit("新材料", 100.0, 14.0), "新材料");
        let cut = fit("一个名字非常非常非常非常长的行业类别", 100.0, 14.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 14.0) <= 100.0 + 14.0,
            "{cut}"
        );
    }

    #[test]
    fn content_is_escaped() {
        let svg = draw(&chart("<script>alert(1)</script>"));
        assert!(!svg.contains("<script>"));
    }
}
