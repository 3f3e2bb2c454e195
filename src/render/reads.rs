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
//!
//! An `if` whose conditions name only the page's own values (names the template never
//! binds, compared with literals) is a *guard*: what each branch reads is kept apart, and a
//! page's fingerprint takes the branch its values choose (evaluated as tera does), or every
//! branch from the first condition that cannot be told (a value missing where tera would
//! fail, a name the caller hides). The later pages of a list thus leave out the totals that
//! only `{% if not pager or pager.number == 1 %}` shows.

use std::borrow::Cow;
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

/// The paths a template reads, each from the top of its context, those read always and
/// those read in the branches of guards.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Reads {
    paths: Vec<Vec<Step>>,
    guards: Vec<Guard>,
}

/// An `if` whose conditions the page's values decide: its conditions (the `if`'s and the
/// `elif`s'), the names they use, and what each branch reads (one per condition, then the
/// `else`'s, empty without one).
#[derive(Clone, Debug, PartialEq)]
struct Guard {
    conditions: Vec<Expr>,
    names: Vec<String>,
    branches: Vec<Vec<Vec<Step>>>,
}

impl Reads {
    /// Every path, whatever branch, sorted.
    #[cfg(test)]
    pub(crate) fn paths(&self) -> Vec<Vec<Step>> {
        let mut all: BTreeSet<Vec<Step>> = self.paths.iter().cloned().collect();
        for g in &self.guards {
            all.extend(g.branches.iter().flatten().cloned());
        }
        all.into_iter().collect()
    }

    /// Whether any path, in any branch, starts at the value `name`.
    pub(crate) fn names(&self, name: &str) -> bool {
        let starts = |p: &Vec<Step>| matches!(p.first(), Some(Step::Key(k)) if k == name);
        self.paths.iter().any(starts)
            || self.guards.iter().any(|g| {
                g.names.iter().any(|n| n == name) || g.branches.iter().flatten().any(starts)
            })
    }

    /// Feeds the parts of `ctx` at these paths to `see`, path after path: those read always,
    /// then each guard's branch that `ctx` chooses. A guard whose conditions use a name for
    /// which `hidden` says true (a value that is not in `ctx` but will be when the page is
    /// rendered) takes all its branches.
    pub(crate) fn visit<'v>(
        &self,
        ctx: &'v tera::Context,
        hidden: &dyn Fn(&str) -> bool,
        see: &mut dyn FnMut(Seen<'v>),
    ) {
        let paths = |paths: &[Vec<Step>], see: &mut dyn FnMut(Seen<'v>)| {
            for path in paths {
                see(Seen::Path);
                let Some(Step::Key(head)) = path.first() else {
                    continue;
                };
                walk(ctx.get(head), &path[1..], see);
            }
        };
        paths(&self.paths, see);
        for g in &self.guards {
            let taken = if g.names.iter().any(|n| hidden(n)) {
                0..g.branches.len()
            } else {
                g.taken(ctx)
            };
            see(Seen::Branches(taken.start, taken.end));
            for b in &g.branches[taken] {
                paths(b, see);
            }
        }
    }
}

impl Guard {
    /// The branches `ctx` may render: the one whose condition holds first (the `else`'s
    /// when none does), or all from the first condition that cannot be told.
    fn taken(&self, ctx: &tera::Context) -> std::ops::Range<usize> {
        for (i, c) in self.conditions.iter().enumerate() {
            match truth(c, ctx) {
                Some(true) => return i..i + 1,
                Some(false) => {}
                None => return i..self.branches.len(),
            }
        }
        let last = self.branches.len() - 1;
        last..last + 1
    }
}

