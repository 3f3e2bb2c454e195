//! Editing a project's YAML in place, as a person would: only the lines of the keys that
//! change are touched (a value replaced on its line, a key appended, an item added to
//! `history:` in the style it is written), and comments, key order, quoting and the Markdown
//! body are kept byte for byte.

/// The keys of a project in the order of FORMAT.md, for placing a key that was not there.
const ORDER: [&str; 15] = [
    "id",
    "name",
    "batch",
    "period",
    "history",
    "investment",
    "annual_plan",
    "invested",
    "sector",
    "location",
    "owner",
    "region",
    "tags",
    "progress",
    "milestones",
];

/// A YAML scalar for `s`: plain when that reads back as the same string, else double-quoted.
pub fn scalar(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && s.trim() == s
        && !s.chars().any(|c| c.is_control())
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && matches!(serde_yaml::from_str::<serde_yaml::Value>(s), Ok(serde_yaml::Value::String(ref v)) if v == s);
    if plain_ok {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

/// A YAML scalar for `s` inside a flow list: as [`scalar`], and quoted when it holds a
/// character that ends or opens a flow item (`,` `[` `]` `{` `}`).
pub fn flow_scalar(s: &str) -> String {
    let v = scalar(s);
    if !v.starts_with('"') && s.contains([',', '[', ']', '{', '}']) {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    } else {
        v
    }
}

/// A flow list of strings on one line: `[制造业, 省重点]`, `[]`.
pub fn flow_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|t| flow_scalar(t)).collect();
    format!("[{}]", items.join(", "))
}

/// The length of the flow collection (`[…]` or `{…}`) that `v` starts with, its quoted
/// scalars skipped; `None` when it does not close on the line.
fn flow_len(v: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut esc = false;
    for (i, ch) in v.char_indices() {
        match quote {
            Some('"') => {
                if esc {
                    esc = false;
                } else if ch == '\\' {
                    esc = true;
                } else if ch == '"' {
                    quote = None;
                }
            }
            Some(_) => {
                if ch == '\'' {
                    quote = None;
                }
            }
            None => match ch {
                '"' | '\'' => quote = Some(ch),
                '[' | '{' => depth += 1,
                ']' | '}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            },
        }
    }
    None
}

/// A mapping key: plain when safe, else quoted.
fn key_text(k: &str) -> String {
    scalar(k)
}

/// The YAML part of a file (front matter, or a whole .yaml file) as lines with their endings,
/// and the bytes around it.
pub struct Doc {
    before: String,
    lines: Vec<String>,
    after: String,
    nl: &'static str,
}

fn content(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = content(line).trim();
    t.is_empty() || t.starts_with('#')
}

/// The key of a mapping line at `indent` spaces (`key:` followed by a space or the end).
fn key_at(line: &str, indent: usize) -> Option<String> {
    let c = content(line);
    if indent_of(c) != indent || c.len() <= indent {
        return None;
    }
    let rest = &c[indent..];
    if rest.starts_with(['#', '-', ' ', '\t']) {
        return None;
    }
    let (k, tail) = if let Some(q) = rest.strip_prefix('"') {
        let end = q.find('"')?;
        (q[..end].to_string(), &q[end + 1..])
    } else if let Some(q) = rest.strip_prefix('\'') {
        let end = q.find('\'')?;
        (q[..end].to_string(), &q[end + 1..])
    } else {
        let end = rest.find(':')?;
        (rest[..end].trim_end().to_string(), &rest[end..])
    };
    let tail = tail.trim_start_matches([' ', '\t']);
    let after = tail.strip_prefix(':')?;
    (after.is_empty() || after.starts_with([' ', '\t'])).then_some(k)
}

/// The byte span of the value on a `key: value  # comment` line, after the colon.
fn value_span(line: &str) -> Option<(usize, usize)> {
    let c = content(line);
    let t0 = indent_of(c);
    let rest = &c[t0..];
    let key_end = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => t0 + 1 + rest[1..].find(q)? + 1,
        _ => t0,
    };
    let colon = key_end + c[key_end..].find(':')?;
    let after = &c[colon + 1..];
    let v0 = colon + 1 + (after.len() - after.trim_start_matches([' ', '\t']).len());
    let v = &c[v0..];
    if v.is_empty() || v.starts_with('#') {
        return Some((v0, v0));
    }
    let len = if let Some(q) = v.strip_prefix('"') {
        let mut esc = false;
        let mut end = None;
        for (i, ch) in q.char_indices() {
            match ch {
                '\\' if !esc => esc = true,
                '"' if !esc => {
                    end = Some(i + 2);
                    break;
                }
                _ => esc = false,
            }
        }
        end?
    } else if let Some(q) = v.strip_prefix('\'') {
        let b = q.as_bytes();
        let mut i = 0;
        loop {
            if i >= b.len() {
                return None;
            }
            if b[i] == b'\'' {
                if b.get(i + 1) == Some(&b'\'') {
                    i += 2;
                    continue;
                }
                break i + 2;
            }
            i += 1;
        }
    } else {
        let cut = [" #", "\t#"]
            .iter()
            .filter_map(|p| v.find(p))
            .min()
            .unwrap_or(v.len());
        v[..cut].trim_end().len()
    };
    Some((v0, v0 + len))
}

