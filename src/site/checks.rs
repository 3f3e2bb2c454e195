//! Checks of entries against each other: unique periods and ids, references to periods that
//! exist, images that are files of `content/static/`, shortcodes that name real periods.

use crate::content::article::Article;
use crate::content::imports::Imports;
use crate::content::period::Period;
use crate::content::project::Project;
use crate::content::StaticFile;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{Markdown, Segment};
use crate::model::Batch;
use crate::shortcode::Call;
use crate::yaml::Key;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Sorts the periods by number and reports (and drops) a number defined twice.
pub(super) fn unique_periods(periods: &mut Vec<Period>, diags: &mut Diagnostics) {
    periods.sort_by(|a, b| (a.number, &a.origin.rel).cmp(&(b.number, &b.origin.rel)));
    for w in periods.windows(2) {
        if w[0].number == w[1].number {
            diags.push(
                w[1].origin
                    .error(
                        &[Key::Field("number")],
                        format!("period {} is defined twice", w[1].number),
                    )
                    .with_hint(format!(
                        "{} defines it too; give each period its own number",
                        w[0].origin.rel
                    )),
            );
        }
    }
    periods.dedup_by_key(|p| p.number);
}

/// The periods that exist, to check references against.
pub struct Periods {
    known: HashSet<u32>,
    /// A period file failed: references to it would be reported as unknown, so none is.
    incomplete: bool,
}

impl Periods {
    pub fn new(periods: &[Period], incomplete: bool) -> Periods {
        Periods {
            known: periods.iter().map(|p| p.number).collect(),
            incomplete,
        }
    }

    fn exists(&self, n: u32) -> bool {
        self.incomplete || self.known.contains(&n)
    }

    /// The hint of an error about an unknown period.
    fn list(&self) -> String {
        let mut v: Vec<u32> = self.known.iter().copied().collect();
        v.sort_unstable();
        let names: Vec<String> = v.iter().map(u32::to_string).collect();
        if names.is_empty() {
            "no period is defined yet: add content/periods/NN.yaml".to_string()
        } else {
            format!("defined periods: {}", names.join(", "))
        }
    }

    /// An error at `keys` of `origin` when period `n` does not exist.
    fn check(
        &self,
        origin: &crate::content::entry::Origin,
        keys: &[Key],
        n: u32,
        diags: &mut Diagnostics,
    ) {
        if !self.exists(n) {
            diags.push(
                origin
                    .error(keys, format!("period {n} does not exist"))
                    .with_hint(self.list()),
            );
        }
    }
}

/// Two projects may not have one id (projects sorted by file).
pub(super) fn unique_ids(projects: &[Project], diags: &mut Diagnostics) {
    let mut first_of: HashMap<&str, &str> = HashMap::with_capacity(projects.len());
    for p in projects {
        if let Some(first) = first_of.get(p.id.as_str()) {
            diags.push(
                p.origin
                    .error(&[Key::Field("id")], format!("the id `{}` is taken", p.id))
                    .with_hint(format!("{first} has it too; ids must be unique")),
            );
        } else {
            first_of.insert(&p.id, &p.origin.rel);
        }
    }
}

/// The latest period's declared progress of a batch that declares no `count` is a rate over
/// the batch's entries (FORMAT.md, "Indicators"): more projects at a state than the batch
/// holds would publish a rate over 100%. (Within one period's own figures, `period.rs`
/// checks the same against a declared count.)
pub(super) fn declared_progress(periods: &[Period], projects: &[Project], diags: &mut Diagnostics) {
    let Some(latest) = periods.last() else { return };
    let Some(declared) = &latest.declared else {
        return;
    };
    for b in Batch::ALL {
        let Some(f) = declared.batch(b).filter(|f| f.count.is_none()) else {
            continue;
        };
        let listed = projects.iter().filter(|p| p.batch == b).count() as u64;
        for (&state, &n) in f.progress.iter().flatten().filter(|(_, &n)| n > listed) {
            let at = [
                Key::Field("declared"),
                Key::Field(b.key()),
                Key::Field("progress"),
                Key::Field(state.key()),
            ];
            diags.push(
                latest
                    .origin
                    .error(
                        &at,
                        format!(
                            "{n} projects of `{}` are declared to have reached `{}`, more than the {listed} the batch's entries list, and the batch declares no `count`",
                            b.key(),
                            state.key()
                        ),
                    )
                    .with_hint("declare the batch's `count` as the source gives it, or correct the progress count"),
            );
        }
    }
}

