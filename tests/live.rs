//! serve's quick paths against clean builds: after each of a random sequence of edits to
//! project files (amounts, names, batches, periods, sectors, bodies, drafts, files added and
//! removed), the output serve's site in memory leaves is byte for byte a clean build's of the
//! same content, and the quick path (not a full build) did the work.

mod common;

use common::*;
use sanpi::{build_live, BuildOptions, Live};
use std::fs;
use std::path::{Path, PathBuf};

/// A small, seeded generator of choices: the same sequence on every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, of: &[T]) -> T {
        of[self.below(of.len())]
    }
}

/// serve's options: no share cards.
fn options(root: &Path, out: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(root);
    o.output = Some(out.to_path_buf());
    o.share_images = Some(false);
    o
}

/// A clean build of `root`'s content, as a tree of files; None when it fails.
fn clean(root: &Path) -> Option<Vec<(String, Vec<u8>)>> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    sanpi::build(&options(root, &out))
        .ok()
        .then(|| site_tree(&out))
}

/// The site's files under `out` (not the marks a build leaves for itself).
fn site_tree(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut t = tree(out);
    t.retain(|(name, _)| !name.starts_with(".sanpi"));
    t
}

/// The project files of the site, sorted.
fn project_files(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/projects"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.starts_with(['_', '.']) && (name.ends_with(".md") || name.ends_with(".yaml"))
        })
        .collect();
    v.sort();
    v
}

