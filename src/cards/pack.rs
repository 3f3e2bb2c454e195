//! The cache of cards on disk: packs, each a file of many cards, under
//! `ROOT/.sanpi/cache/cards/`.
//!
//! One file per card cost a new inode and a rename per card drawn, and as many deletions
//! when the cache was cleared; on an ext4 file system without a journal, creating files
//! right after deleting many scans the inode tables (`recently_deleted`), and a first build
//! of 10,000 projects spent more time in the kernel than drawing (issue 17). A build now
//! writes the cards it draws into one new pack, and reads the cards it reuses from the packs
//! that are there.
//!
//! A pack (`pack-HASH.cards`) is written under a temporary name and renamed into place when
//! complete; once there it is never changed, only deleted. It holds a header line, the
//! records (length, key, PNG bytes), an index of (key, offset, length) and a footer (the
//! index's offset, the count, an end line). A pack whose footer or index does not add up is
//! not read, and a card whose record does not match its index entry or is not a whole PNG
//! is drawn again. Packs are opened without following symbolic links.
//!
//! After a build, a pack none of whose cards were used is deleted; a pack less than half of
//! whose bytes were used, or a small one, has its used cards copied into the new pack first,
//! so that the cache stays within about twice one build's cards and a few files. Packs that
//! appeared after the build started (a concurrent build's) are left alone, and so are
//! another build's temporary files unless they are older than [`STALE`].

use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::hash::Hasher;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

const HEADER: &[u8] = b"sanpi cards pack 1\n";
const END: &[u8; 16] = b"sanpi cards end\n";
/// A record's head: the length of its PNG (u32) and its key (u128), little-endian.
const HEAD: usize = 20;
/// An index entry: key (u128), offset of the PNG (u64), its length (u32).
const ENTRY: usize = 28;
/// The footer: the index's offset (u64), the count (u64), [`END`].
const FOOTER: usize = 32;
/// A pack smaller than this is merged into the next pack written.
const SMALL: u64 = 4 << 20;
/// A temporary file older than this is a dead build's, and deleted.
const STALE: Duration = Duration::from_secs(600);

/// Where a card is: which pack, the offset of its PNG, its length.
type Place = (usize, u64, u32);

struct Pack {
    path: PathBuf,
    file: Mutex<File>,
    /// The bytes of its records (what compaction weighs against what is used).
    bytes: u64,
    entries: Vec<(u128, u64, u32)>,
}

/// The pack this build writes its cards into, made at its first card.
struct NewPack {
    tmp: PathBuf,
    out: BufWriter<File>,
    offset: u64,
    index: Vec<(u128, u64, u32)>,
}

pub(super) struct Cache {
    pub(super) dir: PathBuf,
    packs: Vec<Pack>,
    /// Files named as packs that are not sound ones (cut short, say): deleted at the end.
    broken: Vec<PathBuf>,
    index: HashMap<u128, Place>,
    used: Mutex<HashSet<u128>>,
    new: Mutex<Option<NewPack>>,
    /// A card could not be stored (a full disk, a read-only folder): said once, at the end.
    pub(super) store_failed: AtomicBool,
}

