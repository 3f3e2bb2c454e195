//! `sanpi import LEDGER [ROOT] --period N`: a project ledger (项目台账) kept in a spreadsheet
//! becomes project entries, new files for new projects and in-place edits for the others.
//!
//! [`read`] turns the file into grids of cells, [`header`] finds the header row and what each
//! column holds, [`rows`] reads the project rows (sections, subtotals), [`apply`] matches them
//! to the site's projects and plans the edits that [`edit`] makes line by line.

pub mod apply;
pub mod edit;
mod extra;
pub mod grid;
pub mod header;
pub mod milestones;
mod moves;
mod ods;
pub mod read;
pub mod region;
pub mod rows;
pub mod value;
mod xls;
mod xlsx;

use crate::content::{self, imports, Content, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown;
use crate::output::lock::Lock;
use header::{Column, Field};
use read::Grid;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// What to import.
#[derive(Debug, Clone)]
pub struct Options {
    pub ledger: PathBuf,
    /// The ledger as given on the command line, for error lines.
    pub shown: String,
    pub root: PathBuf,
    pub period: u32,
    pub sheet: Option<String>,
    /// `--region`: the region of the rows that give none (a path, or names as a cell gives
    /// them).
    pub region: Option<String>,
    pub dry_run: bool,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    /// A line per change, then the summary; empty when there were errors.
    pub lines: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub ok: bool,
    /// The command line was wrong (`--region` names no region of the site): exit 2.
    pub usage: bool,
}

/// Rows of the header search: the first of the first 20 rows that holds a name column.
const HEADER_ROWS: usize = 20;

/// Runs the import: reads the site and the ledger, plans every change, and writes them all
/// (unless `dry_run`) only when nothing is wrong. An import that writes holds the site's
/// import lock from the reading of its projects to the last write, so that two imports into
/// one site run one after the other and neither overwrites the other's changes. Every line
/// and diagnostic comes back with its control characters shown escaped ([`shown`]).
pub fn import(opts: &Options) -> Outcome {
    let mut out = match lock(opts) {
        Ok(held) => {
            let out = run(opts);
            drop(held);
            out
        }
        Err(d) => Outcome {
            diagnostics: vec![d],
            ..Outcome::default()
        },
    };
    for line in &mut out.lines {
        *line = shown(line).into_owned();
    }
    for d in &mut out.diagnostics {
        d.path = shown(&d.path).into_owned();
        d.message = shown(&d.message).into_owned();
        d.hint = d.hint.as_deref().map(|h| shown(h).into_owned());
    }
    out
}

/// A text from a file (a cell, a sheet's name, a project's name) as it may reach a
/// terminal: see [`crate::terminal::shown`].
pub(crate) use crate::terminal::shown;

/// Takes the site's import lock (`ROOT/.sanpi/import.lock`) for an import that writes,
/// waiting with a note for another import into the same site; `None` for a dry run, or a
/// root that is no folder (which the loading of the site reports).
fn lock(opts: &Options) -> Result<Option<Lock>, Diagnostic> {
    if opts.dry_run || !opts.root.is_dir() {
        return Ok(None);
    }
    let dir = opts.root.join(".sanpi");
    let fail = |why: String| {
        Diagnostic::error(
            "",
            None,
            format!(
                "cannot take the import lock {}: {why}",
                dir.join("import.lock").display()
            ),
        )
    };
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(fail(
                "`.sanpi` is not a folder (a file or a symbolic link)".into(),
            ))
        }
        // Another import may make it at the same moment.
        Err(_) => match std::fs::create_dir(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(fail(e.to_string()))
            }
            _ => {}
        },
    }
    let root = opts.root.display().to_string();
    Lock::acquire(&dir.join("import.lock"), || {
        eprintln!("note: waiting for another import into {}", shown(&root));
    })
    .map(Some)
    .map_err(|e| fail(e.to_string()))
}

