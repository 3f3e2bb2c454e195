//! Applying a ledger's records to the site: matching each row to a project by id, then by
//! normalised name; the edits to make (checked by parsing them back); and the report.
//! Batch moves are in [`super::moves`], `extra:` and progress text in [`super::extra`],
//! milestones in [`super::milestones`].

use super::edit::{flow_list, scalar, Doc};
use super::extra::{
    extra_lines, extra_text, progress_synonyms, remove_extra, rewrite_extra, set_progress_and_extra,
};
use super::rows::{At, Record};
use super::value::squeeze;
use super::{milestones, moves};
use crate::amount::Amount;
use crate::content::project::{self, Milestone, Project};
use crate::content::regions::Regions;
use crate::markdown;
use crate::model::{is_slug, Batch, Progress};
use crate::source;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What happened to one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    New,
    Moved,
    Changed,
    Unchanged,
    Missing,
    /// Moved back to the batch its history ends with (a move undone).
    Reverted,
}

/// The plan of an import: report lines, counts, files to write, and problems found.
#[derive(Debug, Default)]
pub struct Plan {
    pub lines: Vec<String>,
    pub counts: BTreeMap<&'static str, usize>,
    /// Files to write: (path relative to the root, new text, the text the plan was made
    /// from, `None` for a new file).
    pub writes: Vec<(String, String, Option<String>)>,
    /// Errors at a ledger cell.
    pub cell_errors: Vec<(At, String)>,
    /// Errors about a site file: (path relative to root, message).
    pub file_errors: Vec<(String, String)>,
    pub cell_warnings: Vec<(At, String)>,
    pub file_warnings: Vec<(String, String)>,
    /// The ids of the projects the ledger lists: those its rows update and the new ones.
    pub listed: Vec<String>,
}

impl Plan {
    fn count(&mut self, k: Kind) {
        let key = match k {
            Kind::New => "new",
            Kind::Moved => "moved",
            Kind::Changed => "changed",
            Kind::Unchanged => "unchanged",
            Kind::Missing => "missing",
            Kind::Reverted => "reverted",
        };
        *self.counts.entry(key).or_default() += 1;
    }
}

/// What the importer needs to know about the site.
pub struct Site<'a> {
    pub root: &'a Path,
    pub projects: &'a [Project],
    pub periods: &'a HashSet<u32>,
    /// content/regions.yaml's tree, when the site has regions.
    pub regions: Option<&'a Regions>,
    pub markdown: markdown::Settings,
}

/// A name as compared: no spaces, full-width forms as half-width, ASCII lowercase.
pub fn name_key(name: &str) -> String {
    squeeze(name).to_lowercase()
}

fn show(a: Option<Amount>) -> String {
    a.map_or("none".into(), Amount::plain)
}

pub(super) fn show_text(a: Option<&str>) -> String {
    a.unwrap_or("none").to_string()
}

/// The values of a project that an import can set, for checking an edit parses back to them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct State {
    name: String,
    pub(super) batch: Batch,
    pub(super) period: Option<u32>,
    pub(super) history: Vec<(Option<u32>, Batch)>,
    investment: Option<Amount>,
    annual_plan: Option<Amount>,
    invested: Option<Amount>,
    sector: Option<String>,
    location: Option<String>,
    owner: Option<String>,
    region: Option<String>,
    tags: Option<Vec<String>>,
    pub(super) progress: Option<Progress>,
    pub(super) milestones: Vec<Milestone>,
    pub(super) extra: BTreeMap<String, Option<String>>,
}

impl State {
    pub(super) fn of(p: &Project, keys: &[String]) -> State {
        State {
            name: p.name.clone(),
            batch: p.batch,
            period: p.period,
            history: p.history.iter().map(|h| (h.period, h.batch)).collect(),
            investment: p.investment,
            annual_plan: p.annual_plan,
            invested: p.invested,
            sector: p.sector.clone(),
            location: p.location.clone(),
            owner: p.owner.clone(),
            region: p.region.clone(),
            tags: p.tags.clone(),
            progress: p.progress,
            milestones: p.milestones.clone(),
            extra: keys
                .iter()
                .map(|k| (k.clone(), p.extra.get(k).and_then(extra_text)))
                .collect(),
        }
    }
}