impl Cache {
    /// The cache in `dir` (a plain folder, checked by the caller): every sound pack in it.
    pub(super) fn open(dir: PathBuf) -> io::Result<Cache> {
        let mut packs = Vec::new();
        let mut broken = Vec::new();
        // Only plain files are packs: anything else named like one (a FIFO, whose opening
        // would wait for ever) is left to `tidy`, which removes it.
        let mut names: Vec<PathBuf> = fs::read_dir(&dir)?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| is_pack_name(p))
            .collect();
        names.sort();
        for path in names {
            match read_pack(&path) {
                Some(pack) => packs.push(pack),
                None => broken.push(path),
            }
        }
        let mut index = HashMap::new();
        for (i, p) in packs.iter().enumerate() {
            for &(key, offset, len) in &p.entries {
                index.entry(key).or_insert((i, offset, len));
            }
        }
        Ok(Cache {
            dir,
            packs,
            broken,
            index,
            used: Mutex::new(HashSet::new()),
            new: Mutex::new(None),
            store_failed: AtomicBool::new(false),
        })
    }

    /// Notes that this build shows the card of `key`, so that it is kept.
    pub(super) fn use_key(&self, key: u128) {
        lock(&self.used).insert(key);
    }

    /// The cached card of `key`, when there is a sound one.
    pub(super) fn get(&self, key: u128) -> Option<Vec<u8>> {
        let &(pack, offset, len) = self.index.get(&key)?;
        self.packs.get(pack)?.read(key, offset, len)
    }

    /// Stores a card drawn by this build in its new pack.
    pub(super) fn put(&self, key: u128, png: &[u8]) {
        let mut new = lock(&self.new);
        if new.is_none() && !self.store_failed.load(Ordering::Relaxed) {
            match NewPack::create(&self.dir) {
                Ok(p) => *new = Some(p),
                Err(_) => self.store_failed.store(true, Ordering::Relaxed),
            }
        }
        let Some(pack) = new.as_mut() else { return };
        if pack.append(key, png).is_err() {
            self.store_failed.store(true, Ordering::Relaxed);
            if let Some(p) = new.take() {
                let _ = fs::remove_file(&p.tmp);
            }
        }
    }

    /// Ends the build's use of the cache: the new pack (with the used cards of packs worth
    /// compacting) is put in place, and the packs no longer needed are deleted.
    pub(super) fn finish(self) -> io::Result<()> {
        let used = std::mem::take(&mut *lock(&self.used));
        let mut new = lock(&self.new).take();
        let mut gone: Vec<&Path> = self.broken.iter().map(|p| p.as_path()).collect();
        for (i, pack) in self.packs.iter().enumerate() {
            // The cards this build used that are read from this pack.
            let mine: Vec<&(u128, u64, u32)> = pack
                .entries
                .iter()
                .filter(|(k, o, _)| {
                    used.contains(k)
                        && matches!(self.index.get(k), Some(&(p, at, _)) if p == i && at == *o)
                })
                .collect();
            let used_bytes: u64 = mine.iter().map(|e| u64::from(e.2) + HEAD as u64).sum();
            if mine.is_empty() {
                gone.push(&pack.path);
                continue;
            }
            let compact = used_bytes * 2 < pack.bytes || pack.bytes < SMALL;
            if !compact {
                continue;
            }
            if new.is_none() && !self.store_failed.load(Ordering::Relaxed) {
                // Worth a new pack only to free space: compacting alone is done when over
                // half of a pack is unused, not to merge small packs.
                if used_bytes * 2 >= pack.bytes {
                    continue;
                }
                new = NewPack::create(&self.dir).ok();
            }
            let Some(target) = new.as_mut() else { continue };
            let mut moved = true;
            for &&(key, offset, len) in &mine {
                let Some(png) = pack.read(key, offset, len) else {
                    continue; // a broken card is not carried over
                };
                if target.append(key, &png).is_err() {
                    moved = false;
                    break;
                }
            }
            if moved {
                gone.push(&pack.path);
            }
        }
        if let Some(pack) = new {
            if pack.index.is_empty() {
                let _ = fs::remove_file(&pack.tmp);
            } else {
                pack.finish(&self.dir)?;
            }
        }
        for path in gone {
            remove(path)?;
        }
        self.tidy()
    }

    /// Removes what is neither a pack nor another build's fresh temporary file: entries of
    /// older versions of the cache, stale temporary files, symbolic links. Folders stay.
    fn tidy(&self) -> io::Result<()> {
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() || kind.is_file() && is_pack_name(&path) {
                continue;
            }
            let fresh_tmp = kind.is_file()
                && path.extension().is_some_and(|e| e == "tmp")
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age < STALE);
            if !fresh_tmp {
                remove(&path)?;
            }
        }
        Ok(())
    }

    /// The keys of the cards in the cache, as 32 hexadecimal digits, sorted.
    pub(super) fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.index.keys().map(|k| format!("{k:032x}")).collect();
        keys.sort();
        keys
    }
}

impl Pack {
    /// The card of `key` whose PNG is at `offset`, `len` bytes long, when its record says
    /// the same and it is a whole PNG of a card.
    fn read(&self, key: u128, offset: u64, len: u32) -> Option<Vec<u8>> {
        let mut buf = vec![0; HEAD + len as usize];
        {
            let mut f = lock(&self.file);
            f.seek(SeekFrom::Start(offset.checked_sub(HEAD as u64)?))
                .ok()?;
            f.read_exact(&mut buf).ok()?;
        }
        let (head, png) = buf.split_at(HEAD);
        let ok = head[..4] == len.to_le_bytes()
            && head[4..] == key.to_le_bytes()
            && crate::share::is_card_png(png);
        ok.then(|| png.to_vec())
    }
}

