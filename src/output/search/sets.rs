//! A gram's postings as its shard writes them, one set of documents per field group, and
//! one document's membership changed in place: serve's update after a document changed,
//! came or went edits the few characters around it instead of encoding every set again
//! (a common gram's sets hold most of the documents; issue 31).

use super::format::ALPHABET;
use super::grams::GROUPS;

/// One field group's documents as text, in the shorter of two forms: the gaps between them
/// as variable-length numbers (five bits a character, a character of the upper half of the
/// alphabet saying that more follow), or `~` and a bitmap, six documents a character (the
/// bitmap when the gaps would take more characters than it).
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Set {
    /// The length of the gaps' form, also when the text is the bitmap.
    gaps_len: usize,
    /// One past the last document.
    end: u32,
    text: String,
}

/// A gram's postings: the set of each field group that holds it (bit `i` of a mask: group
/// `i`), in the groups' order.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Encoded {
    sets: Vec<(u8, Set)>,
}

/// How many characters a gap takes: five bits each.
fn digits(gap: u32) -> usize {
    1 + (32 - gap.leading_zeros() as usize).saturating_sub(1) / 5
}

/// Whether a set whose gaps take `gaps_len` characters, ending at `end`, is written as a
/// bitmap.
fn bitmap_wins(gaps_len: usize, end: u32) -> bool {
    gaps_len > 1 + (end as usize).div_ceil(6)
}

/// The value of a character of [`ALPHABET`].
fn value(c: u8) -> u32 {
    u32::from(match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'Z' => c - b'A' + 10,
        b'a'..=b'z' => c - b'a' + 36,
        b'-' => 62,
        _ => 63,
    })
}

/// Appends `gap` in the gaps' form.
fn write_gap(out: &mut String, mut gap: u32) {
    while gap >= 32 {
        out.push(ALPHABET[32 + (gap & 31) as usize] as char);
        gap >>= 5;
    }
    out.push(ALPHABET[gap as usize] as char);
}

/// The gap at the start of `text` (in the gaps' form), and how many characters it takes.
fn read_gap(text: &[u8]) -> (u32, usize) {
    let mut gap = 0u32;
    for (i, &c) in text.iter().enumerate() {
        let v = value(c);
        gap |= (v & 31) << (5 * i);
        if v < 32 {
            return (gap, i + 1);
        }
    }
    (gap, text.len())
}

/// The bits of a mask's field groups, lowest first.
fn bits_of(mask: u8) -> impl Iterator<Item = usize> {
    let mut m = mask & 0x7f;
    std::iter::from_fn(move || {
        let bit = (m != 0).then(|| m.trailing_zeros() as usize)?;
        m &= m - 1;
        Some(bit)
    })
}

/// The set of each field group in its shorter form; None for a group no document is in.
/// `entries` are (document, mask of groups) in document order; they are read twice, first
/// to measure each form, then to write the shorter.
pub(super) fn encode<I: Iterator<Item = (u32, u8)>>(entries: impl Fn() -> I) -> [Option<Set>; 7] {
    let mut end = [0u32; 7];
    let mut gaps_len = [0usize; 7];
    for (doc, mask) in entries() {
        for bit in bits_of(mask) {
            gaps_len[bit] += digits(doc - end[bit]);
            end[bit] = doc + 1;
        }
    }
    let bitmap: [bool; 7] = std::array::from_fn(|b| bitmap_wins(gaps_len[b], end[b]));
    let mut texts: [String; 7] = std::array::from_fn(|b| {
        if bitmap[b] {
            let mut t = String::with_capacity(1 + (end[b] as usize).div_ceil(6));
            t.push('~');
            t
        } else {
            String::with_capacity(gaps_len[b])
        }
    });
    let mut maps: [Vec<u8>; 7] = std::array::from_fn(|b| {
        vec![
            0;
            if bitmap[b] {
                (end[b] as usize).div_ceil(6)
            } else {
                0
            }
        ]
    });
    let mut from = [0u32; 7];
    for (doc, mask) in entries() {
        for bit in bits_of(mask) {
            if bitmap[bit] {
                maps[bit][doc as usize / 6] |= 1 << (doc % 6);
            } else {
                write_gap(&mut texts[bit], doc - from[bit]);
                from[bit] = doc + 1;
            }
        }
    }
    std::array::from_fn(|b| {
        (end[b] != 0).then(|| {
            let mut text = std::mem::take(&mut texts[b]);
            text.extend(maps[b].iter().map(|&v| ALPHABET[v as usize] as char));
            Set {
                gaps_len: gaps_len[b],
                end: end[b],
                text,
            }
        })
    })
}

