#!/usr/bin/env python3
"""The benchmark's measurements; run it through bench/run, which installs what it needs.

    python3 bench/bench.py --sanpi BIN --floor BIN SIZE...

For each size: generates the sites (bench/gen.py), then times sanpi's build, Hugo's build
and the floor (3 runs each, median), measures each one's peak memory (one more run under
/usr/bin/time -v), counts the pages, and times the save-to-reload loop of `sanpi serve`
(3 edits, median). Prints a table and writes it to bench/work/results.md.
"""

import argparse
import glob
import json
import os
import platform
import re
import resource
import select
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
RUNS = 3
EDITS = 3


def log(msg):
    print(msg, flush=True)


def rmtree(path):
    if os.path.lexists(path):
        shutil.rmtree(path)


def clear_output(out):
    """Removes an output folder and what sanpi keeps beside it (its spare, staging folders)."""
    rmtree(out)
    parent, name = os.path.split(out)
    for f in glob.glob(os.path.join(parent, f".{name}.sanpi-*")):
        rmtree(f)


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed with status {r.returncode}:\n{r.stdout}{r.stderr}")
    return r


def timed(cmd, out, fresh=True):
    """Wall time of one run of cmd, with `out` removed (unless not `fresh`) and the disk
    synced beforehand."""
    if fresh:
        clear_output(out)
    os.sync()
    u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = run(cmd)
    wall = time.perf_counter() - t0
    u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    r.cpu = (u1.ru_utime - u0.ru_utime, u1.ru_stime - u0.ru_stime)
    return wall, r


def peak_rss_mb(cmd, out):
    """Maximum resident set size of one run, in MB (2^20 bytes), from GNU time."""
    clear_output(out)
    r = run(["/usr/bin/time", "-v"] + cmd)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    if not m:
        sys.exit(f"bench: no peak memory in the output of /usr/bin/time -v:\n{r.stderr}")
    return int(m.group(1)) / 1024, r


def count(out):
    pages = files = size = 0
    for d, _, fs in os.walk(out):
        for f in fs:
            files += 1
            size += os.path.getsize(os.path.join(d, f))
            if f == "index.html":
                pages += 1
    return pages, files, size


class Tool:
    def __init__(self, name, cmd, out, parse=None):
        self.name, self.cmd, self.out, self.parse = name, cmd, out, parse
        self.times, self.rss, self.pages, self.files, self.bytes = [], None, 0, 0, 0
        self.again, self.cpu = [], []
        self.note = ""

    def measure(self, again=False):
        # The memory run first: it also warms the page cache for the timed runs.
        self.rss, _ = peak_rss_mb(self.cmd, self.out)
        for _ in range(RUNS):
            secs, r = timed(self.cmd, self.out)
            self.cpu.append(r.cpu)
            if self.parse:
                secs = self.parse(r)
            self.times.append(secs)
            if self.name == "sanpi":
                self.note = r.stdout.strip()
        self.pages, self.files, self.bytes = count(self.out)
        # Building again over the previous output (as one does), for the tools that can.
        for _ in range(RUNS if again else 0):
            self.again.append(timed(self.cmd, self.out, fresh=False)[0])

    @property
    def median(self):
        return statistics.median(self.times)


def sanpi_steps(sanpi, site, out):
    """The build's own breakdown (-v prints each step's milliseconds; -v also runs check's
    lints, so this is one extra, untimed run)."""
    clear_output(out)
    r = run([sanpi, "-v", "build", site, "-o", out])
    steps = []
    for line in r.stderr.splitlines():
        m = re.match(r"^  (.+): (\d+) ms$", line)
        if m:
            steps.append((m.group(1), int(m.group(2))))
    return steps


