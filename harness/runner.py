#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot the series' kernel in QEMU (TCG) and run guest commands or tests.

  runner.py run     [--append A] [--overlay DIR] [--cmd CMD] [--kernel BZIMAGE]
  runner.py check   [--boots FILE] [--only NAME[,NAME]] [--wait-build V=PREFIX]
  runner.py kernels [--boots FILE] [--only NAME[,NAME]]

The guest has two serial ports: ttyS0 is the kernel console, ttyS1 carries
the output of the command the guest runs (see harness/guest/init).  "run"
boots once: with --cmd it prints the command's output and exits with its
status, else it gives an interactive shell on the console.  "check" boots
once per section of the boots file, collects the built-in KUnit results
from the console, the KTAP results of each guest test program and the
kernel's own reports (WARNING, BUG, Oops, lockdep, stalls...), prints one
line per test and per report and closes with "N passed, N failed".
"kernels" lists the kernel variants other than "on" that the selected
boots need (one per line), for the Makefile to build.
"""
import argparse
import configparser
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# Guest layout: q35 puts 2 GiB below 4 GiB and the rest above it.  Node 0:
# 0-2G and 4G-4.5G; node 1: 4.5G-6G.  Default fake mirror: all memory below
# 4 GiB plus the first 256 MiB of each node above it; the rest is
# non-mirrored (ZONE_MOVABLE).
NODE_MEM = ("2560M", "1536M")
MIRROR = "mirrored_mem=2G@0,256M@4G,256M@4608M"
BASE_APPEND = "console=ttyS0,115200 panic=-1 oops=panic printk.time=1"

CACHE = os.environ.get("CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
    "ras-series")
INITRD = os.path.join(CACHE, "guest", "initramfs.cpio")
PANIC_RE = re.compile(r"Kernel panic - not syncing: (.*)")
TS_RE = re.compile(r"^\[\s*\d+\.\d+\] ?")
RESULT_RE = re.compile(r"^(\s*)(not ok|ok) (\d+)\s*-?\s*(.*?)\s*$")

# Keys of a boots.conf section (a misspelt key must not pass unnoticed).
BOOT_KEYS = {"append", "kunit", "run", "panic", "report", "timeout", "disk",
             "kernel", "numa", "smp", "icount"}


def parse_numa(text):
    """"4x256M" or "2560M,1536M": the memory of each NUMA node."""
    m = re.fullmatch(r"(\d+)x(\d+[MG])", text.strip())
    sizes = ([m.group(2)] * int(m.group(1)) if m
             else [x.strip() for x in text.split(",")])
    if not sizes or len(sizes) > 8 or not all(
            re.fullmatch(r"\d+[MG]", x) for x in sizes):
        raise ValueError(f"bad numa value '{text}'")
    return tuple(sizes)


def mem_mib(sizes):
    return sum(int(x[:-1]) * (1024 if x[-1] == "G" else 1) for x in sizes)

# First lines of the kernel's reports of a bug, with its own debug checks
# or without: WARN*(), BUG*() and oopses, lockdep, sleeping in atomic
# context, the soft-lockup, RCU-stall and hung-task detectors, bad page
# state, debugobjects, list debugging, UBSAN.  Matched at the start of a
# console line (after the time stamp); the lockup and stall detectors
# carry their prefix ("watchdog: ", "rcu: ").  Other subsystems' messages
# that merely contain "WARNING:" are not reports.
REPORT_RE = re.compile(r"""^(?:(?:NMI\ )?watchdog:\ |rcu:\ )?(?:
    WARNING:\ |
    BUG:\ |
    kernel\ BUG\ at\ |
    Oops:\ |
    general\ protection\ fault |
    INFO:\ (?:possible\ |inconsistent\ lock\ state|trying\ to\ register
             |suspicious\ |task\ .*\ blocked\ for\ more\ than
             |.*detected\ stall) |
    ODEBUG:\ |
    list_\w+\ (?:corruption|double\ add) |
    UBSAN:\ |
    Watchdog\ detected\ hard\ LOCKUP
)""", re.X)
# A WARN() or BUG() starts with this line; the report is what follows.
CUT_RE = re.compile(r"^-+\[ cut here \]-+$")
# Second header of the same report, at most FOLLOW_LINES lines after the
# first: the "WARNING: CPU: ..." line after a WARN()'s own message (list
# corruption, ODEBUG, ...), the "Oops:" line after "kernel BUG at" or a
# page-fault "BUG:".
WARN_HEAD_RE = re.compile(r"^WARNING: CPU: \d+ PID: \d+ at ")
OOPS_HEAD_RE = re.compile(r"^Oops: ")
OOPS_CAUSE_RE = re.compile(r"^(?:kernel BUG at |BUG: kernel NULL pointer "
                           r"dereference|BUG: unable to handle )")
FOLLOW_LINES = 10


def kernel_path(variant="on"):
    """bzImage of a kernel variant: a configure mode; "on" is the default
    test kernel in $CACHE/build, the others are in $CACHE/build-<mode>."""
    build = "build" if variant == "on" else f"build-{variant}"
    return os.path.join(CACHE, build, "arch", "x86", "boot", "bzImage")


KERNEL = kernel_path()


def kernel_reports(console):
    """The kernel's bug reports on @console, in order: one string each,
    the report's first line (plus its second header when it has one)."""
    reports = []
    # The last report while a second header may follow it:
    # [index in reports, line number, started right after "cut here"].
    cur = None
    after_cut = False
    for i, raw in enumerate(console.splitlines()):
        line = TS_RE.sub("", raw).strip()
        if not line:
            continue
        if CUT_RE.match(line):
            after_cut, cur = True, None
            continue
        if cur is not None and i - cur[1] <= FOLLOW_LINES:
            first = reports[cur[0]]
            if (cur[2] and WARN_HEAD_RE.match(line)
                    and not WARN_HEAD_RE.match(first)
                    or OOPS_HEAD_RE.match(line)
                    and OOPS_CAUSE_RE.match(first)):
                reports[cur[0]] += f" ({line})"
                cur = None
                continue
        # Whatever a WARN() or BUG() prints first names the report.
        if not after_cut and not REPORT_RE.match(line):
            continue
        reports.append(line)
        cur = [len(reports) - 1, i, after_cut]
        after_cut = False
    return reports


