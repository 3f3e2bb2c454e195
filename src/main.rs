//! The `sanpi` command line: parses arguments, calls the library, prints diagnostics, and
//! exits 0 (success, warnings allowed), 1 (errors in content or templates) or 2 (bad usage).

use clap::{Parser, Subcommand};
use sanpi::diagnostics::Diagnostic;
use sanpi::report::{self, Style};
use sanpi::{BuildOptions, Outcome};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc (its version 2, whose peak stays nearer glibc's than version 3's) instead of the
/// system's allocator: glibc's, after serve's last edit let go of its hundreds of megabytes,
/// took up to 170 ms to hand out the next ten thousand small strings (consolidating its free
/// lists), which the next edit paid; a first build of 10,000 projects is some 13% faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A line to standard output; a reader that went away is no panic (`sanpi check | head -1`).
macro_rules! say {
    ($($t:tt)*) => { sanpi::terminal::say(format_args!($($t)*)) };
}

/// A line to standard error, likewise.
macro_rules! tell {
    ($($t:tt)*) => { sanpi::terminal::tell(format_args!($($t)*)) };
}

#[derive(Parser)]
#[command(
    name = "sanpi",
    version,
    about = "Static report sites for “三个一批” investment-project bulletins"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print errors only: no warnings, no summary
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also warn about doubtful content, as `check` does
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKind {
    Project,
    Bulletin,
    Page,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into ROOT/output (or --output)
    Build {
        /// The site folder (holding content/site.yaml)
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Where to write the site
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The public address, overriding base_url in site.yaml
        #[arg(long)]
        base_url: Option<String>,
        /// Include entries marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Replace the output folder even if sanpi did not write it (everything in it is lost)
        #[arg(long)]
        force: bool,
    },
    /// Validate everything and write nothing
    Check {
        #[arg(default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site with live reload
    Serve {
        #[arg(default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on; the default keeps the preview on this machine. Requests are
        /// answered when their Host is localhost, 127.0.0.1, [::1] or this address (any IP
        /// address for 0.0.0.0 or ::)
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site in DIR with the default theme
    Init { dir: PathBuf },
    /// Add a project, bulletin or page, with its front matter filled in
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// The project's name, or the bulletin's or page's title
        name: String,
        #[arg(default_value = ".")]
        root: PathBuf,
    },
    /// Import a project ledger (xlsx, xls, ods or csv): new projects and updates
    Import {
        /// The ledger file (项目台账)
        ledger: PathBuf,
        #[arg(default_value = ".")]
        root: PathBuf,
        /// The period the ledger reports on: new and moved projects enter it
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        period: u32,
        /// The sheet to read (default: the first with a header row)
        #[arg(long)]
        sheet: Option<String>,
        /// The region (its path, such as dongchuan/linhe) of the rows that give none
        #[arg(long, value_name = "PATH")]
        region: Option<String>,
        /// Print what would change and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

/// A path as the terminal shows it: any control character in it escaped.
fn path(p: &Path) -> String {
    sanpi::terminal::shown(&p.display().to_string()).into_owned()
}

/// How this run prints.
struct Printer {
    quiet: bool,
    style: Style,
}

impl Printer {
    fn new(quiet: bool) -> Printer {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Printer {
            quiet,
            style: Style {
                color,
                snippets: true,
            },
        }
    }

    fn diagnostics(&self, root: &Path, outcome: &Outcome) {
        for d in &outcome.diagnostics {
            if d.is_error() || !self.quiet {
                tell!("{}", report::render(d, root, self.style));
            }
        }
    }

    fn error(&self, message: String) -> ExitCode {
        tell!(
            "{}",
            report::render(
                &Diagnostic::error("", None, message),
                Path::new(""),
                self.style
            )
        );
        ExitCode::from(1)
    }

    fn exit(&self, outcome: &Outcome) -> ExitCode {
        if outcome.ok() {
            return ExitCode::SUCCESS;
        }
        Printer::failed(&outcome.diagnostics)
    }

    /// Says how many errors stopped the run, and exits 1.
    fn failed(diagnostics: &[Diagnostic]) -> ExitCode {
        let n = diagnostics.iter().filter(|d| d.is_error()).count();
        tell!(
            "{n} error{} found; nothing was written",
            if n == 1 { "" } else { "s" }
        );
        ExitCode::from(1)
    }
}

/// Parses the command line and runs the subcommand; a usage error exits 2.
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let out = Printer::new(cli.quiet);
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            force,
        } => {
            let opts = BuildOptions {
                output,
                base_url,
                drafts,
                force,
                lint: cli.verbose,
                progress: !cli.quiet && std::io::stderr().is_terminal(),
                ..BuildOptions::new(root)
            };
            build(&out, &opts, cli.verbose)
        }
        Command::Check { root, drafts } => check(&out, root, drafts),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
        } => {
            let opts = sanpi::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                verbose: cli.verbose,
            };
            serve(&out, &opts)
        }
        Command::New { kind, name, root } => new(&out, kind, &name, &root),
        Command::Import {
            ledger,
            root,
            period,
            sheet,
            region,
            dry_run,
        } => {
            let opts = sanpi::ledger::Options {
                shown: ledger.display().to_string(),
                ledger,
                root,
                period,
                sheet,
                region,
                dry_run,
            };
            import(&out, &opts)
        }
        Command::Init { dir } => init(&out, &dir),
    }
}

