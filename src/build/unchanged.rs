//! A build with nothing changed does nothing (issue 31): it renders no page and leaves every
//! file of the output as it is.
//!
//! After each build that wrote an output, `record` keeps, under
//! `ROOT/.sanpi/cache/builds/`, a fingerprint of everything the build read (every file of
//! `content/`, `themes/` and `templates/` byte for byte, the options, the sanpi program and
//! the fonts installed) and the digest of the output it wrote (`output::digest`, taken under
//! the output's lock just before the swap), with its summary and warnings. The next build
//! takes the fingerprint again; when it is the same and the output's digest is still the
//! recorded one, the output is exactly what a build would write again, and `skip` returns the
//! recorded summary and warnings instead. Anything else (an edit, a file touched in the
//! output, another output folder, a symbolic link to a folder among the inputs, a state file
//! that cannot be read) means a full build, which is always right: the shortcut can only be
//! taken or not, never give another output.

use super::reuse::{Memo, Prior};
use super::{BuildOptions, Outcome, Summary};
use crate::diagnostics::Diagnostic;
use crate::output::{digest, lock::Lock, target};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::hash::Hasher;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the states are kept, relative to the site's root.
const STATE_DIR: &str = ".sanpi/cache/builds";
/// Change it when the state's meaning changes.
const VERSION: &str = "sanpi unchanged 5";
/// A state larger than this is no state of ours.
const MAX_STATE: u64 = 1 << 28;

/// What the last build into an output recorded.
#[derive(Serialize, Deserialize)]
struct State {
    version: String,
    /// The fingerprint of the inputs, and the output's real path and digest, in hex.
    fingerprint: String,
    output: PathBuf,
    digest: String,
    pages: usize,
    projects: usize,
    charts: usize,
    files: usize,
    /// The build's warnings, said again by a build that skips.
    diagnostics: Vec<Diagnostic>,
    /// What the next build needs to render only what changed (`reuse.rs`), in hex: the
    /// fingerprint of every input but the project files, each project file's, each
    /// project's row, each page's told by its values, and the values every page gets.
    inputs: String,
    project_files: BTreeMap<String, String>,
    rows: BTreeMap<String, String>,
    prints: BTreeMap<String, String>,
    base: String,
    /// Each chart's PNG by the chart's name: the hashes of its SVG and of its bytes.
    pngs: BTreeMap<String, (String, String)>,
    /// Each share card's key by its file in the output.
    #[serde(default)]
    cards: BTreeMap<String, String>,
}

/// The fingerprint of a build's inputs: of all of them, of all but the project files, and
/// of each project file by its path from the root (`content/projects/…`).
pub(super) struct Fingerprint {
    pub all: u128,
    pub inputs: u128,
    pub projects: HashMap<String, u128>,
}

/// The fingerprint of everything a build of `opts` reads, or None when it cannot be taken
/// (an unreadable input, a symbolic link to a folder): then every build is a full one.
pub(super) fn fingerprint(opts: &BuildOptions) -> Option<Fingerprint> {
    let mut h = SipHasher13::new();
    h.write(VERSION.as_bytes());
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    // The program itself: another sanpi may write other bytes.
    let exe = std::env::current_exe().ok()?;
    file_identity(&mut h, &exe);
    // `--lint` (`-v`) only adds warnings: it tells the skip apart (which says the warnings
    // again), not the pages a build may take from the output.
    let options = format!(
        "{:?}|{:?}|{:?}",
        opts.base_url, opts.drafts, opts.share_images
    );
    h.write(options.as_bytes());
    // The project files apart, each on its own: a build after one changed knows which.
    let projects_dir = opts.root.join("content").join("projects");
    for dir in ["content", "themes", "templates"] {
        h.write(dir.as_bytes());
        tree_contents(&mut h, &opts.root.join(dir), &projects_dir)?;
    }
    let mut projects = HashMap::new();
    if fs::symlink_metadata(&projects_dir).is_ok() {
        // Listed in one walk, read and hashed on every core (at 100,000 projects one after
        // another took a second).
        let entries = walkdir::WalkDir::new(&projects_dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        let hashed: Option<Vec<(String, u128)>> = entries
            .par_iter()
            .map(|entry| {
                let mut one = SipHasher13::new();
                entry_contents(&mut one, entry)?;
                let rel = crate::diagnostics::rel_path(&opts.root, entry.path());
                Some((rel, one.finish128().as_u128()))
            })
            .collect();
        projects.extend(hashed?);
    }
    // The fonts the charts' PNGs and the share cards are drawn with.
    let font = std::env::var_os("SANPI_FONT");
    if let Some(f) = &font {
        h.write(f.as_encoded_bytes());
        file_identity(&mut h, Path::new(f));
    }
    for dir in font_dirs() {
        tree_listing(&mut h, &dir);
    }
    let inputs = h.finish128().as_u128();
    let mut all = SipHasher13::new();
    all.write_u128(inputs);
    all.write_u8(u8::from(opts.lint));
    let mut sorted: Vec<(&String, &u128)> = projects.iter().collect();
    sorted.sort();
    for (rel, one) in sorted {
        all.write(rel.as_bytes());
        all.write_u8(0);
        all.write_u128(*one);
    }
    Some(Fingerprint {
        all: all.finish128().as_u128(),
        inputs,
        projects,
    })
}

/// The folders fonts are installed in (fontconfig's usual ones).
fn font_dirs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = ["/usr/share/fonts", "/usr/local/share/fonts"]
        .iter()
        .map(PathBuf::from)
        .collect();
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        v.push(home.join(".local/share/fonts"));
        v.push(home.join(".fonts"));
    }
    v
}

