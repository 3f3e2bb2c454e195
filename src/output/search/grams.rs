//! The grams of the split search index: text folded as the search script folds it, every
//! character and pair of a document's fields with the mask of the field groups that hold
//! them, and the postings a build collects in compact form.

use super::Doc;

/// A posting's field groups, as the letters the script reads, with their bit in a mask:
/// name, name start (the name's first character and first pair), batch, period, owner or
/// sector, location, text.
pub(super) const GROUPS: [char; 7] = ['n', 's', 'b', 'p', 'o', 'l', 't'];

/// Text as the search script compares it: full-width ASCII forms as ASCII, the ideographic
/// space as a space, lower case (the script's `fold`).
pub(super) fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect::<String>()
        .to_lowercase()
}

/// The grams of a folded text: every character and every pair of adjacent characters, none
/// holding a space (a query's terms never do) or a NUL (which a key cannot hold), each with
/// whether it starts the text. A gram is a key: its first character in the high 32 bits, the
/// second (or 0) in the low ones; keys sort as their grams do as text.
pub(super) fn grams(folded: &str, mut add: impl FnMut(u64, bool)) {
    let chars: Vec<char> = folded.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() || c == '\0' {
            continue;
        }
        add(u64::from(u32::from(c)) << 32, i == 0);
        if let Some(&next) = chars
            .get(i + 1)
            .filter(|n| !n.is_whitespace() && **n != '\0')
        {
            add(
                (u64::from(u32::from(c)) << 32) | u64::from(u32::from(next)),
                i == 0,
            );
        }
    }
}

pub(super) fn gram_string(key: u64) -> String {
    [(key >> 32) as u32, key as u32]
        .into_iter()
        .filter(|&c| c != 0)
        .filter_map(char::from_u32)
        .collect()
}

/// A document's grams, each once with the mask of the field groups that hold it, by gram.
pub(super) fn doc_grams(d: &Doc) -> Vec<(u64, u8)> {
    let mut mine: Vec<(u64, u8)> = Vec::new();
    let fields: [(&str, u8); 7] = [
        (d.2, 0),
        (d.3, 2),
        (&d.4, 3),
        (d.5, 4),
        (d.6, 4),
        (&d.7, 5),
        (&d.8, 6),
    ];
    for (text, bit) in fields {
        grams(&fold(text), |key, start| {
            mine.push((key, 1 << bit));
            if start && bit == 0 {
                mine.push((key, 1 << 1));
            }
        });
    }
    mine.sort_unstable();
    let mut merged: Vec<(u64, u8)> = Vec::with_capacity(mine.len());
    for (key, mask) in mine {
        match merged.last_mut() {
            Some(last) if last.0 == key => last.1 |= mask,
            _ => merged.push((key, mask)),
        }
    }
    merged
}

/// One gram's postings while the index is built: for each document holding it, in order,
/// the gap since the previous one as a variable-length number (seven bits a byte) and the
/// mask of its field groups: about 2.5 bytes a posting instead of 8 in a vector of pairs,
/// which at 100,000 projects (some 70 million postings) is most of a build's memory.
#[derive(Default)]
pub(super) struct Postings {
    /// The next document number a gap counts from.
    next: u32,
    pub(super) bytes: Vec<u8>,
}

impl Postings {
    pub(super) fn push(&mut self, doc: u32, mask: u8) {
        let mut gap = doc - self.next;
        while gap >= 0x80 {
            self.bytes.push((gap as u8 & 0x7f) | 0x80);
            gap >>= 7;
        }
        self.bytes.push(gap as u8);
        self.bytes.push(mask);
        self.next = doc + 1;
    }

    #[cfg(test)]
    pub(super) fn decode(&self) -> Vec<(u32, u8)> {
        self.iter().collect()
    }

    /// The postings, (document, mask) in document order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        let mut next = 0u32;
        let mut it = self.bytes.iter();
        std::iter::from_fn(move || {
            let (mut gap, mut shift, mut b) = (0u32, 0, *it.next()?);
            loop {
                gap |= u32::from(b & 0x7f) << shift;
                if b < 0x80 {
                    break;
                }
                shift += 7;
                b = it.next().copied().unwrap_or(0);
            }
            let doc = next + gap;
            next = doc + 1;
            Some((doc, it.next().copied().unwrap_or(0)))
        })
    }
}
