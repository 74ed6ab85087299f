#!/usr/bin/env python3
"""Run the Oils project's shell spec tests (spec/*.test.sh) against one shell.

Not part of CI: the suite is not in the repository. Fetch the `spec/*.test.sh` files of
https://github.com/oils-for-unix/oils into a directory (the README's sh section lists the
files measured), then:

    benches/oils-spec.py --shell rbox=target/x86_64-unknown-linux-musl/release/rbox DIR
    benches/oils-spec.py --shell dash=/usr/bin/dash DIR
    benches/oils-spec.py --shell ash=/usr/bin/busybox DIR
    benches/oils-spec.py --shell bash=/usr/bin/bash DIR          (run as bash --posix)

NAME=BINARY: the binary is linked under a scratch directory as `sh` (rbox, which picks its
applet by argv[0]), `ash` (BusyBox) or `dash`; `bash` gets a wrapper that runs
`bash --posix`. That directory leads PATH and $SH holds the bare name, so a case's `$SH -c`
and its `case $SH in dash|ash)` tests see the shell under test.

How a case runs (as the suite's own runner does): its code goes to the shell's standard
input, stdout and stderr are pipes, --timeout seconds at most (10); the working directory
is a scratch tree holding what the cases look for (spec/testdata, _tmp, tests/), made once
per run and shared by the cases as the suite's runner shares its repository (a few cases
use files an earlier one made); the environment is only TMP, PATH, LANG=C.UTF-8, SH and
REPO_ROOT; the helpers the cases call (argv.py, printenv.py, read_from_fd.py,
stdout_stderr.py, python2, ...) are small stand-ins written here. --link ash runs rbox as
`ash`, so the cases that skip their bash parts for dash and ash skip them for rbox too. A case passes when stdout, stderr (where the case states
it) and the exit status meet the case's default expectation, or an `## OK` / `## N-I`
variant given for the shell's name. For rbox (NAME `rbox`) the variants given for `dash`
and `ash` count too, since rbox follows those two where bash differs. `## BUG` variants
never count. Both file formats are read: `#### name` with `## key: value` metadata and
`## STDOUT: ... ## END` blocks, and the older `### name` with `# key: value`.

Prints one line per failed case (-v: every case, with what differed) and per-file and total
counts; --list FILE writes "PASS|FAIL file:line name" for every case, for diffing runs.
"""

import argparse
import ast
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

KEY_NEW = re.compile(r'^##\s+(?:(OK|BUG|N-I|BUG-\d)\s+([\w+/.\-]+)\s+)?([\w\-]+):\s*(.*)$')
KEY_OLD = re.compile(r'^##?\s+(?:(OK|BUG|N-I)\s+([\w+/.\-]+)\s+)?([\w\-]+):\s*(.*)$')
END_NEW = re.compile(r'^##\s+END\s*$')
KNOWN_KEYS = {'stdout', 'stderr', 'status', 'stdout-json', 'stderr-json', 'stdout-repr',
              'stderr-repr', 'STDOUT', 'STDERR', 'code'}


def parse_file(path):
    """Return the list of cases: dicts with name, line, code, default and per-shell specs."""
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        lines = f.read().split('\n')
    new = any(l.startswith('#### ') or l == '####' for l in lines)
    begin = '####' if new else '###'
    key_re = KEY_NEW if new else KEY_OLD
    cases = []
    cur = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith(begin) and (new or not line.startswith('####')):
            cur = {'name': line[len(begin):].strip(), 'line': i, 'code': [],
                   'default': {}, 'shells': {}, 'code_key': None}
            cases.append(cur)
            continue
        if cur is None:
            continue
        m = key_re.match(line)
        if m and m.group(3) in KNOWN_KEYS:
            qual, shells, key, value = m.groups()
            if key in ('STDOUT', 'STDERR'):
                block = []
                while i < len(lines):
                    l2 = lines[i]
                    if END_NEW.match(l2):
                        i += 1
                        break
                    if l2.startswith(begin):
                        # a block closed by the next case: its blank lines are spacing
                        while block and block[-1] == '':
                            block.pop()
                        break
                    if key_re.match(l2):
                        break
                    i += 1
                    if l2.lstrip().startswith('#'):
                        continue
                    block.append(l2 if l2.strip() else '')
                key, value = key.lower(), ('\n'.join(block) + '\n' if block else '')
                if not block:
                    value = ''
            elif key in ('stdout', 'stderr'):
                value += '\n'
            if key == 'code':
                cur['code_key'] = value + '\n'
                continue
            if qual:
                for sh in shells.split('/'):
                    d = cur['shells'].setdefault(sh, {})
                    d[key] = value
                    d['qualifier'] = qual
            else:
                cur['default'][key] = value
            continue
        if line.strip() == '' or line.lstrip().startswith('#'):
            continue
        cur['code'].append(line)
    for c in cases:
        c['code'] = c['code_key'] if c['code_key'] is not None else '\n'.join(c['code']) + '\n'
    return cases


