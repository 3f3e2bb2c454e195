//! Warnings about content that builds but is probably not what its author meant: periods
//! without a date, a history that goes back, declared figures that disagree with the entries.

use crate::amount::Amount;
use crate::content::period::Period;
use crate::content::project::Project;
use crate::diagnostics::Diagnostics;
use crate::model::Batch;
use crate::yaml::Key;

/// Warnings: content that builds but is probably not what the author meant.
pub(super) fn doubtful_content(periods: &[Period], projects: &[Project], diags: &mut Diagnostics) {
    for p in periods {
        if p.date.is_none() {
            diags.push(
                p.origin
                    .warning(
                        &[Key::Field("number")],
                        format!("period {} has no date", p.number),
                    )
                    .with_hint("add `date: YYYY-MM-DD` when the day of its event is known"),
            );
        }
    }
    for p in projects {
        // Earlier batches come first, and periods never go back.
        let steps: Vec<(Batch, Option<u32>)> = p.steps().collect();
        for (i, w) in steps.windows(2).enumerate() {
            let ((b0, n0), (b1, n1)) = (w[0], w[1]);
            let backwards_batch = b1 < b0;
            let backwards_period = matches!((n0, n1), (Some(a), Some(b)) if b < a);
            if backwards_batch || backwards_period {
                let what = if backwards_batch { "batch" } else { "period" };
                diags.push(
                    p.origin
                        .warning(&[Key::Field("history"), Key::Index(i)], format!("the project's history goes back in {what}"))
                        .with_hint("list history oldest first, each entry an earlier batch than the next and the current one"),
                );
            }
        }
    }
    for p in periods {
        rates_against_counts(p, diags);
    }
    // Declared progress that cannot be true is an error of the period file (period.rs).
    // The latest period's declared figures against the entries, where both are known.
    let Some(latest) = periods.last() else { return };
    let Some(declared) = &latest.declared else {
        return;
    };
    for b in Batch::ALL {
        let Some(fig) = declared.batch(b) else {
            continue;
        };
        let entries: Vec<&Project> = projects.iter().filter(|p| p.batch == b).collect();
        fn at(b: Batch, k: &str) -> [Key<'_>; 3] {
            [Key::Field("declared"), Key::Field(b.key()), Key::Field(k)]
        }
        if let Some(count) = fig.count.filter(|&c| c != entries.len() as u64) {
            diags.push(latest.origin.warning(
                &at(b, "count"),
                format!(
                    "period {} declares {count} projects in {}, the entries hold {}",
                    latest.number,
                    b.key(),
                    entries.len()
                ),
            ));
        }
        let sum: Option<Amount> = entries.iter().map(|p| p.investment).sum();
        if let (Some(x), Some(sum)) = (fig.investment, sum.filter(|_| !entries.is_empty())) {
            if x != sum {
                diags.push(latest.origin.warning(
                    &at(b, "investment"),
                    format!(
                        "period {} declares {x} for {}, the entries add up to {sum}",
                        latest.number,
                        b.key()
                    ),
                ));
            }
        }
    }
}

/// A published rate beside the counts it should come from (`rates` and `progress` with a
/// `count`): when they disagree by more than the rounding of one decimal, one of them was
/// probably copied wrong. The source may print both, so it is a warning, not an error.
fn rates_against_counts(p: &Period, diags: &mut Diagnostics) {
    let Some(declared) = &p.declared else { return };
    for b in Batch::ALL {
        let Some(f) = declared.batch(b) else { continue };
        let (Some(rates), Some(progress), Some(count)) = (&f.rates, &f.progress, f.count) else {
            continue;
        };
        for (state, rate) in rates {
            let Some(&n) = progress.get(state) else {
                continue;
            };
            let Some(computed) = super::indicators::tenths(i128::from(n), i128::from(count)) else {
                continue;
            };
            if computed.abs_diff(rate.tenths) > 1 {
                let at = [
                    Key::Field("declared"),
                    Key::Field(b.key()),
                    Key::Field("rates"),
                    Key::Field(state.key()),
                ];
                diags.push(
                    p.origin
                        .warning(
                            &at,
                            format!(
                                "the rate {}.{}% of `{}` disagrees with {n} of {count} declared beside it ({}.{}%)",
                                rate.tenths / 10,
                                rate.tenths % 10,
                                state.key(),
                                computed / 10,
                                computed % 10
                            ),
                        )
                        .with_hint("check both against the source: pages show the published rate"),
                );
            }
        }
    }
}
