#!/usr/bin/env python3
"""The benchmark's measurements; run it through bench/run, which installs what it needs.

    python3 bench/bench.py --sanpi BIN --floor BIN SIZE...

For each size: generates the sites (bench/gen.py) unless they are there, then times sanpi's build, Hugo's build
and the floor (3 runs each, median), measures each one's peak memory (one more run under
/usr/bin/time -v), counts the pages, and times the save-to-reload loop of `sanpi serve`
(3 edits, median), and times the first builds again on tmpfs. A size pN is a province of
N projects (regions and targets, gen.py --province), against Hugo on the same N projects.
Prints a table and writes it to bench/work/results.md. The outputs go to a file system of
the benchmark's own where it can make one: see "Where the outputs go".
"""

import argparse
import atexit
import glob
import hashlib
import json
import os
import platform
import re
import resource
import select
import shutil
import signal
import statistics
import subprocess
import tempfile
import sys
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
RUNS = 3
EDITS = 3
# The kinds of one-project edits timed in serve (see `edited`).
SERVE_EDITS = ("body", "amount", "name", "new", "delete")


def log(msg):
    print(msg, flush=True)


def rmtree(path):
    if os.path.lexists(path):
        shutil.rmtree(path)


# ---------------------------------------------------------------------------
# Where the outputs go
#
# The project's machines have an ext4 root file system without a journal. Without a journal,
# ext4 does not reuse an inode freed in the last minute (six when its block has been written
# to since: `recently_deleted` in fs/ext4/ialloc.c), and it checks every such inode each time
# it looks for a free one: for minutes after a large `rm -rf`, creating files and folders is
# several times slower (measured here: the floor of 10,000 projects took 0.5 s on a quiet disk,
# 4 to 7 s right after deleting a site of the same size). The times would then depend on what
# the machine deleted before. So, where it can (root, a loop device, mkfs.ext4), the
# benchmark writes every output to a file system of its own, made fresh for each run: ext4
# as mkfs.ext4 makes it (with a journal), in the sparse file work/disk.img, mounted on
# work/mnt, and removed at the end. Elsewhere the outputs go to work/runs, the benchmark
# deletes nothing while it measures, and waits a minute after deleting anything.

RUNS_DIR = os.path.join(WORK, "runs")
IMAGE, MOUNT = os.path.join(WORK, "disk.img"), os.path.join(WORK, "mnt")
DELETED = os.path.join(WORK, ".deleted")  # its mtime: when the benchmark last deleted files
QUIET_AFTER_DELETE = 65  # seconds; ext4 forgets a freed inode after 60 s (once written out)
# First builds are timed again on tmpfs (memory), where the disk plays no part.
TMPFS = "/dev/shm"


def fs_of(path):
    """(file system type, block device name, has a journal) of the mount holding `path`."""
    dev = os.stat(path).st_dev
    fstype = None
    try:
        with open("/proc/self/mountinfo") as f:
            for line in f:
                parts = line.split()
                major, minor = parts[2].split(":")
                if os.makedev(int(major), int(minor)) == dev:
                    fstype = parts[parts.index("-") + 1]
        name = os.path.basename(os.path.realpath(f"/sys/dev/block/{os.major(dev)}:{os.minor(dev)}"))
    except (OSError, ValueError):
        return fstype, None, None
    journals = os.listdir("/proc/fs/jbd2") if os.path.isdir("/proc/fs/jbd2") else []
    return fstype, name, any(j.startswith(name + "-") for j in journals)


def fs_forgets_slowly(path):
    """Whether `path` is on ext4 without a journal."""
    fstype, _, journal = fs_of(path)
    return fstype == "ext4" and journal is False


def unmount():
    if os.path.ismount(MOUNT):
        subprocess.run(["umount", MOUNT], check=False)
    if os.path.isdir(MOUNT) and not os.path.ismount(MOUNT) and not os.listdir(MOUNT):
        os.rmdir(MOUNT)
    if os.path.exists(IMAGE):
        os.remove(IMAGE)