def expected(spec, key):
    """Expected bytes for stdout/stderr from a spec dict, or None when unstated."""
    if key in spec:
        return spec[key].encode('utf-8', 'surrogateescape')
    if key + '-json' in spec:
        return json.loads(spec[key + '-json']).encode('utf-8', 'surrogateescape')
    if key + '-repr' in spec:
        v = ast.literal_eval(spec[key + '-repr'])
        return v if isinstance(v, bytes) else v.encode('latin-1', 'replace')
    return None


def has(spec, key):
    return any(k in spec for k in (key, key + '-json', key + '-repr'))


def matches(case, label, out, err, status):
    """Does the result meet the expectation the suite gives for shell `label`?"""
    per = case['shells'].get(label, {}) if label else {}
    for key, got in (('stdout', out), ('stderr', err)):
        spec = per if has(per, key) else case['default']
        want = expected(spec, key)
        if want is not None and want != got:
            return False
    if 'status' in per:
        want_status = int(per['status'])
    else:
        want_status = int(case['default'].get('status', 0))
    return want_status == status


def passes(case, labels, out, err, status):
    if matches(case, None, out, err, status):
        return True
    for label in labels:
        per = case['shells'].get(label)
        if per and per.get('qualifier') in ('OK', 'N-I') and matches(case, label, out, err, status):
            return True
    return False


HELPERS = {
    # Python 2's repr of a list of byte strings, which is what the cases expect.
    'argv.py': "import os, sys\n"
               "print('[' + ', '.join(repr(os.fsencode(a))[1:] for a in sys.argv[1:]) + ']')\n",
    'printenv.py': "import os, sys\n"
                   "for n in sys.argv[1:]:\n"
                   "    v = os.environb.get(os.fsencode(n))\n"
                   "    sys.stdout.buffer.write((v if v is not None else b'None') + b'\\n')\n",
    'read_from_fd.py': "import os, sys\n"
                       "for a in sys.argv[1:]:\n"
                       "    fd = int(a)\n"
                       "    data = b''\n"
                       "    while True:\n"
                       "        chunk = os.read(fd, 4096)\n"
                       "        if not chunk:\n"
                       "            break\n"
                       "        data += chunk\n"
                       "    sys.stdout.buffer.write(b'%d: ' % fd + data)\n",
    'stdout_stderr.py': "import sys\n"
                        "print(sys.argv[1] if len(sys.argv) > 1 else 'STDOUT')\n"
                        "sys.stdout.flush()\n"
                        "print(sys.argv[2] if len(sys.argv) > 2 else 'STDERR', file=sys.stderr)\n"
                        "sys.exit(int(sys.argv[3]) if len(sys.argv) > 3 else 0)\n",
    'show_fd_table.py': "import os\n"
                        "for fd in sorted(int(x) for x in os.listdir('/proc/self/fd')):\n"
                        "    try:\n"
                        "        print(fd, os.readlink('/proc/self/fd/%d' % fd))\n"
                        "    except OSError:\n"
                        "        pass\n",
    # The cases' `python2 -c 'print "..."'`: the print statement made a call for Python 3.
    # Python 2's strings are bytes: the code is read, and its output written, as Latin-1.
    'python2': r'''import io, os, re, sys
if len(sys.argv) > 2 and sys.argv[1] == '-c':
    code = os.fsencode(sys.argv[2]).decode('latin-1')
    code = re.sub(r'^(\s*)print (.*)$', r'\1print(\2)', code, flags=re.M)
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding='latin-1')
    sys.argv = ['-c'] + sys.argv[3:]
    exec(compile(code, '<string>', 'exec'))
else:
    import os
    os.execv(sys.executable, [sys.executable] + sys.argv[1:])
''',
    'foo=bar': None,
}


def write_exe(path, text):
    with open(path, 'w') as f:
        f.write(text)
    os.chmod(path, 0o755)


def make_helpers(d):
    os.makedirs(d, exist_ok=True)
    py = shutil.which('python3') or sys.executable
    for name, body in HELPERS.items():
        if body is not None:
            write_exe(os.path.join(d, name), '#!%s\n%s' % (py, body))
    shutil.copy(os.path.join(d, 'argv.py'), os.path.join(d, 'argv'))  # older files' name
    write_exe(os.path.join(d, 'foo=bar'), '#!/bin/sh\necho HI\n')


