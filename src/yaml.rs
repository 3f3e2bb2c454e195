//! YAML: the only module that knows serde_yaml, so that the parser can be swapped for another.
//!
//! Entries are deserialized straight into typed structs; serde_yaml attaches the position of
//! the offending node to every error, which [`parse`] turns into a [`Diagnostic`]. Semantic
//! errors found later (an unknown period, a duplicate id) ask [`locate`] for the position of a
//! key's value, which re-reads the text and stops at that node.

use crate::diagnostics::{did_you_mean, Diagnostic, Place, Pos};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use std::fmt;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Field(&'a str),
    Index(usize),
    /// The key itself of a mapping's entry, rather than its value: for an error about the
    /// key (an unknown region's path). Last in a path.
    Name(&'a str),
}

/// Parses `text` into `T`. Blank text (or comments only) reads as an empty mapping. An
/// error has no path yet and its position inside `text`: [`Diagnostic::placed`] puts it in
/// its file.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Diagnostic> {
    if let Some(d) = hidden_line_break(text) {
        return Err(d);
    }
    // Before serde_yaml, which reports the first document's errors, or none at all.
    if let Some(pos) = second_document(text) {
        return Err(Diagnostic::error("", Some(pos), "a second YAML document starts here: one file holds one entry")
            .with_hint("remove this `---` line (a Markdown entry's front matter ends with `---`), or put the second entry in a file of its own"));
    }
    let text = if is_blank(text) { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|e| {
        let mut err = convert(&e, text);
        if let Some(key) = duplicated_key(&strip_marks(&e.to_string())) {
            if let Some(pos) = duplicate(text, &key) {
                err.pos = Some(pos);
            }
        }
        err
    })
}

/// Parses a YAML value of any shape into JSON, for `extra:` maps handed to templates.
pub(crate) fn to_json(value: &serde_yaml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// An untyped YAML value, for `extra:`.
pub(crate) type Value = serde_yaml::Value;

/// The text of a scalar as YAML read it (a string, or a number or boolean as written by
/// serde_yaml); None for null, lists and maps.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A character that YAML reads as a line break and editors do not show as one (U+0085,
/// U+2028, U+2029): the value around it would silently change shape, and YAML's own error
/// would point at the line after it. Refused where it stands.
fn hidden_line_break(text: &str) -> Option<Diagnostic> {
    let (i, c) = text
        .char_indices()
        .find(|&(_, c)| matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'))?;
    Some(
        Diagnostic::error(
            "",
            Some(Pos::of_offset(text, i)),
            format!("a U+{:04X} character, which YAML reads as a line break although editors show none", c as u32),
        )
        .with_hint("delete it (it is often pasted with copied text), or write it as an escape such as \\u2028 inside double quotes"),
    )
}

/// Where a second document starts: the first `---` marker after some content, or the
/// content after a `...` end marker.
fn second_document(text: &str) -> Option<Pos> {
    let (mut content, mut ended) = (false, false);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let l = line.trim_end();
        let marker = |m: &str| l == m || l.starts_with(&format!("{m} "));
        let blank = l.trim().is_empty() || l.trim_start().starts_with('#');
        if marker("---") && (content || ended) || ended && !blank && !marker("...") {
            return Some(Pos::of_offset(text, offset));
        }
        if marker("...") {
            ended = true;
        } else if !blank && !marker("---") {
            content = true;
        }
        offset += line.len();
    }
    None
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    })
}

fn convert(e: &serde_yaml::Error, text: &str) -> Diagnostic {
    let pos = e
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| position(text, l));
    let (message, hint) = explain(&strip_marks(&e.to_string()));
    let mut d = Diagnostic::error("", pos, message);
    d.hint = hint;
    d
}

/// A position as an editor shows it. The YAML scanner also breaks lines at U+0085, U+2028
/// and U+2029, which editors do not, so its line and column are recomputed from its byte
/// index: lines end at `\n` only, columns count characters.
fn position(text: &str, l: serde_yaml::Location) -> Pos {
    Pos::of_offset(text, l.index())
}

/// The key named by a duplicate-key message (serde's "duplicate field `k`" or serde_yaml's
/// "duplicate entry with key \"k\""), whose position is the mapping's, not the key's.
fn duplicated_key(message: &str) -> Option<String> {
    let i = message
        .find("duplicate field `")
        .map(|i| i + "duplicate field `".len());
    if let Some(i) = i {
        let rest = &message[i..];
        return rest.find('`').map(|j| rest[..j].to_string());
    }
    let i = message.find("duplicate entry with key ")?;
    let rest = message[i + "duplicate entry with key ".len()..].trim();
    Some(rest.trim_matches('"').to_string())
}