/// The import itself, under the lock.
fn run(opts: &Options) -> Outcome {
    let mut out = Outcome::default();
    let (site, periods) = match load_site(opts) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            out.diagnostics = diagnostics;
            return out;
        }
    };
    let tree = site.regions.as_ref().filter(|t| !t.list.is_empty());
    let resolver = tree.map(region::Resolver::new);
    let default_region = match default_region(opts, resolver.as_ref()) {
        Ok(r) => r,
        Err(d) => {
            out.diagnostics.push(d);
            out.usage = true;
            return out;
        }
    };
    let shown = &opts.shown;
    let grids = match read::read(&opts.ledger, opts.sheet.as_deref()) {
        Ok(g) => g,
        Err(e) => {
            let path = match e.at {
                Some(at) => format!("{shown}:{at}"),
                None => shown.clone(),
            };
            out.diagnostics
                .push(Diagnostic::error(path, None, e.message));
            return out;
        }
    };
    let (grid, head, columns) = match find_header(&grids, opts) {
        Ok(found) => found,
        Err(d) => {
            out.diagnostics.push(d);
            return out;
        }
    };
    let at = |(r, c): (usize, usize)| format!("{shown}:{}", grid.address(r, c));
    for &cell in &grid.unsaved {
        out.diagnostics.push(
            Diagnostic::error(at(cell), None, "this formula was saved without its value, which cannot be read")
                .with_hint("open the ledger in a spreadsheet program (Excel, WPS, LibreOffice) and save it, so that its formulas are calculated"),
        );
    }
    // A column the import does not understand is kept, but said once, so that a misspelt
    // header is never a silent miss; a key the site's projects already keep under `extra`
    // (an earlier import's, or the site's own data/projects.xlsx brought back) is no miss.
    let known = |h: &str| site.projects.iter().any(|p| p.extra.get(h).is_some());
    for c in columns
        .iter()
        .filter(|c| c.field == Field::Extra && !known(&c.header))
    {
        out.diagnostics.push(Diagnostic::warning(
            at((head, c.col)),
            None,
            format!("column '{}' kept under extra", c.header),
        ));
    }
    let unit = site.config.unit.clone();
    let mut read_rows = rows::read(grid, head, &columns, &unit);
    if let (Some(c), None) = (columns.iter().find(|c| c.field == Field::Region), &resolver) {
        out.diagnostics.push(
            Diagnostic::error(
                at((head, c.col)),
                None,
                format!(
                    "the column '{}' names regions, but the site has no {}",
                    c.header,
                    content::regions::PATH
                ),
            )
            .with_hint("write the tree of regions in content/regions.yaml first"),
        );
    }
    for rec in &mut read_rows.records {
        let cells = std::mem::take(&mut rec.region_text);
        let Some(&(_, last)) = cells.last() else {
            rec.region = default_region.clone();
            continue;
        };
        let Some(r) = &resolver else {
            rec.failed = true;
            continue;
        };
        let texts: Vec<&str> = cells.iter().map(|(t, _)| t.as_str()).collect();
        match r.resolve_cells(&texts) {
            Ok(i) => rec.region = Some(r.path(i).to_string()),
            Err(e) => {
                rec.failed = true;
                let mut d = Diagnostic::error(at(last), None, e.message);
                if let Some(h) = e.hint {
                    d = d.with_hint(h);
                }
                out.diagnostics.push(d);
            }
        }
    }
    for f in &read_rows.errors {
        out.diagnostics
            .push(Diagnostic::error(at(f.at), None, f.message.clone()));
    }
    for f in &read_rows.warnings {
        out.diagnostics
            .push(Diagnostic::warning(at(f.at), None, f.message.clone()));
    }
    let period_col = columns
        .iter()
        .find(|c| c.field == Field::Period)
        .map(|c| c.col);
    let ctx = apply::Site {
        root: &opts.root,
        projects: &site.projects,
        periods: &periods,
        regions: tree,
        markdown: markdown::Settings {
            unsafe_html: site.config.unsafe_html,
        },
    };
    let mut plan = apply::plan(&ctx, &read_rows.records, opts.period, period_col);
    if !columns.iter().any(is_export_column) {
        record_periods(opts, &site, &mut plan);
    }
    out.diagnostics.extend(plan_diagnostics(&plan, at));
    if out.diagnostics.iter().any(Diagnostic::is_error) {
        return out;
    }
    if !opts.dry_run {
        if let Err(e) = apply::write(&opts.root, &plan.writes) {
            out.diagnostics.push(Diagnostic::error("", None, e));
            return out;
        }
    }
    let line = summary(read_rows.records.len(), &plan.counts, opts.dry_run);
    out.lines = plan.lines;
    out.lines.push(line);
    out.ok = true;
    out
}

/// The path of `--region`'s region, when it is given; a usage error when the site has no
/// regions or none is so named.
fn default_region(
    opts: &Options,
    resolver: Option<&region::Resolver>,
) -> Result<Option<String>, Diagnostic> {
    let Some(text) = opts.region.as_deref() else {
        return Ok(None);
    };
    let usage = |message: String| Diagnostic::error("", None, message);
    let Some(r) = resolver else {
        return Err(usage(format!(
            "--region {text}: the site has no {}, so its projects have no region",
            content::regions::PATH
        )));
    };
    if value::is_blank(text) {
        return Err(usage("--region names no region".into()));
    }
    match r.resolve(text) {
        Ok(i) => Ok(Some(r.path(i).to_string())),
        Err(e) => {
            let d = usage(format!("--region: {}", e.message));
            Err(match e.hint {
                Some(h) => d.with_hint(h),
                None => d,
            })
        }
    }
}

/// Whether a column is one only the site's own data files have (data/projects.xlsx's hidden
/// `body_hash`, data/projects.csv's `url`): such a file is no ledger of a period.
fn is_export_column(c: &Column) -> bool {
    c.field == Field::BodyHash || (c.field == Field::Ignored && c.header == "url")
}