/// Whether `e` holds with the values `ctx`, as tera renders an `if` (`eval_as_bool`); None
/// where tera would fail (a missing value compared, a value that is not a number compared
/// as one) or the expression is not one of a guard's (see `guard_expr`).
fn truth(e: &Expr, ctx: &tera::Context) -> Option<bool> {
    use tera::ast::LogicOperator as Op;
    let held = match &e.val {
        ExprVal::Logic(l) => match l.operator {
            Op::Or => truth(&l.lhs, ctx)? || truth(&l.rhs, ctx)?,
            Op::And => truth(&l.lhs, ctx)? && truth(&l.rhs, ctx)?,
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => {
                let (a, b) = (number(&l.lhs, ctx)?, number(&l.rhs, ctx)?);
                match l.operator {
                    Op::Gt => a > b,
                    Op::Gte => a >= b,
                    Op::Lt => a < b,
                    _ => a <= b,
                }
            }
            Op::Eq | Op::NotEq => {
                let (a, b) = (value(&l.lhs, ctx)?, value(&l.rhs, ctx)?);
                let same = match (a.as_f64(), b.as_f64()) {
                    (Some(x), Some(y)) => x == y,
                    _ if a.is_number() || b.is_number() => {
                        // tera: things of different types are never equal
                        return Some(e.negated);
                    }
                    _ => a == b,
                };
                same == (l.operator == Op::Eq)
            }
        },
        // A name that is missing is false (and `not` it true), as tera has it.
        ExprVal::Ident(id) if e.filters.is_empty() => lookup(id, ctx).is_some_and(truthy),
        ExprVal::Int(i) => *i != 0,
        ExprVal::Float(f) => *f != 0.0,
        ExprVal::Bool(b) => *b,
        ExprVal::String(s) => !s.is_empty(),
        _ => return None,
    };
    Some(held != e.negated)
}

/// The value of a name, its keys looked up from the top of `ctx`; None when it is missing.
fn lookup<'v>(id: &str, ctx: &'v tera::Context) -> Option<&'v Value> {
    let mut keys = id.split('.');
    let mut v = ctx.get(keys.next()?)?;
    for k in keys {
        v = v.as_object()?.get(k)?;
    }
    Some(v)
}

/// The value of a name (borrowed from `ctx`: a page's values are not copied to be
/// compared) or of a literal; None when it is missing or not one of these.
fn value<'v>(e: &Expr, ctx: &'v tera::Context) -> Option<Cow<'v, Value>> {
    if e.negated || !e.filters.is_empty() {
        return None;
    }
    match &e.val {
        ExprVal::Ident(id) => lookup(id, ctx).map(Cow::Borrowed),
        ExprVal::Int(i) => Some(Cow::Owned(Value::from(*i))),
        ExprVal::Float(f) => Some(Cow::Owned(Value::from(*f))),
        ExprVal::Bool(b) => Some(Cow::Owned(Value::Bool(*b))),
        ExprVal::String(s) => Some(Cow::Owned(Value::String(s.clone()))),
        _ => None,
    }
}

/// A side of a comparison as a number, as tera compares them; None when tera would fail.
fn number(e: &Expr, ctx: &tera::Context) -> Option<f64> {
    match &e.val {
        ExprVal::Ident(_) | ExprVal::Int(_) | ExprVal::Float(_) => value(e, ctx)?.as_f64(),
        _ => None,
    }
}

/// tera's truth of a value.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Whether `e` can be a guard's condition: names of plain keys (`pager.number`, never an
/// index) with no filter, literals, `and`, `or`, `not`, comparisons of a name or a literal
/// with another; the names it uses go to `names`.
fn guard_expr(e: &Expr, names: &mut Vec<String>) -> bool {
    use tera::ast::LogicOperator as Op;
    if !e.filters.is_empty() {
        return false;
    }
    match &e.val {
        ExprVal::Logic(l) => match l.operator {
            Op::And | Op::Or => guard_expr(&l.lhs, names) && guard_expr(&l.rhs, names),
            _ => {
                let side = |s: &Expr, names: &mut Vec<String>| {
                    !s.negated
                        && matches!(
                            s.val,
                            ExprVal::Ident(_)
                                | ExprVal::Int(_)
                                | ExprVal::Float(_)
                                | ExprVal::Bool(_)
                                | ExprVal::String(_)
                        )
                        && guard_expr(s, names)
                };
                side(&l.lhs, names) && side(&l.rhs, names)
            }
        },
        ExprVal::Ident(id) => {
            let plain = !id.is_empty()
                && id.split('.').all(|k| {
                    !k.is_empty()
                        && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                        && !k.bytes().all(|b| b.is_ascii_digit())
                });
            if plain && id != "__tera_context" {
                names.push(id.split('.').next().unwrap_or(id).to_string());
            }
            plain && id != "__tera_context"
        }
        ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) | ExprVal::String(_) => true,
        _ => false,
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
    /// The branches of the next guard whose reads follow (from, to).
    Branches(usize, usize),
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
    let walk = |bound: Option<BTreeSet<String>>| {
        let mut w = Walker {
            tera,
            rendered: t,
            paths: BTreeSet::new(),
            env: Vec::new(),
            macros: Vec::new(),
            whole: false,
            guards: bound.map(|b| (b, Vec::new())),
            bound: BTreeSet::new(),
            in_guard: false,
        };
        w.nodes(&root.ast, &root.name);
        w
    };
    // Once to learn every name the template binds anywhere, then with guards: a condition
    // naming none of them reads the page's values, the same wherever it stands.
    let first = walk(None);
    if first.whole {
        return None;
    }
    let w = walk(Some(first.bound));
    let guards = w.guards.map(|(_, g)| g).unwrap_or_default();
    Some(Reads {
        paths: lean(w.paths),
        guards,
    })
}

