//! What a template reads from its values: the paths into the context that its syntax tree
//! (with the templates it extends and includes and the macros it calls) can look up, found
//! once per template. A page's values then count as the same as at the last build when they
//! agree at these paths only: the second page of a list does not show the list's totals, so
//! an amount edited elsewhere leaves it as it was, though its values (which every page gets)
//! changed.
//!
//! The paths are a superset of what rendering reads, never less: a name bound in the
//! template (a loop's variable, a `set`, a macro's argument) is also read from the context
//! under its own name; a value passed through a filter, compared or computed with is read
//! whole; a loop reads its container's length and keys; a condition reads whether a value is
//! empty. A template that dumps its context (`__tera_context`) or calls a macro it cannot
//! find reads everything (`None`).

use std::collections::{BTreeSet, HashMap};
use tera::ast::{Expr, ExprVal, FunctionCall, MacroCall, Node};
use tera::{Tera, Value};

/// One step of a path into the values.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Step {
    /// A key of an object.
    Key(String),
    /// Every item of a list or value of an object (with the list's length or object's keys).
    Each,
    /// Only what a condition or a loop sees of the value here: its kind, a list's length,
    /// an object's keys, a scalar itself. Always a path's last step.
    Shape,
}

/// The paths a template reads, each from the top of its context.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Reads {
    paths: Vec<Vec<Step>>,
}

impl Reads {
    /// The paths, sorted.
    #[cfg(test)]
    pub(crate) fn paths(&self) -> &[Vec<Step>] {
        &self.paths
    }

    /// Feeds the parts of `ctx` at these paths to `see`, path after path.
    pub(crate) fn visit<'v>(&self, ctx: &'v tera::Context, see: &mut dyn FnMut(Seen<'v>)) {
        for path in &self.paths {
            see(Seen::Path);
            let Some(Step::Key(head)) = path.first() else {
                continue;
            };
            walk(ctx.get(head), &path[1..], see);
        }
    }
}

/// A part of the values at a template's reads ([`Reads::visit`]); `None` where a path leads
/// to nothing.
pub(crate) enum Seen<'v> {
    /// The start of the next path.
    Path,
    /// A value read whole.
    Whole(Option<&'v Value>),
    /// A value of which only its shape is read ([`Step::Shape`]).
    Shape(Option<&'v Value>),
}

/// The value at `path` from `v`, fed to `see`.
fn walk<'v>(v: Option<&'v Value>, path: &[Step], see: &mut dyn FnMut(Seen<'v>)) {
    let Some((step, rest)) = path.split_first() else {
        return see(Seen::Whole(v));
    };
    match (step, v) {
        (Step::Shape, v) => see(Seen::Shape(v)),
        (Step::Key(k), Some(Value::Object(m))) => walk(m.get(k), rest, see),
        (Step::Each, Some(Value::Array(items))) => {
            see(Seen::Shape(v));
            for x in items {
                walk(Some(x), rest, see);
            }
        }
        (Step::Each, Some(Value::Object(m))) => {
            see(Seen::Shape(v));
            for x in m.values() {
                walk(Some(x), rest, see);
            }
        }
        // Anything else (a key of a list, an item of a string): the value whole.
        (_, v) => see(Seen::Whole(v)),
    }
}

/// What every template of `tera` reads, by name (`None`: everything).
pub(crate) fn of_all(tera: &Tera) -> HashMap<String, Option<Reads>> {
    tera.get_template_names()
        .map(|name| (name.to_string(), of(tera, name)))
        .collect()
}

/// What template `name` reads, or None when it may read anything.
pub(crate) fn of(tera: &Tera, name: &str) -> Option<Reads> {
    let t = tera.get_template(name).ok()?;
    let root = match t.parents.last() {
        Some(top) => tera.get_template(top).ok()?,
        None => t,
    };
    let mut w = Walker {
        tera,
        rendered: t,
        paths: BTreeSet::new(),
        env: Vec::new(),
        macros: Vec::new(),
        whole: false,
    };
    w.nodes(&root.ast, &root.name);
    if w.whole {
        return None;
    }
    // A path under another that is read whole adds nothing.
    let mut paths: Vec<Vec<Step>> = Vec::new();
    for p in w.paths {
        let covered = paths
            .iter()
            .any(|q| p.starts_with(q) && q.last() != Some(&Step::Shape));
        if !covered {
            paths.push(p);
        }
    }
    Some(Reads { paths })
}

/// What a name bound in the template stands for.
#[derive(Clone)]
enum Bound {
    /// The value at this path of the context.
    At(Vec<Step>),
    /// A value made in the template, from reads already counted.
    Made,
}

struct Walker<'t> {
    tera: &'t Tera,
    /// The template being rendered, whose blocks replace its ancestors'.
    rendered: &'t tera::Template,
    paths: BTreeSet<Vec<Step>>,
    /// The names bound where the walk is: each name may have been bound several times (in
    /// the branches of an `if`), and stands for all of them.
    env: Vec<(String, Bound)>,
    /// The macros being walked (a macro calling itself is walked once).
    macros: Vec<(String, String)>,
    whole: bool,
}