def make_disk(sizes, ordinary=False):
    """Mounts a fresh ext4 file system for the outputs; returns its folder and a line that
    says what it is. Falls back to work/runs, and writes there when `ordinary` (the machine's
    ordinary disk, as a user builds)."""
    unmount()  # what an interrupted run left
    why = None
    if ordinary:
        why = "asked for the ordinary disk"
    elif os.geteuid() != 0:
        why = "not root"
    elif not (shutil.which("mkfs.ext4") and shutil.which("mount") and os.path.exists("/dev/loop-control")):
        why = "no mkfs.ext4 or no loop device"
    else:
        # Room for one size's outputs (each size's are deleted when it is done): about
        # 120 KB and 20 inodes per project without share cards, 420 KB with them, and the
        # runs with cards keep several outputs at once (at 100,000 projects 200 KB a project
        # ran out of room at the floor's run with cards); the file is sparse.
        gib = max(4, -(-max(sizes) * 500 * 1024 // 2**30))
        with open(IMAGE, "wb") as f:
            f.truncate(gib * 2**30)
        os.makedirs(MOUNT, exist_ok=True)
        mk = subprocess.run(["mkfs.ext4", "-q", "-F", "-i", "4096",
                             "-E", "lazy_itable_init=1,lazy_journal_init=1,nodiscard", IMAGE],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        mo = mk.returncode == 0 and subprocess.run(
            ["mount", "-o", "loop,noinit_itable", IMAGE, MOUNT],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if mo and mo.returncode == 0:
            atexit.register(unmount)
            fstype, dev, journal = fs_of(MOUNT)
            return MOUNT, (f"a fresh {fstype} file system{' with a journal' if journal else ''} of {gib} GiB "
                           f"(sparse file bench/work/disk.img on {dev}, mounted on bench/work/mnt)")
        why = (mk.stdout if mk.returncode else mo.stdout).strip()
        unmount()
    if not ordinary:
        log(f"bench: cannot mount a file system of its own ({why}); writing to bench/work/runs")
    fstype, dev, journal = fs_of(WORK)
    delete(RUNS_DIR)
    os.makedirs(RUNS_DIR)
    return RUNS_DIR, (f"bench/work/runs on the work tree's {fstype} file system ({dev}, "
                      f"{'with' if journal else 'without'} a journal)")


def delete(*paths):
    """Deletes folders and notes when, for wait_after_deleting()."""
    gone = False
    for p in paths:
        if os.path.lexists(p):
            rmtree(p)
            gone = True
    if gone:
        os.sync()  # written out: ext4 then forgets the freed inodes after 60 s, not 6 min
        with open(DELETED, "w"):
            pass


def wait_after_deleting(out_root):
    if not os.path.exists(DELETED) or not fs_forgets_slowly(out_root):
        return
    left = QUIET_AFTER_DELETE - (time.time() - os.path.getmtime(DELETED))
    if left > 0:
        log(f"waiting {left:.0f} s: files were deleted, and this file system (ext4 without a "
            "journal) creates files slowly for a while after a deletion")
        time.sleep(left)


# ---------------------------------------------------------------------------
# Running


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed with status {r.returncode}:\n{r.stdout}{r.stderr}")
    return r


def timed(cmd):
    """Wall time and CPU time (user, system) of one run of cmd, the disk synced beforehand."""
    os.sync()
    u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = run(cmd)
    wall = time.perf_counter() - t0
    u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    r.cpu = (u1.ru_utime - u0.ru_utime, u1.ru_stime - u0.ru_stime)
    return wall, r


def peak_rss_mb(cmd):
    """Maximum resident set size of one run, in MB (2^20 bytes), from GNU time."""
    r = run(["/usr/bin/time", "-v"] + cmd)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    if not m:
        sys.exit(f"bench: no peak memory in the output of /usr/bin/time -v:\n{r.stderr}")
    return int(m.group(1)) / 1024, r


def count(out):
    """Pages (index.html files), files, bytes, and the mean bytes of a project's page
    (projects/ID/index.html, not the list's projects/page/N/)."""
    pages = files = size = 0
    project_bytes = projects = 0
    for d, _, fs in os.walk(out):
        rel = os.path.relpath(d, out).split(os.sep)
        for f in fs:
            files += 1
            n = os.path.getsize(os.path.join(d, f))
            size += n
            if f == "index.html":
                pages += 1
                if len(rel) == 2 and rel[0] == "projects" and rel[1] != "page":
                    project_bytes += n
                    projects += 1
    return pages, files, size, project_bytes / max(projects, 1)


class Tool:
    """A program that writes a site into an output folder: `command(out)` runs it."""

    def __init__(self, name, command, folder, parse=None, before=None):
        """`before`, when given, runs (untimed) before each build into a new folder: the
        cards' builds clear their cache there, so that they are first builds."""
        self.name, self.command, self.folder, self.parse = name, command, folder, parse
        self.before = before or (lambda: None)
        self.runs = 0
        self.times, self.cpu, self.again = [], [], []
        self.rss, self.pages, self.files, self.bytes, self.per_project = None, 0, 0, 0, 0
        self.note, self.out = "", None

    def fresh(self):
        """A new output folder, which does not exist yet."""
        self.runs += 1
        return os.path.join(self.folder, f"{self.name.replace(' ', '-')}-{self.runs}")

    def measure(self, again=False, tidy=False, memory=True):
        """The memory run (unless not `memory`), RUNS timed runs and, with `again`, RUNS runs
        over the last output. With `tidy`, each output but the last is deleted once it has
        served (on a file system of the benchmark's own, where deleting does not slow the
        next run down)."""
        def done_with(out):
            if tidy:
                delete(out)
                for spare in glob.glob(os.path.join(os.path.dirname(out), f".{os.path.basename(out)}.*")):
                    delete(spare)

        # The memory run first: it also warms the page cache for the timed runs.
        out = self.fresh()
        self.before()
        if memory:
            self.rss, _ = peak_rss_mb(self.command(out))
        else:
            run(self.command(out))
        done_with(out)
        for i in range(RUNS):
            self.out = self.fresh()
            self.before()
            secs, r = timed(self.command(self.out))
            self.cpu.append(r.cpu)
            if self.parse:
                secs = self.parse(r)
            self.times.append(secs)
            if self.name.startswith("sanpi"):
                self.note = r.stdout.strip()
            if i == 0:
                self.pages, self.files, self.bytes, self.per_project = count(self.out)
            if i < RUNS - 1 or not again:
                done_with(self.out)
        # Building again over the last output (as one does), for the tools that can.
        for _ in range(RUNS if again else 0):
            self.again.append(timed(self.command(self.out))[0])

    @property
    def median(self):
        return statistics.median(self.times)


def sanpi_steps(sanpi, site, out):
    """The build's own breakdown (-v prints each step's milliseconds; -v also runs check's
    lints, so this is one extra, untimed run), and its line about share cards, if any."""
    r = run([sanpi, "-v", "build", site, "-o", out])
    steps, cards = [], ""
    for line in r.stderr.splitlines():
        m = re.match(r"^  (.+): (\d+) ms$", line)
        if m:
            steps.append((m.group(1), int(m.group(2))))
        if line.startswith("  share cards: "):
            cards = line.strip()
    return steps, cards


def cards_site(site, where):
    """A copy of the site at `where` with share cards on, as a site with a base_url gets them
    by default (gen.py turns them off for the main comparison)."""
    delete(where)
    shutil.copytree(site, where, ignore=shutil.ignore_patterns(".sanpi"))
    conf = os.path.join(where, "content", "site.yaml")
    with open(conf, encoding="utf-8") as f:
        text = f.read()
    if "share_images: false" not in text:
        sys.exit(f"bench: no `share_images: false` in {conf}")
    with open(conf, "w", encoding="utf-8") as f:
        f.write(text.replace("share_images: false", "share_images: true"))
    return where


def one_project_changed(sanpi, site, n, out):
    """Renames one project (which changes its page and its share card) and builds over the
    previous output, RUNS times; returns the times. The project is restored at the end."""
    project = os.path.join(site, "content", "projects", f"p{(n + 1) // 2:06d}.md")
    with open(project, encoding="utf-8") as f:
        original = f.read()
    times = []
    try:
        for k in range(RUNS):
            text = re.sub(r'^name: "(.*)"$', lambda m: f'name: "{m.group(1)}（第{k + 1}次修改）"',
                          original, count=1, flags=re.M)
            if text == original:
                sys.exit(f"bench: no quoted `name:` line in {project}")
            with open(project, "w", encoding="utf-8") as f:
                f.write(text)
            times.append(timed([sanpi, "build", site, "-o", out])[0])
    finally:
        with open(project, "w", encoding="utf-8") as f:
            f.write(original)
    return times


def ensure_sites(n):
    """Generates the sites of n projects unless they are there from the same gen.py."""
    with open(os.path.join(HERE, "gen.py"), "rb") as f:
        key = f"{hashlib.sha256(f.read()).hexdigest()} {n}\n"
    sites = [os.path.join(WORK, f"{k}-{n}") for k in ("sanpi", "hugo")]
    stamp = os.path.join(sites[0], ".generated")
    try:
        with open(stamp) as f:
            if f.read() == key and os.path.isdir(sites[1]):
                log(f"the sites of {n} projects are there")
                return
    except OSError:
        pass
    delete(*sites)
    t0 = time.perf_counter()
    run([sys.executable, os.path.join(HERE, "gen.py"), str(n), "--out", WORK])
    with open(stamp, "w") as f:
        f.write(key)
    log(f"generated the sites of {n} projects in {time.perf_counter() - t0:.1f} s")


def ensure_province(n):
    """Generates the province-shaped site of n projects (sanpi-pN: regions, targets) unless
    it is there from the same gen.py. Its Hugo counterpart is hugo-N: the same projects and
    bulletins, without regions (Hugo has no such pages)."""
    with open(os.path.join(HERE, "gen.py"), "rb") as f:
        key = f"{hashlib.sha256(f.read()).hexdigest()} p{n}\n"
    site = os.path.join(WORK, f"sanpi-p{n}")
    stamp = os.path.join(site, ".generated")
    try:
        with open(stamp) as f:
            if f.read() == key:
                log(f"the province of {n} projects is there")
                return
    except OSError:
        pass
    delete(site)
    t0 = time.perf_counter()
    run([sys.executable, os.path.join(HERE, "gen.py"), str(n), "--out", WORK, "--province"])
    with open(stamp, "w") as f:
        f.write(key)
    log(f"generated the province of {n} projects in {time.perf_counter() - t0:.1f} s")


def size_spec(text):
    """`10000` (a campaign of 10,000 projects) or `p10000` (a province of as many, with
    regions and targets): (projects, province?)."""
    m = re.fullmatch(r"(p?)([1-9][0-9]*)", text)
    if not m:
        raise argparse.ArgumentTypeError(f"a size is N or pN (a province), not {text!r}")
    return int(m.group(2)), m.group(1) == "p"


def tmpfs_room(n):
    """Whether tmpfs has room for the largest output of n projects (with cards, about
    450 KB a project, one output at a time) and some to spare."""
    try:
        st = os.statvfs(TMPFS)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize > n * 450 * 1024 * 2 + 2**30


def edited(original, kind, k):
    """A project file after edit k of a kind: `body` appends a sentence, `amount` sets its
    investment, `name` renames it. Returns (the new text, what its page must then show)."""
    if kind == "body":
        sentence = f"补充说明：第{k + 1}次修改，项目进展顺利，预计提前一个月完成年度投资计划。"
        return original + f"\n{sentence}\n", sentence
    head, sep, body = original.partition("\n---\n")
    lines = [l for l in head.split("\n") if not l.startswith("investment:")]
    if kind == "amount":
        amount = f"{k + 7}.25"
        at = next(i for i, l in enumerate(lines) if l.startswith("batch:"))
        lines.insert(at + 1, f"investment: {amount}")
        return "\n".join(lines) + sep + body, amount
    if kind == "name":
        name = f"基准测试改名项目第{k + 1}号"
        lines = [f'name: "{name}"' if l.startswith("name:") else l for l in lines]
        return "\n".join(lines) + sep + body, name
    raise ValueError(kind)


def serve_reload(sanpi, site, n, tmp, kind="body"):
    """Starts `sanpi serve`, edits one project EDITS times (see `edited`), or adds a project
    file (`new`) or removes one (`delete`) EDITS times, and times each save until
    /__sanpi/status?seen=G answers with the next generation. Returns
    (save-to-reload seconds, build milliseconds as serve logs them, first build ms)."""
    os.makedirs(tmp)
    env = dict(os.environ, TMPDIR=tmp)  # serve builds into a temporary folder: keep it here
    proc = subprocess.Popen([sanpi, "serve", site, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    project = os.path.join(site, "content", "projects", f"p{(n + 1) // 2:06d}.md")
    with open(project, encoding="utf-8") as f:
        original = f.read()
    added, removed = [], []  # project files the edits added and removed, put back at the end
    err_lines = []

    def drain(stream, sink):
        for line in stream:
            sink.append(line.rstrip("\n"))

    threading.Thread(target=drain, args=(proc.stderr, err_lines), daemon=True).start()
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 900)
        first = proc.stdout.readline() if ready else ""
        m = re.search(r"serving (http://[^/\s]+/)", first)
        if not m:
            sys.exit(f"bench: sanpi serve did not start: {first!r} {err_lines}")
        base = m.group(1)
        threading.Thread(target=drain, args=(proc.stdout, []), daemon=True).start()

        def status(seen=None):
            url = base + "__sanpi/status" + (f"?seen={seen}" if seen is not None else "")
            with urllib.request.urlopen(url, timeout=60) as r:
                return json.loads(r.read().decode("utf-8"))

        def first_build():
            return next((int(m.group(1)) for l in err_lines
                         if (m := re.match(r"built \d+ pages in (\d+) ms", l))), None)

        deadline = time.monotonic() + 5  # serve logs it before it says where it serves
        while first_build() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        gen = status()["generation"]
        reloads, builds = [], []
        for k in range(EDITS):
            done = {}

            def poll(seen=gen):
                deadline = time.monotonic() + 600
                while time.monotonic() < deadline:
                    s = status(seen)  # blocks until the next build (20 s at most)
                    if s["generation"] != seen:
                        done["t"], done["s"] = time.perf_counter(), s
                        return

            seen_builds = sum("change seen" in l for l in err_lines)
            th = threading.Thread(target=poll, daemon=True)
            th.start()
            time.sleep(0.3)  # the request is waiting, as an open page's is
            # What the edit does, and which page must then show what (None: the page is gone).
            if kind == "new":
                page_id = f"zz-bench-new-{k + 1}"
                path = os.path.join(os.path.dirname(project), page_id + ".md")
                sentence = f"基准测试新增项目第{k + 1}号"
                text = f"---\nname: \"{sentence}\"\nbatch: started\nperiod: 1\ninvestment: 3.5\n---\n{sentence}。\n"
                added.append(path)
            elif kind == "delete":
                page_id = f"p{(n + 1) // 2 + k + 1:06d}"
                path = os.path.join(os.path.dirname(project), page_id + ".md")
                with open(path, encoding="utf-8") as f:
                    removed.append((path, f.read()))
                text, sentence = None, None
            else:
                page_id = os.path.splitext(os.path.basename(project))[0]
                path = project
                text, sentence = edited(original, kind, k)
            t0 = time.perf_counter()
            if text is None:
                os.remove(path)
            else:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            th.join(timeout=660)
            if "t" not in done:
                sys.exit("bench: serve did not report a new build after the edit")
            if done["s"]["errors"]:
                sys.exit(f"bench: the rebuild failed: {done['s']['errors']}")
            reloads.append(done["t"] - t0)
            gen = done["s"]["generation"]
            # The page that reloads must show the edit (or be gone).
            try:
                with urllib.request.urlopen(f"{base}projects/{page_id}/", timeout=60) as r:
                    shown = r.read().decode("utf-8")
            except urllib.error.HTTPError as e:
                shown = None if e.code == 404 else f"HTTP {e.code}"
            if (sentence is None) != (shown is None) or (sentence and sentence not in shown):
                sys.exit(f"bench: after the rebuild, /projects/{page_id}/ does not show the edit")
            # serve logs "change seen, site reloaded in N ms" just before it publishes.
            deadline = time.monotonic() + 5
            while sum("change seen" in l for l in err_lines) <= seen_builds and time.monotonic() < deadline:
                time.sleep(0.01)
            ms = [int(m.group(1)) for l in err_lines if (m := re.search(r"change seen, site \w+ in (\d+) ms", l))]
            builds.append(ms[-1] if len(ms) > seen_builds else None)
            time.sleep(0.5)  # let the watcher settle before the next edit
        return reloads, builds, first_build()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with open(project, "w", encoding="utf-8") as f:
            f.write(original)
        for path in added:
            if os.path.exists(path):
                os.remove(path)
        for path, text in removed:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


def busy_seconds():
    """CPU time the whole machine has spent busy (all cores, all processes), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_seconds():
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def cpu(runs):
    """The user and system CPU time of the run of median total."""
    u, s = sorted(runs, key=sum)[len(runs) // 2]
    return f"{u:.2f}+{s:.2f}"


def fmt_table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda r: "| " + " | ".join(str(x).rjust(w) if i else str(x).ljust(w)
                                      for i, (x, w) in enumerate(zip(r, widths))) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def main():
    # Ctrl+C or a kill: unmount and remove the file system on the way out (atexit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    ap = argparse.ArgumentParser()
    ap.add_argument("--sanpi", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--hugo", default="hugo")
    ap.add_argument("--disk", choices=["own", "ordinary"], default="own",
                    help="own: a fresh loop-mounted ext4 when it can; ordinary: bench/work/runs")
    ap.add_argument("sizes", nargs="+", type=size_spec,
                    help="N: a campaign of N projects; pN: a province of N projects")
    args = ap.parse_args()
    started = time.perf_counter()
    load_before = open("/proc/loadavg").read().split()[:3]
    busy0, own0 = busy_seconds(), own_seconds()
    sanpi = os.path.abspath(args.sanpi)
    hugo_version = run([args.hugo, "version"]).stdout.strip()
    sanpi_version = run([sanpi, "--version"]).stdout.strip()
    commit = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    log(f"sanpi: {sanpi_version} ({commit}), {sanpi}")
    log(f"hugo:  {hugo_version}")

    for n, province in args.sizes:
        ensure_sites(n)
        if province:
            ensure_province(n)
    out_root, out_desc = make_disk([n for n, _ in args.sizes], ordinary=args.disk == "ordinary")
    log(f"outputs: {out_desc}")
    own_disk = out_root == MOUNT
    if not own_disk:
        wait_after_deleting(out_root)

    results = []
    for n, province in args.sizes:
        label = f"{n:,} province" if province else f"{n:,}"
        log(f"\n== {label} projects: builds")
        name = f"p{n}" if province else str(n)
        site, hsite = os.path.join(WORK, f"sanpi-{name}"), os.path.join(WORK, f"hugo-{n}")
        folder = os.path.join(out_root, name)
        os.makedirs(folder)

        s = Tool("sanpi", lambda out: [sanpi, "build", site, "-o", out], folder)
        s.measure(again=True, tidy=own_disk)
        log(f"sanpi: {', '.join(f'{t:.3f}' for t in s.times)} s; {s.rss:.0f} MB; {s.note}")
        log(f"sanpi again over its output: {', '.join(f'{t:.3f}' for t in s.again)} s")
        out = s.fresh()
        steps, _ = sanpi_steps(sanpi, site, out)
        if own_disk:
            delete(out)
        log("sanpi -v steps: " + "; ".join(f"{k} {v} ms" for k, v in steps))

        # Share cards on: first builds (the cache of cards deleted before each), again over
        # the output with nothing changed, and with one project renamed.
        csite = cards_site(site, os.path.join(out_root if own_disk else WORK, f"cards-{n}"))
        cache = os.path.join(csite, ".sanpi")
        c = Tool("sanpi cards", lambda out: [sanpi, "build", csite, "-o", out], folder,
                 before=lambda: delete(cache))
        c.measure(again=True, tidy=own_disk)
        log(f"sanpi cards: {', '.join(f'{t:.3f}' for t in c.times)} s; {c.rss:.0f} MB; {c.note}")
        log(f"sanpi cards again over its output: {', '.join(f'{t:.3f}' for t in c.again)} s")
        c.changed = one_project_changed(sanpi, csite, n, c.out)
        log(f"sanpi cards, one project renamed: {', '.join(f'{t:.3f}' for t in c.changed)} s")
        # The project is back as it was: its first card may still be in the cache (a pack is
        # compacted only when less than half of it is used), so none or one is drawn.
        csteps, c.drawn = sanpi_steps(sanpi, csite, c.out)
        log("sanpi cards -v steps: " + "; ".join(f"{k} {v} ms" for k, v in csteps) + f"; {c.drawn}")
        fc = Tool("floor cards", lambda out: [args.floor, c.out, out], folder,
                  parse=lambda r: float(r.stdout.split()[1]))
        fc.measure(tidy=own_disk)
        log(f"floor cards: {', '.join(f'{t:.3f}' for t in fc.times)} s")
        if own_disk:
            delete(c.out, fc.out)

        h = Tool("hugo", lambda out: [args.hugo, "--quiet", "-s", hsite, "-d", out], folder)
        h.measure(again=True, tidy=own_disk)
        if own_disk:
            delete(h.out)
        log(f"hugo:  {', '.join(f'{t:.3f}' for t in h.times)} s; {h.rss:.0f} MB")
        log(f"hugo again over its output: {', '.join(f'{t:.3f}' for t in h.again)} s")

        # The floor writes the output of sanpi's last run into fresh folders.
        src = s.out
        f = Tool("floor", lambda out: [args.floor, src, out], folder,
                 parse=lambda r: float(r.stdout.split()[1]))
        f.measure(tidy=own_disk)
        log(f"floor: {', '.join(f'{t:.3f}' for t in f.times)} s; {f.rss:.0f} MB (holds the whole output in memory)")
        # First builds again on tmpfs, where the disk plays no part.
        mem = []
        if tmpfs_room(n):
            shm = tempfile.mkdtemp(prefix="sanpi-bench-", dir=TMPFS)
            try:
                for tool in (Tool("sanpi tmpfs", s.command, shm),
                             Tool("sanpi cards tmpfs", c.command, shm, before=lambda: delete(cache)),
                             Tool("hugo tmpfs", h.command, shm)):
                    tool.measure(tidy=True, memory=False)
                    delete(tool.out)
                    log(f"{tool.name}: {', '.join(f'{t:.3f}' for t in tool.times)} s")
                    mem.append(tool)
            finally:
                rmtree(shm)
        else:
            log(f"no room on {TMPFS} for the outputs of {n} projects: no first builds on tmpfs")
        results.append(dict(n=n, label=label, name=name, tools=[s, c, h, f, fc], steps=steps,
                            csteps=csteps, tmpfs=mem))
        if own_disk:
            delete(csite)
        if own_disk:
            delete(folder)  # on a file system with a journal, deleting slows nothing down

    # After all builds: serve's builds may delete files, which would slow the next size down.
    for r in results:
        n = r["n"]
        log(f"\n== {r['label']} projects: serve")
        for kind in SERVE_EDITS:
            reloads, builds, first_build = serve_reload(
                sanpi, os.path.join(WORK, f"sanpi-{r['name']}"), n,
                os.path.join(out_root, f"serve-{r['name']}-{kind}"), kind)
            log(f"serve, {kind} edits: first build {first_build} ms; save to reload "
                f"{', '.join(f'{x * 1000:.0f}' for x in reloads)} ms; rebuilds as logged "
                f"{', '.join(str(b) for b in builds)} ms")
            r[f"reloads-{kind}"] = reloads
            if kind == "body":
                r.update(reloads=reloads, builds=builds)

    # ---- the tables
    header = ["projects", "tool", "wall time (s)", "pages", "pages/s", "peak RSS (MB)", "CPU user+sys (s)",
              "files", "output (MB)", "KB per project page"]
    rows = []
    for r in results:
        for t in r["tools"]:
            rows.append([r["label"], t.name, f"{t.median:.3f}", f"{t.pages:,}",
                         f"{t.pages / t.median:,.0f}", f"{t.rss:.1f}", cpu(t.cpu),
                         f"{t.files:,}",
                         f"{t.bytes / 2**20:.1f}", f"{t.per_project / 1024:.1f}"])
    header2 = ["projects", "sanpi/Hugo", "sanpi/floor", "sanpi ms per 1,000 projects",
               "sanpi again (s)", "Hugo again (s)", "rebuild in serve (ms)", "save to reload (ms)",
               "reload after an amount edit (ms)", "reload after a renaming (ms)",
               "reload after a new project (ms)", "reload after a deletion (ms)"]
    header3 = ["projects", "cards/Hugo", "cards/floor with cards", "cards again (s)",
               "cards again/Hugo", "cards, one project renamed (s)", "KB per card",
               "the build after it"]
    rows2, rows3 = [], []
    for r in results:
        s, c, h, f, fc = r["tools"]
        cards = c.files - s.files
        rows3.append([r["label"], f"{c.median / h.median:.2f}", f"{c.median / fc.median:.2f}",
                      f"{statistics.median(c.again):.3f}",
                      f"{statistics.median(c.again) / h.median:.2f}",
                      f"{statistics.median(c.changed):.3f}",
                      f"{(c.bytes - s.bytes) / max(cards, 1) / 1024:.1f}", c.drawn or "?"])
        builds = [b for b in r["builds"] if b is not None]
        rows2.append([r["label"], f"{s.median / h.median:.2f}", f"{s.median / f.median:.2f}",
                      f"{s.median * 1000 / r['n'] * 1000:.0f}",
                      f"{statistics.median(s.again):.3f}", f"{statistics.median(h.again):.3f}",
                      f"{statistics.median(builds):.0f}" if builds else "?",
                      f"{statistics.median(r['reloads']) * 1000:.0f}",
                      f"{statistics.median(r['reloads-amount']) * 1000:.0f}",
                      f"{statistics.median(r['reloads-name']) * 1000:.0f}",
                      f"{statistics.median(r['reloads-new']) * 1000:.0f}",
                      f"{statistics.median(r['reloads-delete']) * 1000:.0f}"])
    steps = "\n".join(f"- {r['label']} projects: " + "; ".join(f"{k} {v} ms" for k, v in r["steps"])
                      for r in results)
    steps += "\n" + "\n".join(f"- {r['label']} projects, cards on, after the renaming: "
                               + "; ".join(f"{k} {v} ms" for k, v in r["csteps"]) for r in results)
    header4 = ["projects", "sanpi (s)", "sanpi cards (s)", "Hugo (s)", "sanpi/Hugo", "cards/Hugo"]
    rows4 = []
    for r in results:
        if r["tmpfs"]:
            s, c, h = r["tmpfs"]
            rows4.append([r["label"], f"{s.median:.3f}", f"{c.median:.3f}", f"{h.median:.3f}",
                          f"{s.median / h.median:.2f}", f"{c.median / h.median:.2f}"])
    tmpfs_table = (f"First builds on tmpfs ({TMPFS}), medians of {RUNS}:\n\n{fmt_table(header4, rows4)}\n\n"
                   if rows4 else "")
    total = time.perf_counter() - started
    others = (busy_seconds() - busy0) - (own_seconds() - own0)
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    text = (
        f"{fmt_table(header, rows)}\n\n{fmt_table(header2, rows2)}\n\n{fmt_table(header3, rows3)}\n\n"
        f"{tmpfs_table}"
        f"Wall times and save-to-reload are medians of {RUNS} runs / {EDITS} edits; peak RSS is one run "
        "under /usr/bin/time -v; CPU is the user and system time of the timed run of median total: a sum above "
        "the wall time means several cores at work. Pages are index.html files. Each run builds into a new folder; "
        "\"again\" is a build over the previous run's output. The floor "
        "writes sanpi's output files (read into memory first) into a fresh folder. \"sanpi cards\" is the "
        "same site with share cards on (a card per listed page), each timed run a first build (its cache "
        "of cards, ROOT/.sanpi, deleted before); \"cards again\" builds over the previous output with the "
        "cache kept, nothing changed; \"one project renamed\" changes one project's name (its page and "
        "card) before each of 3 builds; \"floor cards\" writes the output with cards.\n\n"
        f"sanpi's own step times (one `sanpi -v build`):\n{steps}\n\n"
        f"- sanpi: {sanpi_version} ({commit})\n- Hugo: {hugo_version}\n"
        f"- outputs written to {out_desc}\n"
        f"- machine: {os.cpu_count()} cores, {cpu_model}, {platform.system()} {platform.release()}\n"
        f"- load average (1, 5, 15 min) before: {' '.join(load_before)}, after: "
        f"{' '.join(open('/proc/loadavg').read().split()[:3])}; the rest of the machine (other processes, "
        f"and the kernel's writeback and loop threads) used {others:.0f} CPU-seconds while this ran, "
        f"{others / total * 100:.0f}% of one core: much more than 10% means the figures are noisy\n"
        f"- measuring took {total:.0f} s for {', '.join(r['label'] for r in results)} projects\n"
    )
    log("\n" + text)
    name = "results.md" if args.disk == "own" else "results-ordinary.md"
    with open(os.path.join(WORK, name), "w", encoding="utf-8") as fh:
        fh.write("# sanpi benchmark results\n\n" + text)
    log(f"written to {os.path.relpath(os.path.join(WORK, name), REPO)}")
    if own_disk:
        unmount()
    else:
        delete(RUNS_DIR)


if __name__ == "__main__":
    main()