def make_template(root):
    """The tree a case starts in (the suite's runner starts in its repository)."""
    for d in ('spec/testdata', '_tmp/spec-tmp', 'tests', 'bin'):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    td = os.path.join(root, 'spec/testdata')
    write_exe(os.path.join(td, 'show-argv.sh'), 'echo show-argv: "$@"\n')
    write_exe(os.path.join(td, 'source-argv.sh'),
              'echo source-argv: "$@"\nshift\nlocal foo=foo_val\n')
    write_exe(os.path.join(td, 'echo.sh'), '#!/bin/sh\necho "$@"\n')
    write_exe(os.path.join(td, 'echo.sz'), '#!/bin/sh\necho "$@"\n')
    with open(os.path.join(td, 'utf8-chars.txt'), 'w', encoding='utf-8') as fh:
        fh.write('ab\u03bcc\u20acd\U0001d11e')  # 7 characters of 1 to 4 bytes, 13 bytes
    for f in ('INSTALL', 'LICENSE', 'tests/hello.txt', 'tests/01-bad-func.sh'):
        with open(os.path.join(root, f), 'w') as fh:
            fh.write('hello\n' if f.endswith('.txt') else '')


def make_shell(shdir, name, binary, link=None):
    os.makedirs(shdir, exist_ok=True)
    binary = os.path.abspath(binary)
    if name == 'bash':
        write_exe(os.path.join(shdir, 'bash'), '#!/bin/sh\nexec %s --posix "$@"\n' % binary)
        return 'bash'
    link = link or {'rbox': 'sh', 'ash': 'ash', 'busybox': 'ash'}.get(name, name)
    os.symlink(binary, os.path.join(shdir, link))
    return link


def run_case(code, sh_name, env, work, timeout):
    env = dict(env, REPO_ROOT=work, TMP=os.path.join(work, '_tmp/spec-tmp'))
    # Pipes, as the suite's runner uses (a case may reopen /dev/stdout).
    p = subprocess.Popen([sh_name], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=work, env=env, start_new_session=True)
    try:
        o, e = p.communicate(code.encode('utf-8', 'surrogateescape'), timeout=timeout)
        status = p.returncode
    except subprocess.TimeoutExpired:
        status = None
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if status is None:
        o, e = p.communicate()
        p.wait()
    if status is not None and status < 0:
        status = 128 - status
    return o, e, status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--shell', required=True, help='NAME=BINARY (rbox, dash, ash, bash)')
    ap.add_argument('--link', help='the name the binary is linked as (and $SH): default sh '
                    'for rbox; `ash` shows the cases that skip their bash parts by $SH')
    ap.add_argument('--timeout', type=float, default=10.0, help='seconds per case')
    ap.add_argument('--list', help='write PASS/FAIL per case to this file')
    ap.add_argument('--case', help='only cases whose name contains this')
    ap.add_argument('-v', '--verbose', action='store_true')
    ap.add_argument('paths', nargs='+', help='spec files or a directory of them')
    a = ap.parse_args()

    name, _, binary = a.shell.partition('=')
    labels = {'rbox': ['dash', 'ash'], 'busybox': ['ash'], 'bash': ['bash', 'bash-4.4']}.get(
        name, [name])
    files = []
    for p in a.paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith('.test.sh'))
        else:
            files.append(p)

    scratch = tempfile.mkdtemp(prefix='oils-spec-')
    try:
        helpers = os.path.join(scratch, 'helpers')
        shdir = os.path.join(scratch, 'shell')
        work = os.path.join(scratch, 'work')
        make_helpers(helpers)
        make_template(work)
        sh_name = make_shell(shdir, name, binary, a.link)
        # /bin before /usr/bin: a few cases expect `which ls` to say /bin/ls.
        env = {'PATH': '%s:%s:/bin:/usr/bin:/usr/local/bin' % (shdir, helpers),
               'LANG': 'C.UTF-8', 'SH': sh_name}
        listing = open(a.list, 'w') if a.list else None
        total_pass = total = 0
        for path in files:
            fname = os.path.basename(path)
            npass = n = 0
            for case in parse_file(path):
                if a.case and a.case not in case['name']:
                    continue
                o, e, st = run_case(case['code'], sh_name, env, work, a.timeout)
                ok = st is not None and passes(case, labels, o, e, st)
                n += 1
                npass += ok
                tag = 'PASS' if ok else ('TIME' if st is None else 'FAIL')
                if listing:
                    listing.write('%s %s:%d %s\n' % ('PASS' if ok else 'FAIL', fname,
                                                     case['line'], case['name']))
                if not ok or a.verbose:
                    print('%s %s:%d %s' % (tag, fname, case['line'], case['name']))
                    if a.verbose and not ok:
                        print('   status=%s stdout=%r' % (st, o[:300]))
                        print('   stderr=%r' % e[:300])
            print('%-32s %3d/%3d' % (fname, npass, n))
            total_pass += npass
            total += n
        print('%s: %d passed, %d failed' % (name, total_pass, total - total_pass))
        if listing:
            listing.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == '__main__':
    main()