/// Adds the write of content/imports.yaml to the plan (when its text changes): the projects
/// the ledger lists were listed by the ledger of `--period`; lines for projects the site no
/// longer has are dropped.
fn record_periods(opts: &Options, site: &Content, plan: &mut apply::Plan) {
    let mut map: BTreeMap<String, u32> = site
        .imports
        .as_ref()
        .map(|i| i.ledger_period.clone())
        .unwrap_or_default();
    let ids: HashSet<&str> = site.projects.iter().map(|p| p.id.as_str()).collect();
    map.retain(|id, _| ids.contains(id.as_str()));
    for id in &plan.listed {
        map.insert(id.clone(), opts.period);
    }
    let text = imports::text(&map);
    let was = std::fs::read_to_string(opts.root.join(imports::PATH)).ok();
    if was.as_deref() != Some(text.as_str()) {
        plan.writes.push((imports::PATH.to_string(), text, was));
    }
}

/// Loads the site (drafts too) with the numbers of its periods; the diagnostics when it has
/// errors or `--period` is not one of its periods.
fn load_site(opts: &Options) -> Result<(Content, HashSet<u32>), Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let load = LoadOptions {
        base_url: None,
        drafts: true,
    };
    let Some(site) = content::load(&opts.root, &load, &mut diags) else {
        return Err(diags.sorted());
    };
    if diags.has_errors() {
        diags.push(Diagnostic::error(
            "",
            None,
            "the site has errors; fix them (see `sanpi check`) before importing a ledger",
        ));
        return Err(diags.sorted());
    }
    let periods: HashSet<u32> = site.periods.iter().map(|p| p.number).collect();
    if !periods.contains(&opts.period) {
        return Err(vec![Diagnostic::error(
            "",
            None,
            format!("--period {} is not a period of the site", opts.period),
        )
        .with_hint("add content/periods/ a file with `number:` for it first")]);
    }
    Ok((site, periods))
}

/// The sheet, header row and columns of the ledger: the first of the first [`HEADER_ROWS`]
/// rows that holds a name column, moved one row down when the next row is a sub-header.
fn find_header<'g>(
    grids: &'g [Grid],
    opts: &Options,
) -> Result<(&'g Grid, usize, Vec<Column>), Diagnostic> {
    let found = grids.iter().find_map(|g| {
        g.rows_from(0)
            .take_while(|(r, _)| *r < HEADER_ROWS)
            .find_map(|(r, _)| header::columns(&g.texts(r)).map(|cols| (g, r, cols)))
    });
    let Some((grid, mut head, mut columns)) = found else {
        return Err(Diagnostic::error(
            opts.shown.clone(),
            None,
            format!(
                "{} has no header row with a name column in its first {HEADER_ROWS} rows",
                if opts.sheet.is_some() || grids.len() == 1 {
                    "the sheet"
                } else {
                    "no sheet"
                }
            ),
        )
        .with_hint("head the column of project names 项目名称 (or 名称, name)"));
    };
    let texts = |r: usize| grid.texts(r);
    if let Some(cols) = header::with_sub_header(&columns, &texts(head), &texts(head + 1)) {
        columns = cols;
        head += 1;
    }
    Ok((grid, head, columns))
}

/// The plan's errors and warnings as diagnostics: at a ledger cell (named by `at`) or at a
/// site file.
fn plan_diagnostics(plan: &apply::Plan, at: impl Fn(rows::At) -> String) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (a, m) in &plan.cell_errors {
        out.push(Diagnostic::error(at(*a), None, m.clone()));
    }
    for (a, m) in &plan.cell_warnings {
        out.push(Diagnostic::warning(at(*a), None, m.clone()));
    }
    for (f, m) in &plan.file_errors {
        out.push(Diagnostic::error(f.clone(), None, m.clone()));
    }
    for (f, m) in &plan.file_warnings {
        out.push(Diagnostic::warning(f.clone(), None, m.clone()));
    }
    out
}

/// The last line of the report: how many rows, and what happened to the projects. The
/// contract's line comes first, whole; counts added since (`F reverted`) go at its end, so
/// that scripts reading the contract's line keep working.
fn summary(rows: usize, counts: &BTreeMap<&'static str, usize>, dry_run: bool) -> String {
    let n = |k: &str| counts.get(k).copied().unwrap_or(0);
    format!(
        "imported {rows} row{}: {} new, {} moved, {} changed, {} unchanged, {} not in the ledger, {} reverted{}",
        if rows == 1 { "" } else { "s" },
        n("new"),
        n("moved"),
        n("changed"),
        n("unchanged"),
        n("missing"),
        n("reverted"),
        if dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_rows_and_says_a_dry_run_wrote_nothing() {
        let counts = BTreeMap::from([("new", 2), ("moved", 1), ("missing", 3)]);
        assert_eq!(
            summary(1, &counts, false),
            "imported 1 row: 2 new, 1 moved, 0 changed, 0 unchanged, 3 not in the ledger, 0 reverted"
        );
        assert_eq!(
            summary(6, &BTreeMap::new(), true),
            "imported 6 rows: 0 new, 0 moved, 0 changed, 0 unchanged, 0 not in the ledger, 0 reverted \
             (dry run: nothing was written)"
        );
    }
}