impl Doc {
    /// Splits a file: for Markdown, the front matter between the `---` lines.
    pub fn new(text: &str, markdown: bool) -> Option<Doc> {
        let nl = if text
            .split_inclusive('\n')
            .next()
            .is_some_and(|l| l.ends_with("\r\n"))
        {
            "\r\n"
        } else {
            "\n"
        };
        let (before, yaml, after) = if markdown {
            let first_end = text.find('\n')? + 1;
            let mut off = first_end;
            let mut close = None;
            for l in text[first_end..].split_inclusive('\n') {
                if content(l).trim_end() == "---" {
                    close = Some(off);
                    break;
                }
                off += l.len();
            }
            let close = close?;
            (&text[..first_end], &text[first_end..close], &text[close..])
        } else {
            ("", text, "")
        };
        let mut lines: Vec<String> = yaml.split_inclusive('\n').map(str::to_string).collect();
        if let Some(last) = lines.last_mut() {
            if !last.ends_with('\n') {
                last.push_str(nl);
            }
        }
        Some(Doc {
            before: before.to_string(),
            lines,
            after: after.to_string(),
            nl,
        })
    }

    pub fn text(&self) -> String {
        let mut s = self.before.clone();
        for l in &self.lines {
            s.push_str(l);
        }
        s.push_str(&self.after);
        s
    }

    /// The Markdown body (after the closing `---` line).
    pub fn body(&self) -> &str {
        let a = &self.after;
        a.find('\n').map_or("", |i| &a[i + 1..])
    }

    pub fn set_body(&mut self, body: &str) {
        let head_end = self.after.find('\n').map_or(self.after.len(), |i| i + 1);
        let mut a = self.after[..head_end].to_string();
        if !a.ends_with('\n') {
            a.push_str(self.nl);
        }
        a.push_str(&body.replace('\n', self.nl));
        self.after = a;
    }

    /// The top-level key's line and the end (exclusive) of its block.
    fn find(&self, key: &str) -> Option<(usize, usize)> {
        let i = self
            .lines
            .iter()
            .position(|l| key_at(l, 0).as_deref() == Some(key))?;
        Some((i, self.block_end(i, 0)))
    }

    /// The end of the block that starts on line `i` at `indent`: the following lines that
    /// are more indented (or sequence items at the same indent), not counting trailing blank
    /// or comment lines.
    fn block_end(&self, i: usize, indent: usize) -> usize {
        let mut end = i + 1;
        for (j, l) in self.lines.iter().enumerate().skip(i + 1) {
            if is_blank_or_comment(l) {
                continue;
            }
            let ind = indent_of(l);
            if ind > indent
                || (ind == indent && content(l)[ind..].starts_with("- "))
                || (ind == indent && content(l)[ind..] == *"-")
            {
                end = j + 1;
            } else {
                break;
            }
        }
        end
    }

    fn line(&self, s: String) -> String {
        s + self.nl
    }

    /// Where a new top-level key goes: after the last key line of the YAML.
    fn end(&self) -> usize {
        self.lines
            .iter()
            .rposition(|l| !content(l).trim().is_empty())
            .map_or(0, |i| i + 1)
    }

    /// Sets a top-level key to a one-line YAML value.
    pub fn set(&mut self, key: &str, value: &str) {
        if let Some((i, e)) = self.find(key) {
            self.replace_value(i, e, key, 0, value);
            return;
        }
        // A commented-out placeholder, as `sanpi new` writes them: `# investment: 0  # 亿元`.
        if let Some(i) = self.lines.iter().position(|l| {
            content(l)
                .strip_prefix("# ")
                .is_some_and(|rest| key_at(rest, 0).as_deref() == Some(key))
        }) {
            let uncommented = self.lines[i][2..].to_string();
            self.lines[i] = uncommented;
            self.replace_value(i, i + 1, key, 0, value);
            return;
        }
        let at = self.insertion_point(key);
        let l = self.line(format!("{key}: {value}"));
        self.lines.insert(at, l);
    }