/// The paths without those under another that is read whole (they add nothing).
fn lean(all: BTreeSet<Vec<Step>>) -> Vec<Vec<Step>> {
    let mut paths: Vec<Vec<Step>> = Vec::new();
    for p in all {
        let covered = paths
            .iter()
            .any(|q| p.starts_with(q) && q.last() != Some(&Step::Shape));
        if !covered {
            paths.push(p);
        }
    }
    paths
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
    /// With guards: the names bound anywhere in the template, and the guards found.
    guards: Option<(BTreeSet<String>, Vec<Guard>)>,
    /// Every name bound so far.
    bound: BTreeSet<String>,
    /// Inside a guard's branch (a guard within is read as a plain `if`).
    in_guard: bool,
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
                self.bound.insert(set.key.clone());
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
                self.bound.insert(f.value.clone());
                self.bound.extend(f.key.clone());
                for item in items {
                    self.env.push((f.value.clone(), item));
                }
                if let Some(k) = &f.key {
                    self.env.push((k.clone(), Bound::Made));
                }
                self.bound.insert("loop".into());
                self.env.push(("loop".into(), Bound::Made));
                self.nodes(&f.body, file);
                self.env.truncate(scope);
                if let Some(empty) = &f.empty_body {
                    self.nodes(empty, file);
                }
            }
            Node::If(cond, _) => {
                if let Some(names) = self.guard_names(cond) {
                    let mut branches = Vec::new();
                    for (_, e, body) in &cond.conditions {
                        self.condition(e, file);
                        branches.push(self.apart(body, file));
                    }
                    let otherwise = cond.otherwise.as_ref().map(|(_, b)| b.as_slice());
                    branches.push(self.apart(otherwise.unwrap_or_default(), file));
                    let conditions = cond.conditions.iter().map(|(_, e, _)| e.clone()).collect();
                    if let Some((_, guards)) = &mut self.guards {
                        guards.push(Guard {
                            conditions,
                            names,
                            branches,
                        });
                    }
                    return;
                }
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

    /// The names an `if`'s conditions use, when it is a guard: guards are looked for, it is
    /// not inside a macro (whose body sees only its arguments) or another guard's branch,
    /// and its conditions are a guard's (`guard_expr`) naming nothing the template binds.
    fn guard_names(&self, cond: &tera::ast::If) -> Option<Vec<String>> {
        let (bound, _) = self.guards.as_ref()?;
        if !self.macros.is_empty() || self.in_guard {
            return None;
        }
        let mut names = Vec::new();
        for (_, e, _) in &cond.conditions {
            if !guard_expr(e, &mut names) {
                return None;
            }
        }
        if names.iter().any(|n| bound.contains(n)) {
            return None;
        }
        names.sort();
        names.dedup();
        Some(names)
    }

    /// What `body` reads, kept apart from the rest (a guard's branch).
    fn apart(&mut self, body: &'t [Node], file: &'t str) -> Vec<Vec<Step>> {
        let outer = std::mem::take(&mut self.paths);
        let was = std::mem::replace(&mut self.in_guard, true);
        self.nodes(body, file);
        self.in_guard = was;
        lean(std::mem::replace(&mut self.paths, outer))
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
            self.bound.insert(name.clone());
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

    /// What `template` reads of `ctx` as `deps.rs` sees it: each path's values, each
    /// guard's branches.
    fn seen(template: &str, ctx: &tera::Context, hidden: &[&str]) -> Vec<String> {
        let mut tera = Tera::default();
        tera.add_raw_template("t.html", template).unwrap();
        let r = of(&tera, "t.html").unwrap();
        let mut out = Vec::new();
        r.visit(ctx, &|n| hidden.contains(&n), &mut |s| match s {
            Seen::Path => {}
            Seen::Whole(v) | Seen::Shape(v) => {
                out.push(v.map_or("-".into(), |v| v.to_string()));
            }
            Seen::Branches(a, b) => out.push(format!("{a}..{b}")),
        });
        out
    }

    #[test]
    fn a_guard_reads_the_branch_the_values_choose() {
        let t = "{% if not pager or pager.number == 1 %}{{ total }}{% endif %}{{ list }}";
        let ctx = |v: serde_json::Value| tera::Context::from_value(v).unwrap();
        let first = ctx(serde_json::json!({"total": 5, "list": 1}));
        let later = ctx(serde_json::json!({"total": 5, "list": 1, "pager": {"number": 2}}));
        let one = ctx(serde_json::json!({"total": 5, "list": 1, "pager": {"number": 1}}));
        // The condition's own reads, then the list, then the guard's branch.
        assert_eq!(seen(t, &first, &[]), ["1", "-", "-", "0..1", "5"]);
        assert_eq!(seen(t, &later, &[]), ["1", "2", "{\"number\":2}", "1..2"]);
        assert_eq!(
            seen(t, &one, &[]),
            ["1", "1", "{\"number\":1}", "0..1", "5"]
        );
        // A name the page gets later: every branch.
        assert_eq!(
            seen(t, &later, &["pager"]),
            ["1", "2", "{\"number\":2}", "0..2", "5"]
        );
        // A comparison tera cannot make (a missing value): every branch from there.
        let t = "{% if a %}{{ x }}{% elif pager.number == 1 %}{{ y }}{% else %}{{ z }}{% endif %}";
        let vals = ctx(serde_json::json!({"x": 1, "y": 2, "z": 3}));
        assert_eq!(seen(t, &vals, &[]), ["-", "-", "1..3", "2", "3"]);
        // A name the template binds anywhere (here after the `if`, in a loop) is no guard.
        let t = "{% for i in xs %}{% if flag %}{{ a }}{% endif %}{% set flag = 1 %}{% endfor %}";
        let vals = ctx(serde_json::json!({"xs": [1, 2], "a": 7}));
        assert!(!seen(t, &vals, &[]).iter().any(|s| s.contains("..")));
        assert!(seen(t, &vals, &[]).contains(&"7".to_string()));
    }

    /// `{% if c %}t{% else %}f{% endif %}` as template `t`, and its condition.
    fn condition(c: &str) -> (Tera, Expr) {
        let mut tera = Tera::default();
        let source = format!("{{% if {c} %}}t{{% else %}}f{{% endif %}}");
        tera.add_raw_template("t", &source).unwrap();
        let t = tera.get_template("t").unwrap();
        let Some(Node::If(cond, _)) = t.ast.first() else {
            panic!("{c}: no if")
        };
        let e = cond.conditions[0].1.clone();
        (tera, e)
    }

    /// A guard's truth is tera's: every condition on every set of values either agrees
    /// with what tera renders, or is not told (where tera fails).
    #[test]
    fn a_guards_truth_is_teras() {
        let conditions = [
            "a",
            "not a",
            "a and b",
            "a or not b",
            "not a or a.n == 1",
            "a.n == 1",
            "a.n != 1",
            "a.n > 1",
            "a.n >= 1.5",
            "a.n < 2",
            "a.n <= 0",
            "s == \"x\"",
            "s != \"\"",
            "1 == 1.0",
            "s == 1",
            "b == true",
            "a.m",
            "not a.m",
            "l",
            "o",
            "z",
        ];
        let values = [
            serde_json::json!({}),
            serde_json::json!({"a": {"n": 1}, "b": false, "s": "x", "l": [], "o": {}, "z": 0}),
            serde_json::json!({"a": {"n": 2.5, "m": ""}, "b": true, "s": "", "l": [1], "o": {"k": 1}, "z": 0.5}),
            serde_json::json!({"a": {"n": "1"}, "b": null, "s": 1, "z": "0"}),
            serde_json::json!({"a": null, "b": 1}),
        ];
        for c in conditions {
            let (tera, e) = condition(c);
            let e = &e;
            assert!(guard_expr(e, &mut Vec::new()), "{c} can be a guard");
            for v in &values {
                let ctx = tera::Context::from_value(v.clone()).unwrap();
                let rendered = tera.render("t", &ctx).ok().map(|s| s == "t");
                match truth(e, &ctx) {
                    Some(held) => assert_eq!(Some(held), rendered, "{c} with {v}"),
                    None => assert_eq!(rendered, None, "{c} with {v}: told by tera"),
                }
            }
        }
        for c in ["a | length", "a[0]", "a.0", "x is defined", "a in b", "f()"] {
            assert!(
                !guard_expr(&condition(c).1, &mut Vec::new()),
                "{c} is no guard"
            );
        }
    }
}
