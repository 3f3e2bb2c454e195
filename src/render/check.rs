//! Checks of a theme's templates before tera compiles them: syntax errors file by file, and
//! the cycles tera would follow until the stack overflows (includes, extends, macro imports
//! and macro calls).
//!
//! tera 1.20 has no depth limit: `{% include "page.html" %}` inside page.html, two macro files
//! that import each other, or a macro that calls itself abort the process. These are found
//! here on the parsed templates (`tera::Template`, tera's own parser), so that no template
//! that could recurse is ever rendered. A macro that calls itself is refused even when a
//! condition would stop it: whether it stops cannot be known before rendering.

use super::theme::Template;
use crate::diagnostics::{Diagnostic, Pos};
use std::collections::{BTreeMap, HashMap};
use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// A template parsed on its own, with where it came from.
pub(crate) struct Parsed<'a> {
    pub source: &'a Template,
    pub origin: String,
    pub tpl: tera::Template,
}

/// Parses each template on its own, so that a syntax error is blamed on its file alone (and
/// not on the templates that extend it). Returns the parsed templates or the syntax errors.
pub(crate) fn parse_each<'a>(
    templates: &'a [Template],
    origin: impl Fn(&Template) -> String,
) -> Result<Vec<Parsed<'a>>, Vec<Diagnostic>> {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for t in templates {
        match tera::Template::new(&t.name, None, &t.text) {
            Ok(tpl) => ok.push(Parsed {
                source: t,
                origin: origin(t),
                tpl,
            }),
            Err(e) => errors.push(super::template_error(&origin(t), &e)),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

/// What a template or a macro refers to.
#[derive(Debug, Clone, PartialEq)]
enum Ref {
    Include(Vec<String>),
    Extends(String),
    Call(String, String),
}

/// A place code runs from: a template's own body (blocks included), or one of its macros.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Unit {
    template: String,
    macro_name: Option<String>,
}

impl Unit {
    fn show(&self) -> String {
        match &self.macro_name {
            None => self.template.clone(),
            Some(m) => format!("the macro `{m}` of {}", self.template),
        }
    }
}

/// One step of a cycle: from a unit, how, to which unit.
#[derive(Debug, Clone)]
struct Step {
    from: Unit,
    how: Ref,
    to: Unit,
}