    /// Where a new key goes: after the nearest key that comes before it in the order of
    /// FORMAT.md's table, else at the end.
    fn insertion_point(&self, key: &str) -> usize {
        let before = ORDER
            .iter()
            .position(|k| *k == key)
            .map_or(&ORDER[..0], |i| &ORDER[..i]);
        before
            .iter()
            .rev()
            .find_map(|k| self.find(k).map(|(_, e)| e))
            .unwrap_or_else(|| self.end())
    }

    fn replace_value(&mut self, i: usize, e: usize, key: &str, indent: usize, value: &str) {
        let line = &self.lines[i];
        let simple = e == i + 1
            && value_span(line).is_some_and(|(a, b)| {
                let v = &content(line)[a..b];
                !v.starts_with(['|', '>', '&', '!', '[', '{', '*'])
            });
        match value_span(line) {
            Some((a, b)) if simple => {
                let c = content(line);
                let rest = &c[b..];
                let rest = if a == b && !rest.is_empty() {
                    format!("  {}", rest.trim_start())
                } else {
                    rest.to_string()
                };
                let new = format!(
                    "{}{}{value}{rest}",
                    &c[..a],
                    if a == b && !c[..a].ends_with(' ') {
                        " "
                    } else {
                        ""
                    }
                );
                self.lines[i] = self.line(new);
            }
            _ => {
                let pad = " ".repeat(indent);
                let new = self.line(format!("{pad}{}: {value}", key_text(key)));
                self.lines.splice(i..e, [new]);
            }
        }
    }

