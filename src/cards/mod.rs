//! The share cards of one build: one painter for every thread, and a cache of drawn cards
//! kept between builds under `ROOT/.sanpi/cache/cards/`, so that a card whose text has not
//! changed is copied instead of drawn again.
//!
//! A card is keyed by a 128-bit hash of all that it shows (the card's SVG text: the titles,
//! the host, the site's title, the chart's figures, the font's family), of the font files'
//! identity (path, length, modification time) and of [`VERSION`]. The cards are kept in
//! packs (`pack.rs`): written whole and renamed into place, read without following symbolic
//! links, each card checked before use (a PNG of the wrong size, cut short or with a bad
//! checksum is drawn again), and pruned after each build: what that build did not use goes.
//! The output never shares a file with the cache: cards are copied into it. Deleting
//! `ROOT/.sanpi/` clears the cache.

mod pack;

use crate::share::{Card, Painter};
use pack::Cache;
use siphasher::sip128::{Hasher128, SipHasher13};
use std::fs::{self, File, OpenOptions};
use std::hash::Hasher;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The version of the drawing code: change it whenever the same card would be drawn
/// differently (layout, colours, encoding), so that cached cards are drawn again.
pub const VERSION: &str = "sanpi cards 6";

/// Where the cache lives, relative to the site's root.
pub const CACHE_DIR: &str = ".sanpi/cache/cards";

/// The cards of one build.
pub struct Cards {
    painter: Painter,
    cache: Option<Cache>,
    drawn: AtomicUsize,
    reused: AtomicUsize,
}

/// A card laid out, with its key ([`Cards::plan`]).
pub struct Planned {
    layout: crate::share::Layout,
    /// What the cache knows the card by: the same key, the same bytes.
    pub key: u128,
}

/// What the cards of a build came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cards drawn by this build.
    pub drawn: usize,
    /// Cards copied from the cache, or taken from the last build's output.
    pub reused: usize,
}

impl Cards {
    /// The painter (an error when no CJK font is installed) and the cache of the site at
    /// `root`, unless the cache's folders are not plain folders (a symbolic link, a file) or
    /// would overlap `output`: then every card is drawn, and `warning` says why.
    pub fn new(root: &Path, output: &Path) -> Result<(Cards, Option<String>), String> {
        Ok(Cards::with_painter(Painter::new()?, root, output))
    }

    /// As [`Cards::new`], with a painter already made (the build's, which drew the charts'
    /// PNGs).
    pub fn with_painter(painter: Painter, root: &Path, output: &Path) -> (Cards, Option<String>) {
        let (cache, warning) = match open_cache(root, output) {
            Ok(c) => (Some(c), None),
            Err(why) => (
                None,
                Some(format!(
                    "share cards are drawn without a cache: {why} (delete {} to start afresh)",
                    root.join(".sanpi").display()
                )),
            ),
        };
        (
            Cards {
                painter,
                cache,
                drawn: AtomicUsize::new(0),
                reused: AtomicUsize::new(0),
            },
            warning,
        )
    }

    /// The card as PNG bytes: from the cache when it holds it, else drawn (and stored).
    pub fn png(&self, card: &Card) -> Result<Vec<u8>, String> {
        self.png_planned(self.plan(card))
    }

    /// The card laid out, and its key (what the cache knows it by): cheap beside drawing it
    /// or reading it from the cache.
    pub fn plan(&self, card: &Card) -> Planned {
        let layout = self.painter.layout(card);
        let key = key_of(&self.painter, &layout.svg());
        Planned { layout, key }
    }

    /// The PNG bytes of a card planned: from the cache when it holds it, else drawn (and
    /// stored).
    pub fn png_planned(&self, planned: Planned) -> Result<Vec<u8>, String> {
        let Planned { layout, key } = planned;
        let Some(cache) = &self.cache else {
            self.drawn.fetch_add(1, Ordering::Relaxed);
            return self.painter.png_of(&layout);
        };
        cache.use_key(key);
        if let Some(png) = cache.get(key) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(png);
        }
        let png = self.painter.png_of(&layout)?;
        self.drawn.fetch_add(1, Ordering::Relaxed);
        cache.put(key, &png);
        Ok(png)
    }

    /// Counts the card of `key` as taken from the last build's output (a build that
    /// renders only what changed), and keeps it in the cache.
    pub fn taken(&self, key: u128) {
        if let Some(cache) = &self.cache {
            cache.use_key(key);
        }
        self.reused.fetch_add(1, Ordering::Relaxed);
    }

    /// Ends the build's use of the cache: removes the entries this build did not use (call
    /// it only when every card was made). Returns the counts and a warning, if any.
    pub fn finish(self) -> (Counts, Option<String>) {
        let counts = Counts {
            drawn: self.drawn.into_inner(),
            reused: self.reused.into_inner(),
        };
        let Some(cache) = self.cache else {
            return (counts, None);
        };
        let mut warning = cache.store_failed.load(Ordering::Relaxed).then(|| {
            format!(
                "some share cards could not be stored in {}; they will be drawn again next time",
                cache.dir.display()
            )
        });
        let dir = cache.dir.clone();
        if let Err(e) = cache.finish() {
            warning.get_or_insert(format!(
                "cannot tidy the cache of share cards {}: {e}",
                dir.display()
            ));
        }
        (counts, warning)
    }
}

