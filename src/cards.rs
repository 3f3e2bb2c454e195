//! The share cards of one build: one painter for every thread, and a cache of drawn cards
//! kept between builds under `ROOT/.sanpi/cache/cards/`, so that a card whose text has not
//! changed is copied instead of drawn again.
//!
//! An entry is named by a 128-bit hash of all that its card shows (the card's SVG text: the
//! titles, the host, the site's title, the chart's figures, the font's family), of the font
//! files' identity (path, length, modification time) and of [`VERSION`]. Entries are written
//! atomically (a temporary file, then a rename), read without following symbolic links,
//! checked before use (a PNG of the wrong size, cut short or with a bad checksum is drawn
//! again), and pruned after each build that drew cards: what that build did not use goes.
//! The output never shares a file with the cache: cards are copied into it. Deleting
//! `ROOT/.sanpi/` clears the cache.

use crate::share::{self, Card, Painter};
use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::hash::Hasher;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// The version of the drawing code: change it whenever the same card would be drawn
/// differently (layout, colours, encoding), so that cached cards are drawn again.
pub const VERSION: &str = "sanpi cards 4";

/// Where the cache lives, relative to the site's root.
pub const CACHE_DIR: &str = ".sanpi/cache/cards";

/// The cards of one build.
pub struct Cards {
    painter: Painter,
    cache: Option<Cache>,
    drawn: AtomicUsize,
    reused: AtomicUsize,
}

/// What the cards of a build came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cards drawn by this build.
    pub drawn: usize,
    /// Cards copied from the cache.
    pub reused: usize,
}

struct Cache {
    dir: PathBuf,
    used: Mutex<HashSet<String>>,
    /// A card could not be stored (a full disk, a read-only folder): said once, at the end.
    store_failed: AtomicBool,
    temp: AtomicUsize,
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
        let (cache, warning) = match Cache::open(root, output) {
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
        let Some(cache) = &self.cache else {
            self.drawn.fetch_add(1, Ordering::Relaxed);
            return self.painter.png(card);
        };
        let key = key(&self.painter, card);
        cache
            .used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(format!("{key}.png"));
        if let Some(png) = cache.get(&key) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(png);
        }
        let png = self.painter.png(card)?;
        self.drawn.fetch_add(1, Ordering::Relaxed);
        if cache.put(&key, &png).is_err() {
            cache.store_failed.store(true, Ordering::Relaxed);
        }
        Ok(png)
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
        if let Err(e) = cache.prune() {
            warning.get_or_insert(format!(
                "cannot tidy the cache of share cards {}: {e}",
                cache.dir.display()
            ));
        }
        (counts, warning)
    }
}

/// The cache key of a card: a hash of the drawing code's version, the font and the card's
/// whole SVG text, as 32 hexadecimal digits.
fn key(painter: &Painter, card: &Card) -> String {
    let mut h = SipHasher13::new_with_keys(0x7361_6e70_6963_6172, 0x6473_2d63_6163_6865);
    for part in [
        VERSION,
        painter.font_id(),
        &share::card_svg(card, painter.family()),
    ] {
        h.write(part.as_bytes());
        // Lengths between the parts, so that no two different triples hash alike.
        h.write_u64(part.len() as u64);
    }
    format!("{:032x}", h.finish128().as_u128())
}

impl Cache {
    /// Opens (creating it when missing) `ROOT/.sanpi/cache/cards`, each of whose folders must
    /// be a plain folder, not a symbolic link.
    fn open(root: &Path, output: &Path) -> Result<Cache, String> {
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
        Ok(Cache {
            dir,
            used: Mutex::new(HashSet::new()),
            store_failed: AtomicBool::new(false),
            temp: AtomicUsize::new(0),
        })
    }

    /// The cached card, when there is a sound one.
    fn get(&self, key: &str) -> Option<Vec<u8>> {
        let mut f = open_nofollow(&self.dir.join(format!("{key}.png")))?;
        let mut bytes = Vec::with_capacity(64 * 1024);
        f.read_to_end(&mut bytes).ok()?;
        share::is_card_png(&bytes).then_some(bytes)
    }

    /// Stores a card: written to a new temporary file, then renamed into place, so that a
    /// reader sees the whole card or none.
    fn put(&self, key: &str, png: &[u8]) -> io::Result<()> {
        let n = self.temp.fetch_add(1, Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!(".{key}.{}.{n}.tmp", std::process::id()));
        let written = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| f.write_all(png));
        let done = written.and_then(|_| fs::rename(&tmp, self.dir.join(format!("{key}.png"))));
        if done.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        done
    }

    /// Removes every entry (and leftover temporary file) this build did not use. Folders
    /// are left alone; symbolic links are removed, never followed.
    fn prune(&self) -> io::Result<()> {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let keep = name.to_str().is_some_and(|n| used.contains(n));
            if !keep && !entry.file_type()?.is_dir() {
                match fs::remove_file(entry.path()) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

/// Opens a file for reading, refusing a symbolic link where Unix can tell.
fn open_nofollow(path: &Path) -> Option<File> {
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    #[cfg(not(unix))]
    if fs::symlink_metadata(path).ok()?.file_type().is_symlink() {
        return None;
    }
    o.open(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card<'a>(title: &'a str) -> Card<'a> {
        Card {
            site_title: "测试站",
            title: title.into(),
            subtitle: Some("开工一批".into()),
            figure: None,
            facts: vec![],
            host: "example.org",
            chart: None,
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
        assert!(share::is_card_png(&a) && share::is_card_png(&b));
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

        // An entry cut short, one replaced by a symbolic link: both drawn again.
        let dir = root.join(CACHE_DIR);
        let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        assert_eq!(entries.len(), 2);
        fs::write(&entries[0], &fs::read(&entries[0]).unwrap()[..1000]).unwrap();
        #[cfg(unix)]
        {
            let elsewhere = root.join("elsewhere.png");
            fs::rename(&entries[1], &elsewhere).unwrap();
            std::os::unix::fs::symlink(&elsewhere, &entries[1]).unwrap();
        }
        let (cards, _) = Cards::new(root, &out).unwrap();
        assert_eq!(cards.png(&card("第一个项目")).unwrap(), a);
        assert_eq!(cards.png(&card("第二个项目")).unwrap(), b);
        assert_eq!(cards.finish().0.reused, if cfg!(unix) { 0 } else { 1 });
        for e in &entries {
            assert!(!fs::symlink_metadata(e).unwrap().file_type().is_symlink());
            assert!(share::is_card_png(&fs::read(e).unwrap()));
        }

        // A build that shows only one of them prunes the other.
        let (cards, _) = Cards::new(root, &out).unwrap();
        cards.png(&card("第二个项目")).unwrap();
        assert_eq!(cards.finish().0.reused, 1);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
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
        assert!(Cache::open(&root, &root.join("output")).is_err());
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
        assert_eq!(a.len(), 32);
    }
}