impl NewPack {
    fn create(dir: &Path) -> io::Result<NewPack> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let tmp = dir.join(format!(".pack-{}-{nanos}.tmp", std::process::id()));
        let file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        if let Err(e) = out.write_all(HEADER) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        Ok(NewPack {
            tmp,
            out,
            offset: HEADER.len() as u64,
            index: Vec::new(),
        })
    }

    fn append(&mut self, key: u128, png: &[u8]) -> io::Result<()> {
        let len = u32::try_from(png.len()).map_err(|_| io::Error::other("card too large"))?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&key.to_le_bytes())?;
        self.out.write_all(png)?;
        self.index.push((key, self.offset + HEAD as u64, len));
        self.offset += HEAD as u64 + u64::from(len);
        Ok(())
    }

    /// Writes the index and footer and renames the pack into place.
    fn finish(mut self, dir: &Path) -> io::Result<()> {
        let mut index = Vec::with_capacity(self.index.len() * ENTRY);
        for &(key, offset, len) in &self.index {
            index.extend_from_slice(&key.to_le_bytes());
            index.extend_from_slice(&offset.to_le_bytes());
            index.extend_from_slice(&len.to_le_bytes());
        }
        // Named by its contents and its temporary name (process and time): never the name
        // of a pack already there, which this build may be about to delete.
        let mut h = SipHasher13::new_with_keys(1, 2);
        h.write(&index);
        h.write(self.tmp.as_os_str().as_encoded_bytes());
        let name = format!("pack-{:032x}.cards", h.finish128().as_u128());
        let written = (|| {
            self.out.write_all(&index)?;
            self.out.write_all(&self.offset.to_le_bytes())?;
            self.out
                .write_all(&(self.index.len() as u64).to_le_bytes())?;
            self.out.write_all(END)?;
            self.out.flush()?;
            fs::rename(&self.tmp, dir.join(name))
        })();
        if written.is_err() {
            let _ = fs::remove_file(&self.tmp);
        }
        written
    }
}

/// A pack's index, when its footer and index add up.
fn read_pack(path: &Path) -> Option<Pack> {
    let mut file = super::open_nofollow(path)?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let size = meta.len();
    let mut footer = [0u8; FOOTER];
    file.seek(SeekFrom::Start(size.checked_sub(FOOTER as u64)?))
        .ok()?;
    file.read_exact(&mut footer).ok()?;
    let at = u64::from_le_bytes(footer[..8].try_into().ok()?);
    let count = u64::from_le_bytes(footer[8..16].try_into().ok()?);
    if footer[16..] != END[..]
        || at < HEADER.len() as u64
        || count
            .checked_mul(ENTRY as u64)?
            .checked_add(at)?
            .checked_add(FOOTER as u64)?
            != size
    {
        return None;
    }
    let mut raw = vec![0; (count as usize).checked_mul(ENTRY)?];
    file.seek(SeekFrom::Start(at)).ok()?;
    file.read_exact(&mut raw).ok()?;
    let mut entries = Vec::with_capacity(count as usize);
    for e in raw.chunks_exact(ENTRY) {
        let key = u128::from_le_bytes(e[..16].try_into().ok()?);
        let offset = u64::from_le_bytes(e[16..24].try_into().ok()?);
        let len = u32::from_le_bytes(e[24..28].try_into().ok()?);
        let fits =
            offset >= (HEADER.len() + HEAD) as u64 && offset.checked_add(u64::from(len))? <= at;
        if !fits {
            return None;
        }
        entries.push((key, offset, len));
    }
    Some(Pack {
        path: path.to_path_buf(),
        file: Mutex::new(file),
        bytes: at - HEADER.len() as u64,
        entries,
    })
}

fn is_pack_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("pack-") && n.ends_with(".cards"))
}

