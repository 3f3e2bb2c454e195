//! `sanpi import LEDGER [ROOT] --period N`: a project ledger (项目台账) kept in a spreadsheet
//! becomes project entries, new files for new projects and in-place edits for the others.
//!
//! [`read`] turns the file into grids of cells, [`header`] finds the header row and what each
//! column holds, [`rows`] reads the project rows (sections, subtotals), [`apply`] matches them
//! to the site's projects and plans the edits that [`edit`] makes line by line.

pub mod apply;
pub mod edit;
pub mod header;
pub mod read;
pub mod rows;
pub mod value;

use crate::content::{self, LoadOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown;
use header::Field;
use std::collections::HashSet;
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
    pub dry_run: bool,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct Outcome {
    /// A line per change, then the summary; empty when there were errors.
    pub lines: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub ok: bool,
}

/// Rows of the header search: the first of the first 20 rows that holds a name column.
const HEADER_ROWS: usize = 20;

/// Runs the import: reads the site and the ledger, plans every change, and writes them all
/// (unless `dry_run`) only when nothing is wrong.
pub fn import(opts: &Options) -> Outcome {
    let mut out = Outcome::default();
    let mut diags = Diagnostics::new();
    let load = LoadOptions {
        base_url: None,
        drafts: true,
    };
    let Some(site) = content::load(&opts.root, &load, &mut diags) else {
        out.diagnostics = diags.sorted();
        return out;
    };
    if diags.has_errors() {
        diags.push(Diagnostic::error(
            "",
            None,
            "the site has errors; fix them (see `sanpi check`) before importing a ledger",
        ));
        out.diagnostics = diags.sorted();
        return out;
    }
    let periods: HashSet<u32> = site.periods.iter().map(|p| p.number).collect();
    if !periods.contains(&opts.period) {
        out.diagnostics.push(
            Diagnostic::error(
                "",
                None,
                format!("--period {} is not a period of the site", opts.period),
            )
            .with_hint("add content/periods/ a file with `number:` for it first"),
        );
        return out;
    }
    let shown = &opts.shown;
    let grids = match read::read(&opts.ledger, opts.sheet.as_deref()) {
        Ok(g) => g,
        Err(e) => {
            out.diagnostics
                .push(Diagnostic::error(shown.clone(), None, e));
            return out;
        }
    };
    let found = grids.iter().find_map(|g| {
        (0..g.rows.len().min(HEADER_ROWS)).find_map(|r| {
            let texts: Vec<String> = g.rows[r].iter().map(|c| c.text().to_string()).collect();
            header::columns(&texts).map(|cols| (g, r, cols))
        })
    });
    let Some((grid, mut head, mut columns)) = found else {
        out.diagnostics.push(
            Diagnostic::error(
                shown.clone(),
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
            .with_hint("head the column of project names 项目名称 (or 名称, name)"),
        );
        return out;
    };
    let texts = |r: usize| -> Vec<String> {
        grid.rows
            .get(r)
            .map(|row| row.iter().map(|c| c.text().to_string()).collect())
            .unwrap_or_default()
    };
    if let Some(cols) = header::with_sub_header(&columns, &texts(head), &texts(head + 1)) {
        columns = cols;
        head += 1;
    }
    let at = |(r, c): (usize, usize)| format!("{shown}:{}", grid.address(r, c));
    let unit = site.config.unit.clone();
    let read_rows = rows::read(grid, head, &columns, &unit);
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
        markdown: markdown::Settings {
            unsafe_html: site.config.unsafe_html,
        },
    };
    let plan = apply::plan(&ctx, &read_rows.records, opts.period, period_col);
    for (a, m) in &plan.cell_errors {
        out.diagnostics
            .push(Diagnostic::error(at(*a), None, m.clone()));
    }
    for (a, m) in &plan.cell_warnings {
        out.diagnostics
            .push(Diagnostic::warning(at(*a), None, m.clone()));
    }
    for (f, m) in &plan.file_errors {
        out.diagnostics
            .push(Diagnostic::error(f.clone(), None, m.clone()));
    }
    for (f, m) in &plan.file_warnings {
        out.diagnostics
            .push(Diagnostic::warning(f.clone(), None, m.clone()));
    }
    if out.diagnostics.iter().any(Diagnostic::is_error) {
        return out;
    }
    if !opts.dry_run {
        if let Err(e) = apply::write(&opts.root, &plan.writes) {
            out.diagnostics.push(Diagnostic::error("", None, e));
            return out;
        }
    }
    let n = |k: &str| plan.counts.get(k).copied().unwrap_or(0);
    out.lines = plan.lines;
    let rows = read_rows.records.len();
    out.lines.push(format!(
        "imported {rows} row{}: {} new, {} moved, {} changed, {} unchanged, {} not in the ledger{}",
        if rows == 1 { "" } else { "s" },
        n("new"),
        n("moved"),
        n("changed"),
        n("unchanged"),
        n("missing"),
        if opts.dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    ));
    out.ok = true;
    out
}
