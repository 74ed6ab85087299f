#!/usr/bin/env bash
# Regenerates link/startup-order.ld: the functions that the start-up of the everyday commands
# runs, gathered at the front of the code so that a run touches a few contiguous pages.
#
# Why: the kernel maps a file-backed page fault's 64 KiB neighbourhood ("fault-around"). The
# start-up path of one applet calls a few hundred functions scattered over 2.3 MB of code, so
# `sh -c true` used to map 28 of the 36 64-KiB windows of the text (1.8 MB of its 2.3 MB peak
# RSS). Figures in README, "Size and speed".
#
# How: an unstripped release build (same code, symbols kept) runs each command below under
# valgrind's callgrind; the executed functions, in the order each run first calls them and the
# runs in the order listed (so the path every applet shares comes first), become input-section
# patterns of an output section placed before .text. Hashes in the names are wildcards, so the
# list survives rebuilds and feature changes; a stale entry matches nothing and costs nothing.
# Rerun after a toolchain upgrade or a large change to the start-up path.
#
# Needs valgrind (Debian package `valgrind`), python3, gzip, xz and bzip2 for the data.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "startup-order.sh: needs valgrind" >&2; exit 1; }
tdir=${CARGO_TARGET_DIR:-target}/startup-order
CARGO_PROFILE_RELEASE_STRIP=false CARGO_TARGET_DIR=$tdir \
    cargo build --release --quiet --target x86_64-unknown-linux-musl
bin=$(realpath "$tdir/x86_64-unknown-linux-musl/release/rbox")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/d"
echo hello > "$work/d/f"
# A script of the kind entrypoints are: builtins, expansions, a command substitution, an
# external command.
printf '%s\n' 'x=$(echo y)' '[ -n "$x" ] && echo "${x%y}ok"' 'case $x in y) /bin/true;; esac' \
    > "$work/s.sh"
# The data the yardstick's tool cases work on, small enough for callgrind but taking the same
# paths: files from 256 KiB on are read through a mapping, a walk into 8 subdirectories or
# more starts its second thread (with RBOX_WALK_THREADS=2 below).
python3 - "$work" <<'PY'
import os, random, sys
w = sys.argv[1]
rng = random.Random(1)
words = ["".join(rng.choice("abcdefghij") for _ in range(rng.randint(2, 9))) for _ in range(500)]
lines = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(2000)]
with open(f"{w}/t.txt", "w") as f:
    f.writelines(rng.choice(lines) + "\n" for _ in range(20000))
with open(f"{w}/s.txt", "w") as f:
    f.writelines(l + "\n" for l in sorted(rng.choice(lines) for _ in range(5000)))
with open(f"{w}/n.txt", "w") as f:
    f.writelines(f"{rng.randint(-99, 99999)}\t{rng.choice(words)}\n" for _ in range(5000))
with open(f"{w}/c.txt", "w") as f:
    f.writelines(f"u{i}:g:{i}:/home/u{i} {rng.randint(0, 399)} x\n" for i in range(5000))
with open(f"{w}/b.bin", "wb") as f:
    f.write(rng.randbytes(1 << 20))
for g in range(10):
    os.makedirs(f"{w}/T/g{g}")
    for i in range(40):
        with open(f"{w}/T/g{g}/f{i}.txt", "w") as f:
            f.write(rng.choice(lines) * rng.randint(1, 20))