fn remove(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG that passes [`crate::share::is_card_png`], different for each `n`.
    fn card(n: u8) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, crate::share::WIDTH, crate::share::HEIGHT);
        enc.set_color(png::ColorType::Indexed);
        enc.set_palette(vec![n, 0, 0]);
        let mut w = enc.write_header().unwrap();
        let data = vec![0; (crate::share::WIDTH * crate::share::HEIGHT) as usize];
        w.write_image_data(&data).unwrap();
        w.finish().unwrap();
        out
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn cards_come_back_from_their_pack_and_unused_ones_go() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let c = Cache::open(dir.clone()).unwrap();
        for k in 1..=3u8 {
            c.use_key(u128::from(k));
            assert!(c.get(u128::from(k)).is_none());
            c.put(u128::from(k), &card(k));
        }
        c.finish().unwrap();
        let packs = files(&dir);
        assert_eq!(packs.len(), 1, "{packs:?}");

        // All used again: read back, nothing written.
        let c = Cache::open(dir.clone()).unwrap();
        assert_eq!(c.keys().len(), 3);
        for k in 1..=3u8 {
            c.use_key(u128::from(k));
            assert_eq!(c.get(u128::from(k)).unwrap(), card(k));
        }
        c.finish().unwrap();
        assert_eq!(files(&dir), packs);

        // One used: the others go (the pack is compacted into a new one).
        let c = Cache::open(dir.clone()).unwrap();
        c.use_key(2);
        assert_eq!(c.get(2).unwrap(), card(2));
        c.finish().unwrap();
        let c = Cache::open(dir.clone()).unwrap();
        assert_eq!(c.keys(), vec![format!("{:032x}", 2)]);
        assert_eq!(c.get(2).unwrap(), card(2));
    }

    #[test]
    fn broken_packs_and_records_are_not_used_and_go() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let c = Cache::open(dir.clone()).unwrap();
        for k in 1..=2u8 {
            c.use_key(u128::from(k));
            c.put(u128::from(k), &card(k));
        }
        c.finish().unwrap();
        let pack = dir.join(&files(&dir)[0]);
        let bytes = fs::read(&pack).unwrap();

        // A byte of the first card flipped: that card is drawn again, the other read.
        let mut flipped = bytes.clone();
        flipped[HEADER.len() + HEAD + 40] ^= 1;
        fs::write(&pack, &flipped).unwrap();
        let c = Cache::open(dir.clone()).unwrap();
        assert!(c.get(1).is_none());
        assert_eq!(c.get(2).unwrap(), card(2));
        drop(c);

        // Cut short: not read at all, and deleted at the end of the build.
        fs::write(&pack, &bytes[..bytes.len() - 1]).unwrap();
        let c = Cache::open(dir.clone()).unwrap();
        assert!(c.keys().is_empty() && c.get(2).is_none());
        c.use_key(2);
        c.put(2, &card(2));
        c.finish().unwrap();
        let left = files(&dir);
        assert_eq!(left.len(), 1);
        assert_ne!(dir.join(&left[0]), pack);
        assert_eq!(Cache::open(dir.clone()).unwrap().get(2).unwrap(), card(2));
    }

    #[cfg(unix)]
    #[test]
    fn links_old_entries_and_stale_temporary_files_go_and_fresh_ones_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cards");
        fs::create_dir(&dir).unwrap();
        let elsewhere = tmp.path().join("elsewhere.cards");
        fs::write(&elsewhere, b"not yours").unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join("pack-0.cards")).unwrap();
        fs::write(dir.join("0123.png"), card(1)).unwrap(); // the cache's older layout
        fs::write(dir.join(".pack-1-2.tmp"), b"another build's").unwrap();
        let stale = dir.join(".pack-3-4.tmp");
        fs::write(&stale, b"a dead build's").unwrap();
        let old = std::time::SystemTime::now() - STALE - Duration::from_secs(60);
        File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        fs::create_dir(dir.join("a folder")).unwrap();
        let c = Cache::open(dir.clone()).unwrap();
        assert!(c.keys().is_empty());
        c.finish().unwrap();
        assert_eq!(files(&dir), vec![".pack-1-2.tmp", "a folder"]);
        assert_eq!(fs::read(&elsewhere).unwrap(), b"not yours");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_in_the_cache_is_never_opened_and_goes() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cards");
        fs::create_dir(&dir).unwrap();
        for name in [
            "pack-00000000000000000000000000000000.cards",
            ".pack-1-2.tmp",
            "x",
        ] {
            let made = std::process::Command::new("mkfifo")
                .arg(dir.join(name))
                .status()
                .unwrap();
            assert!(made.success());
        }
        // On a thread, so that a regression fails the test instead of hanging the suite.
        let (tx, rx) = std::sync::mpsc::channel();
        let d = dir.clone();
        std::thread::spawn(move || {
            let c = Cache::open(d).unwrap();
            let keys = c.keys();
            c.finish().unwrap();
            tx.send(keys).unwrap();
        });
        let keys = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("opening the cache waited on a FIFO");
        assert!(keys.is_empty());
        assert!(files(&dir).is_empty(), "{:?}", files(&dir));
    }
}