/// The position of the second occurrence of `key` in one mapping of `text`: serde_yaml
/// reports the key itself when the probe refuses it.
pub(crate) fn duplicate(text: &str, key: &str) -> Option<Pos> {
    const MARK: &str = "\u{1}sanpi-duplicate";
    let de = serde_yaml::Deserializer::from_str(text);
    match (Duplicates { key, mark: MARK }).deserialize(de) {
        Err(e) if e.to_string().contains(MARK) => e.location().map(|l| position(text, l)),
        _ => None,
    }
}

/// Walks a whole document and fails at the second occurrence of `key` in one mapping.
#[derive(Clone, Copy)]
struct Duplicates<'k> {
    key: &'k str,
    mark: &'static str,
}

impl<'de> DeserializeSeed<'de> for Duplicates<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Duplicates<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = false;
        while map
            .next_key_seed(KeySeen {
                key: self.key,
                seen: &mut seen,
                mark: self.mark,
            })?
            .is_some()
        {
            map.next_value_seed(self)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, e: A) -> Result<(), A::Error> {
        use de::VariantAccess;
        let ((), v) = e.variant_seed(self)?;
        v.newtype_variant_seed(self)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
}

/// A mapping's key: fails when it is `key` and `key` was already seen in this mapping.
struct KeySeen<'a, 'k> {
    key: &'k str,
    seen: &'a mut bool,
    mark: &'static str,
}