/// `sanpi build`: builds the site and says what it built (with each step's time when
/// verbose).
fn build(out: &Printer, opts: &BuildOptions, verbose: bool) -> ExitCode {
    let outcome = sanpi::build(opts);
    out.diagnostics(&opts.root, &outcome);
    if let (Some(s), false) = (&outcome.summary, out.quiet) {
        if s.unchanged {
            say!(
                "nothing changed: {} is up to date ({} pages, {} projects, {} charts, {} files), checked in {} ms",
                path(&opts.output_dir()),
                s.pages,
                s.projects,
                s.charts,
                s.files,
                s.millis
            );
            return out.exit(&outcome);
        }
        say!(
            "built {} pages ({} projects, {} charts, {} files) into {} in {} ms",
            s.pages,
            s.projects,
            s.charts,
            s.files,
            path(&opts.output_dir()),
            s.millis
        );
        if verbose {
            for (name, ms) in &s.steps {
                tell!("  {name}: {ms} ms");
            }
            tell!(
                "  pages rendered: {} (the others as the last build wrote them)",
                s.rendered
            );
            if s.cards.drawn + s.cards.reused > 0 {
                tell!(
                    "  share cards: {} drawn, {} from the cache",
                    s.cards.drawn,
                    s.cards.reused
                );
            }
        }
    }
    out.exit(&outcome)
}

/// `sanpi check`: checks the site, writing nothing, and counts its warnings.
fn check(out: &Printer, root: PathBuf, drafts: bool) -> ExitCode {
    let opts = BuildOptions {
        drafts,
        ..BuildOptions::new(root)
    };
    let outcome = sanpi::check(&opts);
    out.diagnostics(&opts.root, &outcome);
    if let (Some(s), false) = (&outcome.summary, out.quiet) {
        let warnings = outcome.diagnostics.len();
        say!(
            "checked {} pages ({} projects): no errors, {warnings} warning{}",
            s.pages,
            s.projects,
            if warnings == 1 { "" } else { "s" }
        );
    }
    out.exit(&outcome)
}

/// `sanpi serve`: serves the preview until the process ends; errors are those of starting.
fn serve(out: &Printer, opts: &sanpi::serve::ServeOptions) -> ExitCode {
    match sanpi::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.error(e),
    }
}

/// `sanpi new`: adds a project, bulletin or page and names the files created.
fn new(out: &Printer, kind: NewKind, name: &str, root: &Path) -> ExitCode {
    let kind = match kind {
        NewKind::Project => sanpi::new::Kind::Project,
        NewKind::Bulletin => sanpi::new::Kind::Bulletin,
        NewKind::Page => sanpi::new::Kind::Page,
    };
    match sanpi::new::create(root, kind, name) {
        Ok(files) => {
            for f in files {
                say!("created {}", path(&f));
            }
            ExitCode::SUCCESS
        }
        Err(e) => out.error(e),
    }
}

/// `sanpi import`: imports a ledger, printing its diagnostics without snippets (a ledger's
/// cells are no text lines) and, when nothing is wrong, a line per change.
fn import(out: &Printer, opts: &sanpi::ledger::Options) -> ExitCode {
    let outcome = sanpi::ledger::import(opts);
    let style = Style {
        snippets: false,
        ..out.style
    };
    for d in &outcome.diagnostics {
        if d.is_error() || !out.quiet {
            tell!("{}", report::render(d, &opts.root, style));
        }
    }
    if outcome.usage {
        return ExitCode::from(2);
    }
    if !outcome.ok {
        return Printer::failed(&outcome.diagnostics);
    }
    if !out.quiet {
        for line in &outcome.lines {
            say!("{}", sanpi::terminal::shown(line));
        }
    }
    ExitCode::SUCCESS
}

/// `sanpi init`: creates a new site in `dir` with the default theme.
fn init(out: &Printer, dir: &Path) -> ExitCode {
    match sanpi::init::init(dir) {
        Ok(n) => {
            say!(
                "created a new site in {} ({n} files); build it with: sanpi build {}",
                path(dir),
                path(dir)
            );
            ExitCode::SUCCESS
        }
        Err(e) => out.error(format!("cannot create a site in {}: {e}", path(dir))),
    }
}
