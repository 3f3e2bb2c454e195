//! Escaping for every place a content string lands: HTML text and attributes, XML, JSON in
//! a script element.

/// Escapes `& < > " '` for HTML and XML text and attribute values. The text between the
/// characters to escape is copied whole (most strings have none).
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // An ASCII byte is a whole character: `from` and `i` are at character boundaries.
        out.push_str(&s[from..i]);
        out.push_str(with);
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out
}

/// JSON text safe inside `<script>`: no `<`, `>` or `&` that could end or open a block.
pub(crate) fn json_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Removes characters XML 1.0 forbids, which would make a feed or SVG unreadable.
pub(crate) fn xml_chars(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert!(!json_for_script("\"</script><!--\"").contains('<'));
        assert_eq!(html("项目&“名称”<b>"), "项目&amp;“名称”&lt;b&gt;");
        assert_eq!(html(""), "");
        assert_eq!(html("无需转义的文字"), "无需转义的文字");
        assert_eq!(html("'"), "&#39;");
        assert_eq!(xml_chars("a\u{1}b\u{b}c"), "abc");
    }
}