def qemu_argv(append, initrd, console, out_log, qmp, icount=None, smp=2,
              disk=None, kernel=KERNEL, nodes=NODE_MEM):
    argv = ["qemu-system-x86_64", "-nodefaults", "-display", "none",
            "-machine", "q35", "-accel", "tcg", "-cpu", "Skylake-Server",
            "-smp", str(smp), "-m", f"{mem_mib(nodes)}M,slots=4,maxmem=8G",
            "-no-reboot",
            "-device", "pvpanic", "-action", "panic=none",
            "-kernel", kernel, "-initrd", initrd,
            "-append", " ".join([BASE_APPEND, append]).strip()]
    for i, size in enumerate(nodes):
        cpus = f"cpus={i}," if i < smp else ""
        argv += ["-object", f"memory-backend-ram,id=m{i},size={size}",
                 "-numa", f"node,nodeid={i},{cpus}memdev=m{i}"]
    argv += ["-serial", console, "-serial", f"file:{out_log}"]
    if qmp:
        argv += ["-qmp", f"unix:{qmp},server=on,wait=off"]
    if icount:
        # Guest time counts instructions: benchmarks repeat exactly.
        argv += ["-icount", icount]
    if disk:
        argv += ["-drive", f"file={disk},if=virtio,format=raw"]
    # For harness/profile (the gdbstub), or a developer's experiment.
    argv += shlex.split(os.environ.get("RAS_QEMU_EXTRA", ""))
    return argv


def make_disk(tmp, size):
    """An empty ext4 file system of @size (e.g. 64M): the guest's /dev/vda."""
    path = os.path.join(tmp, "disk.img")
    subprocess.run(["mkfs.ext4", "-q", "-F", "-E", "nodiscard", path, size],
                   check=True, stdout=subprocess.DEVNULL)
    return path