impl<'t> Walker<'t> {
    fn nodes(&mut self, nodes: &'t [Node], file: &'t str) {
        for n in nodes {
            self.node(n, file);
        }
    }

    fn node(&mut self, node: &'t Node, file: &'t str) {
        match node {
            Node::VariableBlock(_, e) => self.expr(e, file),
            Node::Set(_, set) => {
                for bound in self.bind(&set.value, file) {
                    self.env.push((set.key.clone(), bound));
                }
            }
            Node::FilterSection(_, fs, _) => {
                self.call_args(&fs.filter, file);
                self.nodes(&fs.body, file);
            }
            Node::Block(_, block, _) => match self.rendered.blocks_definitions.get(&block.name) {
                Some(defs) => {
                    for (owner, def) in defs {
                        self.nodes(&def.body, owner);
                    }
                }
                None => self.nodes(&block.body, file),
            },
            Node::Forloop(_, f, _) => {
                let scope = self.env.len();
                let items = match plain(&f.container) {
                    Some(path) => self
                        .resolve(&path)
                        .into_iter()
                        .map(|p| {
                            let mut shape = p.clone();
                            shape.push(Step::Shape);
                            self.paths.insert(shape);
                            let mut each = p;
                            each.push(Step::Each);
                            Bound::At(each)
                        })
                        .collect(),
                    None => {
                        self.expr(&f.container, file);
                        vec![Bound::Made]
                    }
                };
                for item in items {
                    self.env.push((f.value.clone(), item));
                }
                if let Some(k) = &f.key {
                    self.env.push((k.clone(), Bound::Made));
                }
                self.env.push(("loop".into(), Bound::Made));
                self.nodes(&f.body, file);
                self.env.truncate(scope);
                if let Some(empty) = &f.empty_body {
                    self.nodes(empty, file);
                }
            }
            Node::If(cond, _) => {
                for (_, e, body) in &cond.conditions {
                    self.condition(e, file);
                    self.nodes(body, file);
                }
                if let Some((_, body)) = &cond.otherwise {
                    self.nodes(body, file);
                }
            }
            Node::Include(_, names, _) => {
                for n in names {
                    if let Ok(t) = self.tera.get_template(n) {
                        self.nodes(&t.ast, &t.name);
                    }
                }
            }
            // Macros are walked where they are called; the rest reads nothing.
            Node::MacroDefinition(..)
            | Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }

    /// What a `set` or a macro's argument binds its name to: a plain name stands for every
    /// path it may stand for itself (read where the new name is used), anything else is read
    /// where it is.
    fn bind(&mut self, e: &'t Expr, file: &'t str) -> Vec<Bound> {
        match plain(e) {
            Some(path) => self.resolve(&path).into_iter().map(Bound::At).collect(),
            None => {
                self.expr(e, file);
                vec![Bound::Made]
            }
        }
    }

    /// An expression whose value is used whole.
    fn expr(&mut self, e: &'t Expr, file: &'t str) {
        let length = e.filters.first().is_some_and(|f| f.name == "length");
        match &e.val {
            ExprVal::Ident(id) if length => self.ident(id, true),
            _ => self.val(&e.val, file),
        }
        for f in &e.filters {
            self.call_args(f, file);
        }
    }

    /// An expression whose truth is what counts: a plain name's shape is enough.
    fn condition(&mut self, e: &'t Expr, file: &'t str) {
        match &e.val {
            ExprVal::Ident(id) if e.filters.is_empty() => self.ident(id, true),
            ExprVal::Logic(l)
                if e.filters.is_empty()
                    && matches!(
                        l.operator,
                        tera::ast::LogicOperator::And | tera::ast::LogicOperator::Or
                    ) =>
            {
                self.condition(&l.lhs, file);
                self.condition(&l.rhs, file);
            }
            _ => self.expr(e, file),
        }
    }

    fn val(&mut self, v: &'t ExprVal, file: &'t str) {
        match v {
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
            ExprVal::Ident(id) => self.ident(id, false),
            ExprVal::Math(m) => {
                self.expr(&m.lhs, file);
                self.expr(&m.rhs, file);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs, file);
                self.expr(&l.rhs, file);
            }
            // `x is defined`, `x is odd`: the value's kind or the value itself.
            ExprVal::Test(t) => {
                let content = ["containing", "starting_with", "ending_with", "matching"];
                self.ident(&t.ident, !content.contains(&t.name.as_str()));
                for a in &t.args {
                    self.expr(a, file);
                }
            }
            ExprVal::MacroCall(m) => self.macro_call(m, file),
            ExprVal::FunctionCall(f) => self.call_args(f, file),
            ExprVal::Array(items) => {
                for x in items {
                    self.expr(x, file);
                }
            }
            ExprVal::StringConcat(c) => {
                for x in &c.values {
                    self.val(x, file);
                }
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs, file);
                self.expr(&i.rhs, file);
            }
        }
    }

    fn call_args(&mut self, f: &'t FunctionCall, file: &'t str) {
        for a in f.args.values() {
            self.expr(a, file);
        }
    }

    /// A name read whole (or its shape): from the context under its own name, and through
    /// every binding of its first part.
    fn ident(&mut self, id: &str, shape: bool) {
        if id == "__tera_context" {
            self.whole = true;
            return;
        }
        let (path, inner) = parse(id);
        for i in inner {
            self.ident(&i, false);
        }
        for mut p in self.resolve(&path) {
            if shape {
                p.push(Step::Shape);
            }
            self.paths.insert(p);
        }
    }

    /// The context paths `path` (from the top of the template's names) may stand for.
    fn resolve(&self, path: &[Step]) -> Vec<Vec<Step>> {
        let mut out = vec![path.to_vec()];
        let Some(Step::Key(head)) = path.first() else {
            return out;
        };
        for (name, bound) in &self.env {
            if let (true, Bound::At(to)) = (name == head, bound) {
                let mut p = to.clone();
                p.extend_from_slice(&path[1..]);
                out.push(p);
            }
        }
        out
    }

    fn macro_call(&mut self, m: &'t MacroCall, file: &'t str) {
        let caller = self.tera.get_template(file).ok();
        let target = if m.namespace == "self" {
            caller
        } else {
            caller.and_then(|c| {
                c.imported_macro_files
                    .iter()
                    .find(|(_, ns)| *ns == m.namespace)
                    .and_then(|(f, _)| self.tera.get_template(f).ok())
            })
        };
        let Some((t, def)) = target.and_then(|t| t.macros.get(&m.name).map(|d| (t, d))) else {
            self.whole = true;
            return;
        };
        let key = (t.name.clone(), m.name.clone());
        // A macro's body sees its arguments only (and their defaults).
        let mut env = Vec::new();
        for (name, default) in &def.args {
            let bound = match (m.args.get(name), default) {
                (Some(e), _) | (None, Some(e)) => self.bind(e, file),
                (None, None) => vec![Bound::Made],
            };
            env.extend(bound.into_iter().map(|b| (name.clone(), b)));
        }
        if self.macros.contains(&key) {
            // Called again from within itself: its body is being walked already, so its
            // arguments are read whole here.
            for (_, b) in env {
                if let Bound::At(p) = b {
                    self.paths.insert(p);
                }
            }
            return;
        }
        let outer = std::mem::replace(&mut self.env, env);
        self.macros.push(key);
        self.nodes(&def.body, &t.name);
        self.macros.pop();
        self.env = outer;
    }
}