/// The cache key of a card: a hash of the drawing code's version, the font and the card's
/// whole SVG text, as 32 hexadecimal digits.
#[cfg(test)]
fn key(painter: &Painter, card: &Card) -> u128 {
    key_of(painter, &crate::share::card_svg(card, painter.family()))
}

/// The cache key of a card whose SVG text is `svg`.
fn key_of(painter: &Painter, svg: &str) -> u128 {
    let mut h = SipHasher13::new_with_keys(0x7361_6e70_6963_6172, 0x6473_2d63_6163_6865);
    for part in [VERSION, painter.font_id(), svg] {
        h.write(part.as_bytes());
        // Lengths between the parts, so that no two different triples hash alike.
        h.write_u64(part.len() as u64);
    }
    h.finish128().as_u128()
}

/// The keys of the cards in the cache of the site at `root` (32 hexadecimal digits each,
/// sorted): what a build may copy instead of drawing.
pub fn cached_keys(root: &Path) -> io::Result<Vec<String>> {
    Ok(Cache::open(root.join(CACHE_DIR))?.keys())
}

/// Opens (creating it when missing) `ROOT/.sanpi/cache/cards`, each of whose folders must be
/// a plain folder, not a symbolic link, and apart from the output.
fn open_cache(root: &Path, output: &Path) -> Result<Cache, String> {
    let mut dir = root.to_path_buf();
    for part in CACHE_DIR.split('/') {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(format!("{} is not a folder", dir.display())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            Err(e) => return Err(format!("{}: {e}", dir.display())),
        }
    }
    // The output and the cache are kept apart: neither may hold the other.
    let real = fs::canonicalize(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if real.starts_with(output) || output.starts_with(&real) {
        return Err(format!("the output {} overlaps it", output.display()));
    }
    Cache::open(dir.clone()).map_err(|e| format!("{}: {e}", dir.display()))
}

/// Opens a plain file for reading: a symbolic link is refused where Unix can tell, and
/// anything else that is no plain file (a FIFO, whose opening would wait for a writer for
/// ever; a device; a folder) is opened without blocking and refused.
fn open_nofollow(path: &Path) -> Option<File> {
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    #[cfg(not(unix))]
    if !fs::symlink_metadata(path).ok()?.file_type().is_file() {
        return None;
    }
    let file = o.open(path).ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn card<'a>(title: &'a str) -> Card<'a> {
        Card {
            site_title: "测试站",
            title: title.into(),
            subtitle: Some("开工一批".into()),
            figure: None,
            facts: vec![],
            host: "example.org",
            chart: None,
            source: None,
        }
    }

    #[test]
    fn unchanged_cards_come_from_the_cache_and_broken_entries_are_redrawn() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let out = root.join("output");
        let Ok((cards, None)) = Cards::new(root, &out) else {
            return; // no CJK font on this machine
        };
        let a = cards.png(&card("第一个项目")).unwrap();
        let b = cards.png(&card("第二个项目")).unwrap();
        assert!(crate::share::is_card_png(&a) && crate::share::is_card_png(&b));
        assert_eq!(
            cards.finish().0,
            Counts {
                drawn: 2,
                reused: 0
            }
        );

        // Again: both from the cache, byte for byte the same.
        let (cards, _) = Cards::new(root, &out).unwrap();
        assert_eq!(cards.png(&card("第一个项目")).unwrap(), a);
        assert_eq!(cards.png(&card("第二个项目")).unwrap(), b);
        assert_eq!(
            cards.finish().0,
            Counts {
                drawn: 0,
                reused: 2
            }
        );

        // The cache's pack cut short: both drawn again.
        let dir = root.join(CACHE_DIR);
        let packs: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(packs.len(), 1);
        let bytes = fs::read(&packs[0]).unwrap();
        fs::write(&packs[0], &bytes[..bytes.len() / 2]).unwrap();
        let (cards, _) = Cards::new(root, &out).unwrap();
        assert_eq!(cards.png(&card("第一个项目")).unwrap(), a);
        assert_eq!(cards.png(&card("第二个项目")).unwrap(), b);
        assert_eq!(cards.finish().0.reused, 0);
        assert_eq!(cached_keys(root).unwrap().len(), 2);

        // A build that shows only one of them: that one is read from the cache, which
        // keeps no more than a build's cards again of the others (pack.rs).
        let (cards, _) = Cards::new(root, &out).unwrap();
        cards.png(&card("第二个项目")).unwrap();
        assert_eq!(cards.finish().0.reused, 1);
        assert!(cached_keys(root).unwrap().len() <= 2);
    }

    #[test]
    fn a_cache_folder_that_is_a_link_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&elsewhere, root.join(".sanpi")).unwrap();
        #[cfg(unix)]
        assert!(open_cache(&root, &root.join("output")).is_err());
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    }

    #[test]
    fn the_key_follows_what_the_card_shows() {
        let Ok(p) = Painter::new() else { return };
        let a = key(&p, &card("项目"));
        assert_eq!(a, key(&p, &card("项目")));
        assert_ne!(a, key(&p, &card("项目二")));
        let mut other = card("项目");
        other.host = "example.com";
        assert_ne!(a, key(&p, &other));
    }
}
