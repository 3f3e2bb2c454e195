//! The site-level check of amounts: each amount of a project or a period has no more decimals
//! than the site's unit takes (6 in 亿元, 2 in 万元), reported at the value's position.

use super::Content;
use crate::amount::Amount;
use crate::content::entry::Origin;
use crate::diagnostics::Diagnostics;
use crate::model::Batch;
use crate::yaml::Key;

/// Reports every amount of `content` that the site's unit cannot hold exactly.
pub(super) fn check(content: &Content, diags: &mut Diagnostics) {
    let unit = content.config.unit.as_str();
    let mut one = |origin: &Origin, path: &[Key<'_>], a: Option<Amount>| {
        if let Some(a) = a {
            if let Err(message) = a.fits(unit, &a.plain()) {
                diags.push(origin.error(path, message).with_hint(
                    "check the figure against its source, which publishes amounts to 100 元 or coarser: sanpi never rounds one",
                ));
            }
        }
    };
    for p in &content.projects {
        for (key, a) in [
            ("investment", p.investment),
            ("annual_plan", p.annual_plan),
            ("invested", p.invested),
        ] {
            one(&p.origin, &[Key::Field(key)], a);
        }
    }
    for period in &content.periods {
        let Some(d) = &period.declared else {
            continue;
        };
        let groups = Batch::ALL
            .into_iter()
            .map(|b| (b.key(), d.batch(b)))
            .chain([("new", d.new.as_ref())]);
        for (group, f) in groups {
            let Some(f) = f else {
                continue;
            };
            for (key, a) in [("investment", f.investment), ("annual_plan", f.annual_plan)] {
                let path = [Key::Field("declared"), Key::Field(group), Key::Field(key)];
                one(&period.origin, &path, a);
            }
        }
    }
}
