//! Builds after builds: one with nothing changed renders nothing and leaves every file of the
//! output as it is; after any sequence of edits, tampering and option changes the output is
//! byte for byte what a clean build of the same content writes.

mod common;

use common::*;
use sanpi::{BuildOptions, Outcome};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn build_into(root: &Path, out: &Path) -> Outcome {
    let mut o = BuildOptions::new(root);
    o.output = Some(out.to_path_buf());
    sanpi::build(&o)
}

fn unchanged(o: &Outcome) -> bool {
    assert!(errors(o).is_empty(), "{:?}", errors(o));
    o.summary.as_ref().unwrap().unchanged
}

/// Every file's identity: its inode, modification and change times.
#[cfg(unix)]
fn identities(dir: &Path) -> BTreeMap<PathBuf, (u64, i64, i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            (
                e.path().to_path_buf(),
                (m.ino(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()),
            )
        })
        .collect()
}

/// The output a clean build of `root`'s content writes: built from a fresh copy, with no
/// cache and no earlier output.
fn clean_build(root: &Path) -> Vec<(String, Vec<u8>)> {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("site");
    copy_dir(&root.join("content"), &copy.join("content"));
    let out = tmp.path().join("out");
    let o = build_into(&copy, &out);
    assert!(!unchanged(&o));
    tree(&out)
}

#[test]
#[cfg(unix)]
fn a_build_with_nothing_changed_leaves_every_file_as_it_is() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    let first = build_into(&root, &out);
    assert!(!unchanged(&first));
    let before = identities(&out);
    let bytes = tree(&out);
    let again = build_into(&root, &out);
    assert!(unchanged(&again), "nothing changed, yet the build rendered");
    assert_eq!(identities(&out), before, "a file of the output was touched");
    assert_eq!(tree(&out), bytes);
    // The same figures, and the same warnings said again.
    let (a, b) = (first.summary.unwrap(), again.summary.unwrap());
    assert_eq!(
        (a.pages, a.projects, a.charts, a.files),
        (b.pages, b.projects, b.charts, b.files)
    );
    let said =
        |o: &[sanpi::diagnostics::Diagnostic]| o.iter().map(|d| d.to_string()).collect::<Vec<_>>();
    assert!(!first.diagnostics.is_empty(), "the fixture has warnings");
    assert_eq!(said(&first.diagnostics), said(&again.diagnostics));
    // A file saved again with the same bytes changes nothing either.
    let p = root.join("content/projects/alpha.md");
    fs::write(&p, fs::read(&p).unwrap()).unwrap();
    assert!(unchanged(&build_into(&root, &out)));
    assert_eq!(identities(&out), before);
}

#[test]
#[cfg(unix)]
fn an_edit_an_option_or_a_touched_output_means_a_full_build() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    assert!(!unchanged(&build_into(&root, &out)));
    // An edit of the content.
    edit(&root, "content/projects/alpha.md", "10.5", "10.6");
    assert!(!unchanged(&build_into(&root, &out)));
    assert_eq!(tree(&out), clean_build(&root));
    assert!(unchanged(&build_into(&root, &out)));

    // A page of the output rewritten with other bytes of the same length, its modification
    // time set back: the change time gives it away.
    let page = out.join("projects/alpha/index.html");
    let good = fs::read(&page).unwrap();
    let mtime = fs::metadata(&page).unwrap().modified().unwrap();
    let mut bad = good.clone();
    bad[0] = if bad[0] == b'X' { b'Y' } else { b'X' };
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&page, &bad).unwrap();
    fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert!(!unchanged(&build_into(&root, &out)));
    assert_eq!(fs::read(&page).unwrap(), good, "the page is written again");

    // A page deleted, a stray file added: the site is whole again, and only the site.
    fs::remove_file(&page).unwrap();
    assert!(!unchanged(&build_into(&root, &out)));
    assert_eq!(fs::read(&page).unwrap(), good);
    fs::write(out.join("stray.html"), "not ours").unwrap();
    assert!(!unchanged(&build_into(&root, &out)));
    assert!(!out.join("stray.html").exists());
    assert_eq!(tree(&out), clean_build(&root));

    // Another option: another site.
    let mut o = BuildOptions::new(&root);
    o.output = Some(out.clone());
    o.base_url = Some("https://example.org/sub/".into());
    assert!(!unchanged(&sanpi::build(&o)));
    assert!(unchanged(&sanpi::build(&o)));
    assert!(!unchanged(&build_into(&root, &out)));

    // Another output folder is built in full, and each keeps its own state.
    let other = tmp.path().join("other");
    assert!(!unchanged(&build_into(&root, &other)));
    assert!(unchanged(&build_into(&root, &other)));
    assert!(unchanged(&build_into(&root, &out)));

    // A theme override or a new template is an input too.
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join("templates/unused.html"), "{# nothing #}").unwrap();
    assert!(!unchanged(&build_into(&root, &out)));
}

#[test]
#[cfg(unix)]
fn the_state_is_never_trusted_blindly() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    assert!(!unchanged(&build_into(&root, &out)));
    let states = root.join(".sanpi/cache/builds");
    let files: Vec<_> = fs::read_dir(&states)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    // A state that is not JSON, or not ours: a full build, which writes it again.
    fs::write(&files[0], "{ not json").unwrap();
    assert!(!unchanged(&build_into(&root, &out)));
    assert!(unchanged(&build_into(&root, &out)));
    // The states' folder turned into a link to elsewhere: never written through, never read.
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::remove_dir_all(&states).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &states).unwrap();
    assert!(!unchanged(&build_into(&root, &out)));
    assert!(!unchanged(&build_into(&root, &out)));
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    assert_eq!(tree(&out), clean_build(&root));
}