/// The path of an expression that is a name and nothing more (no filter, no `not`).
fn plain(e: &Expr) -> Option<Vec<Step>> {
    match &e.val {
        ExprVal::Ident(id) if e.filters.is_empty() && !e.negated && id != "__tera_context" => {
            let (path, inner) = parse(id);
            inner.is_empty().then_some(path)
        }
        _ => None,
    }
}

/// The steps of a name such as `a.b[0]["c"].d`, and the names used as indices inside its
/// brackets. At an index that is a name, the path stops: what is under it is read whole.
fn parse(id: &str) -> (Vec<Step>, Vec<String>) {
    let mut steps = Vec::new();
    let mut inner = Vec::new();
    let mut rest = id;
    let key = |s: &str| {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            Step::Each
        } else {
            Step::Key(s.to_string())
        }
    };
    loop {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        if end > 0 {
            steps.push(key(&rest[..end]));
        }
        rest = &rest[end..];
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            continue;
        }
        let Some(r) = rest.strip_prefix('[') else {
            break;
        };
        // The index up to its closing bracket (brackets nest).
        let mut depth = 1;
        let close = r.char_indices().find_map(|(i, c)| {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        });
        let Some(close) = close else {
            break;
        };
        let index = r[..close].trim();
        let quoted = index.len() >= 2
            && (index.starts_with('"') && index.ends_with('"')
                || index.starts_with('\'') && index.ends_with('\''));
        if quoted {
            steps.push(Step::Key(index[1..index.len() - 1].to_string()));
        } else if index.bytes().all(|b| b.is_ascii_digit()) {
            steps.push(Step::Each);
        } else {
            inner.push(index.to_string());
            break;
        }
        rest = &r[close + 1..];
    }
    (steps, inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(templates: &[(&str, &str)], name: &str) -> Option<Vec<String>> {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        of(&tera, name).map(|r| {
            r.paths()
                .iter()
                .map(|p| {
                    p.iter()
                        .map(|s| match s {
                            Step::Key(k) => k.clone(),
                            Step::Each => "*".into(),
                            Step::Shape => "?".into(),
                        })
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .collect()
        })
    }

    #[test]
    fn names_paths_loops_and_conditions() {
        let t =
            "{% if rows %}{% for r in rows %}{{ r.name }}{{ loop.index }}{% endfor %}{% endif %}\
                 {{ page.title | upper }}{% if a and not b %}x{% endif %}{{ list | length }}";
        let got = reads(&[("t.html", t)], "t.html").unwrap();
        assert_eq!(
            got,
            [
                "a.?",
                "b.?",
                "list.?",
                "loop.index",
                "page.title",
                "r.name",
                "rows.*.name",
                "rows.?"
            ]
        );
    }

    #[test]
    fn blocks_includes_and_macros_are_followed() {
        let base =
            "<title>{% block title %}{{ site }}{% endblock %}</title>{% include \"part.html\" %}";
        let part = "{{ nav.links }}";
        let macros = "{% macro row(p, n=1) %}{{ p.name }}{{ n }}{% endmacro row %}";
        let child = "{% extends \"base.html\" %}{% import \"m.html\" as m %}\
                     {% block title %}{{ own }}{% endblock %}\
                     {% block body %}{% for x in items %}{{ m::row(p=x, n=count) }}{% endfor %}{% endblock %}";
        let got = reads(
            &[
                ("base.html", base),
                ("part.html", part),
                ("m.html", macros),
                ("child.html", child),
            ],
            "child.html",
        )
        .unwrap();
        // `site` stays: a superset of what the page shows (the parent's block may be drawn
        // with `super()`). `body` is not in the parent, so it is not rendered at all.
        assert_eq!(got, ["nav.links", "own", "site"]);
        let with_body = base.to_string() + "{% block body %}{% endblock %}";
        let got = reads(
            &[
                ("base.html", &with_body),
                ("part.html", part),
                ("m.html", macros),
                ("child.html", child),
            ],
            "child.html",
        )
        .unwrap();
        assert!(got.contains(&"items.*.name".to_string()), "{got:?}");
        assert!(got.contains(&"count".to_string()), "{got:?}");
        assert!(got.contains(&"items.?".to_string()), "{got:?}");
    }

    #[test]
    fn sets_in_branches_stand_for_each_value() {
        let t = "{% if c %}{% set x = a %}{% else %}{% set x = b %}{% endif %}{{ x.v }}";
        let got = reads(&[("t.html", t)], "t.html").unwrap();
        assert_eq!(got, ["a.v", "b.v", "c.?", "x.v"]);
    }

    #[test]
    fn indices_and_the_whole_context() {
        let t = "{{ a[0].b }}{{ m[\"k\"] }}{{ m2[key].z }}";
        let got = reads(&[("t.html", t)], "t.html").unwrap();
        assert_eq!(got, ["a.*.b", "key", "m.k", "m2"]);
        assert_eq!(reads(&[("t.html", "{{ __tera_context }}")], "t.html"), None);
        let t = "{% import \"m.html\" as m %}{{ m::gone() }}";
        let m = "{% macro here() %}{% endmacro here %}";
        assert_eq!(reads(&[("m.html", m), ("t.html", t)], "t.html"), None);
    }

    #[test]
    fn a_macro_calling_itself_is_walked_once() {
        let m = "{% macro tree(n) %}{{ n.label }}{% for c in n.children %}{{ self::tree(n=c) }}{% endfor %}{% endmacro tree %}";
        let t = "{% import \"m.html\" as m %}{{ m::tree(n=root) }}";
        let got = reads(&[("m.html", m), ("t.html", t)], "t.html").unwrap();
        assert!(got.contains(&"root.children.*".to_string()), "{got:?}");
        assert!(got.contains(&"root.label".to_string()), "{got:?}");
    }

    #[test]
    fn an_include_in_a_loop_reads_through_the_loops_variable() {
        let part = "{{ q.owner | default(value=\"\") }}";
        let t = "{% for q in projects | slice(end=2) %}{{ q.name }}{% endfor %}\
                 {% for q in projects %}{% include \"part.html\" %}{% endfor %}\
                 {% set key = \"name\" %}{{ projects[0][key] }}";
        let got = reads(&[("part.html", part), ("t.html", t)], "t.html").unwrap();
        // The filtered loop reads the list whole, which covers the rest.
        assert_eq!(got, ["key", "projects", "q.name", "q.owner"]);
        let t = "{% for q in projects %}{% include \"part.html\" %}{% endfor %}";
        let got = reads(&[("part.html", part), ("t.html", t)], "t.html").unwrap();
        assert_eq!(got, ["projects.*.owner", "projects.?", "q.owner"]);
    }
}