/// content/imports.yaml's ledger periods: a period that does not exist is an error at its
/// key. The ledger periods of the site's projects; a line for a project the site does not
/// publish (deleted, or a draft left out) is passed over, and the next import drops it.
pub(super) fn ledger_periods(
    periods: &Periods,
    imports: Option<Imports>,
    projects: &[Project],
    diags: &mut Diagnostics,
) -> BTreeMap<String, u32> {
    let Some(imports) = imports else {
        return BTreeMap::new();
    };
    let ids: HashSet<&str> = projects.iter().map(|p| p.id.as_str()).collect();
    let mut out = BTreeMap::new();
    for (id, &n) in &imports.ledger_period {
        let at = [Key::Field("ledger_period"), Key::Field(id)];
        periods.check(&imports.origin, &at, n, diags);
        if ids.contains(id.as_str()) {
            out.insert(id.clone(), n);
        }
    }
    out
}

/// Every period a project or bulletin names must exist.
pub(super) fn period_references(
    periods: &Periods,
    projects: &[Project],
    bulletins: &[Article],
    diags: &mut Diagnostics,
) {
    for p in projects {
        if let Some(n) = p.period {
            periods.check(&p.origin, &[Key::Field("period")], n, diags);
        }
        for (i, h) in p.history.iter().enumerate() {
            if let Some(n) = h.period {
                let at = [Key::Field("history"), Key::Index(i), Key::Field("period")];
                periods.check(&p.origin, &at, n, diags);
            }
        }
    }
    for a in bulletins {
        if let Some(n) = a.period {
            periods.check(&a.origin, &[Key::Field("period")], n, diags);
        }
    }
}

/// Images must be files of content/static/.
pub(super) fn images(
    statics: &[StaticFile],
    projects: &[Project],
    bulletins: &[Article],
    pages: &[Article],
    diags: &mut Diagnostics,
) {
    let static_set: HashSet<&str> = statics.iter().map(|s| s.output.as_str()).collect();
    let owners = projects.iter().map(|p| (&p.origin, &p.images)).chain(
        bulletins
            .iter()
            .chain(pages)
            .map(|a| (&a.origin, &a.images)),
    );
    for (origin, images) in owners {
        for (i, img) in images.iter().enumerate() {
            if !static_set.contains(img.src.as_str()) {
                diags.push(
                    origin
                        .error(
                            &[Key::Field("images"), Key::Index(i), Key::Field("src")],
                            format!("there is no file content/static/{}", img.src),
                        )
                        .with_hint("image paths are relative to content/static/"),
                );
            }
        }
    }
}

/// Shortcodes that name a period must name one that exists.
pub(super) fn shortcode_periods<'a>(
    periods: &Periods,
    docs: impl Iterator<Item = (&'a String, &'a Markdown)>,
    diags: &mut Diagnostics,
) {
    for (rel, body) in docs {
        diags.extend(shortcode_errors(periods, rel, body));
    }
}

/// The errors of the shortcodes of the document `rel` that name a period that does not exist.
pub fn shortcode_errors(periods: &Periods, rel: &str, body: &Markdown) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for seg in &body.segments {
        if let Segment::Shortcode {
            call: Call::Projects {
                period: Some(n), ..
            },
            pos,
        } = seg
        {
            if !periods.exists(*n) {
                errors.push(
                    Diagnostic::error(
                        rel,
                        Some(*pos),
                        format!("projects: period {n} does not exist"),
                    )
                    .with_hint(periods.list()),
                );
            }
        }
    }
    errors
}