impl Set {
    #[cfg(test)]
    pub(super) fn text(&self) -> &str {
        &self.text
    }

    fn is_bitmap(&self) -> bool {
        self.text.starts_with('~')
    }

    /// Whether document `doc` is in the set, for a bitmap.
    fn has(&self, doc: u32) -> bool {
        doc < self.end && value(self.text.as_bytes()[1 + doc as usize / 6]) & (1 << (doc % 6)) != 0
    }

    /// The set's documents, in order.
    fn documents(&self) -> Vec<u32> {
        if self.is_bitmap() {
            return (0..self.end).filter(|&d| self.has(d)).collect();
        }
        let (mut out, mut at, mut from) = (Vec::new(), 0, 0u32);
        let bytes = self.text.as_bytes();
        while at < bytes.len() {
            let (gap, len) = read_gap(&bytes[at..]);
            out.push(from + gap);
            from += gap + 1;
            at += len;
        }
        out
    }

    /// Puts document `doc` in the set or takes it out, editing the text around it, and
    /// writes the set in its other form when that has become the shorter.
    fn put(&mut self, doc: u32, member: bool) {
        if self.is_bitmap() {
            self.put_in_bitmap(doc, member);
        } else {
            self.put_in_gaps(doc, member);
        }
        if self.end != 0 && bitmap_wins(self.gaps_len, self.end) != self.is_bitmap() {
            let docs = self.documents();
            let [set, ..] = encode(|| docs.iter().map(|&d| (d, 1)));
            *self = set.unwrap_or_default();
        }
    }

    fn put_in_gaps(&mut self, doc: u32, member: bool) {
        let bytes = self.text.as_bytes();
        // The numbers read so far end at `from`, the document the next gap counts from.
        let (mut at, mut from) = (0, 0u32);
        while at < bytes.len() {
            let (gap, len) = read_gap(&bytes[at..]);
            let d = from + gap;
            if d == doc && !member {
                // Out: the next gap counts from `from` instead.
                let mut with = String::new();
                let next = at + len;
                if next < bytes.len() {
                    let (gap2, len2) = read_gap(&bytes[next..]);
                    write_gap(&mut with, gap + 1 + gap2);
                    self.text.replace_range(at..next + len2, &with);
                } else {
                    self.text.truncate(at);
                    self.end = from;
                }
                self.gaps_len = self.text.len();
                return;
            }
            if d > doc && member {
                // In, before `d`.
                let mut with = String::new();
                write_gap(&mut with, doc - from);
                write_gap(&mut with, d - doc - 1);
                self.text.replace_range(at..at + len, &with);
                self.gaps_len = self.text.len();
                return;
            }
            if d >= doc {
                return;
            }
            from = d + 1;
            at += len;
        }
        if member {
            write_gap(&mut self.text, doc - from);
            self.gaps_len = self.text.len();
            self.end = doc + 1;
        }
    }

    fn put_in_bitmap(&mut self, doc: u32, member: bool) {
        if self.has(doc) == member {
            return;
        }
        let before = (0..doc).rev().find(|&d| self.has(d));
        let after = (doc + 1..self.end).find(|&d| self.has(d));
        let from = before.map_or(0, |d| d + 1);
        // The gaps' form with the document in it, and without.
        let with = digits(doc - from) + after.map_or(0, |a| digits(a - doc - 1));
        let without = after.map_or(0, |a| digits(a - from));
        if member {
            self.gaps_len = self.gaps_len + with - without;
            self.end = self.end.max(doc + 1);
            let chars = 1 + (self.end as usize).div_ceil(6);
            while self.text.len() < chars {
                self.text.push('0');
            }
        } else {
            self.gaps_len = self.gaps_len + without - with;
        }
        let at = 1 + doc as usize / 6;
        let v = value(self.text.as_bytes()[at]) ^ (1 << (doc % 6));
        let c = ALPHABET[v as usize] as char;
        self.text
            .replace_range(at..at + 1, c.encode_utf8(&mut [0; 4]));
        if !member && after.is_none() {
            self.end = from;
            self.text.truncate(1 + (self.end as usize).div_ceil(6));
        }
    }
}