def make_initrd(tmp, cmd, overlay):
    """The base initramfs plus a second archive with /etc/ras/run."""
    root = os.path.join(tmp, "extra")
    os.makedirs(os.path.join(root, "etc", "ras"))
    if overlay:
        subprocess.run(["cp", "-a", overlay.rstrip("/") + "/.", root],
                       check=True)
    if cmd is not None:
        with open(os.path.join(root, "etc", "ras", "run"), "w") as f:
            f.write(cmd + "\n")
    extra = os.path.join(tmp, "extra.cpio")
    files = subprocess.run(["find", "."], cwd=root, check=True,
                           capture_output=True).stdout
    with open(extra, "wb") as f:
        subprocess.run(["cpio", "-o", "-H", "newc", "-R", "0:0", "--quiet"],
                       cwd=root, input=files, stdout=f, check=True)
    initrd = os.path.join(tmp, "initrd.cpio")
    with open(initrd, "wb") as f:
        for part in (INITRD, extra):
            with open(part, "rb") as p:
                shutil.copyfileobj(p, f)
    return initrd


class Qmp:
    """A minimal QMP client for the monitor socket of a running guest."""

    def __init__(self, path):
        import json
        import socket
        self.json = json
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.buf = b""
        self._reply()                      # greeting
        self.execute("qmp_capabilities")

    def _reply(self):
        while True:
            while b"\n" not in self.buf:
                data = self.sock.recv(65536)
                if not data:
                    raise ConnectionError("QMP socket closed")
                self.buf += data
            line, self.buf = self.buf.split(b"\n", 1)
            msg = self.json.loads(line)
            if "event" not in msg:
                return msg

    def execute(self, cmd, **args):
        req = {"execute": cmd}
        if args:
            req["arguments"] = args
        self.sock.sendall(self.json.dumps(req).encode() + b"\n")
        return self._reply()

    def hmp(self, line):
        return self.execute("human-monitor-command", **{"command-line": line})