/// Every cycle tera would follow without end, one error for each.
pub(crate) fn cycles(parsed: &[Parsed<'_>]) -> Vec<Diagnostic> {
    let by_name: HashMap<&str, &Parsed> =
        parsed.iter().map(|p| (p.source.name.as_str(), p)).collect();
    let mut out = Vec::new();

    // Macro imports: tera loads imported files recursively before it marks a file as loaded,
    // so a file that imports itself, directly or through others, never ends loading.
    let imports: BTreeMap<Unit, Vec<Step>> = parsed
        .iter()
        .map(|p| {
            let from = unit(&p.source.name, None);
            let steps = p
                .tpl
                .imported_macro_files
                .iter()
                .filter(|(f, _)| by_name.contains_key(f.as_str()))
                .map(|(f, ns)| Step {
                    from: from.clone(),
                    how: Ref::Call(ns.clone(), String::new()),
                    to: unit(f, None),
                })
                .collect();
            (from, steps)
        })
        .collect();
    if let Some(cycle) = find_cycle(&imports) {
        out.push(report(
            &cycle,
            &by_name,
            "import their macros from one another",
        ));
    }

    // Rendering: includes, extends and macro calls.
    let mut graph: BTreeMap<Unit, Vec<Step>> = BTreeMap::new();
    for p in parsed {
        let name = p.source.name.as_str();
        let mut body = Vec::new();
        refs(&p.tpl.ast, &mut body);
        let mut units = vec![(unit(name, None), body)];
        for (m, def) in &p.tpl.macros {
            let mut r = Vec::new();
            refs(&def.body, &mut r);
            units.push((unit(name, Some(m)), r));
        }
        for (from, found) in units {
            let steps = found
                .into_iter()
                .filter_map(|how| {
                    let to = target(&how, name, &by_name)?;
                    Some(Step {
                        from: from.clone(),
                        how,
                        to,
                    })
                })
                .collect();
            graph.insert(from, steps);
        }
    }
    if let Some(cycle) = find_cycle(&graph) {
        let what = if cycle.iter().all(|s| matches!(s.how, Ref::Call(..))) {
            "call themselves without end"
        } else {
            "include themselves without end"
        };
        out.push(report(&cycle, &by_name, what));
    }
    out
}

fn unit(template: &str, macro_name: Option<&str>) -> Unit {
    Unit {
        template: template.to_string(),
        macro_name: macro_name.map(str::to_string),
    }
}

/// The unit a reference leads to, when it leads to a known template or macro.
fn target(how: &Ref, from: &str, by_name: &HashMap<&str, &Parsed>) -> Option<Unit> {
    match how {
        Ref::Include(names) => names
            .iter()
            .find(|n| by_name.contains_key(n.as_str()))
            .map(|n| unit(n, None)),
        Ref::Extends(p) => by_name.contains_key(p.as_str()).then(|| unit(p, None)),
        Ref::Call(ns, name) => {
            let file = namespace(from, ns, name, by_name, &mut Vec::new())?;
            Some(unit(&file, Some(name)))
        }
    }
}

/// The file that `ns::name` means inside `from`: `self` is the file itself; other names are
/// its imports, then those of its imports and of its parents, as tera merges them.
fn namespace(
    from: &str,
    ns: &str,
    name: &str,
    by_name: &HashMap<&str, &Parsed>,
    seen: &mut Vec<String>,
) -> Option<String> {
    if seen.iter().any(|s| s == from) {
        return None;
    }
    seen.push(from.to_string());
    let p = by_name.get(from)?;
    if ns == "self" && p.tpl.macros.contains_key(name) {
        return Some(from.to_string());
    }
    let imported = &p.tpl.imported_macro_files;
    if let Some((file, _)) = imported.iter().find(|(_, n)| n == ns) {
        return by_name
            .get(file.as_str())
            .filter(|t| t.tpl.macros.contains_key(name))
            .map(|_| file.clone());
    }
    let next = imported
        .iter()
        .map(|(f, _)| f.clone())
        .chain(p.tpl.parent.clone());
    for f in next {
        if let Some(found) = namespace(&f, ns, name, by_name, seen) {
            return Some(found);
        }
    }
    None
}

/// The first cycle of `graph`, in a stable order.
fn find_cycle(graph: &BTreeMap<Unit, Vec<Step>>) -> Option<Vec<Step>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark: BTreeMap<&Unit, Mark> = graph.keys().map(|k| (k, Mark::New)).collect();
    for start in graph.keys() {
        if mark[start] != Mark::New {
            continue;
        }
        // Depth-first, without recursion: (unit, index of its next step), and the steps taken.
        let mut stack: Vec<(&Unit, usize)> = vec![(start, 0)];
        let mut path: Vec<&Step> = Vec::new();
        mark.insert(start, Mark::Open);
        while let Some((u, i)) = stack.pop() {
            let steps = graph.get(u).map(Vec::as_slice).unwrap_or(&[]);
            let Some(step) = steps.get(i) else {
                mark.insert(u, Mark::Done);
                path.pop();
                continue;
            };
            stack.push((u, i + 1));
            let Some((to, m)) = graph.get_key_value(&step.to).map(|(k, _)| (k, mark[k])) else {
                continue;
            };
            match m {
                Mark::Open => {
                    // The cycle is the part of the path from `to` on, then this step.
                    let from = path
                        .iter()
                        .position(|s| s.from == *to)
                        .unwrap_or(path.len());
                    let mut cycle: Vec<Step> = path[from..].iter().map(|s| (*s).clone()).collect();
                    cycle.push(step.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    mark.insert(to, Mark::Open);
                    path.push(step);
                    stack.push((to, 0));
                }
                Mark::Done => {}
            }
        }
    }
    None
}

/// The error for a cycle, on the first of its templates that the site wrote (else the first).
fn report(cycle: &[Step], by_name: &HashMap<&str, &Parsed>, what: &str) -> Diagnostic {
    let own = |s: &Step| {
        by_name
            .get(s.from.template.as_str())
            .is_some_and(|p| p.source.origin.is_some())
    };
    let first = cycle.iter().position(own).unwrap_or(0);
    let steps: Vec<&Step> = cycle[first..].iter().chain(&cycle[..first]).collect();
    let chain = steps
        .iter()
        .map(|s| {
            let verb = match &s.how {
                Ref::Include(_) => "includes",
                Ref::Extends(_) => "extends",
                Ref::Call(_, n) if n.is_empty() => "imports",
                Ref::Call(..) => "calls",
            };
            format!("{} {verb} {}", s.from.show(), s.to.show())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let step = steps[0];
    let p = by_name.get(step.from.template.as_str());
    let origin = p.map_or_else(|| step.from.template.clone(), |p| p.origin.clone());
    let pos = p.and_then(|p| locate(&p.source.text, step));
    Diagnostic::error(
        origin,
        pos,
        format!("templates that {what} would crash the build: {chain}"),
    )
    .with_hint("a template may not include, extend or import itself, and a macro may not call itself, even through others")
}

/// Where `step` is written in `text`, as well as plain text search can tell.
fn locate(text: &str, step: &Step) -> Option<Pos> {
    let start = match &step.from.macro_name {
        Some(m) => find_word_then(text, 0, "macro", m)?,
        None => 0,
    };
    let at = match &step.how {
        Ref::Include(names) => find_word_then(text, start, "include", &quoted(text, names)?),
        Ref::Extends(p) => find_word_then(
            text,
            start,
            "extends",
            &quoted(text, std::slice::from_ref(p))?,
        ),
        Ref::Call(ns, name) if name.is_empty() => {
            let file = &step.to.template;
            let _ = ns;
            find_word_then(
                text,
                start,
                "import",
                &quoted(text, std::slice::from_ref(file))?,
            )
        }
        Ref::Call(ns, name) => text[start..]
            .find(&format!("{ns}::{name}"))
            .map(|i| start + i),
    }?;
    Some(Pos::of_offset(text, at))
}

/// The first of `names` as it is quoted in `text`: `"a.html"` or `'a.html'`.
fn quoted(text: &str, names: &[String]) -> Option<String> {
    names.iter().find_map(|n| {
        ['"', '\'', '`']
            .iter()
            .map(|q| format!("{q}{n}{q}"))
            .find(|s| text.contains(s.as_str()))
    })
}

/// The offset of `word`, followed by blanks and `then`, from `start`; the offset of `then`.
fn find_word_then(text: &str, start: usize, word: &str, then: &str) -> Option<usize> {
    let mut from = start;
    while let Some(i) = text.get(from..)?.find(word) {
        let after = from + i + word.len();
        let rest = &text[after..];
        let trimmed = rest.trim_start();
        if trimmed.starts_with(then) && trimmed.len() < rest.len() {
            return Some(after + (rest.len() - trimmed.len()));
        }
        from = after;
    }
    None
}

/// Every include, extends and macro call in `nodes`, macro definitions left out (they are
/// units of their own).
fn refs(nodes: &[Node], out: &mut Vec<Ref>) {
    for n in nodes {
        match n {
            Node::VariableBlock(_, e) => expr(e, out),
            Node::Extends(_, p) => out.push(Ref::Extends(p.clone())),
            Node::Include(_, names, _) => out.push(Ref::Include(names.clone())),
            Node::Set(_, s) => expr(&s.value, out),
            Node::FilterSection(_, f, _) => {
                call(&f.filter, out);
                refs(&f.body, out);
            }
            Node::Block(_, b, _) => refs(&b.body, out),
            Node::Forloop(_, f, _) => {
                expr(&f.container, out);
                refs(&f.body, out);
                if let Some(b) = &f.empty_body {
                    refs(b, out);
                }
            }
            Node::If(i, _) => {
                for (_, e, body) in &i.conditions {
                    expr(e, out);
                    refs(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    refs(body, out);
                }
            }
            _ => {}
        }
    }
}

fn expr(e: &Expr, out: &mut Vec<Ref>) {
    for f in &e.filters {
        call(f, out);
    }
    val(&e.val, out);
}

fn call(f: &FunctionCall, out: &mut Vec<Ref>) {
    for a in f.args.values() {
        expr(a, out);
    }
}

fn val(v: &ExprVal, out: &mut Vec<Ref>) {
    match v {
        ExprVal::Math(m) => {
            expr(&m.lhs, out);
            expr(&m.rhs, out);
        }
        ExprVal::Logic(l) => {
            expr(&l.lhs, out);
            expr(&l.rhs, out);
        }
        ExprVal::Test(t) => t.args.iter().for_each(|a| expr(a, out)),
        ExprVal::MacroCall(m) => {
            out.push(Ref::Call(m.namespace.clone(), m.name.clone()));
            m.args.values().for_each(|a| expr(a, out));
        }
        ExprVal::FunctionCall(f) => call(f, out),
        ExprVal::Array(items) => items.iter().for_each(|a| expr(a, out)),
        ExprVal::StringConcat(s) => s.values.iter().for_each(|x| val(x, out)),
        ExprVal::In(i) => {
            expr(&i.lhs, out);
            expr(&i.rhs, out);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(files: &[(&str, &str)]) -> Vec<String> {
        let templates: Vec<Template> = files
            .iter()
            .map(|(n, t)| Template {
                name: n.to_string(),
                text: t.to_string(),
                origin: Some(format!("templates/{n}")),
            })
            .collect();
        let parsed = parse_each(&templates, |t| t.origin.clone().unwrap_or_default())
            .map_err(|e| format!("{e:?}"))
            .unwrap();
        cycles(&parsed).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn finds_include_cycles() {
        let e = check(&[("page.html", "a\n  {% include \"page.html\" %}")]);
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("error: templates/page.html:2:14: templates that include"),
            "{e:?}"
        );
        assert!(e[0].contains("page.html includes page.html"), "{e:?}");
        let e = check(&[
            ("a.html", "{% include 'b.html' %}"),
            ("b.html", "{% extends 'c.html' %}"),
            ("c.html", "{% include 'a.html' %}"),
        ]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("a.html includes b.html, b.html extends c.html, c.html includes a.html"),
            "{e:?}"
        );
    }

    #[test]
    fn finds_macro_recursion_and_import_cycles() {
        let e = check(&[(
            "m.html",
            "{% macro f(n) %}{% if n > 0 %}{{ self::f(n=n - 1) }}{% endif %}{% endmacro f %}\n{{ self::f(n=1) }}",
        )]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("error: templates/m.html:1:34: "), "{e:?}");
        assert!(e[0].contains("the macro `f` of m.html calls the macro `f` of m.html"));
        let e = check(&[
            (
                "a.html",
                "{% import 'b.html' as b %}{% macro f() %}{{ b::g() }}{% endmacro %}",
            ),
            (
                "b.html",
                "{% import 'a.html' as a %}{% macro g() %}{{ a::f() }}{% endmacro %}",
            ),
        ]);
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e
            .iter()
            .any(|x| x.contains("a.html imports b.html, b.html imports a.html")));
    }

    #[test]
    fn accepts_what_ends() {
        let e = check(&[
            (
                "base.html",
                "{% block main %}{% endblock %}{% include 'foot.html' %}",
            ),
            ("foot.html", "{% import 'm.html' as m %}{{ m::a() }}"),
            (
                "m.html",
                "{% macro a() %}{{ self::b() }}{% endmacro %}{% macro b() %}b{% endmacro %}",
            ),
            (
                "page.html",
                "{% extends 'base.html' %}{% block main %}{% include 'foot.html' %}{% endblock %}",
            ),
        ]);
        assert!(e.is_empty(), "{e:?}");
    }
}
