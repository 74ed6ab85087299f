#!/usr/bin/env python3
"""Command-line fuzzing of every rbox applet in a throwaway sandbox (not part of CI).

What it does: for each applet in `rbox --list` it reads the options out of `rbox APPLET --help`
(short and long, and which take an argument), then runs random command lines built from them:
random subsets and orders of options, option arguments drawn from edge values (0, -1, empty,
huge numbers, 1e308, -0, unit suffixes, odd printf/date directives, regex-looking strings,
bytes that are not UTF-8, very long strings, words from the help text), operands from a fixture
tree (files, empty/big/binary files, directories, symlinks including loops and dangling ones,
a fifo, /dev/null, /dev/full, missing names, names with a newline or invalid UTF-8) and one of
several stdin files. Every run has a time limit. A finding is: death by SIGABRT, SIGSEGV,
SIGBUS, SIGFPE, SIGILL or SIGSYS (rbox is built with panic=abort, so a panic is a SIGABRT),
"panicked", "RUST_BACKTRACE" or "memory allocation of" on stderr, a time-out where the command
should end (not `yes`, `sleep`, `tail -f`, a fifo or /dev/zero operand, ...), or a first stderr
line that does not start with the applet's name (reported separately, as "message"; these need
a look: usage text and diagnostics of commands an applet runs are legitimate). Findings are
deduplicated by applet and message (numbers and quoted names masked) and each is printed with a
reproducer.

How to run it (as root or not; as root it first drops to uid/gid 100000 on the host):

    cargo build --release
    python3 benches/clifuzz.py -n 20000 -s 1              # all applets, 20000 command lines
    python3 benches/clifuzz.py -n 2000 cut sort dd        # some applets
    python3 benches/clifuzz.py --repro -- cut -b 1-99999999999999999999 text

`--repro` runs one command line in the same sandbox and shows its status and output;
`--with-usr` (with --repro) also mounts the host's /usr read-only, so GNU's tool can be run on
the same fixtures for comparison (`--repro -- /usr/bin/cut ...`: a first word with a slash is
run as is instead of /bin/rbox).

The sandbox: every command line runs in a fresh set of namespaces (user, mount, pid, uts, net,
ipc, cgroup). The user namespace maps its root to the unprivileged host uid 100000 (the fuzzer
itself runs as that uid), so "root" inside owns nothing of the host's and has no host
capability: `date -s`, writes to host-owned files and mounts outside fail. In the mount
namespace a tmpfs holds an overlay whose lower layer is the template tree
/tmp/clifuzz/root-N (rbox at /bin/rbox with sh/true/cat/echo/sleep links, /etc/passwd, group,
shadow of our own, /dev with bind mounts of null, zero, full and urandom, a fresh /proc, /tmp
and the fixtures in /work, the working directory); pivot_root moves into it and the host's
root is detached, so no path leads outside (no chroot to escape). Every run starts from the
same untouched template (writes land in the tmpfs and vanish with the namespace), so a
reproducer reproduces. The pid namespace confines kill -1, killall and pkill (the namespace's
init is the fuzzer's own fork, immune to signals from inside), the uts namespace confines
hostname, the net namespace has only a down loopback. Limits per run: 2 GiB address space,
64 MiB per file, 128 MiB of tmpfs, 256 processes, no core files. Before fuzzing, probes prove
the sandbox (hostname inside does not change the host's, `touch /probe` creates nothing on
the host, /proc shows only the namespace's processes, uid 0 inside is 100000 outside, the host's
/usr is not visible) and the fuzzer refuses to run if one fails.
"""
import argparse
import bz2
import ctypes
import gzip
import json
import lzma
import os
import random
import re
import resource
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import zipfile

FUZZ_ID = 100000
BASE = "/tmp/clifuzz"
CRASH_SIGNALS = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL,
                 signal.SIGSYS}

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
SYS_PIVOT_ROOT = 155

libc = ctypes.CDLL(None, use_errno=True)


def check(rc, what):
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"{what}: {os.strerror(e)}")


def mount(src, dst, fstype, flags, data=None):
    check(libc.mount(src and src.encode(), dst.encode(), fstype and fstype.encode(),
                     ctypes.c_ulong(flags), data and data.encode()), f"mount {dst}")


# ---------------------------------------------------------------- the sandbox

