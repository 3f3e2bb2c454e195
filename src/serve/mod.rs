//! `sanpi serve`: builds the site into a private folder, serves it on loopback, watches the
//! content, templates and themes, rebuilds on each change, and tells open pages to reload
//! (or shows the build's errors over the last good site).

pub mod http;
mod overlay;

use crate::BuildOptions;
use notify::{EventKind, RecursiveMode, Watcher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What `serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub drafts: bool,
    /// Reports each change's steps with their times (`sanpi -v serve`).
    pub verbose: bool,
}

/// The state the server shares with its request threads.
pub struct State {
    /// The folder being served (built into; swapped atomically by each build).
    pub output: PathBuf,
    /// The Host names requests may carry.
    pub hosts: http::Hosts,
    /// The files of the last edit, answered from memory until they are in `output`.
    pub overlay: overlay::Overlay,
    pub status: Mutex<Status>,
    /// Signalled after each build.
    pub changed: Condvar,
}

/// The outcome of the last build.
#[derive(Debug, Default, Clone)]
pub struct Status {
    /// Counts builds, so that each browser learns of every new one.
    pub generation: u64,
    /// The error lines of the last build; empty when it succeeded.
    pub errors: Vec<String>,
    pub stopping: bool,
}

impl State {
    fn publish(&self, errors: Vec<String>) {
        let mut s = self.status.lock().unwrap_or_else(|e| e.into_inner());
        s.generation += 1;
        s.errors = errors;
        self.changed.notify_all();
    }
}

/// The name of serve's build folders in the temporary folder.
const FOLDER_PREFIX: &str = "sanpi-serve-";

/// The file that marks a build folder as serve's, holding the id of the process that owns it.
const MARKER: &str = ".sanpi-serve";

/// Removes the build folders of earlier serves that were killed before they could clean up:
/// only real folders named like serve's, holding its marker, whose process is gone. Whatever
/// cannot be read or removed is left alone.
pub fn remove_stale(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(FOLDER_PREFIX)
        {
            continue;
        }
        let path = entry.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        let marker = path.join(MARKER);
        let marked = std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file());
        if !is_dir || !marked {
            continue;
        }
        let owner = std::fs::read_to_string(&marker)
            .ok()
            .and_then(|t| t.trim().parse::<u32>().ok());
        if owner.is_some_and(|pid| pid != std::process::id() && !alive(pid)) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Whether process `pid` exists. Where that cannot be told, it is taken to exist.
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Whether a changed path can change the site.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let hidden = rel.components().any(|c| {
        let s = c.as_os_str().to_string_lossy();
        s.starts_with('.') && s != "." || s.ends_with('~') || s.ends_with(".swp")
    });
    !hidden && matches!(first.as_deref(), Some("content" | "templates" | "themes"))
}

/// The paths a burst of changes touched, sorted, without those it created and removed
/// again: an editor or `sed -i` that saves through a temporary file beside the real one
/// changes one file, not two (and one changed project file takes serve's quick path).
fn changed_paths(burst: Vec<Seen>) -> Vec<PathBuf> {
    let mut first: std::collections::BTreeMap<PathBuf, bool> = Default::default();
    for (paths, created) in burst {
        for p in paths {
            first.entry(p).or_insert(created);
        }
    }
    first
        .into_iter()
        .filter(|(p, created)| !*created || std::fs::symlink_metadata(p).is_ok())
        .map(|(p, _)| p)
        .collect()
}

/// Reports a build to `log`; returns its error lines.
fn report(outcome: &crate::Outcome, log: &mut dyn Write) -> Vec<String> {
    for d in &outcome.diagnostics {
        let _ = writeln!(log, "{}", crate::terminal::shown(&d.to_string()));
    }
    match &outcome.summary {
        Some(s) => {
            let _ = writeln!(log, "built {} pages in {} ms", s.pages, s.millis);
            vec![]
        }
        None => outcome
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| crate::terminal::shown(&d.to_string()).into_owned())
            .collect(),
    }
}

/// A listening socket with room for a thousand waiting connections (the standard library's
/// 128 overflows when many requests arrive at once on a busy machine).
fn listen(bind: &str, port: u16) -> Result<std::net::TcpListener, String> {
    use socket2::{Domain, Socket, Type};
    use std::net::ToSocketAddrs;
    let addr = (bind, port)
        .to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or("no such address")?;
    let socket =
        Socket::new(Domain::for_address(addr), Type::STREAM, None).map_err(|e| e.to_string())?;
    socket.set_reuse_address(true).map_err(|e| e.to_string())?;
    socket.bind(&addr.into()).map_err(|e| e.to_string())?;
    socket.listen(1024).map_err(|e| e.to_string())?;
    Ok(socket.into())
}

/// Runs the preview server until the process ends. Errors are those of starting it.
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    let server = listen(&opts.bind, opts.port)
        .and_then(|l| tiny_http::Server::from_listener(l, None).map_err(|e| e.to_string()))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    let dir = build_folder()?;
    // Builds hold this lock; a signal waits for the build under way, removes the folder and
    // ends the process, so that no build writes into a folder being removed.
    let busy = Arc::new(Mutex::new(()));
    stop_on_signal(dir.path(), busy.clone());
    let output = dir.path().join("site");
    // The watcher names changed files by their canonical paths: the site's root must be
    // named alike for an edited file to be told apart (`sanpi serve .` included).
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    let build = BuildOptions {
        root: root.clone(),
        output: Some(output.clone()),
        base_url: Some(format!("http://{addr}/")),
        drafts: opts.drafts,
        share_images: Some(false),
        lint: false,
        progress: false,
        force: false,
    };
    let state = Arc::new(State {
        output,
        hosts: http::Hosts::new(&opts.bind),
        overlay: overlay::Overlay::default(),
        status: Mutex::new(Status::default()),
        changed: Condvar::new(),
    });

    let (outcome, live) = {
        let _building = busy.lock().unwrap_or_else(|e| e.into_inner());
        crate::build_live(&build)
    };
    state.publish(report(&outcome, &mut std::io::stderr()));
    crate::terminal::say(format_args!(
        "serving http://{addr}/ (press Ctrl+C to stop)"
    ));
    let _ = std::io::stdout().flush();
    if !addr.ip().is_loopback() {
        crate::terminal::tell(format_args!(
            "warning: serving on {} shows the preview to other machines of the network",
            addr.ip()
        ));
    }

    let verbose = opts.verbose;
    let (watcher, rx) = watch(&root)?;
    let watch_state = state.clone();
    std::thread::spawn(move || {
        let _keep = watcher;
        let rebuild = Rebuild {
            root,
            build,
            busy,
            verbose,
            live,
        };
        rebuild.on_changes(&rx, &watch_state);
    });

    // Each request on a thread of its own: event streams stay open for long.
    for req in server.incoming_requests() {
        let s = state.clone();
        std::thread::spawn(move || http::handle(req, &s));
    }
    drop(dir);
    Ok(())
}

/// A new build folder in the temporary folder, marked with this process's id, after removing
/// the folders of earlier serves that were killed.
fn build_folder() -> Result<tempfile::TempDir, String> {
    let temp = std::env::temp_dir();
    remove_stale(&temp);
    let dir = tempfile::Builder::new()
        .prefix(FOLDER_PREFIX)
        .tempdir_in(&temp)
        .map_err(|e| format!("cannot create a folder to build into: {e}"))?;
    std::fs::write(dir.path().join(MARKER), format!("{}\n", std::process::id()))
        .map_err(|e| format!("cannot create a folder to build into: {e}"))?;
    Ok(dir)
}

/// On Ctrl+C, waits for the build under way (`busy`), removes the build folder
/// `dir` and ends the process; warns when the handler cannot be set.
fn stop_on_signal(dir: &Path, busy: Arc<Mutex<()>>) {
    let path = dir.to_path_buf();
    let set = ctrlc::set_handler(move || {
        let _building = busy.lock().unwrap_or_else(|e| e.into_inner());
        let _ = std::fs::remove_dir_all(&path);
        crate::terminal::tell(format_args!("stopped"));
        std::process::exit(0);
    });
    if let Err(e) = set {
        crate::terminal::tell(format_args!(
            "warning: {} will be left behind when serve is stopped: {e}",
            dir.display()
        ));
    }
}

/// The paths of one change the watcher saw, and whether it created them.
type Seen = (Vec<PathBuf>, bool);

/// Watches the folders that make the site under `root`, sending the paths of each change.
/// Reading files (as every build does) is no change: only creations, modifications and
/// removals count.
fn watch(root: &Path) -> Result<(notify::RecommendedWatcher, mpsc::Receiver<Seen>), String> {
    let (tx, rx) = mpsc::channel::<Seen>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            if matches!(
                ev.kind,
                EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
            ) {
                let created = matches!(ev.kind, EventKind::Create(_));
                let _ = tx.send((ev.paths, created));
            }
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    for sub in ["content", "templates", "themes"] {
        let p = root.join(sub);
        if p.is_dir() {
            watcher
                .watch(&p, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", p.display()))?;
        }
    }
    Ok((watcher, rx))
}

/// How long serve waits, after an edit it served from memory and with no other change, before
/// it makes the data files again (`Live::finish`): at 100,000 projects they take seconds,
/// and a save made meanwhile would wait for them; so a run of saves is served page after
/// page, and the downloads follow once the edits pause.
const DATA_AFTER: Duration = Duration::from_millis(1000);

/// The quiet that ends a burst of changes: a save (an editor's, `sed -i`'s, a script's,
/// through a temporary file or not) sends its few events within a millisecond or two, and
/// every reload waits this long after the last (it was 25 ms, a sixth of a new project's
/// reload at 10,000 projects).
const BURST_GAP: Duration = Duration::from_millis(10);

/// What the watching thread needs to rebuild the site.
struct Rebuild {
    /// The site's root, canonical, for telling which changed paths matter.
    root: PathBuf,
    build: BuildOptions,
    /// Held while building (see [`stop_on_signal`]).
    busy: Arc<Mutex<()>>,
    /// Whether each change's steps are reported with their times.
    verbose: bool,
    /// The site in memory, for redoing one project's page alone.
    live: Option<crate::Live>,
}

impl Rebuild {
    /// Rebuilds once per burst of changes (no quiet gap of [`BURST_GAP`]) that can change the site,
    /// reports each build and tells the open pages, until the watcher is gone.
    fn on_changes(mut self, rx: &mpsc::Receiver<Seen>, state: &State) {
        loop {
            // The data files wait for a pause in the edits (`DATA_AFTER`).
            let pending = self.live.as_ref().is_some_and(crate::Live::pending);
            let first = if pending {
                match rx.recv_timeout(DATA_AFTER) {
                    Ok(f) => f,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        self.finish(state);
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match rx.recv() {
                    Ok(f) => f,
                    Err(_) => break,
                }
            };
            // Take every change of the same burst, then build once.
            let mut burst = vec![first];
            while let Ok(more) = rx.recv_timeout(BURST_GAP) {
                burst.push(more);
            }
            let mut paths = changed_paths(burst);
            paths.retain(|p| relevant(&self.root, p));
            if paths.is_empty() {
                continue;
            }
            let start = Instant::now();
            let busy = self.busy.clone();
            let _building = busy.lock().unwrap_or_else(|e| e.into_inner());
            let outcome = self.rebuild(&paths);
            // The edit's files are answered from memory from the moment the reload is
            // announced, and written to the folder right after (a full build's are there).
            let staged = self
                .live
                .as_mut()
                .map(crate::Live::take_staged)
                .unwrap_or_default();
            state.overlay.set(&staged);
            let errors = report(&outcome, &mut std::io::stderr());
            if let Some(s) = outcome.summary.as_ref().filter(|_| self.verbose) {
                for (name, ms) in &s.steps {
                    crate::terminal::tell(format_args!("  {name}: {ms} ms"));
                }
                crate::terminal::tell(format_args!(
                    "  pages rendered: {}, files changed: {}",
                    s.rendered, s.files
                ));
            }
            crate::terminal::tell(format_args!(
                "change seen, site {} in {} ms",
                if errors.is_empty() {
                    "reloaded"
                } else {
                    "kept"
                },
                start.elapsed().as_millis()
            ));
            state.publish(errors);
            self.write(&staged, state);
            if let Some(live) = self.live.as_mut() {
                live.tidy();
            }
            drop(_building);
        }
    }

    /// Puts an edit's files, answered from memory meanwhile, in the output folder. When that
    /// fails, the memory goes on answering for them, and the next change builds everything.
    fn write(&mut self, staged: &crate::Staged, state: &State) {
        let Some(live) = self.live.as_mut().filter(|_| !staged.is_empty()) else {
            return;
        };
        let start = Instant::now();
        match live.write(staged) {
            Ok(()) => {
                state.overlay.clear();
                if self.verbose {
                    crate::terminal::tell(format_args!(
                        "  written to the folder in {} ms",
                        start.elapsed().as_millis()
                    ));
                }
            }
            Err(outcome) => {
                report(&outcome, &mut std::io::stderr());
                self.live = None;
            }
        }
    }

    /// Makes what the quick path left for after the pages were served (the data files);
    /// an error there is reported as a build's, and the next change builds everything.
    fn finish(&mut self, state: &State) {
        let busy = self.busy.clone();
        let _building = busy.lock().unwrap_or_else(|e| e.into_inner());
        let Some(outcome) = self.live.as_mut().and_then(crate::Live::finish) else {
            return;
        };
        if let Some(s) = &outcome.summary {
            for d in &outcome.diagnostics {
                eprintln!("{}", crate::terminal::shown(&d.to_string()));
            }
            crate::terminal::tell(format_args!("data files updated in {} ms", s.millis));
            return;
        }
        let errors = report(&outcome, &mut std::io::stderr());
        self.live = None;
        drop(_building);
        state.publish(errors);
    }

    /// Builds the site after a change of `paths`: one project whose text alone changed has
    /// its page alone redone; anything else builds everything.
    fn rebuild(&mut self, paths: &[PathBuf]) -> crate::Outcome {
        let quick = match (&mut self.live, paths) {
            (Some(l), [one]) => l.update(one),
            _ => None,
        };
        match quick {
            // A refused edit leaves the site in memory behind the files: the next change
            // builds everything, so that it reports what a full build does.
            Some(o) => {
                if !o.ok() {
                    self.live = None;
                }
                o
            }
            None => {
                let (o, l) = crate::build_live(&self.build);
                if l.is_some() || !o.ok() {
                    self.live = l;
                }
                o
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_created_and_removed_in_one_burst_is_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("p1.md");
        std::fs::write(&kept, "x").unwrap();
        let temp = dir.path().join("sedAb12Cd");
        let made = dir.path().join("new.md");
        std::fs::write(&made, "x").unwrap();
        let gone = dir.path().join("old.md");
        // `sed -i` on p1.md: a temporary file created, written, renamed onto p1.md; a new
        // file made; a file that was there removed.
        let burst = vec![
            (vec![temp.clone()], true),
            (vec![temp.clone()], false),
            (vec![temp.clone(), kept.clone()], false),
            (vec![made.clone()], true),
            (vec![gone.clone()], false),
        ];
        // In the order of their names.
        assert_eq!(changed_paths(burst), vec![made, gone, kept]);
    }
}