/// Builds the plan for `records` against the site; `period` is `--period N`, `period_col` the
/// ledger's period column, if any (for errors at its cells).
pub fn plan(site: &Site, records: &[Record], period: u32, period_col: Option<usize>) -> Plan {
    let mut plan = Plan::default();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in site.projects.iter().enumerate() {
        by_id.entry(p.id.as_str()).or_insert(i);
        by_name.entry(name_key(&p.name)).or_default().push(i);
    }
    let mut taken: HashSet<String> = site.projects.iter().map(|p| p.id.clone()).collect();
    // A name is listed once in each region (two regions may each have a project so named).
    let mut seen_rows: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut seen_ids: HashMap<&str, usize> = HashMap::new();
    let mut matched: HashMap<usize, usize> = HashMap::new();
    for rec in records.iter().filter(|r| !r.failed) {
        let row_key = (name_key(&rec.name), rec.region.clone());
        if let Some(&first) = seen_rows.get(&row_key) {
            plan.cell_errors.push((
                rec.name_at,
                format!(
                    "\"{}\" is already on row {}: a project is listed once",
                    rec.name,
                    first + 1
                ),
            ));
            continue;
        }
        seen_rows.insert(row_key, rec.row);
        if let Some(id) = &rec.id {
            if let Some(&first) = seen_ids.get(id.as_str()) {
                plan.cell_errors.push((
                    rec.id_at.unwrap_or(rec.name_at),
                    format!(
                        "the id `{id}` is already on row {}: a project is listed once",
                        first + 1
                    ),
                ));
                continue;
            }
            seen_ids.insert(id, rec.row);
        }
        if let Some(n) = rec.period.filter(|n| !site.periods.contains(n)) {
            let at = (rec.row, period_col.unwrap_or(rec.name_at.1));
            plan.cell_errors.push((
                at,
                format!("period {n} is not in content/periods/: add its file first"),
            ));
            continue;
        }
        let named = by_name
            .get(&name_key(&rec.name))
            .map_or(&[][..], |v| &v[..]);
        let same_name = match (rec.region.as_deref(), site.regions) {
            (Some(r), Some(tree)) => in_region(tree, site.projects, named, r),
            _ => named.to_vec(),
        };
        let found = match rec.id.as_deref().and_then(|id| by_id.get(id)) {
            Some(&i) => Some(i),
            None if same_name.len() > 1 => {
                let files: Vec<&str> = same_name
                    .iter()
                    .map(|&i| site.projects[i].origin.rel.as_str())
                    .collect();
                let (within, or_region) = match (&rec.region, site.regions) {
                    (Some(r), _) => (format!(" in {r}"), ""),
                    (None, Some(_)) => (String::new(), ", or a region column (地区)"),
                    (None, None) => (String::new(), ""),
                };
                plan.cell_errors.push((
                    rec.name_at,
                    format!(
                        "\"{}\" names {} projects{within} ({}): add a 项目编号 column with their ids{or_region}",
                        rec.name,
                        files.len(),
                        files.join(", ")
                    ),
                ));
                continue;
            }
            None => same_name.first().copied(),
        };
        match found {
            Some(i) => {
                if let Some(&row) = matched.get(&i) {
                    plan.cell_errors.push((
                        rec.name_at,
                        format!("this row updates the same project as row {}", row + 1),
                    ));
                    continue;
                }
                matched.insert(i, rec.row);
                let by_id = rec.id.as_deref() == Some(site.projects[i].id.as_str());
                if let (Some(id), false) = (&rec.id, by_id) {
                    plan.cell_warnings.push((
                        rec.name_at,
                        format!(
                            "no project has the id `{id}`; the row updates {} ({}) by its name, whose id stays `{}`",
                            site.projects[i].name, site.projects[i].origin.rel, site.projects[i].id
                        ),
                    ));
                }
                plan.listed.push(site.projects[i].id.clone());
                update(site, &site.projects[i], rec, by_id, period, &mut plan);
            }
            None => {
                // A project so named in another region is not this row's: said, so that a
                // region written wrong is no silent second project.
                if let (Some(r), Some(&other)) = (&rec.region, named.first()) {
                    let p = &site.projects[other];
                    plan.cell_warnings.push((
                        rec.name_at,
                        format!(
                            "\"{}\" is a new project in {r}: the project so named in {} ({}) is another region's",
                            rec.name,
                            show_text(p.region.as_deref()),
                            p.origin.rel
                        ),
                    ));
                }
                create(site, rec, period, &mut taken, &mut plan)
            }
        }
    }
    for (i, p) in site.projects.iter().enumerate() {
        if !matched.contains_key(&i) {
            plan.lines
                .push(format!("not in the ledger: {} ({})", p.name, p.origin.rel));
            plan.count(Kind::Missing);
        }
    }
    plan
}

