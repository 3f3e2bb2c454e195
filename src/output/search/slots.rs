//! The numbers of a split index's documents (their slots), chosen so that one document
//! added, removed or moved leaves the others where they were: serve then rewrites only the
//! pieces holding that document instead of every piece (issue 31).
//!
//! The documents come in groups of the site's order: the projects of one batch and period,
//! then the bulletins, then the pages. Each group has a range of slots of its own, some
//! half again as many as its documents, rounded up a step of a ladder (4, 5, 6, 7 times a
//! power of two), so that the range stays the same while the group grows or shrinks a
//! little; the ranges follow one another in the groups' order. Within its range, a document
//! sits at its URL's hash, or the next free slot after it (going round), the documents taken
//! in the site's order. So a search's ties, which keep the numbers' order, keep the order of
//! batches and periods; within a group they follow the hashes.

/// A document's group and URL, as its slot is found from them.
pub(super) struct Head<'a> {
    pub(super) group: u64,
    pub(super) url: std::borrow::Cow<'a, str>,
}

/// Where each document sits.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Slots {
    /// Each document's slot, in the order of the site.
    pub(super) of_doc: Vec<u32>,
    /// How many slots there are: every slot is below this.
    pub(super) len: u32,
    /// Each group's key, first slot and number of slots: two layouts with the same groups
    /// differ only where a document came, went or was pushed along.
    pub(super) groups: Vec<(u64, u32, u32)>,
}

impl Slots {
    /// The layout of documents with these heads, in the site's order.
    pub(super) fn of(heads: &[Head]) -> Slots {
        let mut of_doc = vec![0u32; heads.len()];
        let mut groups = Vec::new();
        let mut start = 0u32;
        let mut i = 0;
        while i < heads.len() {
            let group = heads[i].group;
            let end = i + heads[i..].iter().take_while(|h| h.group == group).count();
            let room = room(end - i);
            let mut taken = vec![false; room as usize];
            for (k, head) in heads.iter().enumerate().take(end).skip(i) {
                let mut at = (fnv64(head.url.as_bytes()) % u64::from(room)) as usize;
                while taken[at] {
                    at = (at + 1) % taken.len();
                }
                taken[at] = true;
                of_doc[k] = start + at as u32;
            }
            groups.push((group, start, room));
            start += room;
            i = end;
        }
        Slots {
            of_doc,
            len: start,
            groups,
        }
    }

    /// The document in each slot, None where a slot is free.
    pub(super) fn docs(&self) -> Vec<Option<u32>> {
        let mut out = vec![None; self.len as usize];
        for (k, &s) in self.of_doc.iter().enumerate() {
            out[s as usize] = Some(k as u32);
        }
        out
    }
}

/// The slots of a group of `n` documents: at least half again as many, on the ladder.
pub(super) fn room(n: usize) -> u32 {
    let want = (n * 3).div_ceil(2).max(4);
    let mut power = 1usize;
    loop {
        for m in [4, 5, 6, 7] {
            if m * power >= want {
                return (m * power) as u32;
            }
        }
        power *= 2;
    }
}

/// FNV-1a, 64 bits: a hash that never changes with the platform or the version of Rust.
pub(super) fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(n: usize, groups: usize) -> Vec<Head<'static>> {
        (0..n)
            .map(|i| Head {
                group: (i * groups / n.max(1)) as u64,
                url: format!("/projects/p{i}/").into(),
            })
            .collect()
    }

    #[test]
    fn the_ladder_leaves_room_and_grows_in_steps() {
        assert_eq!(
            (0..12).map(room).collect::<Vec<_>>(),
            [4, 4, 4, 5, 6, 8, 10, 12, 12, 14, 16, 20]
        );
        for n in 1..5000 {
            let r = room(n) as usize;
            assert!(r * 2 >= n * 3, "{n}: {r}");
            assert!(r * 4 < n * 3 * 5 / 2 + 40, "{n}: {r} is too much");
        }
    }

    #[test]
    fn every_document_has_a_slot_of_its_own_in_its_groups_range() {
        let h = heads(1000, 7);
        let s = Slots::of(&h);
        let mut seen = std::collections::HashSet::new();
        for (k, &slot) in s.of_doc.iter().enumerate() {
            assert!(seen.insert(slot), "slot {slot} twice");
            let (_, start, size) = s.groups.iter().find(|g| g.0 == h[k].group).unwrap();
            assert!(slot >= *start && slot < start + size);
        }
        // The groups' order is the site's, so ties keep it.
        assert!(s.groups.windows(2).all(|w| w[0].1 + w[0].2 == w[1].1));
        assert_eq!(s.len, s.groups.iter().map(|g| g.2).sum::<u32>());
        let docs = s.docs();
        assert_eq!(docs.iter().flatten().count(), 1000);
    }

    #[test]
    fn one_document_added_or_removed_moves_few_others() {
        let h = heads(3000, 5);
        let s = Slots::of(&h);
        let mut moved_most = 0;
        for gone in (0..3000).step_by(97) {
            let mut fewer: Vec<Head> = h
                .iter()
                .map(|x| Head {
                    group: x.group,
                    url: x.url.clone(),
                })
                .collect();
            fewer.remove(gone);
            let t = Slots::of(&fewer);
            if t.groups != s.groups {
                continue;
            }
            let moved = (0..3000)
                .filter(|&k| k != gone)
                .filter(|&k| s.of_doc[k] != t.of_doc[if k < gone { k } else { k - 1 }])
                .count();
            moved_most = moved_most.max(moved);
        }
        assert!(moved_most < 40, "{moved_most} documents moved");
    }
}
