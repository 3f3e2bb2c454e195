//! The hostile-input corpus: each case ends with exit 1 and a clear error, or with a build in
//! which every dangerous string is inert; never a panic, a hang, a write outside the output
//! or a damaged previous output.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

enum Expect {
    /// Exit 1, with an error line mentioning each word.
    Refused(&'static [&'static str]),
    /// Exit 0.
    Builds,
}
use Expect::*;

/// Live markup that content must never produce: event-handler attributes, script URLs,
/// script or frame elements carrying content. Escaped text (`&lt;script&gt;`) is inert and
/// passes; only real tags are read, with their quoted attribute values.
fn live_markup(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let mut j = start + 1;
        let name_end = html[j..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |k| j + k);
        let tag = html[j..name_end].to_ascii_lowercase();
        j = name_end;
        // Attributes until the closing `>`, skipping quoted values.
        let mut attrs: Vec<(String, String)> = Vec::new();
        while j < b.len() && b[j] != b'>' {
            if b[j].is_ascii_whitespace() || b[j] == b'/' {
                j += 1;
                continue;
            }
            let n0 = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' {
                j += 1;
            }
            let name = html[n0..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let v0 = j + 1;
                    j = v0
                        + html[v0..]
                            .bytes()
                            .position(|c| c == q)
                            .unwrap_or(html.len() - v0);
                    value = html[v0..j].to_string();
                    j += 1;
                } else {
                    let v0 = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[v0..j].to_string();
                }
            }
            attrs.push((name, value));
        }
        for (name, value) in &attrs {
            let v = value
                .replace("&#58;", ":")
                .replace("&colon;", ":")
                .to_ascii_lowercase();
            let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            if name.starts_with("on") {
                found.push(format!("<{tag} {name}=…>"));
            }
            if ["href", "src", "action", "formaction", "xlink:href"].contains(&name.as_str())
                && (v.starts_with("javascript:")
                    || v.starts_with("vbscript:")
                    || v.starts_with("data:"))
            {
                found.push(format!("<{tag} {name}={value}>"));
            }
        }
        if tag == "iframe" || tag == "object" || tag == "embed" {
            found.push(format!("<{tag}>"));
        }
        if tag == "script" {
            // sanpi's own scripts never call alert; a data block (JSON-LD, the filter's words
            // and choices), which no browser runs, may hold the words, never a `<`.
            let body_end = html[j..].find("</script").map_or(html.len(), |k| j + k);
            let body = &html[(j + 1).min(body_end)..body_end];
            let json = attrs.iter().any(|(n, v)| {
                n == "type" && (v == "application/ld+json" || v == "application/json")
            });
            if (json && body.contains('<')) || (!json && body.contains("alert(")) {
                found.push("<script> with content".into());
            }
        }
        i = (j + 1).min(html.len());
        if i <= start {
            i = start + 1;
        }
    }
    found
}

/// The HTML of an Atom feed's `<content type="html">` elements, unescaped once, as a feed
/// reader renders it (titles and summaries are plain text).
fn feed_html(xml: &str) -> String {
    let mut out = String::new();
    for part in xml.split("<content type=\"html\">").skip(1) {
        let inner = part.split("</content>").next().unwrap_or("");
        out.push_str(
            &inner
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&"),
        );
    }
    out
}

struct Case {
    name: &'static str,
    setup: fn(&Path),
    expect: Expect,
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, bytes).unwrap();
}

fn project(root: &Path, front: &str, body: &str) {
    write(
        root,
        "content/projects/hostile.md",
        format!("---\nname: 恶意项目\nbatch: signed\nperiod: 2\n{front}---\n{body}"),
    );
}

fn bulletin(root: &Path, body: &str) {
    write(
        root,
        "content/bulletins/2022-08-01-hostile.md",
        format!("---\ntitle: 测试通报\ndate: 2022-08-01\n---\n{body}"),
    );
}