class Sandbox:
    def __init__(self, n, rbox):
        self.root = f"{BASE}/root-{n}"
        self.mnt = f"{BASE}/mnt-{n}"
        self.rbox = rbox

    def build(self):
        """The template tree: rebuilt from scratch, so nothing a run did survives."""
        if os.path.exists(self.root):
            shutil.rmtree(self.root)
        os.makedirs(self.mnt, exist_ok=True)
        r = self.root
        for d in ("bin", "etc", "dev", "proc", "tmp", "root", "work", "usr", "home/user1"):
            os.makedirs(f"{r}/{d}")
        os.chmod(f"{r}/tmp", 0o1777)
        shutil.copy(self.rbox, f"{r}/bin/rbox")
        for name in ("sh", "true", "false", "cat", "echo", "sleep", "yes", "env"):
            os.symlink("rbox", f"{r}/bin/{name}")
        for name in ("null", "zero", "full", "urandom"):
            open(f"{r}/dev/{name}", "w").close()
        os.symlink("/proc/self/fd", f"{r}/dev/fd")
        for i, name in enumerate(("stdin", "stdout", "stderr")):
            os.symlink(f"/proc/self/fd/{i}", f"{r}/dev/{name}")
        with open(f"{r}/etc/passwd", "w") as f:
            f.write("root:x:0:0:root:/root:/bin/sh\n"
                    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                    "user1:x:1000:1000:User One,,,:/home/user1:/bin/sh\n"
                    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
        with open(f"{r}/etc/group", "w") as f:
            f.write("root:x:0:\ndaemon:x:1:\nusers:x:100:user1\nuser1:x:1000:\n"
                    "nogroup:x:65534:\n")
        with open(f"{r}/etc/shadow", "w") as f:
            # user1 has a made-up SHA-512 crypt hash; root has no password set
            f.write("root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"
                    "user1:$6$salt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iwMuTS4XMS130MT"
                    "SuDDl3aCI6WouIL9AjRbLCelDCy.g.:19000:0:99999:7:::\n"
                    "nobody:*:19000:0:99999:7:::\n")
        os.chmod(f"{r}/etc/shadow", 0o640)
        make_fixtures(f"{r}/work", self.rbox)

    def run(self, argv, stdin="empty", timeout=5.0, with_usr=False, env=None, limit=65536):
        """Run argv (bytes list; argv[0] is the program path inside) in fresh namespaces.

        Returns dict(kind=exit|signal|timeout|setup, code, out, err, secs)."""
        stdin_path = f"{self.root}/work/{stdin}" if "/" not in stdin else stdin
        fd_in = os.open(stdin_path, os.O_RDONLY)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        st_r, st_w = os.pipe()
        env = env or {b"PATH": b"/bin", b"HOME": b"/root", b"USER": b"root",
                      b"LOGNAME": b"root", b"SHELL": b"/bin/sh"}
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:
            code = 120
            try:
                os.close(out_r)
                os.close(err_r)
                os.close(st_r)
                self._outer(argv, fd_in, out_w, err_w, st_w, with_usr, env)
            except BaseException as e:  # noqa: BLE001 (report anything, never return)
                try:
                    os.write(2, f"clifuzz sandbox setup: {e}\n".encode())
                except OSError:
                    pass
            os._exit(code)
        os.close(fd_in)
        os.close(out_w)
        os.close(err_w)
        os.close(st_w)
        bufs = {out_r: bytearray(), err_r: bytearray(), st_r: bytearray()}
        open_fds = set(bufs)
        deadline = t0 + timeout
        timed_out = False
        while open_fds:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select(list(open_fds), [], [], left)
            for fd in ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    open_fds.discard(fd)
                elif len(bufs[fd]) < limit:
                    bufs[fd] += chunk
        if timed_out:
            os.kill(pid, signal.SIGKILL)  # its child, the namespace's init, dies with it
        os.waitpid(pid, 0)
        for fd in bufs:
            os.close(fd)
        secs = time.monotonic() - t0
        out, err, st = bytes(bufs[out_r]), bytes(bufs[err_r]), bytes(bufs[st_r])
        if timed_out:
            return dict(kind="timeout", code=None, out=out, err=err, secs=secs)
        if len(st) != 4:
            return dict(kind="setup", code=None, out=out, err=err, secs=secs)
        status = int.from_bytes(st, "little")
        if os.WIFSIGNALED(status):
            return dict(kind="signal", code=os.WTERMSIG(status), out=out, err=err, secs=secs)
        return dict(kind="exit", code=os.WEXITSTATUS(status), out=out, err=err, secs=secs)

    def _outer(self, argv, fd_in, out_w, err_w, st_w, with_usr, env):
        uid, gid = os.getuid(), os.getgid()
        check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS
                           | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP), "unshare")
        for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"),
                           ("gid_map", f"0 {gid} 1")):
            with open(f"/proc/self/{name}", "w") as f:
                f.write(text)
        init = os.fork()
        if init == 0:
            code = 121
            try:
                self._init(argv, fd_in, out_w, err_w, st_w, with_usr, env)
                code = 0
            except BaseException as e:  # noqa: BLE001
                try:
                    os.write(2, f"clifuzz sandbox init: {e}\n".encode())
                except OSError:
                    pass
            os._exit(code)
        os.close(st_w)
        os.close(out_w)
        os.close(err_w)
        os.waitpid(init, 0)

    def _init(self, argv, fd_in, out_w, err_w, st_w, with_usr, env):
        """pid 1 of the new pid namespace: build the root, pivot into it, run argv, report."""
        check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl")
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1):
            signal.signal(s, signal.SIG_DFL)
        mount(None, "/", None, MS_REC | MS_PRIVATE)
        m = self.mnt
        mount("tmpfs", m, "tmpfs", MS_NOSUID, "size=128m,mode=755")
        for d in ("upper", "wd", "root"):
            os.mkdir(f"{m}/{d}")
        new = f"{m}/root"
        mount("overlay", new, "overlay", 0,
              f"lowerdir={self.root},upperdir={m}/upper,workdir={m}/wd")
        for name in ("null", "zero", "full", "urandom"):
            mount(f"/dev/{name}", f"{new}/dev/{name}", None, MS_BIND)
        mount("proc", f"{new}/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        if with_usr:
            mount("/usr", f"{new}/usr", None, MS_BIND | MS_REC)
            mount(None, f"{new}/usr", None, MS_BIND | MS_REMOUNT | MS_RDONLY)
            for lib in ("lib", "lib64"):
                if os.path.islink(f"/{lib}") and not os.path.lexists(f"{new}/{lib}"):
                    os.symlink(os.readlink(f"/{lib}"), f"{new}/{lib}")
        os.mkdir(f"{new}/.old")
        os.chdir(new)
        check(libc.syscall(SYS_PIVOT_ROOT, b".", b".old"), "pivot_root")
        os.chdir("/")
        check(libc.umount2(b"/.old", MNT_DETACH), "umount old root")
        os.rmdir("/.old")
        socket.sethostname("sandbox")
        child = os.fork()
        if child == 0:
            try:
                for s in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM):
                    signal.signal(s, signal.SIG_DFL)
                for lim, val in ((resource.RLIMIT_AS, 2 << 30), (resource.RLIMIT_FSIZE, 64 << 20),
                                 (resource.RLIMIT_NPROC, 256), (resource.RLIMIT_CORE, 0)):
                    resource.setrlimit(lim, (val, val))
                os.chdir("/work")
                os.dup2(fd_in, 0)
                os.dup2(out_w, 1)
                os.dup2(err_w, 2)
                os.execve(argv[0], argv, env)
            except BaseException as e:  # noqa: BLE001
                try:
                    os.write(2, f"clifuzz exec: {e}\n".encode())
                except OSError:
                    pass
            os._exit(127)
        os.close(fd_in)
        os.close(out_w)
        os.close(err_w)
        while True:
            pid, status = os.waitpid(-1, 0)
            if pid == child:
                break
        os.write(st_w, status.to_bytes(4, "little"))

    def prove(self):
        """Harmless probes; raise if the sandbox leaks."""
        host_name = socket.gethostname()
        rb = b"/bin/rbox"
        r = self.run([rb, b"hostname", b"fuzz-probe"])
        assert r["kind"] == "exit" and r["code"] == 0, f"hostname probe failed to run: {r}"
        assert socket.gethostname() == host_name, "hostname inside changed the host's"
        r = self.run([rb, b"hostname"])
        assert r["out"].strip() == b"sandbox", f"hostname inside is not the sandbox's: {r}"
        for probe in ("/probe", f"{self.root}/probe", f"{self.mnt}/probe"):
            if os.path.lexists(probe):
                raise AssertionError(f"{probe} exists before the probe")
        r = self.run([rb, b"touch", b"/probe"])
        assert r["kind"] == "exit" and r["code"] == 0, f"touch /probe failed inside: {r}"
        for probe in ("/probe", f"{self.root}/probe", f"{self.mnt}/probe"):
            assert not os.path.lexists(probe), f"touch /probe inside created {probe}"
        r = self.run([rb, b"ls", b"/proc"])
        pids = sorted(int(w) for w in r["out"].split() if w.isdigit())
        assert pids == [1, 2], f"the pid namespace shows other processes: {pids}"
        r = self.run([rb, b"kill", b"-0", b"1"])
        assert r["kind"] == "exit" and r["code"] == 0, f"kill -0 1 inside: {r}"
        r = self.run([rb, b"cat", b"/proc/self/uid_map"])
        fields = r["out"].split()
        assert fields[:2] == [b"0", str(os.getuid()).encode()] and os.getuid() != 0, \
            f"uid 0 inside is not the unprivileged {os.getuid()} outside: {r['out']!r}"
        r = self.run([rb, b"ls", b"/usr", b"/"])
        assert b"lib" not in r["out"].split() and b".old" not in r["out"], \
            f"the host's tree is visible: {r['out']!r}"
        r = self.run([rb, b"cat", b"/proc/net/dev"])
        ifaces = [ln.split(b":")[0].strip() for ln in r["out"].splitlines()[2:]]
        assert ifaces == [b"lo"], f"network interfaces inside: {ifaces}"
        r = self.run([rb, b"touch", b"/work/x"])
        assert not os.path.exists(f"{self.root}/work/x"), "a write reached the template"