PY
touch -d 2000-01-01 "$work/old"
gzip -c "$work/t.txt" > "$work/t.gz"
xz -1 -c "$work/t.txt" > "$work/t.xz"
bzip2 -c "$work/t.txt" > "$work/t.bz2"
(cd "$work" && find T -type f -print0 > p0 && sha256sum T/g0/* > sums && tar -cf x.tar T)
mkdir "$work/out" "$work/L"
for i in $(seq 300); do : > "$work/L/e$i"; done
# The start-up yardstick's commands first, then what RUN lines and entrypoints call most, then
# the yardstick's tool cases (their code together after the start-up path: `du -sk` used to map
# 17 of the 37 64-KiB windows of the text).
runs=(
    "true"
    "cat /dev/null"
    "cat d/f"
    "ls /"
    "ls -l d"
    "sh -c true"
    "sh s.sh"
    "mkdir -p d/a/b"
    "chmod 755 d/a"
    "rm -rf d/a"
    "rm -f d/none"
    "basename /usr/bin/env"
    "id -u"
    "grep -q hello d/f"
    "sed -n 1p d/f"
    "cat t.txt"
    "wc -l t.txt"
    "wc t.txt"
    "sha256sum b.bin"
    "sha1sum b.bin"
    "sha512sum b.bin"
    "md5sum b.bin"
    "sha256sum -c sums"
    "du -sk T"
    "find T -name '*7.txt'"
    "find T -type f -newer old"
    "find T -type f -print0"
    "xargs -0 -a p0 cat"
    "cp -a T T2"
    "chmod -R u-w T2"
    "chmod -R u+w T2"
    "rm -rf T2"
    "grep -c abc t.txt"
    "grep -c -E 'abc|bcd' t.txt"
    "grep -v -c abc t.txt"
    "grep -i -c ABC t.txt"
    "sed s/a/b/g t.txt"
    "sed -n '/[aeiou][aeiou]/p' t.txt"
    "awk '{s+=\$2} END{print s}' c.txt"
    "awk -F: '{print \$1}' c.txt"
    "sort t.txt"
    "sort -n n.txt"
    "sort -u t.txt"
    "uniq -c s.txt"
    "cut -d ' ' -f2 t.txt"
    "tr a-z A-Z '<t.txt'"
    "head -n 1000 t.txt"
    "tail -n 1000 t.txt"
    "gzip -c t.txt"
    "gzip -dc t.gz"
    "zcat t.gz"
    "xzcat t.xz"
    "bzcat t.bz2"
    "ls -l L"
    "ls -la --color=never L"
    "ls -1 L"
    "ls -lR T"
    "tar -cf out/y.tar T"
    "tar -xf x.tar -C out"
    "tar -tvf x.tar"
)
i=0
for r in "${runs[@]}"; do
    i=$((i + 1))
    # The run is split into words as the shell would (quotes kept); a last word `<FILE` is the
    # standard input (quoted in the list, or eval would take it as a redirection).
    eval "set -- $r"
    in=/dev/null
    if [[ ${!#} == '<'* ]]; then
        in=${!#}
        in=${in#<}
        set -- "${@:1:$#-1}"
    fi
    # RBOX_WALK_THREADS=2: the walkers that may split (du, rm -r, chmod -R) start their second
    # thread, as they do on an idle machine.
    (cd "$work" && RBOX_WALK_THREADS=2 valgrind --tool=callgrind --demangle=no \
        --callgrind-out-file="$work/$(printf %02d $i).cg" "$bin" "$@" <"$in" >/dev/null 2>&1) ||
        true
done
nm --defined-only "$bin" > "$work/nm"
python3 - "$work/nm" "$work"/*.cg > link/startup-order.ld <<'EOF'
import re, sys
# Valgrind names a function by one of its symbols; a C function's section is named after its
# strong symbol (musl's `__sigaction`, not the weak `sigaction` valgrind may pick).
at, aliases = {}, {}
for line in open(sys.argv[1]):
    a, _, n = line.split(' ', 2)
    n = n.strip()
    at[n] = a
    aliases.setdefault(a, []).append(n)
seen, out = set(), []
runs = []  # the names each run calls
for path in sys.argv[2:]:
    run = set()
    runs.append(run)
    names, order = {}, []
    for line in open(path):
        m = re.match(r'^(c?fn)=\((\d+)\)(?: (.*))?$', line.rstrip('\n'))
        if not m:
            continue
        kind, i, name = m.groups()
        if name:
            names[i] = name
        if kind == 'fn' and i not in order:
            order.append(i)
    for i in order:
        n = names.get(i, '')
        if not re.match(r'^[A-Za-z_][A-Za-z0-9_.$]*$', n):
            continue  # valgrind's own names ('0x...', '(below main)')
        # C functions (musl's, the codecs') have a section each too.
        for n in aliases.get(at.get(n), [n]):
            n = re.sub(r'17h[0-9a-f]{16}E$', '17h*', n)      # legacy mangling's hash
            n = re.sub(r'Cs[0-9A-Za-z]{1,16}_', 'Cs*_', n)   # v0 mangling's crate disambiguators
            n = re.sub(r'\.[0-9]+$', '*', n)                 # LLVM's numbered local copies
            run.add(n)
            if n not in seen:
                seen.add(n)
                out.append(n)
# First what `true` runs (every command's start), then in tiers by how many runs call a
# function (half of them or more, 10, 4, fewer), each tier in first-call order. In plain
# first-call order a later run's shared helpers sat wherever an earlier run had first called
# them: the runs of the tool cases mapped 20% more 64 KiB windows of code (awk 10 where 7,
# tar -x 13 where 10; `sh -c true` one more).
count = {n: sum(n in r for r in runs) for n in out}
first = {n: i for i, n in enumerate(out)}
tiers = (len(runs) // 2, 10, 4)
def tier(n):
    if n in runs[0]:
        return -1
    return next((i for i, t in enumerate(tiers) if count[n] >= t), len(tiers))
out.sort(key=lambda n: (tier(n), first[n]))
print('/* Generated by benches/startup-order.sh: do not edit. The functions the start-up of')
print('   the everyday commands runs, first at the front of the code (see that script). */')
print('SECTIONS\n{\n  .text.startup_order :\n  {')
# What runs before main and valgrind does not name: musl's entry point, its relocation and
# start-up, TLS and stack-protector set-up; and musl's assembly (memcpy, memset, the system
# call entry, ~1 KB), in a plain .text of each file.
print('    *crt1.o(.text)')
print('    *libc.a:*.lo(.text)')
for n in ['_start_c', '__dls2', '__libc_start_main', '__init_libc', 'static_init_tls',
          '__init_tp', '__copy_tls', '__init_ssp', '__sigaction']:
    if n not in seen:
        print('    *(.text.%s)' % n)
# LLVM puts a cold function (#[cold], as RawVec's growth is) in .text.unlikely.NAME.
for n in out:
    print('    *(.text.%s .text.unlikely.%s)' % (n, n))
print('  }\n}\nINSERT BEFORE .text;')
EOF
echo "link/startup-order.ld: $(grep -c '^    \*' link/startup-order.ld) functions" >&2
