//! Sorting large entries (a project is hundreds of bytes) by moving each at most once: the
//! places are sorted, then the entries put in them by following the permutation's cycles.
//! A sort of the entries themselves moves each some log n times; at 10,000 projects that
//! was a third of serve's assembling of the site after an edit (issue 31).

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, as `sort_unstable_by` would (for keys that are unique, the order is
/// the same as a stable sort's).
pub(super) fn sort_moving_once<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_unstable_by(|&a, &b| cmp(&v[a], &v[b]));
    // Place `k` takes the entry at `order[k]`. Along each cycle, a swap puts the wanted
    // entry in place and moves the displaced one to where the cycle goes next; a place done
    // is marked by pointing at itself.
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_sorts_as_a_sort_does() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for n in [0, 1, 2, 3, 10, 257, 1000] {
            for dups in [false, true] {
                let mut v: Vec<(u64, usize)> = (0..n)
                    .map(|i| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        (if dups { seed % 7 } else { seed }, i)
                    })
                    .collect();
                let mut want = v.clone();
                want.sort_by_key(|e| e.0);
                sort_moving_once(&mut v, |a, b| a.0.cmp(&b.0));
                let keys = |v: &[(u64, usize)]| v.iter().map(|e| e.0).collect::<Vec<_>>();
                assert_eq!(keys(&v), keys(&want), "{n}");
                let mut ids: Vec<usize> = v.iter().map(|e| e.1).collect();
                ids.sort_unstable();
                assert_eq!(ids, (0..n).collect::<Vec<_>>(), "every entry once");
            }
        }
        let mut sorted: Vec<u32> = (0..100).collect();
        sort_moving_once(&mut sorted, |a, b| a.cmp(b));
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        let mut reversed: Vec<u32> = (0..100).rev().collect();
        sort_moving_once(&mut reversed, |a, b| a.cmp(b));
        assert_eq!(reversed, (0..100).collect::<Vec<_>>());
    }
}