impl Encoded {
    /// The postings `entries`: (document, mask of groups) in document order, read twice.
    pub(super) fn of<I: Iterator<Item = (u32, u8)>>(entries: impl Fn() -> I) -> Encoded {
        let sets = encode(entries)
            .into_iter()
            .enumerate()
            .filter_map(|(b, s)| Some((b as u8, s?)))
            .collect();
        Encoded { sets }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Puts document `doc` in the sets of the groups of `mask` and takes it out of the
    /// others (0 takes it out of the postings).
    pub(super) fn set(&mut self, doc: u32, mask: u8) {
        for bit in 0..7u8 {
            let member = mask & (1 << bit) != 0;
            match self.sets.binary_search_by_key(&bit, |s| s.0) {
                Ok(i) => {
                    self.sets[i].1.put(doc, member);
                    if self.sets[i].1.end == 0 {
                        self.sets.remove(i);
                    }
                }
                Err(i) if member => {
                    let mut set = Set::default();
                    set.put(doc, true);
                    self.sets.insert(i, (bit, set));
                }
                Err(_) => {}
            }
        }
    }

    /// The length of [`Encoded::write`]'s JSON.
    pub(super) fn json_len(&self) -> usize {
        let sets: usize = self.sets.iter().map(|(_, s)| s.text.len() + 7).sum();
        1 + sets.max(1)
    }

    /// The postings' JSON: for each group holding the gram, its letter and its set.
    pub(super) fn write(&self, out: &mut String) {
        out.push('{');
        for (i, (bit, set)) in self.sets.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('"');
            out.push(GROUPS[*bit as usize]);
            out.push_str("\":\"");
            out.push_str(&set.text);
            out.push('"');
        }
        out.push('}');
    }

    pub(super) fn json(&self) -> String {
        let mut out = String::with_capacity(self.json_len());
        self.write(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so that a failure can be replayed.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    #[test]
    fn the_gaps_read_back_as_written() {
        for gap in [0, 1, 31, 32, 33, 1023, 1024, 40_000, u32::MAX >> 2] {
            let mut t = String::new();
            write_gap(&mut t, gap);
            assert_eq!(t.len(), digits(gap), "{gap}");
            assert_eq!(read_gap(t.as_bytes()), (gap, t.len()));
        }
        for (i, &c) in ALPHABET.iter().enumerate() {
            assert_eq!(value(c), i as u32);
        }
    }

    #[test]
    fn putting_documents_in_and_out_gives_the_sets_encoded_anew() {
        // Sets of every density, through both forms and back, at every range of documents.
        let (mut bitmaps, mut gaps) = (0, 0);
        for seed in 1..=60u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let docs = [8, 40, 300, 5000][(seed % 4) as usize];
            let mut masks = vec![0u8; docs as usize];
            let mut encoded = Encoded::default();
            let density = 1 + rng.below(8);
            for step in 0..400 {
                let doc = rng.below(docs) as u32;
                let mask = if rng.below(8) < density {
                    (rng.below(128) as u8) & (rng.below(128) as u8 | 1)
                } else {
                    0
                };
                masks[doc as usize] = mask;
                encoded.set(doc, mask);
                let fresh = Encoded::of(|| {
                    masks
                        .iter()
                        .enumerate()
                        .filter(|(_, &m)| m != 0)
                        .map(|(d, &m)| (d as u32, m))
                });
                assert_eq!(encoded, fresh, "seed {seed}, step {step}: document {doc}");
                assert_eq!(encoded.json().len(), encoded.json_len());
                for (_, set) in &encoded.sets {
                    *if set.is_bitmap() {
                        &mut bitmaps
                    } else {
                        &mut gaps
                    } += 1;
                }
            }
        }
        assert!(
            bitmaps > 1000 && gaps > 1000,
            "{bitmaps} bitmaps, {gaps} gap lists"
        );
    }

    #[test]
    fn the_json_names_each_groups_set() {
        let e = Encoded::of(|| [(0u32, 1u8), (3, 0b100_0001)].into_iter());
        assert_eq!(e.json(), r#"{"n":"02","t":"3"}"#);
        assert_eq!(Encoded::default().json(), "{}");
        assert_eq!(Encoded::default().json_len(), 2);
    }
}