def serve_reload(sanpi, site, n):
    """Starts `sanpi serve`, appends a sentence to one project EDITS times, and times each
    save until /__sanpi/status?seen=G answers with the next generation. Returns
    (save-to-reload seconds, build milliseconds as serve logs them, first build ms)."""
    tmp = os.path.join(WORK, f"tmp-serve-{n}")
    rmtree(tmp)
    os.makedirs(tmp)
    env = dict(os.environ, TMPDIR=tmp)  # serve builds into a temporary folder: keep it here
    proc = subprocess.Popen([sanpi, "serve", site, "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    project = os.path.join(site, "content", "projects", f"p{(n + 1) // 2:06d}.md")
    with open(project, encoding="utf-8") as f:
        original = f.read()
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

        first_build = next((int(m.group(1)) for l in err_lines
                            if (m := re.match(r"built \d+ pages in (\d+) ms", l))), None)
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
            t0 = time.perf_counter()
            with open(project, "a", encoding="utf-8") as f:
                f.write(f"\n补充说明：第{k + 1}次修改，项目进展顺利，预计提前一个月完成年度投资计划。\n")
            th.join(timeout=660)
            if "t" not in done:
                sys.exit("bench: serve did not report a new build after the edit")
            if done["s"]["errors"]:
                sys.exit(f"bench: the rebuild failed: {done['s']['errors']}")
            reloads.append(done["t"] - t0)
            gen = done["s"]["generation"]
            # serve logs "change seen, site reloaded in N ms" just before it publishes.
            deadline = time.monotonic() + 5
            while sum("change seen" in l for l in err_lines) <= seen_builds and time.monotonic() < deadline:
                time.sleep(0.01)
            ms = [int(m.group(1)) for l in err_lines if (m := re.search(r"change seen, site \w+ in (\d+) ms", l))]
            builds.append(ms[-1] if len(ms) > seen_builds else None)
            time.sleep(0.5)  # let the watcher settle before the next edit
        return reloads, builds, first_build
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with open(project, "w", encoding="utf-8") as f:
            f.write(original)
        rmtree(tmp)


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
    ap = argparse.ArgumentParser()
    ap.add_argument("--sanpi", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--hugo", default="hugo")
    ap.add_argument("sizes", nargs="+", type=int)
    args = ap.parse_args()
    started = time.perf_counter()
    load_before = open("/proc/loadavg").read().split()[:3]
    sanpi = os.path.abspath(args.sanpi)
    hugo_version = run([args.hugo, "version"]).stdout.strip()
    sanpi_version = run([sanpi, "--version"]).stdout.strip()
    commit = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    log(f"sanpi: {sanpi_version} ({commit}), {sanpi}")
    log(f"hugo:  {hugo_version}")

    results = []
    for n in args.sizes:
        log(f"\n== {n} projects")
        t0 = time.perf_counter()
        run([sys.executable, os.path.join(HERE, "gen.py"), str(n), "--out", WORK])
        log(f"generated the sites in {time.perf_counter() - t0:.1f} s")
        site, hsite = os.path.join(WORK, f"sanpi-{n}"), os.path.join(WORK, f"hugo-{n}")
        out_s, out_h, out_f = (os.path.join(WORK, f"out-{k}-{n}") for k in ("sanpi", "hugo", "floor"))

        s = Tool("sanpi", [sanpi, "build", site, "-o", out_s], out_s)
        s.measure(again=True)
        log(f"sanpi: {', '.join(f'{t:.3f}' for t in s.times)} s; {s.rss:.0f} MB; {s.note}")
        log(f"sanpi again over its output: {', '.join(f'{t:.3f}' for t in s.again)} s")
        steps = sanpi_steps(sanpi, site, out_s)
        log("sanpi -v steps: " + "; ".join(f"{k} {v} ms" for k, v in steps))

        h = Tool("hugo", [args.hugo, "--quiet", "-s", hsite, "-d", out_h], out_h)
        h.measure(again=True)
        log(f"hugo:  {', '.join(f'{t:.3f}' for t in h.times)} s; {h.rss:.0f} MB")
        log(f"hugo again over its output: {', '.join(f'{t:.3f}' for t in h.again)} s")

        # The floor writes sanpi's output (rebuilt above) into a fresh folder.
        f = Tool("floor", [args.floor, out_s, out_f], out_f,
                 parse=lambda r: float(r.stdout.split()[1]))
        f.measure()
        log(f"floor: {', '.join(f'{t:.3f}' for t in f.times)} s; {f.rss:.0f} MB (holds the whole output in memory)")
        clear_output(out_f)

        reloads, builds, first_build = serve_reload(sanpi, site, n)
        log(f"serve: first build {first_build} ms; save to reload "
            f"{', '.join(f'{x * 1000:.0f}' for x in reloads)} ms; rebuilds as logged "
            f"{', '.join(str(b) for b in builds)} ms")
        results.append(dict(n=n, tools=[s, h, f], reloads=reloads, builds=builds, steps=steps))

    # ---- the tables
    header = ["projects", "tool", "wall time (s)", "pages", "pages/s", "peak RSS (MB)", "CPU user+sys (s)",
              "files", "output (MB)"]
    rows = []
    for r in results:
        for t in r["tools"]:
            rows.append([f"{r['n']:,}", t.name, f"{t.median:.3f}", f"{t.pages:,}",
                         f"{t.pages / t.median:,.0f}", f"{t.rss:.1f}", cpu(t.cpu),
                         f"{t.files:,}",
                         f"{t.bytes / 2**20:.1f}"])
    header2 = ["projects", "sanpi/Hugo", "sanpi/floor", "sanpi ms per 1,000 projects",
               "sanpi again (s)", "Hugo again (s)", "rebuild in serve (ms)", "save to reload (ms)"]
    rows2 = []
    for r in results:
        s, h, f = r["tools"]
        builds = [b for b in r["builds"] if b is not None]
        rows2.append([f"{r['n']:,}", f"{s.median / h.median:.2f}", f"{s.median / f.median:.2f}",
                      f"{s.median * 1000 / r['n'] * 1000:.0f}",
                      f"{statistics.median(s.again):.3f}", f"{statistics.median(h.again):.3f}",
                      f"{statistics.median(builds):.0f}" if builds else "?",
                      f"{statistics.median(r['reloads']) * 1000:.0f}"])
    steps = "\n".join(f"- {r['n']:,} projects: " + "; ".join(f"{k} {v} ms" for k, v in r["steps"])
                      for r in results)
    total = time.perf_counter() - started
    cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    text = (
        f"{fmt_table(header, rows)}\n\n{fmt_table(header2, rows2)}\n\n"
        f"Wall times and save-to-reload are medians of {RUNS} runs / {EDITS} edits; peak RSS is one run "
        "under /usr/bin/time -v; CPU is the user and system time of the timed run of median total: a sum above "
        "the wall time means several cores at work. Pages are index.html files. Each timed run starts from no output "
        "folder (and no spare beside it); \"again\" is a build over the previous run's output. The floor "
        "writes sanpi's output files (read into memory first) into a fresh folder.\n\n"
        f"sanpi's own step times (one `sanpi -v build`):\n{steps}\n\n"
        f"- sanpi: {sanpi_version} ({commit})\n- Hugo: {hugo_version}\n"
        f"- machine: {os.cpu_count()} cores, {cpu_model}, {platform.system()} {platform.release()}\n"
        f"- load average (1, 5, 15 min) before: {' '.join(load_before)}, after: "
        f"{' '.join(open('/proc/loadavg').read().split()[:3])} (above 0.1 or so, something else shared the cores)\n"
        f"- bench.py took {total:.0f} s for {', '.join(str(n) for n in args.sizes)} projects\n"
    )
    log("\n" + text)
    with open(os.path.join(WORK, "results.md"), "w", encoding="utf-8") as fh:
        fh.write("# sanpi benchmark results\n\n" + text)
    log(f"written to {os.path.relpath(os.path.join(WORK, 'results.md'), REPO)}")


if __name__ == "__main__":
    main()