/// Every project file of the site with its bytes, to put back with [`restore`].
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    project_files(root)
        .into_iter()
        .map(|p| {
            let b = fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

/// The project files as `snapshot` took them: one added since is removed.
fn restore(root: &Path, snapshot: &[(PathBuf, Vec<u8>)]) {
    for p in project_files(root) {
        if !snapshot.iter().any(|(s, _)| *s == p) {
            fs::remove_file(p).unwrap();
        }
    }
    for (p, b) in snapshot {
        fs::write(p, b).unwrap();
    }
}

/// The site under `out` is byte for byte `built`, a clean build's (`what` says after what).
fn assert_clean(what: &str, out: &Path, built: &[(String, Vec<u8>)]) {
    let served = site_tree(out);
    assert_eq!(tree_names(&served), tree_names(built), "{what}");
    let differ = differing(&served, built);
    assert!(
        differ.is_empty(),
        "{what}: these differ from a clean build: {differ:?}"
    );
}

/// `text` with its top-level `key:` line set to `value` (added after the first line of the
/// front matter when it has none).
fn set_field(text: &str, key: &str, value: &str) -> String {
    let prefix = format!("{key}:");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    match lines.iter().position(|l| l.starts_with(&prefix)) {
        Some(i) => lines[i] = format!("{key}: {value}"),
        None => {
            let at = usize::from(lines.first().is_some_and(|l| l == "---"));
            lines.insert(at, format!("{key}: {value}"));
        }
    }
    lines.join("\n") + "\n"
}

/// One random edit of the site's project files; its kind.
fn edit(root: &Path, dice: &mut Dice, n: usize) -> (&'static str, PathBuf) {
    let files = project_files(root);
    let kinds = [
        "amount", "amount", "name", "batch", "period", "sector", "body", "add", "remove", "draft",
    ];
    let kind = dice.pick(&kinds);
    let kind = if kind == "remove" && files.len() < 4 {
        "add"
    } else {
        kind
    };
    if kind == "add" {
        let path = root.join(format!("content/projects/zz-new-{n}.md"));
        let batch = dice.pick(&["signed", "started", "producing"]);
        let text = format!(
            "---\nname: 新增测试项目{n}\nbatch: {batch}\nperiod: 1\ninvestment: {}.{:02}\nsector: 新材料\n---\n新增测试项目{n}的正文，第{n}次。\n",
            1 + dice.below(50),
            dice.below(100)
        );
        fs::write(&path, text).unwrap();
        return (kind, path);
    }
    let path = files[dice.below(files.len())].clone();
    if kind == "remove" {
        fs::remove_file(&path).unwrap();
        return (kind, path);
    }
    let text = fs::read_to_string(&path).unwrap();
    let markdown = path.extension().is_some_and(|e| e == "md");
    let new = match kind {
        "amount" => {
            let v = format!("{}.{:02}", dice.below(80), dice.below(100));
            set_field(&text, "investment", &v)
        }
        "name" => set_field(&text, "name", &format!("改名测试项目{n}")),
        "batch" => set_field(
            &text,
            "batch",
            dice.pick(&["signed", "started", "producing"]),
        ),
        "period" => set_field(&text, "period", &(1 + dice.below(2)).to_string()),
        "sector" => set_field(
            &text,
            "sector",
            dice.pick(&["新材料", "电子信息", "新兴测试产业"]),
        ),
        "draft" => set_field(&text, "draft", "true"),
        // The body (a YAML entry's has no place to append to: its amount instead).
        _ if markdown => format!("{}\n第{n}次补充的正文。\n", text.trim_end()),
        _ => set_field(&text, "investment", &format!("{}.5", dice.below(9))),
    };
    fs::write(&path, new).unwrap();
    (kind, path)
}

/// Random edits to a copy of fixture `name`, each followed by `sanpi build` into the same
/// output, each outcome compared with a clean build's. Returns how many builds reused pages
/// of the one before.
fn random_builds(name: &str, seed: u64, edits: usize) -> usize {
    let (_tmp, root) = fixture(name);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let opts = options(&root, &out);
    let first = sanpi::build(&opts);
    assert!(first.ok(), "{name}: {:?}", errors(&first));
    let mut dice = Dice(seed);
    let mut reused = 0;
    for n in 0..edits {
        let snapshot = snapshot(&root);
        let (kind, path) = edit(&root, &mut dice, n);
        let o = sanpi::build(&opts);
        if !o.ok() {
            // A broken site: put the files back, as its author would.
            assert!(clean(&root).is_none(), "{name}, edit {n}: {:?}", errors(&o));
            restore(&root, &snapshot);
            assert!(sanpi::build(&opts).ok());
            continue;
        }
        let s = o.summary.unwrap();
        if s.rendered < s.pages {
            reused += 1;
        }
        let built = clean(&root).expect("a clean build");
        let what = format!("{name}, edit {n} ({kind} of {})", path.display());
        assert_clean(&what, &out, &built);
    }
    reused
}

/// Random edits to a copy of fixture `name`, each followed by serve's quick path (or a full
/// build where serve would make one), each outcome compared with a clean build's. Returns how
/// many edits the quick path took.
fn random_edits(name: &str, seed: u64, edits: usize) -> usize {
    random_edits_with(name, seed, edits, &[])
}

/// Writes the site's own `templates` (name, text) under `root/templates/`.
fn write_templates(root: &Path, templates: &[(&str, &str)]) {
    for (file, text) in templates {
        let path = root.join("templates").join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// [`random_edits`], the site's own `templates` (name, text) written first.
fn random_edits_with(name: &str, seed: u64, edits: usize, templates: &[(&str, &str)]) -> usize {
    random_edits_after(name, seed, edits, &|root| write_templates(root, templates))
}

/// Writes `n` projects more, each with a text of some 900 characters of its own, enough of
/// them for a search index split in pieces (over 256 KB).
fn add_projects(root: &Path, n: usize) {
    const WORDS: [&str; 8] = [
        "传感器",
        "数据中心",
        "冷链物流",
        "新能源",
        "生物医药",
        "装备制造",
        "新材料",
        "智能终端",
    ];
    for i in 0..n {
        let batch = ["signed", "started", "producing"][i % 3];
        let period = 1 + i % 2;
        let text: String = (0..30)
            .map(|k| {
                format!(
                    "{}{}号{}。",
                    WORDS[(i + k) % 8],
                    i * 31 + k,
                    WORDS[(i * k) % 8]
                )
            })
            .collect::<Vec<_>>()
            .join("");
        let body = format!(
            "---\nname: 批量{i}号{}项目\nbatch: {batch}\nperiod: {period}\ninvestment: {}.5\nsector: 新材料\n---\n{}\n",
            WORDS[i % 8],
            1 + i % 40,
            text.repeat(2)
        );
        fs::write(root.join(format!("content/projects/bulk-{i:04}.md")), body).unwrap();
    }
}

/// [`random_edits`], `prepare` run on the copy first.
fn random_edits_after(name: &str, seed: u64, edits: usize, prepare: &dyn Fn(&Path)) -> usize {
    let (_tmp, root) = fixture(name);
    prepare(&root);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let opts = options(&root, &out);
    let (first, live) = build_live(&opts);
    assert!(first.ok(), "{name}: {:?}", errors(&first));
    let mut live: Option<Live> = live;
    let mut dice = Dice(seed);
    let mut quick = 0;
    let mut refused = 0;
    for n in 0..edits {
        let snapshot = snapshot(&root);
        let (kind, path) = edit(&root, &mut dice, n);
        let outcome = live.as_mut().and_then(|l| l.update(&path));
        let ok = match outcome {
            Some(o) if o.ok() => {
                quick += 1;
                // What serve does once it has announced the reload: the edit's files, held
                // in memory, are written to the folder.
                let l = live.as_mut().unwrap();
                let staged = l.take_staged();
                assert!(l.write(&staged).is_ok(), "{name}, edit {n}: written");
                // Once the pages are served: the data files follow.
                let data = live.as_mut().and_then(Live::finish);
                assert!(data.is_none_or(|d| d.ok()), "{name}, edit {n}: data files");
                true
            }
            // A refused edit: serve drops the site in memory and builds everything next.
            Some(o) => {
                assert!(
                    clean(&root).is_none(),
                    "{name}, edit {n} ({kind} of {}): refused, though a clean build succeeds: {:?}",
                    path.display(),
                    errors(&o)
                );
                live = None;
                false
            }
            None => {
                let (o, l) = build_live(&opts);
                live = l;
                o.ok()
            }
        };
        if !ok {
            // The edit broke the site (a link to a project made a draft, say): put the files
            // back and build everything, as serve does at the next change.
            refused += 1;
            restore(&root, &snapshot);
            let (o, l) = build_live(&opts);
            assert!(o.ok(), "{name}, edit {n}: the site put back builds");
            live = l;
            continue;
        }
        let built = clean(&root).unwrap_or_else(|| {
            panic!(
                "{name}, edit {n} ({kind} of {}): serve took it, a clean build fails",
                path.display()
            )
        });
        let what = format!("{name}, edit {n} ({kind} of {})", path.display());
        assert_clean(&what, &out, &built);
    }
    assert!(
        refused * 4 < edits,
        "{name}: {refused} of {edits} edits refused"
    );
    quick
}

#[test]
fn random_edits_to_the_basic_site_leave_a_clean_builds_output() {
    let quick = random_edits("basic", 0x5eed_0001, 40);
    assert!(quick >= 25, "the quick path took {quick} of 40 edits");
}

#[test]
fn random_edits_to_a_paged_site_leave_a_clean_builds_output() {
    let quick = random_edits("paged", 0x5eed_0002, 40);
    assert!(quick >= 25, "the quick path took {quick} of 40 edits");
}

#[test]
fn random_edits_to_a_site_with_regions_and_targets_leave_a_clean_builds_output() {
    let quick = random_edits("regions", 0x5eed_0003, 40);
    assert!(quick >= 25, "the quick path took {quick} of 40 edits");
}

#[test]
fn random_edits_to_a_site_with_a_split_search_index_leave_a_clean_builds_output() {
    let quick = random_edits_after("paged", 0x5eed_0006, 30, &|root| {
        add_projects(root, 240);
        let split = root.join("split-check");
        let o = sanpi::build(&options(root, &split));
        assert!(
            o.ok() && split.join("search/s/0.js").is_file(),
            "the index is split"
        );
        fs::remove_dir_all(split).unwrap();
    });
    assert!(quick >= 18, "the quick path took {quick} of 30 edits");
}

#[test]
fn random_edits_and_builds_leave_a_clean_builds_output_and_reuse_pages() {
    for (name, seed) in [("paged", 0x5eed_0004), ("regions", 0x5eed_0005)] {
        let reused = random_builds(name, seed, 30);
        assert!(
            reused >= 15,
            "{name}: only {reused} of 30 builds reused pages"
        );
    }
}

/// Templates of a site's own that read their values in the ways a fingerprint must follow
/// (`render/reads.rs`): a macro called with a loop's item, a value bound by `set` in both
/// branches of an `if`, an index by a name, a filtered loop, an include that reads the loop's
/// variable, `set_global` in a loop, and a test.
const OWN_TEMPLATES: &[(&str, &str)] = &[
    (
        "macros/rows.html",
        "{% macro row(p, i) %}<p>{{ i }} {{ p.name }} {{ p.investment | default(value=\"-\") }}</p>{% endmacro row %}\n\
         {% macro count(items) %}{% set_global n = 0 %}{% for x in items %}{% if x.investment %}{% set_global n = n + 1 %}{% endif %}{% endfor %}{{ n }}{% endmacro count %}",
    ),
    (
        "partials/project_row.html",
        "<tr><td>{{ site.title }} {{ p.name }} {{ p.investment | default(value=\"-\") }}{% if hide_batch %} h{% endif %} {{ root }}{{ p.path }} {{ p.sector_path | default(value=\"\") }}</td></tr>\n",
    ),
    (
        "partials/owner.html",
        "<span>{{ q.owner | default(value=\"\") }} {{ q.sector_path | default(value=\"\") }}</span>",
    ),
    (
        "sector.html",
        "{% extends \"base.html\" %}{% import \"macros/rows.html\" as m %}\n\
         {% block main %}<h1 class=\"own-template\">{{ sector.name }}</h1>\n\
         {% if pager and pager.number > 1 %}{% set shown = projects %}{% else %}{% set shown = sector %}{% endif %}\n\
         {% if shown is object %}{{ shown.sum }}{% endif %}\n\
         {% for p in projects | slice(end=2) %}{{ m::row(p=p, i=loop.index) }}{% endfor %}\n\
         {% for q in projects %}{% include \"partials/owner.html\" %}{% endfor %}\n\
         {% set key = \"name\" %}{% if projects | length > 0 %}{{ projects[0][key] }} {{ projects[0].period_label }}{% endif %}\n\
         <p>{{ m::count(items=projects) }}</p>{% endblock main %}",
    ),
];

#[test]
fn random_edits_under_a_sites_own_templates_leave_a_clean_builds_output() {
    // The templates are the site's, and read what they should.
    let (_tmp, root) = fixture("paged");
    write_templates(&root, OWN_TEMPLATES);
    let built = clean(&root).expect("the site builds");
    let sector = built
        .iter()
        .find(|(f, b)| {
            f.starts_with("sectors/") && String::from_utf8_lossy(b).contains("own-template")
        })
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("a sector page drawn by the site's template");
    assert!(sector.contains("<p>1 "), "the macro drew a row: {sector}");
    let quick = random_edits_with("paged", 0x5eed_0006, 30, OWN_TEMPLATES);
    assert!(quick >= 15, "only {quick} of 30 edits took the quick path");
}