fn cases() -> Vec<Case> {
    vec![
        // Malformed and truncated YAML.
        Case {
            name: "truncated front matter",
            setup: |r| write(r, "content/projects/t.md", "---\nname: x\nbatch: sig"),
            expect: Refused(&["never closed"]),
        },
        Case {
            name: "tabs as indentation",
            setup: |r| {
                write(
                    r,
                    "content/projects/t.yaml",
                    "name: x\nbatch: signed\nperiod: 2\nhistory:\n\t- {batch: signed}\n",
                )
            },
            expect: Refused(&["content/projects/t.yaml:"]),
        },
        Case {
            name: "unbalanced flow sequence",
            setup: |r| project(r, "history: [{period: 1, batch: signed}\n", ""),
            expect: Refused(&["hostile.md:"]),
        },
        Case {
            name: "duplicate key",
            setup: |r| project(r, "name: 又一个名字\n", ""),
            expect: Refused(&["hostile.md:", "name"]),
        },
        Case {
            name: "site.yaml is a list",
            setup: |r| write(r, "content/site.yaml", "- a\n- b\n"),
            expect: Refused(&["content/site.yaml:"]),
        },
        Case {
            name: "site.yaml is empty",
            setup: |r| write(r, "content/site.yaml", ""),
            expect: Refused(&["missing required key `title`"]),
        },
        Case {
            name: "a period file that is a scalar",
            setup: |r| write(r, "content/periods/09.yaml", "第九期\n"),
            expect: Refused(&["content/periods/09.yaml:"]),
        },
        // Wrong types in every field.
        Case {
            name: "name is a list",
            setup: |r| {
                write(
                    r,
                    "content/projects/t.yaml",
                    "name: [a, b]\nbatch: signed\nperiod: 2\n",
                )
            },
            expect: Refused(&["t.yaml:1:"]),
        },
        Case {
            name: "batch is a number",
            setup: |r| {
                write(
                    r,
                    "content/projects/t.yaml",
                    "name: x\nbatch: 3\nperiod: 2\n",
                )
            },
            expect: Refused(&["t.yaml:2:"]),
        },
        Case {
            name: "period is Chinese text",
            setup: |r| {
                write(
                    r,
                    "content/projects/t.yaml",
                    "name: x\nbatch: signed\nperiod: 七\n",
                )
            },
            expect: Refused(&["t.yaml:3:9"]),
        },
        Case {
            name: "period is a fraction",
            setup: |r| {
                write(
                    r,
                    "content/projects/t.yaml",
                    "name: x\nbatch: signed\nperiod: 1.5\n",
                )
            },
            expect: Refused(&["t.yaml:3:9"]),
        },
        Case {
            name: "period is negative",
            setup: |r| {
                write(
                    r,
                    "content/projects/t.yaml",
                    "name: x\nbatch: signed\nperiod: -1\n",
                )
            },
            expect: Refused(&["t.yaml:3:9"]),
        },
        Case {
            name: "investment is a list",
            setup: |r| project(r, "investment: [1]\n", ""),
            expect: Refused(&["hostile.md:5:"]),
        },
        Case {
            name: "milestones is a string",
            setup: |r| project(r, "milestones: 2022-01-01\n", ""),
            expect: Refused(&["hostile.md:5:"]),
        },
        Case {
            name: "milestone without a title",
            setup: |r| project(r, "milestones: [{date: 2022-01-01}]\n", ""),
            expect: Refused(&["title"]),
        },
        Case {
            name: "draft is text",
            setup: |r| project(r, "draft: yes please\n", ""),
            expect: Refused(&["hostile.md:5:"]),
        },
        Case {
            name: "aliases is a string",
            setup: |r| project(r, "aliases: old-id\n", ""),
            expect: Refused(&["hostile.md:5:"]),
        },
        Case {
            name: "declared count is text",
            setup: |r| {
                write(
                    r,
                    "content/periods/03.yaml",
                    "number: 3\ndeclared:\n  signed: {count: 很多}\n",
                )
            },
            expect: Refused(&["03.yaml:3:"]),
        },
        // Enormous numbers.
        Case {
            name: "investment of 1e308",
            setup: |r| project(r, "investment: 1e308\n", ""),
            expect: Refused(&["exponent"]),
        },
        Case {
            name: "investment with 23 digits",
            setup: |r| project(r, "investment: 99999999999999999999999\n", ""),
            expect: Refused(&["hostile.md:5:"]),
        },
        Case {
            name: "period beyond u32",
            setup: |r| project(r, "history: [{period: 4294967296, batch: signed}]\n", ""),
            expect: Refused(&["hostile.md:5:"]),
        },
        Case {
            name: "a period numbered four billion",
            setup: |r| write(r, "content/periods/99.yaml", "number: 4000000000\n"),
            expect: Builds,
        },
        // Size and depth.
        Case {
            name: "10 MB Markdown body",
            setup: |r| {
                project(r, "", &"这是一段很长的项目说明，用来测试大文件。**加粗** [链接](https://example.org/)\n\n".repeat(100_000))
            },
            expect: Builds,
        },
        Case {
            name: "50 MB file",
            setup: |r| project(r, "", &"x".repeat(50 * 1024 * 1024)),
            expect: Refused(&["the file is 50 MB"]),
        },
        Case {
            name: "5000 nested block quotes",
            setup: |r| project(r, "", &format!("{}深\n", ">".repeat(5000))),
            expect: Builds,
        },
        Case {
            name: "1000 nested lists",
            setup: |r| {
                project(
                    r,
                    "",
                    &(0..1000)
                        .map(|i| format!("{}- 第{i}层\n", "  ".repeat(i)))
                        .collect::<String>(),
                )
            },
            expect: Builds,
        },
        Case {
            name: "deeply nested YAML",
            setup: |r| {
                project(
                    r,
                    &format!("extra: {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
                    "",
                )
            },
            expect: Refused(&["hostile.md:"]),
        },
        Case {
            name: "YAML alias bomb",
            setup: |r| {
                project(r, "extra:\n  a: &a [x,x,x,x,x,x,x,x,x]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n", "")
            },
            expect: Refused(&["hostile.md:"]),
        },
        // Encodings and line endings.
        Case {
            name: "invalid UTF-8",
            setup: |r| write(r, "content/projects/t.md", b"---\nname: \xff\xfe\n---\n"),
            expect: Refused(&["UTF-8"]),
        },
        Case {
            name: "NUL byte",
            setup: |r| {
                write(
                    r,
                    "content/projects/t.md",
                    b"---\nname: a\0b\nbatch: signed\nperiod: 2\n---\n",
                )
            },
            expect: Refused(&["NUL"]),
        },
        Case {
            name: "UTF-16 file",
            setup: |r| write(r, "content/pages/u.md", b"\xff\xfe-\0-\0-\0\n\0"),
            expect: Refused(&["UTF-8"]),
        },
        Case {
            name: "byte-order mark and CRLF",
            setup: |r| {
                write(r, "content/projects/w.md", "\u{feff}---\r\nname: 视窗项目\r\nbatch: signed\r\nperiod: 2\r\n---\r\n正文\r\n")
            },
            expect: Builds,
        },
        Case {
            name: "mixed line endings",
            setup: |r| {
                write(
                    r,
                    "content/projects/m.md",
                    "---\rname: 混合\r\nbatch: signed\nperiod: 2\r---\n正文\r\n",
                )
            },
            expect: Builds,
        },
        // Paths that try to climb out.
        Case {
            name: "id with ..",
            setup: |r| project(r, "id: ../../etc\n", ""),
            expect: Refused(&["not a valid id"]),
        },
        Case {
            name: "absolute id",
            setup: |r| project(r, "id: /tmp/x\n", ""),
            expect: Refused(&["not a valid id"]),
        },
        Case {
            name: "id with a backslash",
            setup: |r| project(r, "id: 'a\\b'\n", ""),
            expect: Refused(&["not a valid id"]),
        },
        Case {
            name: "percent-encoded dots",
            setup: |r| project(r, "id: '%2e%2e'\n", ""),
            expect: Refused(&["not a valid id"]),
        },
        Case {
            name: "alias climbing out",
            setup: |r| project(r, "aliases: ['..%2f..%2fetc']\n", ""),
            expect: Refused(&["alias"]),
        },
        Case {
            name: "bulletin slug climbing out",
            setup: |r| {
                write(
                    r,
                    "content/bulletins/b.md",
                    "---\ntitle: x\ndate: 2022-01-01\nslug: ../../x\n---\n",
                )
            },
            expect: Refused(&["not a valid slug"]),
        },
        Case {
            name: "image climbing out",
            setup: |r| project(r, "images: [{src: ../../../etc/passwd, alt: x}]\n", ""),
            expect: Refused(&["not a path inside content/static/"]),
        },
        Case {
            name: "absolute image path",
            setup: |r| project(r, "images: [{src: /etc/passwd, alt: x}]\n", ""),
            expect: Refused(&["not a path inside content/static/"]),
        },
        Case {
            name: "static symlink to /etc/passwd",
            setup: |r| symlink("/etc/passwd", &r.join("content/static/passwd")),
            expect: Builds,
        },
        Case {
            name: "project symlink outside the site",
            setup: |r| symlink("/etc/hostname", &r.join("content/projects/linked.md")),
            expect: Builds,
        },
        // HTML and script in every text field, and in Markdown.
        Case {
            name: "script in every project field",
            setup: |r| {
                write(r, "content/projects/x.yaml", concat!(
                "name: \"<script>alert(1)</script>\"\nbatch: signed\nperiod: 2\nsector: \"<script>alert(2)</script>\"\n",
                "location: \"<img src=x onerror=alert(3)>\"\nowner: \"\\\" onmouseover=\\\"alert(4)\"\n",
                "history: [{batch: signed, note: \"<script>alert(5)</script>\"}]\n",
                "milestones: [{date: 2022-01-01, title: \"<script>alert(6)</script>\", note: \"<iframe src=x>\"}]\n",
                "extra: {k: \"<script>alert(7)</script>\"}\nbody: \"<script>alert(8)</script>\"\n"))
            },
            expect: Builds,
        },
        Case {
            name: "raw HTML in Markdown",
            setup: |r| {
                bulletin(r, "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\n文字<span onclick=\"alert(1)\">点</span>\n")
            },
            expect: Builds,
        },
        Case {
            name: "javascript links in every spelling",
            setup: |r| {
                bulletin(r, "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](javascript&#58;alert(1)) [d](java\tscript:alert(1)) [e](vbscript:msgbox) [f]( javascript:alert(1))\n\n[g]: javascript:alert(1)\n\n[g]\n")
            },
            expect: Builds,
        },
        Case {
            name: "data: and SVG images",
            setup: |r| {
                bulletin(r, "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) ![y](data:text/html,<script>alert(1)</script>)\n")
            },
            expect: Builds,
        },
        Case {
            name: "a title that ends the JSON-LD script",
            setup: |r| {
                write(r, "content/bulletins/j.md", "---\ntitle: \"</script><script>alert(1)</script>\"\ndate: 2022-01-01\nsummary: \"</script><script>alert(2)</script>\"\n---\n")
            },
            expect: Builds,
        },
        Case {
            name: "a sector that breaks out of SVG text",
            setup: |r| {
                project(
                    r,
                    "sector: \"</text><script>alert(1)</script><text>\"\ninvestment: 1\n",
                    "",
                )
            },
            expect: Builds,
        },
        Case {
            name: "a summary that breaks out of an attribute",
            setup: |r| {
                write(r, "content/bulletins/a.md", "---\ntitle: t\ndate: 2022-01-01\nsummary: \"\\\" onmouseover=\\\"alert(1)\"\n---\n")
            },
            expect: Builds,
        },
        Case {
            name: "script in the site title",
            setup: |r| {
                edit(
                    r,
                    "content/site.yaml",
                    "title: 测试高新区“三个一批”项目进展",
                    "title: \"<script>alert(1)</script>\"",
                )
            },
            expect: Builds,
        },
        Case {
            name: "base_url that breaks out",
            setup: |r| {
                edit(
                    r,
                    "content/site.yaml",
                    "base_url: https://example.org/sub/",
                    "base_url: \"https://example.org/\\\"><script>alert(1)</script>\"",
                )
            },
            expect: Refused(&["base_url"]),
        },
        Case {
            name: "shortcode argument injection",
            setup: |r| {
                bulletin(
                    r,
                    "{{ projects(batch=\"started\\\" onclick=\\\"alert(1)\") }}\n",
                )
            },
            expect: Refused(&["projects"]),
        },
        Case {
            name: "heading with script text",
            setup: |r| {
                bulletin(
                    r,
                    "## <script>alert(1)</script>标题\n\n## \"><img src=x onerror=alert(1)>\n",
                )
            },
            expect: Builds,
        },
        Case {
            name: "footnote and link titles with quotes",
            setup: |r| {
                bulletin(r, "文[^\"><script>alert(1)</script>]\n\n[^\"><script>alert(1)</script>]: 注\n\n[a](https://example.org/ \"\\\" onclick=\\\"alert(1)\")\n")
            },
            expect: Builds,
        },
        Case {
            name: "internal link with an injection",
            setup: |r| bulletin(r, "[a](@/projects/alpha/\"onclick=\"alert(1))\n"),
            expect: Refused(&["no page"]),
        },
    ]
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Runs `sanpi build ROOT -o OUT` with a time limit; returns (exit code, stderr).
fn run(root: &Path, out: &Path) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sanpi"))
        .arg("build")
        .arg(root)
        .arg("-o")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
            return (status.code(), err);
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("{}: the build hangs", root.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// What lies beside the output, but for the previous site that sanpi keeps to recycle.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".sanpi-spare"))
        .collect();
    v.sort();
    v
}

#[test]
fn hostile_inputs_are_refused_or_made_inert() {
    let all = cases();
    assert!(all.len() >= 50, "the corpus holds {} cases", all.len());
    let mut failures = Vec::new();
    for case in &all {
        let (tmp, root) = fixture("basic");
        let out = tmp.path().join("out");
        let (code, err) = run(&root, &out);
        assert_eq!(code, Some(0), "the fixture builds: {err}");
        let before = tree(&out);
        (case.setup)(&root);
        let around = listing(tmp.path());
        let (code, err) = run(&root, &out);
        let mut problems = Vec::new();
        if err.contains("panicked") || code == Some(101) {
            problems.push(format!("panic: {err}"));
        }
        match &case.expect {
            Refused(words) => {
                if code != Some(1) {
                    problems.push(format!("exit {code:?}, expected 1"));
                }
                let first = err.lines().find(|l| l.starts_with("error: ")).unwrap_or("");
                if first.is_empty() {
                    problems.push("no error line".into());
                }
                for w in *words {
                    if !err
                        .lines()
                        .any(|l| l.starts_with("error: ") && l.contains(w))
                    {
                        problems.push(format!("no error mentions {w:?}: {err}"));
                    }
                }
                if tree(&out) != before {
                    problems.push("the previous output changed".into());
                }
            }
            Builds => {
                if code != Some(0) {
                    problems.push(format!("exit {code:?}: {err}"));
                }
                for (rel, bytes) in tree(&out) {
                    if ![".html", ".svg", ".xml"].iter().any(|x| rel.ends_with(x)) {
                        continue;
                    }
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    let mut live = live_markup(&text);
                    if rel.ends_with(".xml") {
                        live.extend(live_markup(&feed_html(&text)));
                    }
                    for l in live {
                        problems.push(format!("{rel} holds live markup {l}"));
                    }
                    if text.contains("root:x:0:0") {
                        problems.push(format!("{rel} holds /etc/passwd"));
                    }
                }
            }
        }
        if listing(tmp.path()) != around {
            problems.push(format!(
                "files appeared beside the output: {:?}",
                listing(tmp.path())
            ));
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {}", case.name, problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

#[test]
fn the_markup_scanner_finds_what_it_must() {
    assert!(live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; onclick=x</p>").is_empty());
    assert!(live_markup("<meta content=\"&quot; onmouseover=&quot;alert(1)\">").is_empty());
    assert_eq!(live_markup("<img src=x onerror=alert(1)>").len(), 1);
    assert_eq!(live_markup("<a href=\"JavaScript&#58;alert(1)\">").len(), 1);
    assert_eq!(live_markup("<script>alert(1)</script>").len(), 1);
    assert!(live_markup("<script>if (location.protocol) {}</script>").is_empty());
}

#[test]
fn an_output_folder_inside_content_is_refused() {
    let (_tmp, root) = fixture("basic");
    let (code, err) = run(&root, &root.join("content/static/out"));
    assert_eq!(code, Some(1));
    assert!(err.contains("inside content/"), "{err}");
    assert!(!root.join("content/static/out").exists());
}

#[test]
fn the_hostile_fixture_builds_with_every_string_inert() {
    let (tmp, root) = fixture("hostile");
    let out = tmp.path().join("out");
    let (code, err) = run(&root, &out);
    assert_eq!(code, Some(0), "{err}");
    let mut pages = 0;
    for (rel, bytes) in tree(&out) {
        if ![".html", ".svg", ".xml"].iter().any(|x| rel.ends_with(x)) {
            continue;
        }
        pages += 1;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut live = live_markup(&text);
        if rel.ends_with(".xml") {
            live.extend(live_markup(&feed_html(&text)));
        }
        assert!(live.is_empty(), "{rel}: {live:?}");
        assert!(
            !text.contains("<style>body"),
            "{rel}: raw <style> from content"
        );
    }
    assert!(pages > 20);
}

#[test]
fn control_characters_never_make_xml_ill_formed() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "content/site.yaml",
        "title: 测试高新区“三个一批”项目进展",
        "title: \"测试\\x1f高新区\\x08\"",
    );
    edit(
        &root,
        "content/projects/alpha.md",
        "sector: 新材料",
        "sector: \"新能\\x0b源\\x01\"",
    );
    edit(
        &root,
        "content/projects/alpha.md",
        "name: 阿尔法新材料研发基地项目",
        "name: \"阿尔法\\x02项目\\uFFFE\"",
    );
    edit(
        &root,
        "content/bulletins/2022-03-01-period-1.md",
        "title: 第一期活动综述",
        "title: \"第一期\\x0c综述\"",
    );
    edit(
        &root,
        "content/bulletins/2022-03-01-period-1.md",
        "伽马项目签约。",
        "伽马项目\u{1}签约\u{7f}。\u{1b}[31m",
    );
    let o = build(&root);
    assert!(o.ok(), "{:?}", errors(&o));
    let mut checked = 0;
    for (rel, bytes) in tree(&root.join("output")) {
        if !(rel.ends_with(".svg") || rel.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{rel} is not well-formed XML: {e}");
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} XML files");
    let sectors = read(&root.join("output/charts/investment-by-sector.svg"));
    assert!(sectors.contains("新能源"), "{sectors}");
}