    /// Appends `{period, batch}` to `history:` in the style the list is written in.
    pub fn push_history(&mut self, period: Option<u32>, batch: &str) {
        let flow = |batch_first: bool| {
            let p = period.map(|p| format!("period: {p}"));
            let b = format!("batch: {batch}");
            let parts: Vec<String> = if batch_first {
                [Some(b), p].into_iter().flatten().collect()
            } else {
                [p, Some(b)].into_iter().flatten().collect()
            };
            format!("{{{}}}", parts.join(", "))
        };
        let Some((i, e)) = self.find("history") else {
            let at = self
                .find("period")
                .or_else(|| self.find("batch"))
                .map_or_else(|| self.end(), |(_, e)| e);
            let lines = [
                self.line("history:".into()),
                self.line(format!("  - {}", flow(false))),
            ];
            self.lines.splice(at..at, lines);
            return;
        };
        let line = self.lines[i].clone();
        let v = value_span(&line).map(|(a, b)| content(&line)[a..b].to_string());
        if e == i + 1 {
            match v.as_deref() {
                Some(v) if v.starts_with('[') && v.ends_with(']') => {
                    let inner = v[1..v.len() - 1].trim();
                    let batch_first = inner
                        .find("batch")
                        .zip(inner.find("period"))
                        .is_some_and(|(b, p)| b < p);
                    let list = if inner.is_empty() {
                        format!("[{}]", flow(batch_first))
                    } else {
                        format!("[{inner}, {}]", flow(batch_first))
                    };
                    self.replace_value(i, e, "history", 0, &list);
                }
                _ => {
                    let lines = [
                        self.line("history:".into()),
                        self.line(format!("  - {}", flow(false))),
                    ];
                    self.lines.splice(i..e, lines);
                }
            }
            return;
        }
        // A block list: copy the first item's indent, form and key order.
        let items: Vec<usize> = (i + 1..e)
            .filter(|&j| content(&self.lines[j]).trim_start().starts_with('-'))
            .collect();
        let Some(&first) = items.first() else {
            return;
        };
        let fl = content(&self.lines[first]).to_string();
        let ind = indent_of(&fl);
        let after_dash = fl[ind + 1..].trim_start();
        let text_of_item: String = {
            let next = items.get(1).copied().unwrap_or(e);
            (first..next)
                .map(|j| content(&self.lines[j]).to_string())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let batch_first = text_of_item
            .find("batch")
            .zip(text_of_item.find("period"))
            .is_some_and(|(b, p)| b < p);
        let new: Vec<String> = if after_dash.starts_with('{') {
            vec![self.line(format!("{}- {}", " ".repeat(ind), flow(batch_first)))]
        } else {
            let dash_gap = fl[ind + 1..].len() - after_dash.len();
            let sub = " ".repeat(ind + 1 + dash_gap);
            let mut keys = vec![
                period.map(|p| format!("period: {p}")),
                Some(format!("batch: {batch}")),
            ];
            if batch_first {
                keys.reverse();
            }
            keys.into_iter()
                .flatten()
                .enumerate()
                .map(|(n, kv)| {
                    if n == 0 {
                        self.line(format!("{}-{}{kv}", " ".repeat(ind), " ".repeat(dash_gap)))
                    } else {
                        self.line(format!("{sub}{kv}"))
                    }
                })
                .collect()
        };
        self.lines.splice(e..e, new);
    }

    /// Removes the last item of `history:` (and the key when that was its only item), for a
    /// move undone; false when the list is not written as a block list (then the caller
    /// rewrites the key).
    pub fn pop_history(&mut self) -> bool {
        let Some((i, e)) = self.find("history") else {
            return false;
        };
        let items: Vec<usize> = (i + 1..e)
            .filter(|&j| content(&self.lines[j]).trim_start().starts_with('-'))
            .collect();
        let Some(&last) = items.last() else {
            return false;
        };
        let ind = indent_of(&self.lines[last]);
        if items.iter().any(|&j| indent_of(&self.lines[j]) != ind) {
            return false;
        }
        if items.len() == 1 {
            // The key goes, with the indented comments that were inside its block.
            let mut e = e;
            while self
                .lines
                .get(e)
                .is_some_and(|l| is_blank_or_comment(l) && indent_of(l) > 0)
            {
                e += 1;
            }
            self.lines.drain(i..e);
        } else {
            self.lines.drain(last..e);
        }
        true
    }

    /// Appends `- ITEM` (a one-line flow item) to the block list `key:`, creating the key
    /// where it belongs when it is missing or empty; false when the list is written in a way
    /// this cannot extend (a non-empty flow list), which the caller then rewrites.
    pub fn push_item(&mut self, key: &str, item: &str) -> bool {
        let block = |d: &Doc| {
            [
                d.line(format!("{}:", key_text(key))),
                d.line(format!("  - {item}")),
            ]
        };
        let Some((i, e)) = self.find(key) else {
            let at = self.insertion_point(key);
            let lines = block(self);
            self.lines.splice(at..at, lines);
            return true;
        };
        let items: Vec<usize> = (i + 1..e)
            .filter(|&j| content(&self.lines[j]).trim_start().starts_with('-'))
            .collect();
        match items.first() {
            Some(&first) => {
                let ind = indent_of(&self.lines[first]);
                let l = self.line(format!("{}- {item}", " ".repeat(ind)));
                self.lines.insert(e, l);
                true
            }
            None => {
                let v = value_span(&self.lines[i])
                    .map(|(a, b)| content(&self.lines[i])[a..b].to_string());
                if e == i + 1
                    && matches!(
                        v.as_deref(),
                        Some("") | Some("[]") | Some("~") | Some("null")
                    )
                {
                    let lines = block(self);
                    self.lines.splice(i..e, lines);
                    true
                } else {
                    false
                }
            }
        }
    }

    /// Replaces, within the block of the top-level `key`, the one line whose content after
    /// its indent is `old` (such as `- {date: …}`) by `new` at the same indent; false when no
    /// line or more than one is so.
    pub fn replace_item_line(&mut self, key: &str, old: &str, new: &str) -> bool {
        let Some((i, e)) = self.find(key) else {
            return false;
        };
        let hits: Vec<usize> = (i + 1..e)
            .filter(|&j| content(&self.lines[j]).trim() == old)
            .collect();
        let [j] = hits[..] else {
            return false;
        };
        let ind = indent_of(&self.lines[j]);
        self.lines[j] = self.line(format!("{}{new}", " ".repeat(ind)));
        true
    }

    /// Sets the top-level list `key` to the strings `new`, where `old` are the values it has
    /// now (as the project read them). A one-line flow list has its brackets replaced, the
    /// rest of the line (a comment) kept; a block list (`- a` on lines of their own) keeps
    /// its items' lines where their values stay, a comment on them, the comment lines among
    /// them and its indent, new items added after the last in its style; a missing key is
    /// placed in the order of FORMAT.md as a flow list. False when the list is written in a
    /// way this cannot edit line by line (a flow list over several lines, items of several
    /// lines): then the key's lines are replaced by one, `KEY: [a, b]`.
    pub fn set_list(&mut self, key: &str, old: &[String], new: &[String]) -> bool {
        let flow = flow_list(new);
        let Some((i, e)) = self.find(key) else {
            self.set(key, &flow);
            return true;
        };
        let line = content(&self.lines[i]).to_string();
        let v0 = value_span(&line).map(|(a, _)| a);
        let v = v0.map_or("", |a| &line[a..]);
        let rewrite = |d: &mut Doc| {
            let l = d.line(format!("{}: {flow}", key_text(key)));
            d.lines.splice(i..e, [l]);
            false
        };
        if e == i + 1 {
            let Some(v0) = v0 else {
                return rewrite(self);
            };
            if !v.starts_with('[') {
                // Empty, `~` or `null`: the value goes on the key's line.
                self.replace_value(i, e, key, 0, &flow);
                return true;
            }
            let Some(len) = flow_len(v) else {
                return rewrite(self);
            };
            let rest = &v[len..];
            if !(rest.trim().is_empty()
                || (rest.starts_with([' ', '\t']) && rest.trim_start().starts_with('#')))
            {
                return rewrite(self);
            }
            let new_line = format!("{}{flow}{rest}", &line[..v0]);
            self.lines[i] = self.line(new_line);
            return true;
        }
        // A block list: every line in it an item of one line at one indent, one per value.
        if !(v.is_empty() || v.starts_with('#')) {
            return rewrite(self);
        }
        let items: Vec<usize> = (i + 1..e)
            .filter(|&j| !is_blank_or_comment(&self.lines[j]))
            .collect();
        let ind = items.first().map_or(0, |&j| indent_of(&self.lines[j]));
        let one_line_item = |l: &str| {
            let c = content(l);
            indent_of(c) == ind
                && c[ind..].starts_with("- ")
                && !c[ind + 2..]
                    .trim_start()
                    .starts_with(['[', '{', '|', '>', '&', '*', '!', '-', '#'])
                && !c[ind + 2..].trim().is_empty()
        };
        if items.len() != old.len() || !items.iter().all(|&j| one_line_item(&self.lines[j])) {
            return rewrite(self);
        }
        let Some(&first) = items.first() else {
            return rewrite(self);
        };
        let fl = content(&self.lines[first]).to_string();
        let gap = fl[ind + 1..].len() - fl[ind + 1..].trim_start().len();
        let mut used = vec![false; old.len()];
        let mut new_lines: Vec<String> = Vec::new();
        for t in new {
            let reuse = (0..old.len()).find(|&k| !used[k] && old[k] == *t);
            new_lines.push(match reuse {
                Some(k) => {
                    used[k] = true;
                    self.lines[items[k]].clone()
                }
                None => self.line(format!(
                    "{}-{}{}",
                    " ".repeat(ind),
                    " ".repeat(gap),
                    scalar(t)
                )),
            });
        }
        if new.is_empty() {
            self.replace_value(i, i + 1, key, 0, "[]");
        }
        let last = items[items.len() - 1];
        let more: Vec<String> = new_lines.split_off(new_lines.len().min(items.len()));
        self.lines.splice(last + 1..last + 1, more);
        for (k, &j) in items.iter().enumerate().rev() {
            match new_lines.get(k) {
                Some(l) => self.lines[j] = l.clone(),
                None => {
                    self.lines.remove(j);
                }
            }
        }
        true
    }

    /// Removes a top-level key and its block, if it is there.
    pub fn remove(&mut self, key: &str) {
        if let Some((i, e)) = self.find(key) {
            self.lines.drain(i..e);
        }
    }

    /// The lines of `extra:`'s block mapping: (key line, block end, indent of its keys).
    fn extra_block(&self) -> Option<(usize, usize, usize)> {
        let (i, e) = self.find("extra")?;
        let ind = (i + 1..e)
            .find(|&j| !is_blank_or_comment(&self.lines[j]))
            .map(|j| indent_of(&self.lines[j]))?;
        Some((i, e, ind))
    }

    /// Sets `extra.KEY` to a one-line value; false when `extra:` is written in a way this
    /// cannot edit (then the caller rewrites the key).
    pub fn set_extra(&mut self, key: &str, value: &str) -> bool {
        match self.extra_block() {
            Some((i, e, ind)) => {
                let found =
                    (i + 1..e).find(|&j| key_at(&self.lines[j], ind).as_deref() == Some(key));
                match found {
                    Some(j) => {
                        let je = self.block_end(j, ind).min(e);
                        self.replace_value(j, je, key, ind, value);
                    }
                    None => {
                        let l = self.line(format!("{}{}: {value}", " ".repeat(ind), key_text(key)));
                        self.lines.insert(e, l);
                    }
                }
                true
            }
            None => match self.find("extra") {
                Some((i, e)) => {
                    let v = value_span(&self.lines[i])
                        .map(|(a, b)| content(&self.lines[i])[a..b].to_string());
                    if matches!(
                        v.as_deref(),
                        Some("") | Some("{}") | Some("~") | Some("null")
                    ) && e == i + 1
                    {
                        let lines = [
                            self.line("extra:".into()),
                            self.line(format!("  {}: {value}", key_text(key))),
                        ];
                        self.lines.splice(i..e, lines);
                        true
                    } else {
                        false
                    }
                }
                None => {
                    let at = self.end();
                    let lines = [
                        self.line("extra:".into()),
                        self.line(format!("  {}: {value}", key_text(key))),
                    ];
                    self.lines.splice(at..at, lines);
                    true
                }
            },
        }
    }

    /// Removes `extra.KEY` (and `extra:` when nothing is left under it); false when it cannot.
    pub fn remove_extra(&mut self, key: &str) -> bool {
        let Some((i, e, ind)) = self.extra_block() else {
            return false;
        };
        let Some(j) = (i + 1..e).find(|&j| key_at(&self.lines[j], ind).as_deref() == Some(key))
        else {
            return false;
        };
        let je = self.block_end(j, ind).min(e);
        self.lines.drain(j..je);
        let e = e - (je - j);
        if (i + 1..e).all(|k| content(&self.lines[k]).trim().is_empty()) {
            self.lines.drain(i..e);
        }
        true
    }

    /// Replaces a top-level key's lines with `lines` (already indented, without endings).
    pub fn rewrite(&mut self, key: &str, lines: &[String]) {
        let new: Vec<String> = lines.iter().map(|l| self.line(l.clone())).collect();
        match self.find(key) {
            Some((i, e)) => {
                self.lines.splice(i..e, new);
            }
            None => {
                let at = self.end();
                self.lines.splice(at..at, new);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Odd shapes of YAML never make an edit panic; what the edit makes of them is checked
    /// by parsing it back (in apply.rs), not here.
    #[test]
    fn push_item_extends_a_block_list_or_makes_one() {
        let mut d = Doc::new("name: x\nprogress: pending\nextra:\n  a: 1\n", false).unwrap();
        assert!(d.push_item("milestones", "{date: 2023-03-15, title: 开工}"));
        assert_eq!(
            d.text(),
            "name: x\nprogress: pending\nmilestones:\n  - {date: 2023-03-15, title: 开工}\nextra:\n  a: 1\n"
        );
        assert!(d.push_item("milestones", "{date: 2024-01-02, title: 投产}"));
        assert!(d
            .text()
            .contains("开工}\n  - {date: 2024-01-02, title: 投产}\nextra"));
        let mut d = Doc::new("milestones: [{date: 2023-03-15, title: a}]\n", false).unwrap();
        assert!(!d.push_item("milestones", "{date: 2023-03-16, title: b}"));
        let mut d = Doc::new("milestones: []\n", false).unwrap();
        assert!(d.push_item("milestones", "{date: 2023-03-16, title: b}"));
        assert_eq!(d.text(), "milestones:\n  - {date: 2023-03-16, title: b}\n");
    }

    #[test]
    fn pop_history_removes_the_last_item_or_the_key() {
        let mut d = Doc::new("name: x\nhistory:\n  - {period: 2, batch: signed}\n  # c\n  - period: 4\n    batch: started\nbatch: producing\n", false).unwrap();
        assert!(d.pop_history());
        assert_eq!(
            d.text(),
            "name: x\nhistory:\n  - {period: 2, batch: signed}\n  # c\nbatch: producing\n"
        );
        assert!(d.pop_history());
        assert_eq!(d.text(), "name: x\nbatch: producing\n");
        assert!(!d.pop_history());
        let mut d = Doc::new("history: [{period: 2, batch: signed}]\n", false).unwrap();
        assert!(!d.pop_history());
        d.remove("history");
        assert_eq!(d.text(), "");
    }

    #[test]
    fn odd_yaml_never_panics() {
        let shapes = [
            "",
            "\n",
            "---",
            "---\n",
            "---\n---",
            "---\nname: x",
            "name:\n",
            "name: |\n  a\n  b\n",
            "name: 'it''s'  # c\n",
            "name: \"a\\\"b\" # c\n",
            "name: \"unclosed\n",
            "name: 'unclosed\n",
            "\"name\": x\nextra: {a: 1}\n",
            "extra:\n  # only a comment\n",
            "extra:\n\t进展情况: x\n",
            "history:\n-\n- \n  - {period: 1}\n",
            "history: [\n",
            "history: ]\n",
            "history: []  # none\n",
            "- a\n- b\n",
            "# investment:\n#\n# \n",
            "a:b: c\nname: 甲\r\nbatch: signed\r",
            "\u{feff}name: x\n",
            "name: x\n---\nbody\n",
            "tags:\n-\n- \n",
            "tags: [\n",
            "tags: ['a'', [b]'] # c\n",
            "tags:\n  - a\n   - b\n",
            "tags:\n\t- a\n",
            "tags: [\"a\\\"]\n",
        ];
        for text in shapes {
            for md in [false, true] {
                let Some(mut d) = Doc::new(text, md) else {
                    continue;
                };
                d.set("name", "乙");
                d.set("investment", "1.5");
                d.push_history(Some(2), "signed");
                d.push_history(None, "started");
                d.set_extra("进展情况", "已签约");
                d.set_list("tags", &["a".into()], &["b".into(), "a".into()]);
                d.set_list("tags", &["b".into(), "a".into()], &[]);
                d.remove_extra("进展情况");
                d.remove_extra("a");
                d.rewrite("body", &["body: |".into(), "  x".into()]);
                d.set_body("正文\n");
                let _ = d.text();
            }
        }
    }

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn set_list_edits_a_flow_list_on_its_line() {
        let mut d = Doc::new(
            "name: 甲\ntags: [制造业, \"a]b\"]   # 标签\nprogress: pending\n",
            false,
        )
        .unwrap();
        assert!(d.set_list(
            "tags",
            &v(&["制造业", "a]b"]),
            &v(&["制造业", "省重点", "x,y"])
        ));
        assert_eq!(
            d.text(),
            "name: 甲\ntags: [制造业, 省重点, \"x,y\"]   # 标签\nprogress: pending\n"
        );
        assert!(d.set_list("tags", &v(&["制造业", "省重点", "x,y"]), &[]));
        assert_eq!(d.text(), "name: 甲\ntags: []   # 标签\nprogress: pending\n");
        // A missing key goes after region, before progress; `tags:` alone takes the value.
        let mut d = Doc::new("name: 甲\nregion: a/b\nprogress: pending\n", false).unwrap();
        assert!(d.set_list("tags", &[], &v(&["制造业"])));
        assert_eq!(
            d.text(),
            "name: 甲\nregion: a/b\ntags: [制造业]\nprogress: pending\n"
        );
        let mut d = Doc::new("tags:  # none yet\nname: 甲\n", false).unwrap();
        assert!(d.set_list("tags", &[], &v(&["制造业"])));
        // As other keys: the value where it would start, the comment after it.
        assert_eq!(d.text(), "tags:  [制造业]  # none yet\nname: 甲\n");
    }

    #[test]
    fn set_list_keeps_a_block_list_its_comments_and_its_indent() {
        let text = "tags:   # 标签\n    - 制造业   # 主导\n    # 省里定的\n    - \"省重点\"\n    - 外资\nname: 甲\n";
        let old = v(&["制造业", "省重点", "外资"]);
        let mut d = Doc::new(text, false).unwrap();
        // 外资 goes, 专精特新 comes after the items kept, in their style.
        assert!(d.set_list("tags", &old, &v(&["制造业", "省重点", "专精特新", "技改"])));
        assert_eq!(
            d.text(),
            "tags:   # 标签\n    - 制造业   # 主导\n    # 省里定的\n    - \"省重点\"\n    - 专精特新\n    - 技改\nname: 甲\n"
        );
        // Reordered and fewer: the lines of the values kept move with their comments.
        let mut d = Doc::new(text, false).unwrap();
        assert!(d.set_list("tags", &old, &v(&["外资", "制造业"])));
        assert_eq!(
            d.text(),
            "tags:   # 标签\n    - 外资\n    # 省里定的\n    - 制造业   # 主导\nname: 甲\n"
        );
        let mut d = Doc::new(text, false).unwrap();
        assert!(d.set_list("tags", &old, &[]));
        assert_eq!(d.text(), "tags:   []  # 标签\n    # 省里定的\nname: 甲\n");
        let mut d = Doc::new("tags:\n- a\nname: 甲\n", false).unwrap();
        assert!(d.set_list("tags", &v(&["a"]), &v(&["a", "b"])));
        assert_eq!(d.text(), "tags:\n- a\n- b\nname: 甲\n");
    }

    #[test]
    fn set_list_rewrites_on_one_line_what_it_cannot_edit() {
        for text in [
            "tags: [a,\n  b]\nname: 甲\n",
            "tags:\n  - >\n    a\n  - b\nname: 甲\n",
            "tags: [a] x\nname: 甲\n",
            "tags: &t [a, b]\nname: 甲\n",
        ] {
            let mut d = Doc::new(text, false).unwrap();
            let done = d.set_list("tags", &v(&["a", "b"]), &v(&["c"]));
            assert_eq!(d.text(), "tags: [c]\nname: 甲\n", "{text:?}");
            assert!(!done || text.starts_with("tags: &t"), "{text:?}");
        }
    }

    #[test]
    fn flow_scalars_quote_what_a_flow_list_would_split() {
        assert_eq!(
            flow_list(&v(&["制造业", "a,b", "[x]", "123", "a: b"])),
            "[制造业, \"a,b\", \"[x]\", \"123\", \"a: b\"]"
        );
        assert_eq!(flow_list(&[]), "[]");
    }

    #[test]
    fn scalars_are_plain_when_safe() {
        assert_eq!(scalar("新晟智能有限公司"), "新晟智能有限公司");
        assert_eq!(
            scalar("明安智能创新中心（二期）"),
            "明安智能创新中心（二期）"
        );
        assert_eq!(scalar("123"), "\"123\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("- x"), "\"- x\"");
        assert_eq!(scalar(""), "\"\"");
    }

    #[test]
    fn replaces_values_on_their_lines_and_keeps_comments() {
        let text = "---\nname: \"甲\"   # 全称\nbatch: signed          # signed | started | producing\n# investment: 0          # in the site unit (default 亿元), exact to 100 元\nsector:\n---\n正文 **不变**\r\n";
        let mut d = Doc::new(text, true).unwrap();
        d.set("batch", "started");
        d.set("investment", "24.25");
        d.set("sector", "新材料");
        d.set("owner", "乙公司");
        assert_eq!(
            d.text(),
            "---\nname: \"甲\"   # 全称\nbatch: started          # signed | started | producing\ninvestment: 24.25          # in the site unit (default 亿元), exact to 100 元\nsector: 新材料\nowner: 乙公司\n---\n正文 **不变**\r\n"
        );
    }

    #[test]
    fn crlf_files_keep_crlf_and_multi_line_values_become_one_line() {
        let text =
            "---\r\nname: 甲\r\nsector: >\r\n  旧\r\n  行业\r\nowner: 乙 # 业主\r\n---\r\n正文\n";
        let mut d = Doc::new(text, true).unwrap();
        d.set("sector", "新材料");
        d.set("owner", "丙");
        d.set("progress", "pending");
        assert_eq!(
            d.text(),
            "---\r\nname: 甲\r\nsector: 新材料\r\nowner: 丙 # 业主\r\nprogress: pending\r\n---\r\n正文\n"
        );
    }

    #[test]
    fn history_follows_the_written_style() {
        let mut d = Doc::new(
            "name: 甲\nhistory:\n  - {period: 4, batch: signed}\nperiod: 5\n",
            false,
        )
        .unwrap();
        d.push_history(Some(5), "started");
        assert_eq!(d.text(), "name: 甲\nhistory:\n  - {period: 4, batch: signed}\n  - {period: 5, batch: started}\nperiod: 5\n");
        let mut d = Doc::new("history:\n- batch: signed\n  period: 1\n", false).unwrap();
        d.push_history(None, "started");
        assert_eq!(
            d.text(),
            "history:\n- batch: signed\n  period: 1\n- batch: started\n"
        );
        let mut d = Doc::new("history: [{period: 1, batch: signed}]\n", false).unwrap();
        d.push_history(Some(2), "started");
        assert_eq!(
            d.text(),
            "history: [{period: 1, batch: signed}, {period: 2, batch: started}]\n"
        );
        let mut d = Doc::new("batch: started\nperiod: 2\nsector: x\n", false).unwrap();
        d.push_history(Some(1), "signed");
        assert_eq!(
            d.text(),
            "batch: started\nperiod: 2\nhistory:\n  - {period: 1, batch: signed}\nsector: x\n"
        );
    }

    #[test]
    fn extra_keys_are_set_and_removed() {
        let mut d = Doc::new(
            "name: 甲\nextra:\n    备注: 旧   # note\n    进展情况: 已签约\n",
            false,
        )
        .unwrap();
        d.set_extra("备注", "新");
        d.set_extra("联系人", "张三");
        assert_eq!(
            d.text(),
            "name: 甲\nextra:\n    备注: 新   # note\n    进展情况: 已签约\n    联系人: 张三\n"
        );
        assert!(d.remove_extra("进展情况"));
        assert!(d.remove_extra("备注"));
        assert!(d.remove_extra("联系人"));
        assert_eq!(d.text(), "name: 甲\n");
        let mut d = Doc::new("name: 甲\n", false).unwrap();
        d.set_extra("进展情况", "已签约");
        assert_eq!(d.text(), "name: 甲\nextra:\n  进展情况: 已签约\n");
    }
}