/// A small seeded generator, so that a failing sequence can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn any_sequence_of_edits_and_builds_gives_a_clean_build() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    let projects = root.join("content/projects");
    let mut rng = Rng(0x0031_2026);
    let mut added: Vec<PathBuf> = Vec::new();
    let mut log = Vec::new();
    for step in 0..14 {
        // One or two edits between builds, sometimes none.
        for _ in 0..rng.below(3) {
            let what = rng.below(6);
            let n = rng.below(1000);
            match what {
                0 => {
                    let p = projects.join("alpha.md");
                    let text = fs::read_to_string(&p).unwrap();
                    let line = text.lines().find(|l| l.starts_with("investment:")).unwrap();
                    let new = format!("investment: {}.{}", 1 + n % 90, n % 10);
                    fs::write(&p, text.replacen(line, &new, 1)).unwrap();
                    log.push(format!("{step}: alpha {new}"));
                }
                1 => {
                    let p = projects.join("alpha.md");
                    let mut text = fs::read_to_string(&p).unwrap();
                    text.push_str(&format!("\n补充说明第{n}条。\n"));
                    fs::write(&p, text).unwrap();
                    log.push(format!("{step}: alpha body"));
                }
                2 => {
                    let name = format!("new-{n}.md");
                    fs::write(
                        projects.join(&name),
                        format!(
                            "---\nname: 新增项目{n}号\nbatch: started\nperiod: 1\ninvestment: {}\nsector: 新材料\n---\n新增。\n",
                            n % 50 + 1
                        ),
                    )
                    .unwrap();
                    added.push(projects.join(name));
                    log.push(format!("{step}: add new-{n}"));
                }
                3 if !added.is_empty() => {
                    let p = added.remove((n as usize) % added.len());
                    fs::remove_file(&p).unwrap();
                    log.push(format!("{step}: delete {}", p.display()));
                }
                4 => {
                    let p = root.join("content/pages/about.md");
                    fs::write(&p, format!("---\ntitle: 关于本站{n}\n---\n第{n}版。\n")).unwrap();
                    log.push(format!("{step}: about {n}"));
                }
                _ => {
                    // Saved again, bytes unchanged.
                    let p = projects.join("beta.md");
                    fs::write(&p, fs::read(&p).unwrap()).unwrap();
                    log.push(format!("{step}: touch beta"));
                }
            }
        }
        let o = build_into(&root, &out);
        assert!(errors(&o).is_empty(), "{log:?}: {:?}", errors(&o));
        assert!(
            tree(&out) == clean_build(&root),
            "after {log:?} the output differs from a clean build"
        );
    }
}

/// After a one-project edit, the pages and share cards the edit did not change are the
/// files the last build wrote, staged again as hard links (nothing is copied): the output
/// and its spare share their inodes. The edited project's page and card are new files, and
/// the output is a clean build's.
#[test]
#[cfg(unix)]
fn a_build_after_an_edit_links_the_files_it_did_not_change() {
    use std::os::unix::fs::MetadataExt;
    let (tmp, root) = fixture("basic");
    let cards = sanpi::share::Painter::new().is_ok();
    if cards {
        edit(
            &root,
            "content/site.yaml",
            "share_images: false",
            "share_images: true",
        );
    }
    let out = tmp.path().join("out");
    let spare = tmp.path().join(".out.sanpi-spare");
    assert!(!unchanged(&build_into(&root, &out)));
    edit(&root, "content/projects/alpha.md", "10.5", "10.6");
    let o = build_into(&root, &out);
    assert!(!unchanged(&o));
    let ino = |p: &Path| fs::symlink_metadata(p).unwrap().ino();
    let mut files = vec!["projects/beta/index.html", "projects/eta/index.html"];
    if cards {
        files.extend(["projects/beta/og.png", "projects/eta/og.png"]);
        assert!(out.join("projects/beta/og.png").is_file());
        let counts = &o.summary.as_ref().unwrap().cards;
        assert!(counts.reused > 0, "{counts:?}");
    }
    for f in &files {
        assert_eq!(ino(&out.join(f)), ino(&spare.join(f)), "{f} linked");
    }
    let alpha = "projects/alpha/index.html";
    assert_ne!(ino(&out.join(alpha)), ino(&spare.join(alpha)), "a new file");
    assert!(read(&out.join(alpha)).contains("10.6"));
    let clean = {
        let t = tempfile::tempdir().unwrap();
        let copy = t.path().join("site");
        copy_dir(&root.join("content"), &copy.join("content"));
        let o = build_into(&copy, &t.path().join("out"));
        assert!(errors(&o).is_empty());
        tree(&t.path().join("out"))
    };
    assert_eq!(tree(&out), clean);
}

/// `--lint` (`sanpi -v build`) only adds warnings: after a build without it, a build with it
/// does not skip (the skip says the last build's warnings again) but takes every page from
/// the output, and so does the next build without it; the output stays the same.
#[test]
#[cfg(unix)]
fn linting_tells_the_skip_apart_but_renders_no_page() {
    let (tmp, root) = fixture("basic");
    let out = tmp.path().join("out");
    assert!(!unchanged(&build_into(&root, &out)));
    let bytes = tree(&out);
    let mut o = BuildOptions::new(&root);
    o.output = Some(out.clone());
    o.lint = true;
    let linted = sanpi::build(&o);
    assert!(!unchanged(&linted));
    assert_eq!(linted.summary.as_ref().unwrap().rendered, 0);
    assert_eq!(tree(&out), bytes);
    let plain = build_into(&root, &out);
    assert!(!unchanged(&plain));
    assert_eq!(plain.summary.as_ref().unwrap().rendered, 0);
    assert_eq!(tree(&out), bytes);
}