class Boot:
    """One guest boot running @cmd; output collected in @tmp."""

    def __init__(self, tmp, append, cmd, overlay=None, timeout=300,
                 stream=None, icount=None, smp=2, disk=None, kernel=KERNEL,
                 nodes=NODE_MEM):
        self.tmp, self.timeout, self.stream = tmp, timeout, stream
        self.console = os.path.join(tmp, "console.log")
        self.out = os.path.join(tmp, "out.log")
        self.qemu_log = os.path.join(tmp, "qemu.log")
        self.initrd = make_initrd(tmp, cmd, overlay)
        self.qmp_path = os.path.join(tmp, "qmp.sock")
        self.qmp_log = os.path.join(tmp, "qmp.log")
        self.qmp = None
        self.argv = qemu_argv(append, self.initrd, f"file:{self.console}",
                              self.out, self.qmp_path, icount, smp,
                              make_disk(tmp, disk) if disk else None, kernel,
                              nodes)
        self.timed_out = False
        self.seconds = 0.0

    def run(self):
        start = time.monotonic()
        with open(self.qemu_log, "w") as log:
            proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=log)
            pos = 0
            while proc.poll() is None:
                time.sleep(0.2)
                pos = self._stream(pos)
                if time.monotonic() - start > self.timeout:
                    self.timed_out = True
                    proc.send_signal(signal.SIGTERM)
                    try:
                        proc.wait(10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
            self._stream(pos)
        self.seconds = time.monotonic() - start
        self.qemu_rc = proc.returncode
        return self

    def _stream(self, pos):
        if not os.path.exists(self.out):
            return pos
        with open(self.out, "rb") as f:
            f.seek(pos)
            data = f.read()
        # Hand over whole lines only.
        cut = data.rfind(b"\n") + 1
        for line in data[:cut].decode(errors="replace").splitlines():
            line = line.rstrip("\r")
            self._guest_request(line)
            if self.stream:
                self.stream(line)
        return pos + cut

    # Monitor commands a guest may request: machine checks, and memory
    # hotplug of RAM backends and pc-dimm devices (ids: letters, digits).
    QMP_ALLOWED = re.compile(
        r"^RAS-QMP ((?:mce [0-9a-fx -]+)"
        r"|(?:object_add memory-backend-ram,id=\w+,size=\d+[KMG]?)"
        r"|(?:device_add pc-dimm,id=\w+,memdev=\w+(?:,node=\d+)?)"
        r"|(?:device_del \w+)|(?:object_del \w+))$")

    def _guest_request(self, line):
        """'RAS-QMP <monitor command>' from the guest: run it on the host.

        Guest tests use it for what only the emulator can do: machine
        checks ('mce ...') and memory hotplug ('object_add', 'device_add',
        'device_del', 'object_del' of RAM backends and pc-dimms).  Anything
        else is refused.  The replies go to the QMP log (qmp.log)."""
        if not line.startswith("RAS-QMP "):
            return
        m = self.QMP_ALLOWED.match(line)
        if not m:
            with open(self.qmp_log, "a") as f:
                f.write(f"{line}\nRAS-QMP-ERROR refused\n")
            return
        try:
            if self.qmp is None:
                self.qmp = Qmp(self.qmp_path)
            reply = self.qmp.hmp(m.group(1))
            note = f"RAS-QMP-REPLY {reply}"
        except (OSError, ValueError) as e:
            note = f"RAS-QMP-ERROR {e}"
        with open(self.qmp_log, "a") as f:
            f.write(f"{m.group(1)}\n{note}\n")

    def text(self, which):
        path = self.console if which == "console" else self.out
        try:
            with open(path, "rb") as f:
                raw = f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""
        return raw.replace("\r\n", "\n").replace("\r", "")

    def panic(self):
        m = PANIC_RE.search(self.text("console"))
        return m.group(1).strip() if m else None

    def exit_status(self):
        m = re.search(r"^RAS-EXIT (\d+)$", self.text("out"), re.M)
        return int(m.group(1)) if m else None


def tail(text, n=60):
    return "\n".join("    | " + l for l in text.splitlines()[-n:])


# ---------------------------------------------------------------- run

def cmd_run(args):
    append = f"{args.append} {args.extra}".strip()
    if args.cmd is None and sys.stdin.isatty() or args.interactive:
        argv = qemu_argv(append, INITRD, "mon:stdio", "/dev/null", None,
                         kernel=args.kernel)
        tmp = tempfile.mkdtemp(prefix="ras-run-")
        try:
            if args.overlay:
                argv[argv.index(INITRD)] = make_initrd(tmp, None, args.overlay)
            print("QEMU: Ctrl-A x quits, 'poweroff -f' in the guest too.",
                  file=sys.stderr)
            return subprocess.call(argv)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    cmd = args.cmd if args.cmd is not None else sys.stdin.read()
    tmp = tempfile.mkdtemp(prefix="ras-run-")
    started = [False]

    def show(line):
        if line.startswith("RAS-START"):
            started[0] = True
        elif started[0] and not re.match(r"^RAS-EXIT \d+$", line):
            print(line, flush=True)

    try:
        boot = Boot(tmp, append, cmd, args.overlay, args.timeout,
                    stream=show, icount=args.icount, smp=args.smp,
                    disk=args.disk, kernel=args.kernel,
                    nodes=parse_numa(args.numa)).run()
        rc = boot.exit_status()
        for r in kernel_reports(boot.text("console")):
            print(f"run: kernel report: {r}", file=sys.stderr)
        if args.console or rc is None:
            print("--- console ---", file=sys.stderr)
            print(boot.text("console"), file=sys.stderr)
        if boot.timed_out:
            print(f"run: guest timed out after {args.timeout}s",
                  file=sys.stderr)
            return 124
        if rc is None:
            why = boot.panic()
            print(f"run: guest ended without an exit status"
                  + (f" (panic: {why})" if why else ""), file=sys.stderr)
            return 125
        if rc:
            print(f"run: guest command exited with status {rc}",
                  file=sys.stderr)
        return rc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- check

class Results:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []

    def add(self, status, name):
        print(f"{status} {name}", flush=True)
        if status == "PASS":
            self.passed += 1
        elif status == "SKIP":
            self.skipped += 1
        else:
            self.failed += 1
            self.failures.append(name)


def parse_kunit(console):
    """Test-case results of the built-in KUnit suites: [(ok, name)]."""
    cases, suite = [], None
    for raw in console.splitlines():
        line = TS_RE.sub("", raw)
        m = re.match(r"^    # Subtest: (\S+)", line)
        if m:
            suite = m.group(1)
            continue
        m = RESULT_RE.match(line)
        if not m or suite is None:
            continue
        indent, status, _, name = m.groups()
        if len(indent) == 4:
            skip = "# SKIP" in name
            cases.append(("SKIP" if skip else
                          "PASS" if status == "ok" else "FAIL",
                          f"{suite}.{name.split(' #')[0]}"))
    return cases


def parse_progs(out):
    """Per guest program: [name, exit status, [(status, description)],
    plan, seconds]."""
    progs, cur = [], None
    for line in out.splitlines():
        m = re.match(r"^RAS-PROG-BEGIN (\S+)", line)
        if m:
            cur = [m.group(1), None, [], None, None]
            progs.append(cur)
            continue
        if cur is None:
            continue
        m = re.match(r"^RAS-PROG-END \S+ (\d+)(?: ([\d.]+))?", line)
        if m:
            cur[1] = int(m.group(1))
            cur[4] = float(m.group(2)) if m.group(2) else None
            cur = None
            continue
        m = re.match(r"^1\.\.(\d+)", line)
        if m:
            cur[3] = int(m.group(1))
            continue
        m = RESULT_RE.match(line)
        if m and not m.group(1):
            desc = m.group(4)
            status = "PASS" if m.group(2) == "ok" else "FAIL"
            if re.search(r"#\s*SKIP", desc, re.I):
                status = "SKIP"
            cur[2].append((status, re.sub(r"\s*#\s*SKIP.*", "", desc,
                                          flags=re.I)))
    return progs


def check_boot(name, sec, res, keep):
    append = sec.get("append", "").replace("@MIRROR@", MIRROR)
    progs = [p.strip() for p in sec.get("run", "").split(";") if p.strip()]
    cmd = "\n".join(f"run-selftest {p}" for p in progs) or "true"
    expect_panic = sec.get("panic")
    expect_report = sec.get("report")
    kunit = sec.getboolean("kunit", False)
    timeout = sec.getint("timeout", 300)
    disk = sec.get("disk")
    variant = sec.get("kernel", "on")
    kernel = kernel_path(variant)
    nodes = parse_numa(sec.get("numa", ",".join(NODE_MEM)))
    smp = sec.getint("smp", 2)
    icount = sec.get("icount")
    if not kunit:
        append += " kunit.enable=0"
    if not os.path.exists(kernel):
        res.add("FAIL", f"{name}: kernel '{variant}' not built: {kernel}")
        return 0.0

    tmp = tempfile.mkdtemp(prefix=f"ras-{name}-")
    boot = Boot(tmp, append, cmd, timeout=timeout, disk=disk,
                kernel=kernel, smp=smp, nodes=nodes, icount=icount).run()
    console, out = boot.text("console"), boot.text("out")
    print(f"# boot {name}: {boot.seconds:.1f}s, kernel: {variant}, "
          f"append: {append}", flush=True)
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copy(boot.console, os.path.join(keep, f"{name}.console.log"))
        shutil.copy(boot.out, os.path.join(keep, f"{name}.out.log"))
    bad = False

    if boot.timed_out:
        res.add("FAIL", f"{name}: boot timed out after {timeout}s")
        bad = True
    panic = boot.panic()
    if expect_panic:
        ok = panic is not None and re.search(expect_panic, panic)
        res.add("PASS" if ok else "FAIL",
                f"{name}: panics with '{expect_panic}'"
                + ("" if ok else f" (got: {panic})"))
        bad |= not ok
    elif panic:
        res.add("FAIL", f"{name}: unexpected panic: {panic}")
        bad = True

    # Every report of the kernel fails the boot, but the expected ones.
    seen_expected = False
    for report in kernel_reports(console):
        if expect_report and re.search(expect_report, report):
            res.add("PASS", f"{name}: expected kernel report: {report}")
            seen_expected = True
        else:
            res.add("FAIL", f"{name}: kernel report: {report}")
            bad = True
    if expect_report and not seen_expected:
        res.add("FAIL", f"{name}: no kernel report matching '{expect_report}'")
        bad = True

    if kunit:
        cases = parse_kunit(console)
        if not cases:
            res.add("FAIL", f"{name}: kunit: no KUnit results on the console")
            bad = True
        for status, case in cases:
            res.add(status, f"{name}: kunit: {case}")
            bad |= status == "FAIL"

    ran = parse_progs(out)
    if ran:
        print(f"# {name}: program seconds: " + ", ".join(
            f"{r[0]} {r[4]}" for r in ran if r[4] is not None), flush=True)
    seen = {}
    for i, p in enumerate([] if expect_panic else progs):
        prog = p.split()[0]
        got = ran[i] if i < len(ran) and ran[i][0] == prog else None
        seen[prog] = seen.get(prog, 0) + 1
        if seen[prog] > 1:
            prog += f"#{seen[prog]}"
        if got is None:
            res.add("FAIL", f"{name}: {prog}: did not run")
            bad = True
            continue
        _, rc, results, plan, _ = got
        for status, desc in results:
            res.add(status, f"{name}: {prog}: {desc}")
            bad |= status == "FAIL"
        if rc is None:
            res.add("FAIL", f"{name}: {prog}: did not finish")
            bad = True
        elif not results or (plan is not None and plan != len(results)):
            res.add("FAIL", f"{name}: {prog}: {len(results)} results,"
                    f" plan {plan}, exit {rc}")
            bad = True
        elif rc not in (0, 4) and not any(s == "FAIL" for s, _ in results):
            res.add("FAIL", f"{name}: {prog}: exit status {rc}")
            bad = True
    if not expect_panic and boot.exit_status() is None and not boot.timed_out:
        res.add("FAIL", f"{name}: guest did not finish its run")
        bad = True
    if bad:
        print(f"# {name}: guest output:\n{tail(out, 40)}", flush=True)
        print(f"# {name}: console:\n{tail(console, 80)}", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return boot.seconds


def read_boots(args):
    """The boots file's sections selected by --only, checked: [(name, sec)]."""
    conf = configparser.ConfigParser(interpolation=None)
    if not conf.read(args.boots):
        sys.exit(f"runner: cannot read {args.boots}")
    only = set(args.only.split(",")) if args.only else None
    unknown = sorted(only - set(conf.sections())) if only else []
    if unknown:
        sys.exit(f"runner: no boot named {', '.join(unknown)} in {args.boots}")
    boots = []
    for name in conf.sections():
        sec = conf[name]
        for key in sec:
            if key not in BOOT_KEYS:
                sys.exit(f"runner: [{name}]: unknown key '{key}'")
        for key in ("panic", "report"):
            try:
                re.compile(sec.get(key, ""))
            except re.error as e:
                sys.exit(f"runner: [{name}]: {key}: bad regex: {e}")
        try:
            nodes = parse_numa(sec.get("numa", ",".join(NODE_MEM)))
        except ValueError as e:
            sys.exit(f"runner: [{name}]: {e}")
        smp = sec.get("smp", "2")
        if not re.fullmatch(r"[1-8]", smp) or int(smp) > len(nodes) * 8:
            sys.exit(f"runner: [{name}]: smp must be 1 to 8, not '{smp}'")
        if not re.fullmatch(r"[a-z0-9]+", sec.get("kernel", "on")):
            sys.exit(f"runner: [{name}]: bad kernel '{sec.get('kernel')}'")
        if not only or name in only:
            boots.append((name, sec))
    return boots


def cmd_kernels(args):
    """Print the kernel variants, other than "on", the selected boots use."""
    need = []
    for _, sec in read_boots(args):
        variant = sec.get("kernel", "on")
        if variant != "on" and variant not in need:
            need.append(variant)
    print("\n".join(need))
    return 0


def wait_build(variant, prefix, res):
    """Wait for the background build of @variant (make test-boots): True
    when it succeeded; else a failure with the end of its log."""
    start = time.time()
    while not os.path.exists(prefix + ".status"):
        time.sleep(2)
    with open(prefix + ".status") as f:
        status = f.read().strip()
    print(f"# kernel {variant}: built in the background, waited "
          f"{time.time() - start:.0f}s, status {status}", flush=True)
    if status == "0":
        return True
    try:
        with open(prefix + ".log") as f:
            log = f.read()
    except OSError:
        log = ""
    res.add("FAIL", f"kernel '{variant}': build failed (status {status})")
    print(tail(log), flush=True)
    return False


def cmd_check(args):
    res = Results()
    times = []
    pending = dict(w.split("=", 1) for w in args.wait_build)
    boots = read_boots(args)
    # The boots of kernels still being built go last, in their order.
    boots.sort(key=lambda b: b[1].get("kernel", "on") in pending)
    built = {}
    for name, sec in boots:
        variant = sec.get("kernel", "on")
        if variant in pending and variant not in built:
            built[variant] = wait_build(variant, pending[variant], res)
        if not built.get(variant, True):
            res.add("FAIL", f"{name}: kernel '{variant}' not built")
            continue
        times.append((name, check_boot(name, sec, res, args.keep)))
    tail_line = f"{res.passed} passed, {res.failed} failed"
    if res.skipped:
        tail_line += f", {res.skipped} skipped"
    if times:
        print("# boot times: " + ", ".join(f"{n} {t:.0f}s" for n, t in times)
              + f"; total {sum(t for _, t in times):.0f}s")
    if res.failures:
        print("# failed:\n" + "\n".join("#   " + f for f in res.failures))
    print(tail_line)
    return 1 if res.failed or not res.passed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    r = sub.add_parser("run")
    r.add_argument("--append", default=f"kernelcore=reliable {MIRROR}")
    r.add_argument("--extra", default="",
                   help="appended to --append (make run APPEND=...)")
    r.add_argument("--overlay")
    r.add_argument("--cmd")
    r.add_argument("--interactive", action="store_true")
    r.add_argument("--console", action="store_true",
                   help="print the kernel console after the run")
    r.add_argument("--timeout", type=int, default=600)
    r.add_argument("--smp", type=int, default=2, help="vCPUs (default 2)")
    r.add_argument("--numa", default=",".join(NODE_MEM),
                   help="memory of each NUMA node, e.g. 4x256M")
    r.add_argument("--disk", help="size of an empty ext4 file system the "
                   "guest sees as /dev/vda, e.g. 64M")
    r.add_argument("--icount", help="QEMU -icount value, e.g. "
                   "'shift=3,sleep=off': guest time counts instructions")
    r.add_argument("--kernel", default=KERNEL,
                   help=f"bzImage to boot (default {KERNEL})")
    boots = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "boots.conf")
    c = sub.add_parser("check")
    c.add_argument("--boots", default=boots)
    c.add_argument("--only")
    c.add_argument("--keep", help="copy each boot's logs to this directory")
    c.add_argument("--wait-build", action="append", default=[],
                   metavar="VARIANT=PREFIX",
                   help="kernel VARIANT is being built: before its first "
                   "boot wait for PREFIX.status (its exit status; "
                   "PREFIX.log holds its output); its boots run last")
    k = sub.add_parser("kernels")
    k.add_argument("--boots", default=boots)
    k.add_argument("--only")
    args = ap.parse_args()
    if args.what == "kernels":
        sys.exit(cmd_kernels(args))
    need = [INITRD] + ([args.kernel] if args.what == "run" else [])
    for f in need:
        if not os.path.exists(f):
            sys.exit(f"runner: {f} missing: run 'make' first")
    sys.exit(cmd_run(args) if args.what == "run" else cmd_check(args))


if __name__ == "__main__":
    main()