/// The projects named as a row (`same_name`) that are in the row's region `region` (a
/// path): those whose region is `region`; else, when none is, those whose region is above or
/// below it (a city's ledger may list its counties' projects); else those without a region
/// (the row gives them one). A project in another region is never the row's.
fn in_region(
    tree: &Regions,
    projects: &[Project],
    same_name: &[usize],
    region: &str,
) -> Vec<usize> {
    let Some(r) = tree.find(region) else {
        return same_name.to_vec();
    };
    let of = |i: usize| projects[i].region.as_deref().and_then(|p| tree.find(p));
    let same = |p: Option<usize>| p == Some(r);
    let related = |p: Option<usize>| p.is_some_and(|p| tree.within(p, r) || tree.within(r, p));
    let none = |p: Option<usize>| p.is_none();
    let tiers: [&dyn Fn(Option<usize>) -> bool; 3] = [&same, &related, &none];
    tiers
        .iter()
        .map(|t| {
            same_name
                .iter()
                .copied()
                .filter(|&i| t(of(i)))
                .collect::<Vec<_>>()
        })
        .find(|v| !v.is_empty())
        .unwrap_or_default()
}

/// Reads a project's file as it is on disk.
fn file_text(site: &Site, rel: &str) -> Result<String, String> {
    let bytes =
        std::fs::read(site.root.join(rel)).map_err(|e| format!("cannot read the file: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())
}

/// Parses an edited file back, as the build would.
fn parse_back(site: &Site, rel: &str, text: &str) -> Result<Project, String> {
    let src = source::decode(text.as_bytes().to_vec(), rel).map_err(|d| d.message)?;
    let path = Path::new(rel);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let md = path.extension().is_some_and(|e| e == "md");
    project::parse(&src, &stem, md, site.markdown).map_err(|errs| {
        errs.into_iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// An edit of one project's file in progress: the document, the values it must read back
/// as, and the changes made so far (for the report line).
pub(super) struct Edit {
    pub(super) doc: Doc,
    pub(super) new: State,
    pub(super) changes: Vec<String>,
}

/// Plans the edits that bring a matched project in line with its row, with the report line.
fn update(site: &Site, p: &Project, rec: &Record, by_id: bool, period: u32, plan: &mut Plan) {
    let rel = p.origin.rel.clone();
    let is_md = rel.ends_with(".md");
    let text = match file_text(site, &rel) {
        Ok(t) => t,
        Err(e) => {
            plan.file_errors.push((rel, e));
            return;
        }
    };
    let Some(doc) = Doc::new(&text, is_md) else {
        plan.file_errors
            .push((rel, "its front matter cannot be found".into()));
        return;
    };
    let mut keys: Vec<String> = rec.extra.iter().map(|(k, _)| k.clone()).collect();
    keys.extend(rec.progress_header.clone());
    let synonyms = progress_synonyms(p);
    keys.extend(synonyms.iter().cloned());
    let dated = milestones::text_keys(&rec.milestones);
    keys.extend(dated.iter().cloned());
    let old = State::of(p, &keys);
    let mut e = Edit {
        doc,
        new: old.clone(),
        changes: Vec::new(),
    };
    if by_id && rec.name != p.name {
        e.doc.set("name", &scalar(&rec.name));
        e.changes.push(format!("name {} → {}", p.name, rec.name));
        e.new.name = rec.name.clone();
    }
    let moved = moves::move_batch(&mut e, p, rec, period);
    set_values(&mut e, p, rec);
    set_region(&mut e, site, p, rec);
    set_tags(&mut e, p, rec, plan);
    let mut extra_ok = set_progress_and_extra(&mut e, p, rec, &old, &synonyms);
    // Text kept under a milestone column (`2023年3月`) gives way to the full date given now.
    extra_ok &= remove_extra(&mut e, &old, &dated);
    if !extra_ok {
        rewrite_extra(&mut e, p);
    }
    milestones::apply(&mut e, &rec.milestones);
    if let Some(desc) = &rec.description {
        if let Some(warning) = add_description(&mut e, &text, is_md, desc, rec) {
            plan.file_warnings.push((rel.clone(), warning));
        }
    }
    let kind = if let Some(k) = moved {
        k
    } else if e.changes.is_empty() {
        Kind::Unchanged
    } else {
        Kind::Changed
    };
    plan.count(kind);
    if e.changes.is_empty() {
        return;
    }
    check_and_write(site, rel, &text, &e, &keys, moved, plan);
}

/// Sets the amounts and the plain text values (sector, location, owner) the row changes.
fn set_values(e: &mut Edit, p: &Project, rec: &Record) {
    let amounts = [
        (
            "investment",
            rec.investment,
            p.investment,
            &mut e.new.investment,
        ),
        (
            "annual_plan",
            rec.annual_plan,
            p.annual_plan,
            &mut e.new.annual_plan,
        ),
        ("invested", rec.invested, p.invested, &mut e.new.invested),
    ];
    for (key, got, had, slot) in amounts {
        if let Some(a) = got.filter(|a| Some(*a) != had) {
            e.doc.set(key, &a.plain());
            e.changes
                .push(format!("{key} {} → {}", show(had), a.plain()));
            *slot = Some(a);
        }
    }
    let texts = [
        ("sector", &rec.sector, &p.sector, &mut e.new.sector),
        ("location", &rec.location, &p.location, &mut e.new.location),
        ("owner", &rec.owner, &p.owner, &mut e.new.owner),
    ];
    for (key, got, had, slot) in texts {
        if let Some(t) = got.as_ref().filter(|t| Some(*t) != had.as_ref()) {
            e.doc.set(key, &scalar(t));
            e.changes
                .push(format!("{key} {} → {t}", show_text(had.as_deref())));
            *slot = Some(t.clone());
        }
    }
}

/// Gives the project the row's region, unless its region is that region or below it (a row
/// naming the city of a project of one of the city's counties changes nothing). A row
/// without a region never removes the project's.
fn set_region(e: &mut Edit, site: &Site, p: &Project, rec: &Record) {
    let (Some(r), Some(tree)) = (&rec.region, site.regions) else {
        return;
    };
    let had = p.region.as_deref();
    let within = had
        .and_then(|h| tree.find(h))
        .zip(tree.find(r))
        .is_some_and(|(h, r)| tree.within(h, r));
    if had == Some(r.as_str()) || within {
        return;
    }
    e.doc.set("region", &scalar(r));
    e.changes.push(format!("region {} → {r}", show_text(had)));
    e.new.region = Some(r.clone());
}

/// Tags in a report line: joined by `、`, `[]` for none (`tags: []`), `none` where the
/// project gives none.
fn show_tags(tags: Option<&[String]>) -> String {
    match tags {
        None => "none".into(),
        Some([]) => "[]".into(),
        Some(t) => t.join("、"),
    }
}

/// The tags of a row's tags cell, or the error at the cell (a tag too long) when the cell
/// would change the project `p`. `None` when it changes nothing:
/// a cell that is exactly the project's tags as data/projects.xlsx writes them (joined by
/// `、`, `无` for none) keeps them, even where a tag holds a separator.
fn row_tags<'r>(rec: &'r Record, p: &Project, plan: &mut Plan) -> Option<&'r Vec<String>> {
    let cell = rec.tags.as_ref()?;
    let exported = crate::columns::tags_cell(p.tags.as_deref());
    if exported.as_deref() == Some(cell.text.as_str()) {
        return None;
    }
    match &cell.tags {
        Ok(tags) => Some(tags),
        Err(m) => {
            plan.cell_errors.push((cell.at, m.clone()));
            None
        }
    }
}

/// Sets the tags the row gives, when they differ (in order) from the project's; the list is
/// edited in place (see [`Doc::set_list`]), or rewritten on one line, with a warning, when it
/// is written in a way that cannot be.
fn set_tags(e: &mut Edit, p: &Project, rec: &Record, plan: &mut Plan) {
    let Some(tags) = row_tags(rec, p, plan) else {
        return;
    };
    if p.tags.as_ref() == Some(tags) {
        return;
    }
    let had = p.tags.as_deref();
    if !e.doc.set_list("tags", had.unwrap_or_default(), tags) {
        plan.file_warnings.push((
            p.origin.rel.clone(),
            format!(
                "`tags:` is written in a way the import cannot edit line by line, so it was written again on one line: tags: {}",
                flow_list(tags)
            ),
        ));
    }
    e.changes.push(format!(
        "tags {} → {}",
        show_tags(had),
        show_tags(Some(tags))
    ));
    e.new.tags = Some(tags.clone());
}

/// Adds the ledger's description as the body when the project has none, or when the row's
/// `body_hash` says it was exported from the body as it still is (data/projects.xlsx, edited
/// by staff); gives a warning when the project has a different text, which is then kept.
fn add_description(
    e: &mut Edit,
    text: &str,
    is_md: bool,
    desc: &str,
    rec: &Record,
) -> Option<String> {
    let body = if is_md {
        e.doc.body().to_string()
    } else {
        serde_yaml::from_str::<serde_yaml::Value>(text)
            .ok()
            .and_then(|v| v.get("body").and_then(|b| b.as_str()).map(str::to_string))
            .unwrap_or_default()
    };
    let empty = body.trim().is_empty();
    let exported = rec.body_hash.as_deref() == Some(super::value::body_hash(&body).as_str());
    if empty || (exported && body.trim() != desc.trim()) {
        if is_md {
            e.doc.set_body(&format!("{}\n", desc.trim()));
        } else {
            let mut lines = vec!["body: |".to_string()];
            lines.extend(desc.trim().lines().map(|l| format!("  {l}")));
            e.doc.rewrite("body", &lines);
        }
        e.changes.push(if empty {
            "description added".into()
        } else {
            "description changed".into()
        });
        None
    } else if body.trim() != desc.trim() {
        Some("the ledger's description (建设内容) differs from the project's; the project's text is kept".into())
    } else {
        None
    }
}

/// Plans the write of the edited file when it parses back to the intended values, with its
/// report line; otherwise leaves the file alone with an error.
fn check_and_write(
    site: &Site,
    rel: String,
    was: &str,
    e: &Edit,
    keys: &[String],
    moved: Option<Kind>,
    plan: &mut Plan,
) {
    let edited = e.doc.text();
    match parse_back(site, &rel, &edited) {
        Ok(back) if State::of(&back, keys) == e.new => {
            let word = match moved {
                Some(Kind::Reverted) => "reverted",
                Some(_) => "moved",
                None => "changed",
            };
            let what = e.changes.join(", ");
            let what = what
                .strip_prefix(word)
                .map_or(&what[..], |w| w.trim_start());
            plan.lines
                .push(format!("{word}: {} ({rel}): {what}", e.new.name));
            plan.writes.push((rel, edited, Some(was.to_string())));
        }
        Ok(_) => plan.file_errors.push((
            rel,
            "the edited file would not read back as intended, so it was left alone; update it by hand".into(),
        )),
        Err(err) => plan.file_errors.push((
            rel,
            format!("the edited file would not build ({err}), so it was left alone; update it by hand"),
        )),
    }
}

/// A file name for a new project: its id if the ledger gives one (`None` when that name is
/// taken: the project would not get the id its row gives), else the name's pinyin.
fn new_rel(site: &Site, rec: &Record, taken: &mut HashSet<String>) -> Option<String> {
    let dir = site.root.join("content/projects");
    let used = |stem: &str, taken: &HashSet<String>| {
        taken.contains(stem)
            || ["md", "yaml", "yml"]
                .iter()
                .any(|e| dir.join(format!("{stem}.{e}")).exists())
    };
    if let Some(id) = rec.id.clone().filter(|id| is_slug(id)) {
        if used(&id, taken) {
            return None;
        }
        taken.insert(id.clone());
        return Some(format!("content/projects/{id}.md"));
    }
    let base = crate::new::short_slug(&rec.name);
    let mut stem = base.clone();
    let mut n = 2;
    while used(&stem, taken) {
        stem = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(stem.clone());
    Some(format!("content/projects/{stem}.md"))
}

fn create(site: &Site, rec: &Record, period: u32, taken: &mut HashSet<String>, plan: &mut Plan) {
    let Some(batch) = rec.batch else {
        plan.cell_errors.push((
            rec.name_at,
            format!("\"{}\" is a new project and its row gives no batch: add a 批次 column, or a section row such as 一、签约项目 above it", rec.name),
        ));
        return;
    };
    let tags = match &rec.tags {
        Some(cell) => match &cell.tags {
            Ok(tags) => Some(tags),
            Err(m) => {
                plan.cell_errors.push((cell.at, m.clone()));
                return;
            }
        },
        None => None,
    };
    let Some(rel) = new_rel(site, rec, taken) else {
        let id = rec.id.as_deref().unwrap_or_default();
        plan.cell_errors.push((
            rec.id_at.unwrap_or(rec.name_at),
            format!("no project has the id `{id}`, but content/projects/ has a file named `{id}`: give the row the id of that file's project, or another id"),
        ));
        return;
    };
    let mut lines = vec![
        "---".to_string(),
        // As `sanpi new project` writes them: the name quoted, the batch and period explained.
        format!(
            "name: {}",
            serde_json::to_string(&rec.name).unwrap_or_else(|_| scalar(&rec.name))
        ),
        format!("batch: {}  # signed | started | producing", batch.key()),
        format!(
            "period: {}  # the period it entered this batch",
            rec.period.unwrap_or(period)
        ),
    ];
    for (k, a) in [
        ("investment", rec.investment),
        ("annual_plan", rec.annual_plan),
        ("invested", rec.invested),
    ] {
        if let Some(a) = a {
            lines.push(format!("{k}: {}", a.plain()));
        }
    }
    for (k, t) in [
        ("sector", &rec.sector),
        ("location", &rec.location),
        ("owner", &rec.owner),
    ] {
        if let Some(t) = t {
            lines.push(format!("{k}: {}", scalar(t)));
        }
    }
    if let Some(r) = &rec.region {
        lines.push(format!("region: {}", scalar(r)));
    }
    if let Some(t) = tags {
        lines.push(format!("tags: {}", flow_list(t)));
    }
    if let Some(p) = rec.progress {
        lines.push(format!("progress: {}", p.key()));
    }
    let ms: Vec<Milestone> = rec
        .milestones
        .iter()
        .map(|&(t, d)| milestones::made(t, d))
        .collect();
    lines.extend(milestones::lines(&ms));
    let map: serde_json::Map<String, Value> = rec
        .extra
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    lines.extend(extra_lines(&map));
    lines.push("---".into());
    let mut text = lines.join("\n");
    text.push('\n');
    if let Some(d) = &rec.description {
        text.push_str(d.trim());
        text.push('\n');
    }
    match parse_back(site, &rel, &text) {
        Ok(_) => {
            plan.lines.push(format!(
                "new: {} ({rel}): {} in period {}",
                rec.name,
                batch.key(),
                rec.period.unwrap_or(period)
            ));
            plan.count(Kind::New);
            let id = Path::new(&rel)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned());
            plan.listed.extend(id);
            plan.writes.push((rel, text, None));
        }
        Err(e) => plan.cell_errors.push((
            rec.name_at,
            format!("this row would not make a valid project: {e}"),
        )),
    }
}

/// Writes every file of the plan: each to a temporary file beside it first, then, when every
/// file is still as the plan read it (a new file still missing), all renamed into place, so
/// that a failure leaves the site as it was as far as the system allows and a file changed
/// meanwhile (by an editor, say) is never overwritten.
pub fn write(root: &Path, writes: &[(String, String, Option<String>)]) -> Result<(), String> {
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, PathBuf)]| {
        for (t, _) in temps {
            let _ = std::fs::remove_file(t);
        }
    };
    let mut made: HashSet<PathBuf> = HashSet::new();
    for (rel, text, _) in writes {
        let path = root.join(rel);
        let dir = path.parent().unwrap_or(root).to_path_buf();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.sanpi-tmp"));
        let mkdir = if made.contains(&dir) {
            Ok(())
        } else {
            std::fs::create_dir_all(&dir).map(|_| {
                made.insert(dir.clone());
            })
        };
        let r = mkdir.and_then(|_| std::fs::write(&tmp, text));
        if let Err(e) = r {
            cleanup(&temps);
            return Err(format!("cannot write {rel}: {e}; nothing was changed"));
        }
        temps.push((tmp, path));
    }
    for (rel, _, was) in writes {
        let now = std::fs::read(root.join(rel)).ok();
        if now.as_deref() != was.as_ref().map(String::as_bytes) {
            cleanup(&temps);
            return Err(format!(
                "{rel} was {} while the ledger was being imported; nothing was changed: import again",
                if was.is_some() { "changed" } else { "created" }
            ));
        }
    }
    for (tmp, path) in &temps {
        if let Err(e) = std::fs::rename(tmp, path) {
            cleanup(&temps);
            return Err(format!("cannot put {} in place: {e}", path.display()));
        }
    }
    Ok(())
}