# ---------------------------------------------------------------- fixtures

def make_fixtures(w, rbox):
    rnd = random.Random(7)
    files = {
        "text": b"hello world\nfoo bar baz\n\tindented line\n123 456 789\n"
                b"trailing spaces   \nUPPER lower MiXeD\n\n:a:b:c:\n",
        "empty": b"",
        "big": b"".join(b"%d line number %d with some words\n" % (i % 997, i)
                        for i in range(30000)),
        "bin": bytes(rnd.getrandbits(8) for _ in range(4096)),
        "longline": b"x" * 300000,
        "manylines": b"".join(b"%d\n" % rnd.randrange(1000) for _ in range(100000)),
        "nul": b"a\0b\0\0c\nd\0\n",
        "crlf": b"one\r\ntwo\r\n\r\nthree",
        "numbers": b"3\n1\n2\n10\n-5\n1e3\n0x10\n1.5\n-0\n99999999999999999999\n1K\n2M\n",
        "sums": b"d41d8cd98f00b204e9800998ecf8427e  empty\n"
                b"0123456789abcdef0123456789abcdef  text\nbad line\n"
                b"d41d8cd98f00b204e9800998ecf8427e  missing\n",
        "script.sh": b"echo hi\nfor i in 1 2 3; do echo $i; done\nexit 3\n",
        "prog.awk": b"{ n += NF } END { print n, NR }\n",
        "prog.sed": b"s/o/0/g\n2d\n$a\\\nend\n",
        "tabs": b"a\tb\t\tc\n\t\t\tx\n        eight\n",
        "utf8": "héllo wörld ☃ 日本語\nçà\n".encode(),
        "badutf8": b"caf\xe9 \xff\xfe \xc3\x28 \xed\xa0\x80\n",
        "new\nline": b"newline name\n",
        "caf\xe9": b"latin1 name\n",
        "-n": b"dash name\n",
        "sp ace": b"space name\n",
        "dir/a": b"a\n",
        "dir/b": b"b\nb\n",
        "dir/sub/c": b"c\n",
        "dir/.hidden": b"h\n",
        "ro": b"read only\n",
        "exec.sh": b"#!/bin/sh\necho exec\n",
        "stdin-lines": b"".join(b"line %d\n" % i for i in range(2000)),
        "stdin-long": b"y" * 200000 + b"\n",
        "passwd": b"root:x:0:0:root:/root:/bin/sh\n",
    }
    for name, data in files.items():
        path = os.path.join(w.encode(), name.encode("utf-8", "surrogateescape")
                            if "\xe9" not in name else b"caf\xe9")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    os.chmod(f"{w}/ro", 0o444)
    os.chmod(f"{w}/exec.sh", 0o755)
    os.makedirs(f"{w}/emptydir")
    for src, dst in (("text", "link"), ("dir", "dirlink"), ("nonexistent", "dangling"),
                     ("loop2", "loop1"), ("loop1", "loop2"), ("selfloop", "selfloop"),
                     ("..", "dir/up")):
        os.symlink(src, f"{w}/{dst}")
    os.mkfifo(f"{w}/fifo")
    os.link(f"{w}/text", f"{w}/hardlink")
    # archives, made with Python's modules (zstd with rbox itself, outside any fuzzing)
    with tarfile.open(f"{w}/t.tar", "w") as t:
        t.add(f"{w}/dir", arcname="dir")
        t.add(f"{w}/text", arcname="text")
    raw = open(f"{w}/t.tar", "rb").read()
    open(f"{w}/t.tar.gz", "wb").write(gzip.compress(raw))
    open(f"{w}/t.gz", "wb").write(gzip.compress(files["text"]))
    open(f"{w}/bad.gz", "wb").write(gzip.compress(files["big"])[:500])
    open(f"{w}/t.bz2", "wb").write(bz2.compress(files["text"]))
    open(f"{w}/t.xz", "wb").write(lzma.compress(files["text"]))
    open(f"{w}/bad.tar", "wb").write(raw[:700] + b"\xff" * 300)
    with zipfile.ZipFile(f"{w}/t.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(f"{w}/text", "text")
        z.write(f"{w}/dir/a", "dir/a")
    zst = subprocess.run([rbox, "zstd", "-c", f"{w}/text"], capture_output=True).stdout
    open(f"{w}/t.zst", "wb").write(zst)


STDINS = ["empty", "text", "bin", "stdin-lines", "stdin-long", "nul", "big", "/dev/null",
          "utf8", "badutf8", "script.sh", "t.gz", "t.tar"]

PATHS = [b"text", b"empty", b"big", b"bin", b"longline", b"manylines", b"nul", b"crlf",
         b"numbers", b"sums", b"script.sh", b"prog.awk", b"prog.sed", b"tabs", b"utf8",
         b"badutf8", b"new\nline", b"caf\xe9", b"-n", b"sp ace", b"dir", b"dir/", b"dir/a",
         b"dir/sub", b"dir/sub/c", b"emptydir", b"ro", b"exec.sh", b"link", b"dirlink",
         b"dangling", b"loop1", b"selfloop", b"dir/up", b"hardlink", b"t.tar",
         b"t.tar.gz", b"t.gz", b"bad.gz", b"t.bz2", b"t.xz", b"t.zst", b"t.zip", b"bad.tar",
         b"missing", b"missing/x", b"text/x", b"/dev/null", b"/dev/full", b"/", b".", b"..",
         b"-", b"/work/text", b"/etc/passwd", b"/etc/shadow", b"/proc/self/status", b"/tmp",
         b"newfile", b"newdir/newfile", b"/tmp/new", b"//", b"./", b"dir//a", b"text/",
         b"/proc/1/fd/0", b"/dev/stdout", b"/dev/stderr", b"/dev/stdin"]
# reading these never ends, or blocks: a time-out with one of them is no finding
BLOCKING = [b"fifo", b"/dev/zero", b"/dev/urandom"]

EDGE = [b"0", b"-1", b"1", b"2", b"", b"-0", b"+0", b"0.0", b"-0.0", b"00", b"+1", b"-2",
        b"99999999999999999999", b"18446744073709551615", b"18446744073709551616",
        b"9223372036854775807", b"9223372036854775808", b"-9223372036854775808",
        b"-9223372036854775809", b"2147483647", b"2147483648", b"-2147483649", b"4294967296",
        b"1e308", b"1e309", b"-1e308", b"1e-308", b"1e-400", b"inf", b"-inf", b"nan", b"0x10",
        b"0x", b"0xffffffffffffffffff", b"010", b"08", b"0b1", b"1.5", b"-1.5", b".5", b"5.",
        b"1,5", b".", b"-", b"--", b"+", b"++1", b"abc", b" 1", b"1 ", b"1\n", b"\t",
        b"1k", b"1K", b"1M", b"1G", b"1T", b"1P", b"1E", b"1Z", b"1Y", b"1R", b"1Q", b"5b",
        b"1kB", b"1KiB", b"1MB", b"1GiB", b"2x3", b"2x", b"x3", b"1w", b"1c", b"16EiB",
        b"99999999999999999999K", b"-1K", b"1s", b"1m", b"1h", b"1d", b"0.000000001",
        b"1e-9", b"9999999999d", b"1e99999", b"0e0", b"1e", b"e1",
        b"%", b"%%", b"%d", b"%s", b"%s%s%s%s%s", b"%n", b"%*d", b"%.*s", b"%999999999d",
        b"%-+ #0q", b"%z", b"%l", b"%lld", b"%b", b"%c", b"%1$s", b"%'d", b"%.9999999f",
        b"%99999999999999999999d", b"%.99999999999999999999f", b"%-", b"%#x", b"%e", b"%g",
        b"%a", b"%q", b"%Lf", b"%hhd", b"%5%", b"%*.*e", b"%i%o%u%X", b"%-2147483648d",
        b"%N", b"%:::z", b"%-_^#0P", b"%+4Y", b"%10000000000s", b"%Ez", b"%O", b"%5",
        b"\\", b"\\x", b"\\0", b"\\777", b"\\c", b"\\u", b"\\U110000", b"\\uD800", b"\\e",
        b"[", b"]", b"[[:alpha:]", b"[:upper:]", b"[[:bogus:]]", b"[=a=]", b"[.a.]", b"a-z",
        b"z-a", b"\\(", b"\\)", b"(", b")", b"a*", b"*", b"**", b"^$", b"$", b"\\1",
        b"a{99999}", b"a\\{99999\\}", b"x{1,2", b"(?i)", b".*.*.*.*", b"{", b"}", b"(a|)*",
        b"((((((((((a))))))))))", b"[a-", b"\\{1,0\\}", b"a**", b"+*?", b"[^]", b"[]]",
        b"1,2", b"1-", b"-5", b"2-1", b"1,,2", b"0-0", b"1-1-1", b",", b":", b"::", b"a:b",
        b"1:2:3", b"1-2,5-", b"-0-", b"~", b"^", b"@", b"@0", b"@-1", b"@99999999999999999",
        b"@1e308", b"now", b"yesterday", b"2024-02-30", b"2024-01-01 25:61", b"1970-01-01",
        b"9999-12-31", b"-1 day", b"next monday", b"TZ=\"Europe/x\" now", b"+%s",
        b"root", b"nobody", b"user1", b"0:0", b"root:root", b":0", b"65536", b"4294967295",
        b"u+s", b"a=rwx", b"7777", b"0888", b"g-w,o+", b"u+", b"=", b"+t", b"a=", b"-rwx",
        b"HUP", b"SIGKILL", b"KILL", b"999", b"RTMIN+40", b"-9", b"64", b"65", b"0x1f",
        b"-n", b"-e", b"--", b"-", b"-x", b"--bogus",
        b"\xff\xfe", b"caf\xe9", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
        b"a" * 5000, b"9" * 400, b"%" * 999, b"%s" * 400, b"-" * 300, b"/" * 3000,
        b"a/" * 2000, b"../" * 200, b"\\" * 501, b"(" * 300, b"[" * 300, b"{" * 300,
        b"*" * 200, b"1," * 1000, b"x" * 70000, b"%" + b"9" * 30 + b"d",
        b"word", b"name", b"auto", b"never", b"always", b"none", b"all", b"full-iso",
        b"utf-8", b"C", b"UTC", b"x=y", b"a b c", b"'", b'"', b"`", b"$(echo x)", b"\n",
        b"\x1b[2J", b"\r"]
WORDS_FROM_HELP_P = 0.2
# the values --sweep gives every option that takes an argument
SWEEP = [b"0", b"-1", b"", b"-0", b"99999999999999999999", b"18446744073709551615",
         b"9223372036854775807", b"-9223372036854775808", b"4294967296", b"2147483648",
         b"1e308", b"-1e308", b"inf", b"nan", b"1Q", b"1E", b"16EiB", b"0x", b"abc", b"%",
         b"%n%*d%999999999d", b"%.99999999999f", b"[", b"\\", b"\xff", b"\777", b"a{99999}",
         b"\xff\xfe".decode("unicode_escape").encode("latin-1"), b"x" * 70000, b"1-0", b",",
         b"-", b"@-99999999999999999", b"+99999999999999999999", b"0.0000001", b"1,-1",
         b"RTMIN+99", b"999999", b"-2147483649", b":"]
# reading one of these never ends (/dev/full reads as zeros; the standard streams are the
# fuzzer's pipes, which the reader itself holds open): a time-out with one of them is expected
# walking these (from /work, ".." is /) reaches /proc, where reads can block (GNU's walkers too)
WHOLE_TREE = [b"/", b"//", b"..", b"../", b"../" * 200]
NEVER_ENDS = [b"fifo", b"/dev/zero", b"/dev/urandom", b"/dev/full", b"/dev/stdout",
              b"/dev/stderr", b"/proc/1/fd", b"/dev/fd", b"/proc/self/fd"]

# applets whose time-out is expected (they wait or run on by design)
RUNS_ON = {"yes", "sleep", "timeout", "nc", "flock", "watch", "setsid", "nohup", "su",
           "gosu", "su-exec", "setpriv", "env", "chroot", "xargs", "find", "sh", "ash", "awk",
           "run-parts", "sed", "wget", "seq"}
# commands the applets that run commands get (never anything that outlives its limit
# deliberately)
COMMANDS = [[b"true"], [b"false"], [b"/bin/rbox", b"echo", b"x"], [b"cat"], [b"echo", b"{}"],
            [b"sh", b"-c", b"exit 7"], [b"missingcmd"], [b"/work/exec.sh"], [b"/work/text"],
            [b"/bin/rbox"], [b"dir"], [b""], [b"sleep", b"0"]]

SPECIAL = {
    "test": [b"-f", b"-d", b"-e", b"-z", b"-n", b"=", b"!=", b"==", b"-eq", b"-lt", b"-ge",
             b"-a", b"-o", b"!", b"(", b")", b"-nt", b"-ef", b"-t", b"<", b">", b"-v"],
    "expr": [b"+", b"-", b"*", b"/", b"%", b":", b"=", b"!=", b"<", b">=", b"&", b"|", b"(",
             b")", b"length", b"substr", b"index", b"match", b"quote"],
    "find": [b"(", b")", b"!", b"-o", b"-a", b",", b"-exec", b"{}", b";", b"+", b"-ok",
             b"-execdir"],
    "sh": [b"-c", b"echo $((1/0))", b"${x?}", b"$((9223372036854775807+1))", b"f(){ f; }; f",
           b"exec 999>&-", b"read -n 99999999999 x", b"ulimit -n 99999999999", b"trap '' 99",
           b"printf %d 1e308", b"x=${#}", b"${x:99999999999}", b"${x:-1:-1}", b"shift 999",
           b"cd -", b"set -o bogus", b"case"],
    "awk": [b"{print $99999999}", b"BEGIN{printf \"%*d\", 1e10, 1}", b"BEGIN{x[1]=1; delete x; print length(x)}",
            b"BEGIN{print substr(\"abc\", -1e308, 1e308)}", b"{$0=$0; NF=-1}",
            b"BEGIN{print 2^1e308, -2^-1e308, int(1e308)}", b"BEGIN{print sprintf(\"%c\", 1e20)}",
            b"BEGIN{getline x < \"/work/fifo\"}", b"BEGIN { srand(1e308); print rand() }",
            b"BEGIN{printf \"%.*f\", 99999, 1}", b"{print > \"/dev/full\"}", b"-f", b"prog.awk",
            b"-v", b"x=1", b"-F", b"", b"BEGIN{exit -1}", b"BEGIN{print toupper(\"\\xff\")}",
            b"BEGIN{split(\"a b\", a, \"\"); print a[3]}", b"{sub(/$/, \"x\"); print}",
            b"BEGIN{print index(\"\", \"\")}", b"BEGIN{printf \"%d\", \"9e999\"}"],
    "sed": [b"s/a/b/99999999999", b"s/x*/y/g", b"y/abc/de/", b"99999999999999999999p",
            b"0~0p", b"1~99999999999999999999d", b"$!N;P;D", b"s/\\(a\\)\\|b/\\2/",
            b"l 0", b"l 99999999999", b"Q 999", b"q -1", b"w /dev/full", b"e", b"s/a/b/e",
            b"-n", b"-e", b"-E", b"-i", b"-f", b"prog.sed", b"-z", b"--posix", b"1,+99999999999999999999d",
            b"0,/x/d", b"/[[:alpha:]/p", b"s/.*/\\U&/", b"a\\", b"{p", b"}", b"s/a/\\n/M"],
    "printf": [b"%d", b"%*d", b"%.*f", b"%b", b"%q", b"%c", b"\\c", b"%s\\n", b"%99999999999d",
               b"%.99999999999s", b"%-*d", b"%1$d", b"%ld", b"%i", b"%x", b"%5.2e", b"%a",
               b"'a", b"\"", b"0x", b"1e308", b"-9223372036854775809", b"%.2147483648d"],
    "date": [b"+%s", b"+%N", b"+%-99999999999d", b"+%:::::z", b"+%E", b"+%O", b"+%_99Y",
             b"+%" * 100, b"-d", b"@99999999999999999", b"-d", b"@-99999999999999999",
             b"--date=2038-01-19 03:14:08", b"-u", b"-R", b"-I", b"--iso-8601=ns",
             b"--rfc-3339=bogus", b"+%10000000000Y", b"+%0999999999999c"],
    "tr": [b"a-z", b"A-Z", b"[:upper:]", b"[:lower:]", b"[a*]", b"[a*99999999999999999999]",
           b"\\0-\\377", b"[=e=]", b"z-a", b"[:alpha:][:digit:]", b"-d", b"-s", b"-c", b"-t",
           b"[x*0]", b"\\", b"a-", b"[:bogus:]", b"[a*5][b*]"],
}


# ---------------------------------------------------------------- help parsing

OPT_RE = re.compile(
    rb"(?<![\w/-])(--?[A-Za-z0-9?][\w-]*)"
    rb"(?:(\[?=)\[?([^\s\],]*)\]?|(,?) ((?:[A-Z][A-Z0-9_]+|<\w+>|\[[-+/]?[A-Z]+\]|[A-Z]+\b)))?")
DD_RE = re.compile(rb"^\s+([a-z]+)=([A-Z]+)", re.M)


def parse_help(text):
    """Options (flag, takes_arg) from help text; takes_arg: 'no', 'req', 'opt'."""
    opts = {}
    for m in OPT_RE.finditer(text):
        name, eq, eqarg, comma, sparg = m.groups()
        if name in (b"--help", b"--version"):
            continue
        if len(name) > 2 and not name.startswith(b"--") and len(name) > 15:
            continue
        kind = "no"
        if eq is not None:
            kind = "opt" if eq.startswith(b"[") else "req"
        elif sparg is not None and not comma:
            kind = "req"
        prev = opts.get(name)
        if prev is None or prev == "no":
            opts[name] = kind
    # "-c, --bytes=LIST": the short option takes the long one's argument
    for m in re.finditer(rb"(?m)^\s+(-[A-Za-z0-9]), (--[\w-]+)(\[?=)", text):
        opts[m.group(1)] = "opt" if m.group(3).startswith(b"[") else "req"
    words = sorted(set(re.findall(rb"\b[a-z][a-z0-9-]{1,14}\b", text)))
    dd = sorted(set(DD_RE.findall(text)))
    return opts, words, dd


# ---------------------------------------------------------------- generation

class Gen:
    def __init__(self, rnd, applet, help_text):
        self.r = rnd
        self.applet = applet
        self.opts, self.words, self.dd = parse_help(help_text)
        self.optlist = sorted(self.opts.items())

    def value(self):
        r = self.r
        x = r.random()
        if x < WORDS_FROM_HELP_P and self.words:
            return r.choice(self.words)
        if x < 0.3:
            return r.choice(PATHS)
        if x < 0.35 and self.applet in SPECIAL:
            return r.choice(SPECIAL[self.applet])
        v = r.choice(EDGE)
        if r.random() < 0.1:
            v = v + r.choice(EDGE)
        return v

    def operand(self):
        r = self.r
        x = r.random()
        if x < 0.5:
            return r.choice(PATHS)
        if x < 0.53:
            return r.choice(BLOCKING)
        if x < 0.75 and self.applet in SPECIAL:
            return r.choice(SPECIAL[self.applet])
        return self.value()

    def command_line(self):
        r = self.r
        args = []
        n = r.choice([0, 1, 1, 2, 2, 3, 4, 6])
        for _ in range(n):
            if not self.optlist or r.random() < 0.05:
                args.append(r.choice([b"-Q", b"--bogus", b"-", b"--", b"-\xff", b"--=x",
                                      b"--" + b"x" * 300]))
                continue
            name, kind = r.choice(self.optlist)
            if kind == "no":
                if (len(name) == 2 and r.random() < 0.2 and args and args[-1][:1] == b"-"
                        and len(args[-1]) >= 2 and args[-1][1:2] != b"-"):
                    args[-1] = args[-1] + name[1:]  # bundle -a -b into -ab
                else:
                    args.append(name)
                if r.random() < 0.03:
                    args[-1] = args[-1] + b"=" + self.value()  # an argument it does not take
                continue
            val = self.value()
            if kind == "opt" and r.random() < 0.4:
                args.append(name)
            elif name.startswith(b"--"):
                if r.random() < 0.7:
                    args.append(name + b"=" + val)
                else:
                    args += [name, val]
            elif len(name) == 2 and r.random() < 0.4:
                args.append(name + val)
            else:
                args += [name, val]
            if r.random() < 0.03:
                args.pop()  # the argument missing at the end
        for key, _ in self.dd:
            if r.random() < 0.3:
                args.append(key + b"=" + self.value())
        if self.applet in ("env", "timeout", "nohup", "setsid", "chroot", "su-exec", "gosu",
                           "setpriv", "xargs", "flock", "nice", "find", "run-parts", "su") \
                and r.random() < 0.5:
            pre = [self.operand() for _ in range(r.choice([0, 1, 1, 2]))]
            if self.applet == "find":
                pre += [b"-exec"]
            args += pre + r.choice(COMMANDS)
            if self.applet == "find":
                args.append(r.choice([b";", b"+", b"{}"]))
        else:
            for _ in range(r.choice([0, 1, 1, 1, 2, 2, 3, 5])):
                args.append(self.operand())
        if self.applet == "[" and r.random() < 0.8:
            args.append(b"]")
        r.shuffle(args) if r.random() < 0.1 else None
        stdin = r.choice(STDINS)
        return args, stdin


def shell_quote(b):
    try:
        s = b.decode()
        if "\n" not in s and "\r" not in s and "\x1b" not in s and "\0" not in s:
            return shlex.quote(s)
    except UnicodeDecodeError:
        pass
    return "$'" + "".join(chr(c) if 32 <= c < 127 and c not in b"'\\" else f"\\x{c:02x}"
                          for c in b) + "'"


def mask(msg):
    """Message key for deduplication: numbers and quoted names masked, first line only."""
    m = msg.split(b"\n")[0][:200]
    m = re.sub(rb"'[^']*'|\"[^\"]*\"|\xe2\x80\x98.*?\xe2\x80\x99", b"Q", m)
    m = re.sub(rb"\d+", b"N", m)
    return m


# ---------------------------------------------------------------- main

def drop_privileges():
    if os.geteuid() != 0:
        return
    os.makedirs(BASE, exist_ok=True)
    os.chown(BASE, FUZZ_ID, FUZZ_ID)
    os.setgroups([])
    os.setresgid(FUZZ_ID, FUZZ_ID, FUZZ_ID)
    os.setresuid(FUZZ_ID, FUZZ_ID, FUZZ_ID)
    # changing credentials made the process undumpable, which hides /proc/self/uid_map from it
    check(libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")


def classify(applet, args, stdin, res):
    """(category, key message) of a finding, or None."""
    err = res["err"]
    if res["kind"] == "setup":
        return ("setup", err[:200])
    endless = any(b in a for a in args for b in NEVER_ENDS) or any(
        a in WHOLE_TREE or a.startswith(b"/proc") for a in args)
    if b"memory allocation of" in err and b"panicked" not in err and endless:
        return None  # an endless input exhausts memory (GNU: "memory exhausted")
    for word in (b"panicked", b"memory allocation of", b"RUST_BACKTRACE"):
        if word in err:
            # the panic's location, kept whole: two panics in one applet are two findings
            line = [ln for ln in err.split(b"\n") if word in ln][0]
            return ("crash", line[:200] if word == b"panicked" else mask(line))
    if res["kind"] == "signal" and res["code"] in CRASH_SIGNALS:
        return ("crash", b"signal %d" % res["code"])
    if res["kind"] == "timeout":
        if applet in RUNS_ON or endless:
            return None
        if applet == "tail" and any(a.startswith((b"-f", b"-F", b"--follow")) or
                                    (a[:1] == b"-" and a[1:2] != b"-" and b"f" in a.lower())
                                    for a in args):
            return None
        return ("hang", b"timeout")
    first = err.split(b"\n")[0]
    if first:
        names = {applet.encode(), b"rbox"}
        names |= {b"grep"} if applet in ("egrep", "fgrep") else set()
        names |= {b"sh"} if applet in ("ash", "sh") else set()
        ok = any(first.startswith(n + b":") for n in names) or first.startswith(
            (b"Usage:", b"usage:", b"BusyBox", b"Try ")) or res["code"] == 0
        if not ok:
            return ("message", mask(first))
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("applets", nargs="*")
    ap.add_argument("-n", "--runs", type=int, default=2000)
    ap.add_argument("-s", "--seed", type=int, default=1)
    ap.add_argument("-t", "--time-limit", type=float, default=5.0)
    ap.add_argument("--rbox", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "..", "target", "x86_64-unknown-linux-musl",
                                                   "release", "rbox"))
    ap.add_argument("--slot", type=int, help="N of /tmp/clifuzz/root-N (default 0, 9 for "
                                                "--repro, so a reproducer leaves a run alone)")
    ap.add_argument("--rebuild-every", type=int, default=5000)
    ap.add_argument("--repro", action="store_true")
    ap.add_argument("--sweep", action="store_true",
                    help="instead of random lines: every option that takes an argument with "
                         "each edge value, on the file 'text' and on stdin")
    ap.add_argument("--stdin", default="empty")
    ap.add_argument("--with-usr", action="store_true")
    ap.add_argument("-o", "--out", help="findings as JSON lines")
    a = ap.parse_args()
    if a.slot is None:
        a.slot = 9 if a.repro else 0
    rbox_src = os.path.abspath(a.rbox)
    # copy the binary while still able to read it, then stop being root
    os.makedirs(BASE, exist_ok=True)
    staged = f"{BASE}/rbox-{a.slot}"
    shutil.copy(rbox_src, staged)
    os.chmod(staged, 0o755)
    drop_privileges()
    box = Sandbox(a.slot, staged)
    box.build()
    box.prove()
    if a.repro:
        argv = [os.fsencode(x) for x in a.applets]
        if b"/" not in argv[0]:
            argv = [b"/bin/rbox"] + argv
        res = box.run(argv, a.stdin, a.time_limit, with_usr=a.with_usr)
        sys.stdout.buffer.write(res["out"])
        sys.stdout.flush()
        sys.stderr.buffer.write(res["err"])
        print(f"[{res['kind']} {res['code']}, {res['secs']:.2f}s]", file=sys.stderr)
        return
    print("sandbox proven: namespaces, pivot_root, uid 0 = host uid", os.getuid(),
          file=sys.stderr)
    lst = box.run([b"/bin/rbox", b"--list"])["out"].decode().split()
    applets = a.applets or lst
    gens = {}
    rnd = random.Random(a.seed)
    for ap_name in applets:
        h = box.run([b"/bin/rbox", ap_name.encode(), b"--help"])
        gens[ap_name] = Gen(random.Random(rnd.random()), ap_name, h["out"] + h["err"])
    seen = {}
    counts = {}
    outf = open(a.out, "a") if a.out else None
    t0 = time.monotonic()
    if a.sweep:
        lines = []
        for ap_name in applets:
            for name, kind in gens[ap_name].optlist:
                if kind == "no":
                    continue
                for v in SWEEP:
                    form = [name + b"=" + v] if name.startswith(b"--") else [name, v]
                    lines.append((ap_name, form + [b"text"], "text"))
        a.runs = len(lines)
        print(f"sweep: {a.runs} command lines", file=sys.stderr)
    for i in range(a.runs):
        if i and i % a.rebuild_every == 0:
            box.build()
        if i % 1000 == 999:
            print(f"... {i + 1} command lines, {time.monotonic() - t0:.0f}s, {counts}",
                  file=sys.stderr, flush=True)
        if a.sweep:
            applet, args, stdin = lines[i]
        else:
            applet = applets[i % len(applets)] if i < len(applets) * 3 else rnd.choice(applets)
            args, stdin = gens[applet].command_line()
        limit = 1.0 if applet in RUNS_ON or any(b in x for x in args for b in NEVER_ENDS) else a.time_limit
        res = box.run([b"/bin/rbox", applet.encode()] + args, stdin, limit)
        counts[res["kind"]] = counts.get(res["kind"], 0) + 1
        cat = classify(applet, args, stdin, res)
        if cat is None:
            continue
        key = (cat[0], applet, cat[1])
        if key in seen:
            seen[key] += 1
            continue
        seen[key] = 1
        cmd = " ".join(shell_quote(x) for x in [applet.encode()] + args)
        repro = f"python3 benches/clifuzz.py --repro --stdin {stdin} -- {cmd}"
        errline = res["err"][:300].decode("utf-8", "replace").replace("\n", "\\n")
        if cat[0] == "message":
            continue  # listed at the end only: most are the reference tools' own formats
        print(f"FINDING {cat[0]} [{res['kind']} {res['code']}] {applet}: {errline}\n"
              f"  {repro}", flush=True)
        if outf:
            outf.write(json.dumps(dict(cat=cat[0], applet=applet, kind=res["kind"],
                                       code=res["code"], err=errline, repro=repro)) + "\n")
            outf.flush()
    dt = time.monotonic() - t0
    print(f"{a.runs} command lines over {len(applets)} applets in {dt:.0f}s; results {counts}; "
          f"{len(seen)} distinct findings", file=sys.stderr)
    for (c, ap_name, msg), n in sorted(seen.items()):
        print(f"  {c:8} {ap_name:10} x{n:<5} {msg.decode('utf-8', 'replace')}", file=sys.stderr)


if __name__ == "__main__":
    main()