/// A file's length and modification time (for files too many or too large to read).
fn file_identity(h: &mut SipHasher13, path: &Path) {
    if let Ok(m) = fs::metadata(path) {
        h.write_u64(m.len());
        if let Ok(t) = m.modified() {
            let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            h.write_u128(d.as_nanos());
        }
    }
}

/// Every entry under `dir` by path and type, and every file's bytes (a link's target and,
/// for a link to a file, that file's bytes), but nothing under `apart`. None for a link to a
/// folder or a file that cannot be read.
fn tree_contents(h: &mut SipHasher13, dir: &Path, apart: &Path) -> Option<()> {
    if fs::symlink_metadata(dir).is_err() {
        h.write_u8(0);
        return Some(());
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.path() != apart)
    {
        let entry = entry.ok()?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        h.write(rel.as_os_str().as_encoded_bytes());
        h.write_u8(0);
        entry_contents(h, &entry)?;
    }
    Some(())
}

/// One entry of a tree by its type, and a file's bytes (see [`tree_contents`]).
fn entry_contents(h: &mut SipHasher13, entry: &walkdir::DirEntry) -> Option<()> {
    let t = entry.file_type();
    if t.is_dir() {
        h.write_u8(1);
    } else if t.is_symlink() {
        h.write_u8(2);
        h.write(
            fs::read_link(entry.path())
                .ok()?
                .as_os_str()
                .as_encoded_bytes(),
        );
        match fs::metadata(entry.path()) {
            Ok(m) if m.is_dir() => return None,
            Ok(m) if m.is_file() => h.write(&fs::read(entry.path()).ok()?),
            _ => h.write_u8(0),
        }
    } else if t.is_file() {
        h.write_u8(3);
        h.write(&fs::read(entry.path()).ok()?);
    } else {
        // A FIFO or a device: never read (it could block); the build refuses it.
        h.write_u8(4);
    }
    Some(())
}

/// Every entry under `dir` by path, length and modification time (font folders).
fn tree_listing(h: &mut SipHasher13, dir: &Path) {
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        h.write(entry.path().as_os_str().as_encoded_bytes());
        if let Ok(m) = entry.metadata() {
            h.write_u64(m.len());
            if let Ok(t) = m.modified() {
                let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
                h.write_u128(d.as_nanos());
            }
        }
    }
}

/// The file of the state of the output at `real`, in the site's cache: None when the
/// cache's folders are not plain folders (a symbolic link, a file) or overlap the output.
fn state_file(root: &Path, real: &Path, create: bool) -> Option<PathBuf> {
    let mut dir = root.to_path_buf();
    for part in STATE_DIR.split('/') {
        dir.push(part);
        match fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Err(e) if create && e.kind() == std::io::ErrorKind::NotFound => {
                fs::create_dir(&dir).ok()?;
            }
            _ => return None,
        }
    }
    let canonical = fs::canonicalize(&dir).ok()?;
    if canonical.starts_with(real) || real.starts_with(&canonical) {
        return None;
    }
    let mut h = SipHasher13::new();
    h.write(real.as_os_str().as_encoded_bytes());
    Some(dir.join(format!("{:032x}.json", h.finish128().as_u128())))
}

fn read_state(path: &Path) -> Option<State> {
    let m = fs::symlink_metadata(path).ok()?;
    if !m.is_file() || m.len() > MAX_STATE {
        return None;
    }
    let mut text = String::new();
    fs::File::open(path).ok()?.read_to_string(&mut text).ok()?;
    let s: State = serde_json::from_str(&text).ok()?;
    (s.version == VERSION).then_some(s)
}

