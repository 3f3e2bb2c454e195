//! Helpers shared by the integration tests: fixture copies, builds, and a link crawler.
#![allow(dead_code, unreachable_pub)]

use sanpi::{BuildOptions, Outcome};
use std::fs;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh copy of `tests/fixtures/NAME` in a temporary folder, with the folder's guard.
pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let from = repo().join("tests/fixtures").join(name);
    copy_dir(&from, &root);
    // What building the fixture by hand leaves in it (git ignores both) is not the
    // fixture: a state or cache there would change what a test's first build does.
    for left in [".sanpi", "output"] {
        if from.join(left).exists() && root.join(left).is_dir() {
            fs::remove_dir_all(root.join(left)).unwrap();
        }
    }
    (tmp, root)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Builds `root` into `root/output`.
pub fn build(root: &Path) -> Outcome {
    sanpi::build(&BuildOptions::new(root))
}

/// The error lines of an outcome, as printed.
pub fn errors(o: &Outcome) -> Vec<String> {
    o.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect()
}

/// Replaces the first `old` in `root/rel` by `new`.
pub fn edit(root: &Path, rel: &str, old: &str, new: &str) {
    let p = root.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(old), "{old:?} not in {rel}");
    fs::write(&p, text.replacen(old, new, 1)).unwrap();
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir` with its bytes, sorted: to compare whole outputs.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The values of `href="…"` and `src="…"` in an HTML text, entities decoded.
pub fn refs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for key in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(key) {
            let tail = &rest[i + key.len()..];
            let end = tail.find('"').unwrap_or(0);
            out.push(
                tail[..end]
                    .replace("&amp;", "&")
                    .replace("&#39;", "'")
                    .replace("&quot;", "\""),
            );
            rest = &tail[end..];
        }
    }
    out
}

/// Relative links of every HTML page under `out` that lead to no file: (page, link).
pub fn broken_links(out: &Path) -> Vec<(String, String)> {
    let mut broken = Vec::new();
    for (rel, bytes) in tree(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let page = out.join(&rel);
        for r in refs(&String::from_utf8(bytes).unwrap()) {
            if r.contains("://") || r.starts_with("mailto:") || r.starts_with('#') {
                continue;
            }
            assert!(!r.starts_with('/'), "{rel}: root-absolute link {r}");
            let path = r.split('#').next().unwrap();
            let mut target = page.parent().unwrap().join(percent_decode(path));
            if path.ends_with('/') || target.is_dir() {
                target = target.join("index.html");
            }
            let inside = target
                .canonicalize()
                .map(|t| t.starts_with(out.canonicalize().unwrap()))
                .unwrap_or(false);
            if !inside || !target.is_file() {
                broken.push((rel.clone(), r));
            }
        }
    }
    broken
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The rows of a CSV file of the output, as maps from its header; the file must start with
/// the byte-order mark every CSV of sanpi has.
pub fn csv_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let bytes = fs::read(path).unwrap();
    assert!(
        bytes.starts_with(b"\xef\xbb\xbf"),
        "{}: no BOM",
        path.display()
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            head.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// The rows `key` of tests/fixtures/regions/expect.json (worked out by hand from the shared
/// province sample), as maps; a null (not compared) is left out of its row.
pub fn expected_rows(key: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = read(&repo().join("tests/fixtures/regions/expect.json"));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            o.as_object()
                .unwrap()
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .collect()
}

/// The paths of a tree of files (as [`tree`] gives it).
pub fn tree_names(t: &[(String, Vec<u8>)]) -> Vec<String> {
    t.iter().map(|f| f.0.clone()).collect()
}

/// The paths of the files of `a` whose bytes differ from `b`'s, file by file in order (two
/// trees of the same paths).
pub fn differing<'a>(a: &'a [(String, Vec<u8>)], b: &[(String, Vec<u8>)]) -> Vec<&'a String> {
    a.iter()
        .zip(b)
        .filter(|(x, y)| x.1 != y.1)
        .map(|(x, _)| &x.0)
        .collect()
}