impl<'de> DeserializeSeed<'de> for KeySeen<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeen<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(&v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(&v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar("null")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

impl KeySeen<'_, '_> {
    fn scalar<E: de::Error>(self, v: &str) -> Result<(), E> {
        if v != self.key {
            return Ok(());
        }
        if *self.seen {
            return Err(E::custom(self.mark));
        }
        *self.seen = true;
        Ok(())
    }
}

/// Removes serde_yaml's " at line N column M" from a message: the position is reported apart.
fn strip_marks(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let skip = tail
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(tail.len());
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Rewrites serde's messages in the words of a content author, with a hint where one helps.
fn explain(msg: &str) -> (String, Option<String>) {
    // serde_yaml prefixes the path of the node: "history[0]: unknown field ..."
    let (prefix, body) = match msg.find(": ") {
        Some(i) if !msg[..i].contains(' ') && !msg[..i].contains('`') => {
            (format!("{}: ", &msg[..i]), &msg[i + 2..])
        }
        _ => (String::new(), msg),
    };
    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    if let Some(rest) = body.strip_prefix("unknown field ") {
        let names = quoted(rest);
        if let Some((word, expected)) = names.split_first() {
            let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
            let hint = match did_you_mean(word, expected.iter().copied()) {
                Some(m) => format!("did you mean `{m}`? (keys of your own go under `extra:`)"),
                None => format!(
                    "known keys are {}; keys of your own go under `extra:`",
                    expected.join(", ")
                ),
            };
            return (format!("{prefix}unknown key `{word}`"), Some(hint));
        }
    }
    if let Some(rest) = body.strip_prefix("unknown variant ") {
        let names = quoted(rest);
        if let Some((word, expected)) = names.split_first() {
            let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
            let hint = match did_you_mean(word, expected.iter().copied()) {
                Some(m) => format!(
                    "did you mean `{m}`? expected one of {}",
                    expected.join(", ")
                ),
                None => format!("expected one of {}", expected.join(", ")),
            };
            return (format!("{prefix}unknown value `{word}`"), Some(hint));
        }
    }
    if let Some(key) = duplicated_key(body) {
        return (
            format!("{prefix}the key `{key}` is written twice"),
            Some("keep one of them".into()),
        );
    }
    if let Some(rest) = body.strip_prefix("missing field ") {
        if let Some(word) = quoted(rest).first() {
            return (format!("{prefix}missing required key `{word}`"), None);
        }
    }
    (format!("{prefix}{body}"), None)
}

/// The position of the node at `path` in `text` (a key's value), if the path exists.
pub(crate) fn locate(text: &str, path: &[Key<'_>]) -> Option<Pos> {
    locate_index(text, path).map(|i| Pos::of_offset(text, i))
}

/// The byte index of the node at `path` in `text`; for a path ending in [`Key::Name`], of
/// the key as written before its value.
fn locate_index(text: &str, path: &[Key<'_>]) -> Option<usize> {
    if let Some((Key::Name(name), parent)) = path.split_last() {
        let value = [parent, &[Key::Field(name)]].concat();
        let at = locate_index(text, &value)?;
        return Some(text[..at].rfind(name).unwrap_or(at));
    }
    const MARK: &str = "\u{1}sanpi-locate";
    let de = serde_yaml::Deserializer::from_str(text);
    match (Probe { path, mark: MARK }).deserialize(de) {
        Err(e) if e.to_string().contains(MARK) => e.location().map(|l| l.index()),
        _ => None,
    }
}

/// Where the string `value`, read from the node at `path`, sits in `text`, so that positions
/// inside it (a shortcode in Markdown held in YAML) point into the file. A literal block
/// (`|`) maps line by line at its indentation; a single-line scalar from its first character
/// (after the quote); anything the scanner rewrote (escapes, folded lines, `>` blocks) maps
/// to the value's start.
pub(crate) fn place(text: &str, path: &[Key<'_>], value: &str) -> Option<Place> {
    let at = locate_index(text, path)?;
    let node = &text[at..];
    let inexact = |start: usize| Place {
        start: Pos::of_offset(text, start),
        indent: 0,
        exact: false,
    };
    let Some(style) = node.chars().next() else {
        return Some(inexact(at));
    };
    match style {
        '|' | '>' => {
            let header_end = node.find('\n').map_or(text.len(), |i| at + i + 1);
            let header = text[at..header_end].split('#').next().unwrap_or("");
            let content = &text[header_end..];
            let indent = content
                .split('\n')
                .find(|l| !l.trim().is_empty())
                .map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
            let first = content.split('\n').next().unwrap_or("");
            let start = header_end + indent.min(first.len());
            let same_first_line = content
                .split('\n')
                .zip(value.split('\n'))
                .next()
                .is_some_and(|(src, val)| src.get(indent..).unwrap_or("") == val);
            let explicit = header.chars().any(|c| c.is_ascii_digit());
            if style == '>' || explicit || !same_first_line {
                return Some(inexact(start.min(text.len())));
            }
            Some(Place {
                start: Pos::of_offset(text, start),
                indent,
                exact: true,
            })
        }
        '"' | '\'' => {
            let inner = at + style.len_utf8();
            let exact = text[inner..]
                .strip_prefix(value)
                .is_some_and(|rest| rest.starts_with(style))
                && !value.contains('\n');
            Some(Place {
                start: Pos::of_offset(text, inner),
                indent: 0,
                exact,
            })
        }
        _ => Some(Place {
            start: Pos::of_offset(text, at),
            indent: 0,
            exact: node.starts_with(value) && !value.contains('\n'),
        }),
    }
}

/// Walks a path and fails at its end, so that serde_yaml reports where that node is.
struct Probe<'p, 'k> {
    path: &'p [Key<'k>],
    mark: &'static str,
}

impl<'de> DeserializeSeed<'de> for Probe<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.path.split_first() else {
            return Err(de::Error::custom(self.mark));
        };
        while let Some(key) = map.next_key::<serde_yaml::Value>()? {
            // A key written as a number (a month: `3: 3.2`) is found by its text too.
            let text = scalar_text(&key);
            let hit = matches!(first, Key::Field(f) if text.as_deref() == Some(*f));
            if hit {
                return map.next_value_seed(Probe {
                    path: rest,
                    mark: self.mark,
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.path.split_first() else {
            return Err(de::Error::custom(self.mark));
        };
        let mut i = 0;
        loop {
            if matches!(first, Key::Index(n) if *n == i) {
                return seq
                    .next_element_seed(Probe {
                        path: rest,
                        mark: self.mark,
                    })
                    .map(|_| ());
            }
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        if self.path.is_empty() {
            return Err(de::Error::custom(self.mark));
        }
        Ok(())
    }
}

impl Probe<'_, '_> {
    fn scalar<E: de::Error>(self) -> Result<(), E> {
        if self.path.is_empty() {
            Err(E::custom(self.mark))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        name: String,
        investment: Option<f64>,
        #[serde(default)]
        list: Vec<Item>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        period: u32,
    }

    #[test]
    fn unknown_key_has_position_and_hint() {
        let e = parse::<T>("name: a\ninvestmnet: 3\n").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(2, 1)));
        assert_eq!(e.message, "unknown key `investmnet`");
        assert!(e.hint.unwrap().contains("did you mean `investment`"));
    }

    #[test]
    fn nested_errors_keep_their_path() {
        let e = parse::<T>("name: a\nlist:\n  - {period: x}\n").unwrap_err();
        assert_eq!(e.pos.unwrap().line, 3);
        assert!(e.message.starts_with("list[0].period: "), "{}", e.message);
    }

    #[test]
    fn blank_text_is_an_empty_mapping() {
        let e = parse::<T>("# nothing\n\n").unwrap_err();
        assert!(
            e.message.contains("missing required key `name`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn locates_values() {
        let text = "name: a\nlist:\n  - period: 3\n  - {period: 9}\ninvestment: 1\n";
        assert_eq!(
            locate(text, &[Key::Field("investment")]),
            Some(Pos::new(5, 13))
        );
        let p = locate(
            text,
            &[Key::Field("list"), Key::Index(1), Key::Field("period")],
        );
        assert_eq!(p, Some(Pos::new(4, 14)));
        assert_eq!(locate(text, &[Key::Field("nothing")]), None);
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_one() {
        let e = parse::<T>("name: a\ninvestment: 1\ninvestment: 2\n").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(3, 1)), "{}", e.message);
        assert!(e.message.contains("investment"), "{}", e.message);
        let e = parse::<Value>("a:\n  b: 1\n  c: 2\n  b: 3\n").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(4, 3)), "{}", e.message);
        // The same key in two mappings is no duplicate.
        let text = "list:\n  - {period: 1}\n  - {period: 2, period: 3}\n";
        assert_eq!(duplicate(text, "period"), Some(Pos::new(3, 17)));
    }

    #[test]
    fn places_strings_in_the_file() {
        let at = |text: &str, value: &str| place(text, &[Key::Field("body")], value).unwrap();
        let block = at("name: a\nbody: |\n  x\n\n    y\n", "x\n\n  y\n");
        assert_eq!(
            (block.start, block.indent, block.exact),
            (Pos::new(3, 3), 2, true)
        );
        assert_eq!(block.pos("x\n\n  y\n", 5), Pos::new(5, 5));
        let list = at("body: |-\n\n   甲\n   乙\n", "\n甲\n乙");
        assert_eq!((list.start, list.indent), (Pos::new(2, 1), 3));
        assert_eq!(list.pos("\n甲\n乙", 5), Pos::new(4, 4));
        let quoted = at("name: a\nbody: \"{{ x }}\"\n", "{{ x }}");
        assert_eq!((quoted.start, quoted.exact), (Pos::new(2, 8), true));
        let plain = at("body: {{ x }}\n", "{{ x }}");
        assert!(plain.exact && plain.start == Pos::new(1, 7));
        let escaped = at("body: \"a\\tb {{ x }}\"\n", "a\tb {{ x }}");
        assert_eq!((escaped.start, escaped.exact), (Pos::new(1, 8), false));
        let folded = at("body: >\n  a\n  b\n", "a b\n");
        assert_eq!((folded.start, folded.exact), (Pos::new(2, 3), false));
        let two_lines = at("body: \"a\n  b\"\n", "a b");
        assert!(!two_lines.exact);
    }

    #[test]
    fn only_line_feeds_end_lines() {
        for sep in ['\u{2028}', '\u{85}', '\u{2029}'] {
            let text = format!("name: \"a{sep}b\"\nlist: 3\n");
            // Refused where it stands, before YAML reads it as a line break.
            let e = parse::<T>(&text).unwrap_err();
            assert_eq!(e.pos, Some(Pos::new(1, 9)), "{sep:?}: {}", e.message);
            let text = format!("name: \"a{sep}b\"\ninvestment: 1\n");
            assert_eq!(
                locate(&text, &[Key::Field("investment")]),
                Some(Pos::new(2, 13))
            );
        }
    }

    #[test]
    fn hidden_line_breaks_and_second_documents_are_pointed_at() {
        #[derive(Debug, serde::Deserialize)]
        struct T {
            #[allow(dead_code)]
            name: String,
        }
        for c in ['\u{85}', '\u{2028}', '\u{2029}'] {
            let e = parse::<T>(&format!("# 注\nname: 项目{c}甲\n")).unwrap_err();
            assert_eq!(e.pos, Some(Pos::new(2, 9)), "{e}");
            assert!(e.message.contains(&format!("U+{:04X}", c as u32)), "{e}");
        }
        let e = parse::<T>("name: a\n---\nname: b\n").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(2, 1)), "{e}");
        assert!(
            e.message.starts_with("a second YAML document starts here"),
            "{e}"
        );
        let e = parse::<T>("---\nname: a\n...\n# c\nname: b\n").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(5, 1)), "{e}");
        assert!(parse::<T>("---\nname: a\n").is_ok());
    }
}