/// The outcome of a build that had nothing to do, when nothing changed since the last build
/// into the same output and the output is still what it wrote.
pub(super) fn skip(opts: &BuildOptions, fingerprint: u128, start: Instant) -> Option<Outcome> {
    let out = target::check(&opts.root, &opts.output_dir(), opts.force).ok()?;
    let state = read_state(&state_file(&opts.root, &out.real, false)?)?;
    if state.fingerprint != format!("{fingerprint:032x}") || state.output != out.real {
        return None;
    }
    // Another build into this output may be writing: look once it is done.
    let _lock = Lock::acquire(&out.lock(), || {}).ok()?;
    // A spare a build would refuse (a symbolic link, someone else's folder) is refused here
    // too, by the full build's own error.
    target::replaceable(&out.spare(), &out.spare(), "spare folder", out.force).ok()?;
    let now = digest::tree(&out.real).ok()?;
    if format!("{now:032x}") != state.digest {
        return None;
    }
    let millis = start.elapsed().as_millis();
    Some(Outcome {
        summary: Some(Summary {
            pages: state.pages,
            projects: state.projects,
            charts: state.charts,
            files: state.files,
            millis,
            steps: vec![("nothing changed", millis)],
            cards: crate::cards::Counts::default(),
            digest: Some(now),
            unchanged: true,
            rendered: 0,
        }),
        diagnostics: state.diagnostics,
    })
}

/// What the last build into the output of `opts` recorded for the next one to reuse its
/// pages (`reuse.rs`), when it read the same inputs but the project files: None otherwise.
/// The output's digest is checked later, under the output's lock.
pub(super) fn prior(opts: &BuildOptions, now: &Fingerprint) -> Option<Prior> {
    let out = target::check(&opts.root, &opts.output_dir(), opts.force).ok()?;
    let state = read_state(&state_file(&opts.root, &out.real, false)?)?;
    if state.output != out.real || state.inputs != hex(now.inputs) {
        return None;
    }
    let map = |m: &BTreeMap<String, String>| -> Option<HashMap<String, u128>> {
        m.iter()
            .map(|(k, v)| Some((k.clone(), u128::from_str_radix(v, 16).ok()?)))
            .collect()
    };
    Some(Prior {
        projects: map(&state.project_files)?,
        rows: map(&state.rows)?,
        prints: map(&state.prints)?,
        base: u128::from_str_radix(&state.base, 16).ok()?,
        digest: u128::from_str_radix(&state.digest, 16).ok()?,
        pngs: state
            .pngs
            .iter()
            .map(|(k, (svg, png))| {
                let (svg, png) = (u128::from_str_radix(svg, 16), u128::from_str_radix(png, 16));
                Some((k.clone(), (svg.ok()?, png.ok()?)))
            })
            .collect::<Option<_>>()?,
        cards: map(&state.cards)?,
    })
}

fn hex(x: u128) -> String {
    format!("{x:032x}")
}

/// Keeps the state of a build that wrote an output, when its inputs did not change while it
/// ran (else the output may hold some of each, and no state is kept), with what the build
/// noted of its pages for the next one.
pub(super) fn record(
    opts: &BuildOptions,
    fingerprint: &Fingerprint,
    outcome: &Outcome,
    memo: &Memo,
) {
    let Some(s) = &outcome.summary else { return };
    let Some(d) = s.digest else { return };
    if self::fingerprint(opts).map(|f| f.all) != Some(fingerprint.all) {
        return;
    }
    let Ok(out) = target::check(&opts.root, &opts.output_dir(), opts.force) else {
        return;
    };
    let Some(path) = state_file(&opts.root, &out.real, true) else {
        return;
    };
    let state = State {
        version: VERSION.into(),
        fingerprint: hex(fingerprint.all),
        output: out.real.clone(),
        digest: format!("{d:032x}"),
        pages: s.pages,
        projects: s.projects,
        charts: s.charts,
        files: s.files,
        diagnostics: outcome.diagnostics.clone(),
        inputs: hex(fingerprint.inputs),
        project_files: fingerprint
            .projects
            .iter()
            .map(|(k, v)| (k.clone(), hex(*v)))
            .collect(),
        rows: memo
            .rows
            .iter()
            .map(|(k, v)| (k.clone(), hex(*v)))
            .collect(),
        prints: memo
            .prints
            .iter()
            .map(|(k, v)| (k.clone(), hex(*v)))
            .collect(),
        base: hex(memo.base),
        pngs: memo
            .pngs
            .iter()
            .map(|(k, (svg, png))| (k.clone(), (hex(*svg), hex(*png))))
            .collect(),
        cards: memo
            .cards
            .iter()
            .map(|(k, v)| (k.clone(), hex(*v)))
            .collect(),
    };
    let Ok(text) = serde_json::to_vec(&state) else {
        return;
    };
    // Written whole and renamed into place: a reader sees the old state or the new one.
    let Some(dir) = path.parent() else { return };
    if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) {
        use std::io::Write;
        if tmp.write_all(&text).is_ok() {
            let _ = tmp.persist(&path);
        }
    }
}
