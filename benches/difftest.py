#!/usr/bin/env python3
"""Random differential testing of rbox against GNU grep 3.8, GNU sed 4.9, coreutils 9.1 and
findutils 4.9 (not part of CI).

Builds random but mostly valid invocations and inputs (sed scripts, grep options and regexes on
random bytes with invalid UTF-8 and NUL, uniq, expr and test expressions, seq formats,
basename/dirname), runs each through the GNU tool and through rbox (a link named after the
applet, so messages name the same program) in two scratch directories holding the same
fixtures, and compares stdout, stderr, the exit status and the files left behind (sed's `w`).
Each run is bounded by TIMEOUT seconds; a case where both time out counts as the same.

Usage: benches/difftest.py RBOX [APPLET...] [-n CASES] [-s SEED] [-o DIFFS_FILE]
APPLETs: regex (sed s///g marking every match and group) sed grep uniq expr test seq basename
dirname, and the text tools printf tr cut sort od date wc fold paste nl head tail comm expand
unexpand base64 tac, ls and stat over a small tree with fixed times, and the file applets cp mv
ln rm mkdir rmdir touch chmod run over that tree with random options and operands, comparing
what each leaves behind (kinds, modes, link counts, contents, symlink targets; not times)
(default: all). mv never gets -n with a backup option (README: GNU 9.1 moves before it rejects
the pair). find (GNU findutils 4.9) runs random expressions (every test, operator and action,
-exec/-execdir/-ok with answers on stdin, bad values, unknown predicates, misplaced parentheses)
over a fixed tree built in each scratch directory (SETUPS: sizes, modes, links of every kind,
a fifo, odd names, times fixed relative to the case), inode numbers written as INO in both
outputs (NORMALISE); outputs are compared as they come, both walking in directory order. xargs
runs random options (-0 -d -n -L -s -E -I -r -t -x -P1, bad values) and commands (failing with
1, 126, 127 or 255, killed) over input with quotes, backslashes and blank lines.
awk has two oracles, mawk and `gawk --posix`: random programs (patterns, ranges, every
statement, user functions, printf conversions, getline forms, fields and NF, strnum
comparisons, number output, syntax errors) over random input; a case counts as a difference
only where mawk and gawk agree on stdout, status and files (a syntax error's status is 2 for
both: gawk says 1) and rbox differs, or prints to stderr where both do not (or the reverse);
cases where they disagree (or both time out) are counted as skipped.
`benches/difftest.py RBOX awk -n 2500 -s 11`.
Differences are printed as a shell line that reproduces them (and written to DIFFS_FILE).
"""
import argparse
import os
import random
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile

TIMEOUT = 3.0
R = random.Random()

# ---------------------------------------------------------------------------------------------
# inputs

ALPHA = b"aabbcAB x1._-"


def rline(maxlen=10, odd=0.05):
    n = R.randint(0, maxlen)
    out = bytearray()
    for _ in range(n):
        p = R.random()
        if p < odd:
            out += R.choice([b"\xff", b"\x80", b"\xc3\xa9", b"\0", b"\t", b"\\", b"/", b"["])
        else:
            out.append(R.choice(ALPHA))
    return bytes(out)


def rinput(maxlines=8, odd=0.05, nul_lines=False):
    lines = [rline(odd=odd) for _ in range(R.randint(0, maxlines))]
    # repeats make uniq and back-references interesting
    for i in range(1, len(lines)):
        if R.random() < 0.3:
            lines[i] = lines[i - 1]
    sep = b"\0" if nul_lines else b"\n"
    data = sep.join(lines)
    if lines and R.random() < 0.85:
        data += sep
    return data


# ---------------------------------------------------------------------------------------------
# regexes (BRE or ERE, GNU extensions)

CLASSES = ["alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "print",
           "graph", "cntrl", "xdigit"]


def rbracket():
    s = "["
    if R.random() < 0.3:
        s += "^"
    if R.random() < 0.1:
        s += "]"
    for _ in range(R.randint(1, 3)):
        p = R.random()
        if p < 0.3:
            s += "[:%s:]" % R.choice(CLASSES)
        elif p < 0.5:
            # within one case: a range across cases under I is GNU sed's dfa against
            # glibc (README: sed)
            a, b = sorted(R.sample(R.choice(["abcx", "ABX", "019"]), 2))
            s += a + "-" + b
        elif p < 0.55:
            s += R.choice(["[.a.]", "[=a=]", "[.-.]"])
        else:
            s += R.choice("abcAB1 .*\\$^-")
    return s + "]"


ASSERTS = ("\\b", "\\B", "\\<", "\\>", "\\`", "\\'", "^", "$")
NO_QUANT_AFTER_ASSERT = [False]


def ratom(ere, depth, ngroups):
    p = R.random()
    if p < 0.45:
        return R.choice("aabbcAx1 ")
    if p < 0.55:
        return "."
    if p < 0.65:
        return rbracket()
    if p < 0.72:
        return R.choice(["\\w", "\\W", "\\s", "\\S", "\\b", "\\B", "\\<", "\\>", "\\`", "\\'"])
    if p < 0.8 and depth < 3:
        inner = rre(ere, depth + 1, ngroups)
        ngroups[0] += 1
        return ("(%s)" if ere else "\\(%s\\)") % inner
    if p < 0.85 and ngroups[0] > 0:
        return "\\%d" % R.randint(1, min(ngroups[0], 9))
    if p < 0.9:
        return R.choice(["\\.", "\\*", "\\[", "\\/" if False else "\\$", "\\^"])
    return R.choice("ab")


def rquant(ere):
    p = R.random()
    if p < 0.4:
        return "*"
    if p < 0.55:
        return "+" if ere else "\\+"
    if p < 0.7:
        return "?" if ere else "\\?"
    lo = R.randint(0, 3)
    hi = R.choice(["", str(lo + R.randint(0, 2)), None])
    body = str(lo) if hi is None else "%d,%s" % (lo, hi)
    return ("{%s}" if ere else "\\{%s\\}") % body


def rre(ere, depth=0, ngroups=None):
    if ngroups is None:
        ngroups = [0]
    alts = []
    for _ in range(1 if R.random() < 0.75 else R.randint(2, 3)):
        s = ""
        if R.random() < 0.15:
            s += "^"
        for _ in range(R.randint(0, 4)):
            a = ratom(ere, depth, ngroups)
            s += a
            if NO_QUANT_AFTER_ASSERT[0] and (a in ASSERTS or s.endswith("^")):
                continue
            if R.random() < 0.25:
                s += rquant(ere)
        if R.random() < 0.15:
            s += "$"
        alts.append(s)
    return ("|" if ere else "\\|").join(alts)


def regex(ere):
    s = rre(ere)
    if R.random() < 0.03:  # sometimes broken on purpose
        s += R.choice(["[", "\\(", "(", "\\{", "*\\{1", "\\"])
    return s


# ---------------------------------------------------------------------------------------------
# one case: (argv after the program name, stdin bytes, {file: bytes})


def gen_sed():
    NO_QUANT_AFTER_ASSERT[0] = False
    ere = R.random() < 0.4
    opts = []
    if R.random() < 0.4:
        opts.append("-n")
    if ere:
        opts.append("-E")
    z = R.random() < 0.1
    if z:
        opts.append("-z")
    files = {}
    nfiles = 0
    if R.random() < 0.3:
        nfiles = R.randint(1, 3)
        if R.random() < 0.5:
            opts.append("-s")
    labels = ["x", "y"]

    def re_delim():
        r = regex(ere).replace("/", "\\/")
        # a newline in a pattern needs \n, not a raw one
        return r

    def addr1():
        p = R.random()
        if p < 0.35:
            return str(R.randint(0, 6))
        if p < 0.45:
            return "$"
        if p < 0.75:
            return "/%s/%s" % (re_delim(), R.choice(["", "", "I", "M"]))
        if p < 0.8:
            return "\\%%%s%%" % regex(ere).replace("%", "\\%")
        return "%d~%d" % (R.randint(0, 3), R.randint(0, 3))

    def addr():
        p = R.random()
        if p < 0.4:
            return ""
        if p < 0.7:
            a = addr1()
        elif p < 0.8:
            a = "0,/%s/" % re_delim()
        else:
            a = addr1() + "," + R.choice([addr1(), "+%d" % R.randint(0, 3), "~%d" % R.randint(0, 3)])
        if R.random() < 0.15:
            a += "!"
        return a

    def repl():
        s = ""
        for _ in range(R.randint(0, 4)):
            s += R.choice(["x", "&", "\\&", "\\n", "\\1", "\\2", "\\U", "\\L", "\\u", "\\l",
                           "\\E", "Y", "\\/", "\\t"])
        return s

    def sflags():
        f = ""
        for c in R.sample(["g", "p", "N", "i", "m", "w"], R.randint(0, 3)):
            if c == "N":
                f += str(R.randint(1, 3))
            elif c == "w":
                f += "w"
            else:
                f += c
        if f.endswith("w") or "w" in f:
            f = f.replace("w", "") + "w out"
            return f, True
        return f, False

    def cmd(depth):
        a = addr()
        p = R.random()
        nl_after = False
        if p < 0.3:
            fl, w = sflags()
            c = "s/%s/%s/%s" % (re_delim(), repl(), fl)
            nl_after = w
        elif p < 0.35:
            n = R.randint(1, 3)
            c = "y/%s/%s/" % ("".join(R.sample("abcAx", n)), "".join(R.sample("XYZab", n)))
        elif p < 0.45:
            c = R.choice("aic") + R.choice([" ", "", "\\"]) + R.choice(["text", "t\\tu", "", " lead"])
            if c.endswith("\\"):
                c += "\n" + "more"
            nl_after = True
        elif p < 0.75:
            c = R.choice(["n", "N", "D", "P", "h", "H", "g", "G", "x", "d", "p", "=", "l", "z",
                          "q", "Q", "q3", "l 3", "$!N", "l 1", "s/\\n/|/g", "y/\\na/a\\n/",
                          "s/a\\(.\\)/\\1\\n/2", "w /dev/stdout"])
        elif p < 0.85:
            c = R.choice(["b", "t", "T"]) + R.choice(["", " x", " y", "x"])
            nl_after = True
        elif p < 0.9:
            c = ":" + R.choice(labels)
            nl_after = True
            a = ""
        elif p < 0.95 and depth < 2:
            c = "{" + script(depth + 1) + "\n}"
        else:
            c = R.choice(["w out", "r rfile", "R rfile"])
            nl_after = True
        return a + c, nl_after

    def script(depth=0):
        s = ""
        for i in range(R.randint(1, 4)):
            c, nl = cmd(depth)
            s += c
            s += "\n" if nl or R.random() < 0.3 else ";"
        # a label branched to must exist
        for l in labels:
            if (" " + l) in s or ("b" + l) in s or ("t" + l) in s:
                if ":" + l not in s:
                    s += "\n:" + l + "\n"
        return s.rstrip(";\n") if depth == 0 else s.rstrip(";")

    sc = script()
    args = opts[:]
    if R.random() < 0.2:
        # split over -e
        parts = sc.split("\n")
        for p in parts:
            args += ["-e", p]
    else:
        args.append(sc)
    files["rfile"] = rinput(3)
    if nfiles and R.random() < 0.3:
        # in place, with or without a backup suffix
        args.insert(0, R.choice(["-i", "-i.bak", "-s"]))
    stdin = rinput(nul_lines=z)
    for i in range(nfiles):
        files["in%d" % i] = rinput(5, nul_lines=z)
        args.append("in%d" % i)
    return args, stdin, files


def gen_regex():
    """The regex engine alone: every match and its groups marked by sed, or grep -o."""
    NO_QUANT_AFTER_ASSERT[0] = False
    ere = R.random() < 0.5
    ng = [0]
    r = rre(ere, 0, ng)
    flags = R.choice(["g", "g", "gI", "2", "gM", "3g"])
    refs = "".join("\\%d|" % i for i in range(1, min(ng[0], 9) + 1))
    script = "s/%s/[%s&]/%s" % (r.replace("/", "\\/"), refs, flags)
    args = (["-E"] if ere else []) + (["-z"] if R.random() < 0.1 else []) + [script]
    return args, rinput(8, odd=0.1), {}


def gen_grep():
    NO_QUANT_AFTER_ASSERT[0] = True
    mode = R.choice(["-G", "-E", "-F", "", "-E"])
    ere = mode == "-E"
    opts = [mode] if mode else []
    for o in ["-i", "-v", "-w", "-x", "-o", "-c", "-n", "-b", "-h", "-l", "-L", "-q", "-s", "-z",
              "-a", "-H", "-T", "-Z", "--color=always"]:
        if R.random() < (0.1 if o not in ("-l", "-L", "-q", "-T", "-Z", "--color=always") else 0.03):
            opts.append(o)
    for o in ["-A", "-B", "-C", "-m"]:
        if R.random() < 0.1:
            opts.append("%s%d" % (o, R.randint(0, 3)))
    # -x -w -o: GNU 3.8 prints the line's end twice (README: grep)
    if "-x" in opts and "-w" in opts:
        opts.remove("-w")
    if mode == "-F":
        pats = [rline(4, 0.1).replace(b"\0", b"").decode("latin-1") for _ in range(R.randint(1, 3))]
        if R.random() < 0.3:
            pats = ["\n".join(pats)]
    else:
        pats = [regex(ere) for _ in range(R.randint(1, 3))]
    args = opts[:]
    files = {}
    if R.random() < 0.1:
        files["pats"] = "\n".join(pats).encode("latin-1") + (b"\n" if R.random() < 0.7 else b"")
        args += ["-f", "pats"]
        pats = []
    if len(pats) == 1 and R.random() < 0.5:
        args.append(pats[0])
    else:
        for p in pats:
            args += ["-e", p]
    z = "-z" in opts
    stdin = rinput(10, odd=0.08, nul_lines=z)
    if R.random() < 0.25:
        files["f1"] = rinput(6, odd=0.08, nul_lines=z)
        files["f2"] = rinput(6, odd=0.08, nul_lines=z)
        args += ["f1", "f2"]
    return [a.encode("latin-1") for a in args], stdin, files


def gen_uniq():
    opts = []
    for o in ["-c", "-d", "-u", "-i", "-D", "-z"]:
        if R.random() < 0.2:
            opts.append(o)
    for o in ["-f", "-s", "-w"]:
        if R.random() < 0.25:
            opts += [o, str(R.randint(0, 3))]
    if R.random() < 0.05:
        opts.append(R.choice(["--all-repeated=separate", "--group", "--group=both",
                              "--all-repeated=prepend"]))
    z = "-z" in opts
    lines = []
    words = [b"a", b"A", b"b", b"a b", b" a", b"a  b", b"ab", b"aB", b"\tb", b"x\xff", b""]
    for _ in range(R.randint(0, 10)):
        lines.append(R.choice(words) if R.random() < 0.7 else rline(6))
        if R.random() < 0.3 and lines:
            lines.append(lines[-1])
    sep = b"\0" if z else b"\n"
    data = sep.join(lines) + (sep if lines and R.random() < 0.8 else b"")
    return opts, data, {}


def gen_expr():
    def num():
        return R.choice(["0", "1", "-1", "2", "10", "007", "-0", "99999999999999999999", "+3",
                         " 1", "1a", "", "abc", "a", "-", "3"])

    def operand(d):
        p = R.random()
        if p < 0.5 or d > 2:
            return [num()]
        if p < 0.6:
            return ["(", *expr(d + 1), ")"]
        if p < 0.7:
            return ["length", *operand(d + 1)]
        if p < 0.8:
            return ["substr", *operand(d + 1), num(), num()]
        if p < 0.85:
            return ["index", *operand(d + 1), R.choice(["a", "bc", "", "1"])]
        if p < 0.9:
            return ["match", *operand(d + 1), regex(False)]
        return ["+", R.choice(["match", "length", "(", "a", "+"])]

    def expr(d=0):
        e = operand(d)
        for _ in range(R.randint(0, 2)):
            op = R.choice(["|", "&", "<", "<=", "=", "==", "!=", ">=", ">", "+", "-", "*", "/",
                           "%", ":", ":"])
            if op == ":":
                e += [op, regex(False) if R.random() < 0.8 else "\\(.*\\)"]
            else:
                e += [op, *operand(d)]
        return e

    if R.random() < 0.3:
        vocab = ["(", ")", "|", "&", "<", "=", "!=", "+", "-", "*", "/", "%", ":", "match",
                 "substr", "index", "length", "1", "0", "-1", "a", "", "abc", "\\(a\\)", "--",
                 "b*", "2", "-", "x"]
        return [R.choice(vocab) for _ in range(R.randint(0, 7))], b"", {}
    if R.random() < 0.3:
        # STRING : REGEX on random strings
        st = rline(8, 0.05).replace(b"\0", b"").decode("latin-1")
        return [st, ":", regex(False)], b"", {}
    args = expr()
    if R.random() < 0.05:
        args = args[: R.randint(0, len(args))]
    return args, b"", {}


def gen_test():
    files = {"f": b"x", "e": b""}

    def prim():
        p = R.random()
        if p < 0.3:
            return [R.choice(["-n", "-z", "-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h",
                              "-b", "-c", "-p", "-S", "-t", "-O", "-G", "-k", "-u", "-g"]),
                    R.choice(["f", "e", ".", "nope", "", "1", "-n"])]
        if p < 0.6:
            a, b = (R.choice(["1", "-1", "01", " 2", "a", "", "3", "99999999999999999999", "-",
                              "+1", "1 "]) for _ in range(2))
            return [a, R.choice(["-eq", "-ne", "-lt", "-le", "-gt", "-ge", "=", "!=", "==", "<",
                                 ">", "-nt", "-ot", "-ef"]), b]
        if p < 0.7:
            return [R.choice(["a", "", "-n", "!", "(", ")", "-a", "-o", "=", "-l"])]
        if p < 0.8:
            return ["!", *prim()]
        if p < 0.9:
            return ["(", *prim(), ")"]
        return [R.choice(["f", "e"]), R.choice(["-nt", "-ot", "-ef"]), R.choice(["f", "e", "x"])]

    if R.random() < 0.4:
        # token soup: POSIX's rules by argument count, precedence, errors
        vocab = ["!", "(", ")", "-a", "-o", "=", "!=", "-n", "-z", "-f", "f", "e", "", "x", "1",
                 "-eq", "-lt", "2", "-t", "-e", "==", "-l", "<"]
        return [R.choice(vocab) for _ in range(R.randint(0, 7))], b"", files
    args = prim()
    for _ in range(R.randint(0, 2)):
        args += [R.choice(["-a", "-o"]), *prim()]
    if R.random() < 0.1:
        args = args[: R.randint(0, len(args))]
    return args, b"", files


def gen_seq():
    def n():
        return R.choice(["1", "2", "10", "-3", "0", "0.5", "1.25", "-1.5", "1e2", "1e-1", "0x10",
                         "3.", ".5", "+2", "nan", "inf", "-inf", "007", "1.000", "0.1",
                         "2.50", "1e1", "-0", "x", ""])

    opts = []
    if R.random() < 0.3:
        f = "%" + R.choice(["", "-", "0", "+", " ", "#", "'"]) + R.choice(["", "5", "3", "0"])
        f += R.choice(["", ".2", ".0", "."]) + R.choice("gfeEGFd")
        f = R.choice(["", "x", "%%"]) + f + R.choice(["", "y", "\\n", "%%", "%g"])
        opts += ["-f", f]
    if R.random() < 0.2:
        opts += ["-s", R.choice([",", "", "\\n", "ab"])]
    if R.random() < 0.2:
        opts.append("-w")
    ops = [n() for _ in range(R.choice([1, 2, 2, 3, 3, 4]))]
    args = opts + ops
    return args, b"", {}


def gen_path():
    parts = ["", "a", "b", "..", ".", "ab", "x.c", ".c", "c"]
    s = ""
    for _ in range(R.randint(0, 4)):
        s += R.choice(["/", "//", ""]) + R.choice(parts)
    s += R.choice(["", "/", "//", "", ""])
    return s


def gen_basename():
    args = []
    if R.random() < 0.2:
        args.append("-z")
    p = R.random()
    if p < 0.5:
        args += [gen_path()] + ([R.choice(["c", ".c", "b", "", "ab"])] if R.random() < 0.5 else [])
    elif p < 0.7:
        args += ["-a"] + [gen_path() for _ in range(R.randint(0, 3))]
    else:
        args += ["-s", R.choice([".c", "b", "", "ab"])] + [gen_path() for _ in range(R.randint(0, 3))]
    return args, b"", {}


def gen_dirname():
    args = []
    if R.random() < 0.2:
        args.append("-z")
    args += [gen_path() for _ in range(R.randint(0, 3))]
    return args, b"", {}


GENS = {"regex": gen_regex, "sed": gen_sed, "grep": gen_grep, "uniq": gen_uniq, "expr": gen_expr, "test": gen_test,
        "seq": gen_seq, "basename": gen_basename, "dirname": gen_dirname}

def rtext(maxlines=8):
    words = [b"a", b"b", b"10", b"-3", b"2.5", b"1e3", b"x y", b"\ta", b" b", b"abc", b"A",
             b"0x1f", b"1K", b"2M", b"1.2.10", b"1.10", b"", b"\xff", b"a,b", b"a:b:c", b"z\tq"]
    lines = []
    for _ in range(R.randint(0, maxlines)):
        if R.random() < 0.7:
            n = R.randint(1, 3)
            lines.append(R.choice([b" ", b"\t", b":", b","]).join(R.choice(words) for _ in range(n)))
        else:
            lines.append(rline(12))
    data = b"\n".join(lines)
    if lines and R.random() < 0.85:
        data += b"\n"
    return data


def gen_printf():
    def conv():
        s = "%" + "".join(R.choice(["", "-", "0", "+", " ", "#", "'"]) for _ in range(R.randint(0, 2)))
        s += R.choice(["", "5", "1", "0", "*", "12"])
        s += R.choice(["", ".2", ".0", ".", ".*", ".10"])
        s += R.choice("dioxXucsfFeEgGaAb%qz")
        return s
    fmt = ""
    for _ in range(R.randint(1, 4)):
        fmt += R.choice([conv(), conv(), "x", " ", "\\n", "\\t", "\\0101", "\\x41", "\\u00e9",
                         "\\c", "\\", "%%", "\\e", "\\'", "\\\""])
    args = [R.choice(["1", "-2", "3.5", "0x10", "010", "'a", "\"b", "abc", "", "1e3", "-0",
                      "99999999999999999999", "\\n", "\\x41\\c", "  7", "7  ", "inf", "nan",
                      "0.1", "-1.5e-3", "+4", "18446744073709551615", "-9223372036854775808"])
            for _ in range(R.randint(0, 4))]
    return [fmt] + args, b"", {}


def gen_tr():
    sets = ["a-z", "A-Z", "[:lower:]", "[:upper:]", "[:digit:]", "[:space:]", "[:alpha:]",
            "[:punct:]", "abc", "xyz", "a", "\\n", "\\t", "[a*3]", "[b*]", "[=a=]", "\\\\", "z-a",
            "\\101", "[:alnum:]", "", "a-c0-2", "[:blank:]", "ab\\", "[:cntrl:]", "[:xdigit:]"]
    opts = []
    for o in ["-d", "-s", "-c", "-C", "-t"]:
        if R.random() < 0.2:
            opts.append(o)
    args = opts + [R.choice(sets)] + ([R.choice(sets)] if R.random() < 0.7 else [])
    return args, rtext(), {}


def gen_cut():
    def lst():
        parts = []
        for _ in range(R.randint(1, 3)):
            parts.append(R.choice(["1", "2", "3", "1-2", "2-", "-2", "3-1", "0", "1,3", "4-", "1-1",
                                   "", "a", "2-3"]))
        return ",".join(parts)
    mode = R.choice(["-b", "-c", "-f", "-f", "-f"])
    args = [mode, lst()]
    if mode == "-f":
        if R.random() < 0.7:
            args += ["-d", R.choice([":", ",", " ", "\\t", "ab", "", "\t"])]
        if R.random() < 0.3:
            args.append("-s")
    if R.random() < 0.2:
        args.append("--complement")
    if R.random() < 0.2:
        args.append("--output-delimiter=" + R.choice(["|", "", "::"]))
    if R.random() < 0.1:
        args.append("-n")
    if R.random() < 0.1:
        args.append("-z")
    return args, rtext(), {}


def gen_sort():
    opts = []
    for o in ["-n", "-r", "-u", "-f", "-b", "-h", "-V", "-g", "-s", "-d", "-i", "-M", "-R"]:
        if R.random() < 0.12 and o != "-R":
            opts.append(o)
    if R.random() < 0.4:
        opts += ["-t", R.choice([":", ",", " ", "a"])]
    for _ in range(R.randint(0, 2)):
        k = R.choice(["1", "2", "1,1", "2,2", "1.2", "2.1,2.2", "1,2", "3", "1n", "2r", "1.2b",
                      "2,2n", "1bn", "0", "1.0", "2,1", "1,1.3", "1f", "1V", "1h", "1g,1"])
        opts += ["-k", k]
    if R.random() < 0.1:
        opts.append("-c")
    if R.random() < 0.05:
        opts.append("-z")
    return opts, rtext(10), {}


def gen_od():
    opts = []
    if R.random() < 0.4:
        opts += ["-A", R.choice("doxn")]
    for _ in range(R.randint(0, 2)):
        t = R.choice(["x1", "x2", "x4", "x8", "o1", "o2", "d1", "d2", "d4", "u1", "u2", "u8", "c",
                      "a", "x", "o", "d", "fF", "f4", "x1z", "d1z", "u4z", "f8"])
        opts += ["-t", t]
    for o in ["-v", "-b", "-c", "-x", "-s", "-i", "-l"]:
        if R.random() < 0.08:
            opts.append(o)
    if R.random() < 0.2:
        opts += ["-j", R.choice(["1", "3", "0", "100", "0x2"])]
    if R.random() < 0.2:
        opts += ["-N", R.choice(["1", "5", "0", "17"])]
    if R.random() < 0.2:
        opts += ["-w" + R.choice(["1", "3", "4", "8", "32"])]
    data = bytes(R.choice([0, 1, 0x41, 0x61, 0x7f, 0x80, 0xff, 10, 9, 32, 0x3f, 0x40])
                 for _ in range(R.randint(0, 40)))
    if R.random() < 0.5:
        data = data + data
    return opts, data, {}


def gen_date():
    fmt = "+"
    for _ in range(R.randint(1, 5)):
        fmt += R.choice(["%" + R.choice(["", "-", "_", "0", "^", "#", "10", "-3", "_5"]) +
                         R.choice("aAbBcCdDeFgGhHIjklmMnNpPrRsStTuUVwWxXyYzZ%+"),
                         "%:z", "%::z", "%:::z", "%3N", "%q", " ", "x"])
    stamp = R.choice(["@0", "@1700000000", "@-1", "@1e3", "2020-02-29", "2021-13-01", "now",
                      "2020-01-01 12:34:56", "@86399.999", "1970-01-01T00:00:00Z", "tomorrow",
                      "2000-01-01 +1 day", "@2147483648", "yesterday 10:00", "next monday",
                      "2020-06-15 23:59:60", "1 hour ago"])
    args = ["-u", "-d", stamp] if stamp not in ("now", "tomorrow", "next monday", "1 hour ago",
                                                "yesterday 10:00") else ["-u", "-d", "@5"]
    if R.random() < 0.2:
        args += [R.choice(["-R", "-I", "-Iseconds", "-Ins", "--rfc-3339=date", "-Ihours"])]
    else:
        args.append(fmt)
    return args, b"", {}


def gen_wc():
    opts = [o for o in ["-l", "-w", "-c", "-m", "-L"] if R.random() < 0.3]
    files = {"f": rtext(), "g": rtext()}
    ops = [R.choice(["f", "g", "-", "missing"]) for _ in range(R.randint(0, 3))]
    return opts + ops, rtext(), files


def gen_fold():
    opts = []
    if R.random() < 0.5:
        opts += ["-w", R.choice(["1", "3", "5", "0", "x"])]
    for o in ["-s", "-b"]:
        if R.random() < 0.3:
            opts.append(o)
    return opts, rtext(), {}


def gen_paste():
    opts = []
    if R.random() < 0.5:
        opts += ["-d", R.choice([",", "\\n", ":;", "\\0", "\\t", "", "\\"])]
    if R.random() < 0.3:
        opts.append("-s")
    files = {"f": rtext(), "g": rtext()}
    ops = [R.choice(["f", "g", "-"]) for _ in range(R.randint(1, 3))]
    return opts + ops, rtext(), files


def gen_nl():
    opts = []
    for o, vals in [("-b", ["a", "t", "n", "pa", "p^$"]), ("-n", ["ln", "rn", "rz"]),
                    ("-w", ["1", "3", "0"]), ("-s", ["", ":", "--"]), ("-v", ["0", "5", "-2"]),
                    ("-i", ["2", "0"])]:
        if R.random() < 0.2:
            opts += [o, R.choice(vals)]
    data = rtext()
    if R.random() < 0.3:
        data = b"\\:\\:\\:\n" + data + b"\\:\\:\n" + data
    return opts, data, {}


def gen_headtail():
    opts = []
    p = R.random()
    if p < 0.4:
        opts += ["-n", R.choice(["0", "1", "3", "-1", "+2", "-0", "+0", "2k", "x", "1b"])]
    elif p < 0.7:
        opts += ["-c", R.choice(["0", "1", "5", "-3", "+2", "1K", "-0"])]
    if R.random() < 0.15:
        opts.append(R.choice(["-q", "-v", "-z"]))
    files = {"f": rtext(), "g": rtext()}
    ops = [R.choice(["f", "g", "-", "missing"]) for _ in range(R.randint(0, 2))]
    return opts + ops, rtext(), files


def gen_comm():
    def sorted_text():
        lines = sorted(set(R.choice([b"a", b"b", b"c", b"d", b"A", b"ab", b""]) for _ in range(R.randint(0, 6))))
        return b"".join(l + b"\n" for l in lines)
    opts = [o for o in ["-1", "-2", "-3", "--total", "-i"] if R.random() < 0.2 and o != "-i"]
    if R.random() < 0.1:
        opts.append("--output-delimiter=|")
    if R.random() < 0.1:
        opts.append(R.choice(["--check-order", "--nocheck-order"]))
    files = {"f": sorted_text() if R.random() < 0.9 else rtext(), "g": sorted_text()}
    return opts + ["f", "g"], b"", files


def gen_expand():
    opts = []
    if R.random() < 0.6:
        opts += ["-t", R.choice(["4", "1", "2,5", "3 8", "1,+2", "/4", "0", "8"])]
    if R.random() < 0.3:
        opts.append("-i")
    return opts, rtext(), {}


def gen_unexpand():
    opts = []
    if R.random() < 0.6:
        opts += ["-t", R.choice(["4", "1", "2,5", "8", "3,6,9"])]
    if R.random() < 0.3:
        opts.append("-a")
    if R.random() < 0.2:
        opts.append("--first-only")
    data = b"".join(b" " * R.randint(0, 10) + R.choice([b"a", b"b\t", b"  c  d", b""]) + b"\n"
                    for _ in range(R.randint(0, 5)))
    return opts, data, {}


def gen_base64():
    opts = []
    if R.random() < 0.4:
        opts.append("-d")
        data = R.choice([b"YWJj\n", b"YW Jj", b"YQ==", b"YQ", b"Y===", b"!!", b"YWJjZA==\nYQ==\n"])
        if R.random() < 0.3:
            opts.append("-i")
    else:
        data = rline(30)
        if R.random() < 0.4:
            opts += ["-w", R.choice(["0", "1", "4", "76", "x"])]
    return opts, data, {}


def gen_tac():
    opts = []
    if R.random() < 0.3:
        opts += ["-s", R.choice([",", "a", "\n", "ab"])]
    if R.random() < 0.2:
        opts.append("-b")
    if R.random() < 0.1:
        opts.append("-r")
        opts += ["-s", R.choice(["[ab]", "ab*", "x\\|b"])]
    return opts, rtext(), {}


def gen_ls():
    files = {"a": b"x" * 10, "B": b"", "c.txt": b"y" * 3000, "d/": b"", "d/e": b"z",
             "d/.h": b"", ".hid": b"q", "l": b"->a", "dl": b"->d", "bad": b"->nowhere",
             "sp ace": b"1", "nl\nx": b"2", "x.tar.gz": b"", "\xff": b"3", "10": b"", "9": b"",
             "a.b.c": b"45"}
    opts = []
    for o in ["-a", "-A", "-F", "-p", "-r", "-S", "-t", "-X", "-U", "-R", "-d", "-h", "-n",
              "-Q", "-b", "-q", "-N", "-1", "-C", "-x", "-m", "-l", "-g", "-o", "-G", "-L", "-H",
              "-v", "--si", "--group-directories-first", "-k", "-w40", "-T2",
              "--full-time", "--time-style=+%s", "--time-style=long-iso", "--file-type",
              "--quoting-style=shell", "--quoting-style=c", "--quoting-style=escape",
              "--quoting-style=shell-always", "--quoting-style=locale", "--indicator-style=slash",
              "--sort=extension", "--sort=none", "--sort=version", "--hide=*.txt", "-I", "-B",
              "--format=commas", "--author", "-Z", "--zero", "--show-control-chars",
              "--color=always", "--hyperlink=never", "--block-size=1K", "-s"]:
        if R.random() < 0.06:
            opts.append(o)
    if "-I" in opts:
        opts.insert(opts.index("-I") + 1, R.choice(["a*", "*.gz", "d"]))
    ops = [R.choice(["a", "d", "l", "dl", "bad", "missing", ".", "d/e", "nl\nx"])
           for _ in range(R.choice([0, 0, 0, 1, 2, 3]))]
    return opts + ops, b"", files


def gen_stat():
    _, _, files = gen_ls()
    dirs = "aAfFgGhnNsuUyYo%"
    fmt = ""
    for _ in range(R.randint(1, 4)):
        fmt += R.choice(["%" + R.choice(["", "-", "0", "10", "-5", "#", "+", "'", " ", ".3",
                                         "010", "#o", ".0"]) + R.choice(dirs),
                         " ", "x", "\\n", "\\t", "\\x41", "\\101", "%", "\\", "\\c", "%Y.%.9Y"])
    opts = [R.choice(["-c", "--printf", "--format"]), fmt]
    if R.random() < 0.2:
        opts.append("-L")
    ops = [R.choice(["a", "d", "l", "dl", "bad", "missing", "c.txt", "d/e", "nl\nx", "B"])
           for _ in range(R.randint(1, 3))]
    return opts + ops, b"", files


def gen_fileop(applet):
    _, _, files = gen_ls()
    files["d/sub/"] = b""
    files["d/sub/f"] = b"deep"
    names = ["a", "d", "l", "dl", "bad", "missing", "c.txt", "d/e", "B", "d/sub", "new", "new/",
             "d/", ".", "x.tar.gz", "sp ace", "d/sub/f", "a.b.c"]
    flags = {
        "cp": ["-r", "-R", "-a", "-p", "-d", "-L", "-P", "-H", "-f", "-n", "-u", "-v", "-l", "-s",
               "-T", "-b", "--parents", "--remove-destination", "--no-dereference",
               "--preserve=mode", "--no-preserve=mode", "--backup=numbered", "--suffix=.k",
               "--attributes-only", "--strip-trailing-slashes", "-x", "--update=older"],
        "mv": ["-f", "-n", "-u", "-v", "-T", "-b", "--backup=t", "--suffix=~~",
               "--strip-trailing-slashes", "--no-clobber"],
        "ln": ["-s", "-f", "-n", "-r", "-v", "-T", "-b", "-L", "-P", "--backup=numbered"],
        "rm": ["-r", "-R", "-f", "-d", "-v", "--one-file-system", "--preserve-root",
               "--no-preserve-root", "-I"],
        "mkdir": ["-p", "-v", "-m", "--mode=700"],
        "rmdir": ["-p", "-v", "--ignore-fail-on-non-empty"],
        "touch": ["-a", "-m", "-c", "-h", "--no-create"],
        "chmod": ["-R", "-v", "-c", "-f", "--preserve-root"],
    }[applet]
    opts = [f for f in flags if R.random() < 0.12]
    if applet == "mv" and ("-n" in opts or "--no-clobber" in opts):
        opts = [o for o in opts if o not in ("-b", "--backup=t", "--suffix=~~")]
    if "-m" in opts:
        opts.insert(opts.index("-m") + 1, R.choice(["700", "u=rwx", "a-w", "1777", "g+s", "x"]))
    if applet == "chmod":
        opts.append(R.choice(["755", "u+x", "go-r", "a=r", "+t", "u=rw,g=u", "0", "-w", "777",
                              "u+s", "=", "o+X", "x"]))
    if applet in ("cp", "mv", "ln") and R.random() < 0.15:
        opts += ["-t", R.choice(["d", "new", "a", "d/sub", "dl"])]
    ops = [R.choice(names) for _ in range(R.choice([0, 1, 2, 2, 2, 3]))]
    return opts + ops, b"y\n", files


for _a in ["cp", "mv", "ln", "rm", "mkdir", "rmdir", "touch", "chmod"]:
    GENS[_a] = (lambda a: lambda: gen_fileop(a))(_a)


GENS.update({"stat": gen_stat, "ls": gen_ls, "printf": gen_printf, "tr": gen_tr, "cut": gen_cut, "sort": gen_sort, "od": gen_od,
             "date": gen_date, "wc": gen_wc, "fold": gen_fold, "paste": gen_paste, "nl": gen_nl,
             "head": gen_headtail, "tail": gen_headtail, "comm": gen_comm, "expand": gen_expand,
             "unexpand": gen_unexpand, "base64": gen_base64, "tac": gen_tac})

# ---------------------------------------------------------------------------------------------


# per applet: a function building a fixed tree in the scratch directory before each run
# (find's), and one rewriting the result (numbers that differ between the two directories)
SETUPS = {}
NORMALISE = {}


def run(name, prog, args, stdin, files, d):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for k, v in files.items():
        path = os.path.join(d, k)
        if k.endswith("/"):
            os.makedirs(path, exist_ok=True)
        elif v.startswith(b"->"):
            os.symlink(v[2:].decode("latin-1"), path)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(v)
    # fixed times: listings and comparisons by time are the same in both directories
    for k in sorted(files, key=len, reverse=True):
        path = os.path.join(d, k)
        t = 1700000000 + 3600 * (sum(k.encode()) % 50)
        os.utime(path, (t, t), follow_symlinks=False)
    os.utime(d, (1700000000, 1700000000))
    if "e" in files:
        os.utime(os.path.join(d, "e"), (1000, 1000))
    if name in SETUPS:
        SETUPS[name](d)
    try:
        p = subprocess.run([name] + list(args), executable=prog, input=stdin, cwd=d, capture_output=True,
                           timeout=TIMEOUT, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
        res = (p.returncode, p.stdout, p.stderr)
    except subprocess.TimeoutExpired:
        res = ("timeout", b"", b"")
    if name in NORMALISE:
        res = NORMALISE[name](d, res)
    left = {}
    try:
        walk = list(os.walk(d))
    except RecursionError:
        # a directory copied into itself without end: compared as that alone
        return res, {".": "too deep"}
    for root, dirs, fnames in walk:
        for k in sorted(dirs + fnames):
            path = os.path.join(root, k)
            rel = os.path.relpath(path, d)
            st = os.lstat(path)
            if os.path.islink(path):
                left[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                left[rel] = ("dir", oct(st.st_mode))
            elif stat.S_ISFIFO(st.st_mode):
                left[rel] = ("fifo", oct(st.st_mode))
            else:
                with open(path, "rb") as f:
                    left[rel] = (oct(st.st_mode), st.st_nlink, f.read())
    return res, left


def show(b):
    return b.decode("latin-1")


def repro(applet, args, stdin, files):
    applet = "sed" if applet == "regex" else applet
    sa = [a if isinstance(a, str) else a.decode("latin-1") for a in args]
    pre = ""
    for k, v in files.items():
        pre += "printf %s > %s; " % (shlex.quote(repr_printf(v)), k)
    return "%s%s %s <<< $'...' # stdin=%r" % (pre, applet, " ".join(shlex.quote(a) for a in sa),
                                           stdin)


def repr_printf(v):
    out = ""
    for c in v:
        if c == 0x25:
            out += "%%"
        elif c == 0x5c:
            out += "\\\\"
        elif 32 <= c < 127:
            out += chr(c)
        else:
            out += "\\%03o" % c
    return out


# ---------------------------------------------------------------------------------------------
# awk: random programs over random input, two oracles (mawk and gawk --posix)

# (mawk prints integers past 2^31 with %.6g and clamps %d there, gawk does not: kept rare)
AWK_NUMS = ["0", "1", "2", "3", "-1", "10", "0.5", "1.5", "-2.5", "1e6", "0.1", "100000",
            "123456789", "1e-5", "3.0", "017", "-7", ".25", "99", "1e-300", "4", "-0.5"]
AWK_STRS = ['""', '"a"', '"10"', '" 1 "', '"1e2"', '"abc"', '"-3"', '".5"', '"x y"', '"B"',
            '"a.b"', '"0"', '"+2"', '"\\t"', '"a\\nb"', '"\\\\"', '"%"', '"&"', '"aXbXc"']
AWK_FIELDS = [b"1", b"-2", b"3.5", b"abc", b"1e3", b"+4", b".5", b"0", b"-0", b"10", b"2", b"x",
              b"007", b"1e", b"1e+2", b"B", b"a.b", b" ", b"aa", b"9", b"0.0", b"3.", b"a:b",
              b"c,d", b"100", b"-1.5e1"]
AWK_RES = ["a", "b+", "^a", "x$", "[0-9]+", "[[:alpha:]]", "a|b", "(ab)*", ".", "^$", "[^a ]",
           "\\.", "1e?", "^[-+]?[0-9]+$", "b*", "[[:space:]]+", "(a|x)(b|y)?"]
AWK_SCAL = ["x", "y", "z", "s", "t", "u"]
AWK_ARRS = ["A", "B"]
AWK_FUNCS = {
    "fact": "function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }",
    "fib": "function fib(n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2) }",
    "fill": "function fill(arr, k, v,   old) { old = (k in arr); arr[k] = v; return old }",
    "cnt": "function cnt(arr,   k, n) { n = 0; for (k in arr) n++; return n }",
    "join": "function join(arr, n, sep,   i, r) { r = arr[1]; for (i = 2; i <= n; i++) r = r sep arr[i]; return r }",
    "mx": "function mx(a, b) { return a > b ? a : b }",
    "loc": "function loc(p,   q) { q = p \"\" p; x = q; return length(q) }",
}


SEP = "\x01"  # between statements: "; " or a newline, chosen by awk_layout


def awk_layout(prog):
    """Statement separators and optional newlines (after `{`, `&&`, `||`, `,`, `else`, `do`) and
    comments, as a person would write them."""
    out = []
    for part in prog.split(SEP):
        out.append(part)
        out.append(R.choice(["; ", "; ", "\n", " ;\n", "\n\n", " # c;\n", ";;"]))
    s = "".join(out[:-1])
    if R.random() < 0.3:
        for tok in ("{ ", "&& ", "|| ", ", ", "else ", "do "):
            if R.random() < 0.3:
                s = s.replace(tok, tok.rstrip() + "\n", 1)
    return s


class AwkGen:
    def __init__(self):
        self.loops = 0
        self.funcs = set()
        self.in_loop = 0
        self.where = "main"
        # how often a binary operation is parenthesized: fewer parentheses try the precedences
        self.parens = R.choice([0.7, 0.7, 0.3, 0.0])

    def num(self):
        return R.choice(AWK_NUMS)

    def regex(self):
        r = R.choice(AWK_RES)
        if R.random() < 0.3:
            r = R.choice(AWK_RES) + r
        return "/" + r.replace("/", "\\/") + "/"

    def lvalue(self, d=0):
        p = R.random()
        if p < 0.45:
            return R.choice(AWK_SCAL[:5])
        if p < 0.7:
            return "%s[%s]" % (R.choice(AWK_ARRS), self.key(d + 1))
        if p < 0.9:
            return "$" + R.choice(["1", "2", "3", "0", "NF", "(NF+1)", "4", "6"])
        return R.choice(["NF", "OFS", "CONVFMT", "OFMT", "FS"]) if self.where != "main" or R.random() < 0.5 else "NF"

    def key(self, d=0):
        p = R.random()
        if p < 0.4:
            return R.choice(["1", "2", "3", '"a"', '"b"', "0", '"01"', "1.0", "0.1+0.2", '"x" 1'])
        if p < 0.6:
            return "$1"
        if p < 0.75:
            return "1, 2"
        return self.expr(d + 2)

    def leaf(self):
        p = R.random()
        if p < 0.25:
            return self.num()
        if p < 0.4:
            return R.choice(AWK_STRS)
        if p < 0.6:
            return "$" + R.choice(["0", "1", "2", "3", "NF", "4", "(NF-1)", "(1+1)"])
        if p < 0.8:
            return R.choice(AWK_SCAL)
        if p < 0.9:
            return R.choice(["NR", "NF", "FNR", "RSTART", "RLENGTH", "FILENAME", "length", "ARGC",
                             "ARGV[1]", "ENVIRON[\"PATH\"] != \"\"", "SUBSEP", "CONVFMT"])
        return "%s[%s]" % (R.choice(AWK_ARRS), self.key(3))

    def call(self, d):
        e = lambda: self.expr(d + 1)
        p = R.randint(0, 25)
        if p == 0:
            return "length(%s)" % e()
        if p == 1:
            # not length(array): gawk --posix refuses it and mawk types the name on first sight
            return "length(%s)" % R.choice(AWK_SCAL)
        if p == 2:
            return "substr(%s, %s)" % (e(), R.choice(["0", "1", "2", "-1", "1.5", "2.5", e()]))
        if p == 3:
            return "substr(%s, %s, %s)" % (e(), R.choice(["0", "1", "2", "-1", "1.5", "0.5", e()]),
                                          R.choice(["0", "1", "2", "-1", "1.5", "100", e()]))
        if p == 4:
            return "index(%s, %s)" % (e(), R.choice(AWK_STRS + [e()]))
        if p == 5:
            sep = R.choice(["", ", \" \"", ", \":\"", ", \",\"", ", /[,:]/", ", \"\"", ", \"a\"",
                            ", /b+/", ", \".\"", ", \"[.]\""])
            return "split(%s, %s%s)" % (e(), R.choice(AWK_ARRS), sep)
        if p in (6, 7):
            f = R.choice(["sub", "gsub"])
            re_ = R.choice([self.regex(), '"a"', '"."', '"^"', '"$"', '"x*"', '"b*"', '""'])
            repl = R.choice(['"[&]"', '"\\\\&"', '"x"', '""', '"&&"', '"\\\\\\\\&"', '"-"', e()])
            tgt = R.choice(["", "", ", " + R.choice(AWK_SCAL[:4]), ", $" + R.choice("0123"),
                            ", " + R.choice(AWK_ARRS) + "[1]"])
            return "%s(%s, %s%s)" % (f, re_, repl, tgt)
        if p == 8:
            return "match(%s, %s)" % (e(), R.choice([self.regex(), '"b"', '"x*"', e()]))
        if p == 9:
            return "%s(%s)" % (R.choice(["tolower", "toupper"]), e())
        if p == 10:
            return "int(%s)" % e()
        if p == 11:
            f = R.choice(["sqrt", "exp", "log", "sin", "cos"])
            return "sprintf(\"%%.6g\", %s(%s))" % (f, R.choice([e(), "2", "0.5", "10", "1"]))
        if p == 12:
            return "sprintf(\"%%.6g\", atan2(%s, %s))" % (e(), R.choice([e(), "1", "-1", "0"]))
        if p == 13:
            fmt, args = self.format(d)
            return "sprintf(%s)" % ", ".join([fmt] + args)
        if p in (14, 15) and self.funcs:
            f = R.choice(sorted(self.funcs))
            arg = R.choice(["3", "5", "int(%s) %% 8" % e(), "-1", "10"])
            return {"fact": "fact(%s)" % arg, "fib": "fib(%s)" % R.choice(["5", "10", "int(%s) %% 12" % e()]),
                    "fill": "fill(%s, %s, %s)" % (R.choice(AWK_ARRS), self.key(d + 1), e()),
                    "cnt": "cnt(%s)" % R.choice(AWK_ARRS),
                    "join": "join(%s, %s, %s)" % (R.choice(AWK_ARRS), R.choice(["3", "2", "0"]), R.choice(AWK_STRS)),
                    "mx": "mx(%s, %s)" % (e(), e()),
                    "loc": "loc(%s)" % e()}[f]
        if p == 16:
            return "(%s) in %s" % (self.key(d + 1).replace(", ", "SUBSEP"), R.choice(AWK_ARRS)) if R.random() < 0.5 \
                else "((%s) in %s)" % (self.key(d + 1), R.choice(AWK_ARRS))
        if p == 17:
            return "(%s ? %s : %s)" % (e(), e(), e())
        if p == 18:
            return "%s%s" % (R.choice(["++", "--"]), self.lvalue(d))
        if p == 19:
            return "%s%s" % (self.lvalue(d), R.choice(["++", "--"]))
        if p == 20:
            return "(%s %s %s)" % (self.lvalue(d), R.choice(["=", "+=", "-=", "*=", "/=", "%=", "^=", "="]), e())
        if p == 21:
            return "%s %s %s" % (e(), R.choice(["~", "!~"]), R.choice([self.regex(), '"a"', '"^[0-9]"', e()]))
        if p == 22:
            return "-%s" % self.leaf()
        if p == 23:
            return "!%s" % self.leaf()
        return self.leaf()

    def expr(self, d=0):
        if d > 3 or R.random() < 0.3:
            return self.leaf()
        p = R.random()
        if p < 0.35:
            return self.call(d)
        a, b = self.expr(d + 1), self.expr(d + 1)
        op = R.choice(["+", "-", "*", "/", "%", "^", " ", " ", "<", "<=", "==", "!=", ">", ">=",
                       "&&", "||", "+", "-", "*"])
        if op in "/%" and R.random() < 0.8:
            b = self.divisor()
        s = "%s %s %s" % (a, op, b) if op != " " else "%s %s" % (a, b)
        return "(" + s + ")" if R.random() < self.parens else s

    def divisor(self):
        # mawk divides by zero to inf where gawk stops: mostly divisors that are not zero
        return R.choice(["3", "-2", "0.5", "7", "-1.5", "(NR + 1)", "(length($0) + 2)", "10"])

    def pexpr(self, d=0):
        """An expression safe as a print argument (no bare `>`, `in` or `getline`)."""
        e = self.expr(d)
        if e[:1] == "(" and e[-1:] == ")" or all(c.isalnum() or c in "$_[]\"" for c in e):
            return e
        return "(" + e + ")"

    def format(self, d):
        fmt = ""
        args = []
        for _ in range(R.randint(1, 3)):
            fmt += R.choice(["", "[", " ", "a", "|"])
            conv = R.choice("dioxXucseEfgGdsf%")
            flags = "".join(R.sample("-+ #0", R.choice([0, 0, 0, 1, 1, 2])))
            width = R.choice(["", "", "5", "1", "12", "*", "03"])
            prec = R.choice(["", "", "", ".0", ".3", ".*", ".10", "."])
            if conv == "%":
                fmt += "%%"
                continue
            fmt += "%" + flags + width + prec + conv
            for w in (width, prec):
                if "*" in w:
                    args.append(R.choice(["3", "-4", "0", "8", "-1"]))
            big = R.choice(["2^31", "2^53", "-2^31", "2^32+1", "1e20", "2147483647", "-2147483648"])
            args.append(R.choice([self.pexpr(d + 1), self.num(), R.choice(AWK_STRS), "-" + self.num(),
                                  self.num(), "65", "300", "-65", "255", "0", big if R.random() < 0.3 else "7"]))
        fmt += R.choice(["\\n", "\\n", "", "|\\n"])
        return '"' + fmt + '"', args

    def out_redirect(self):
        p = R.random()
        if p < 0.85:
            return ""
        return R.choice([' > "o1"', ' >> "o2"', ' > "o1"', ' | "cat"', ' | "sort"'])

    def simple(self, d):
        p = R.random()
        if p < 0.25:
            args = [self.pexpr(d) for _ in range(R.randint(0, 3))]
            return "print" + (" " + ", ".join(args) if args else "") + self.out_redirect()
        if p < 0.35:
            fmt, args = self.format(d)
            return "printf " + ", ".join([fmt] + args) + self.out_redirect()
        if p < 0.6:
            op = R.choice(["=", "=", "+=", "-=", "*=", "/=", "%=", "^="])
            rhs = self.divisor() if op in ("/=", "%=") and R.random() < 0.8 else self.expr(d)
            return "%s %s %s" % (self.lvalue(d), op, rhs)
        if p < 0.65:
            return R.choice(["delete %s[%s]" % (R.choice(AWK_ARRS), self.key(d)), "delete " + R.choice(AWK_ARRS)])
        if p < 0.72 and self.where == "main" and not self.in_loop:
            return R.choice(["getline", "getline " + R.choice(AWK_SCAL[:4]), "next"])
        if p < 0.8:
            v = R.choice(AWK_SCAL[:4])
            f = R.choice(["f1", "f2", "o1", "nonexist"])
            return R.choice(['(getline %s < "%s")' % (v, f), 'getline < "%s"' % f,
                             '"echo 7 8 9" | getline', '"echo 4 5" | getline ' + v,
                             'close("%s")' % f, 'r = close("echo 4 5")',
                             'while ((getline %s < "%s") > 0) n++' % (v, f)])
        if p < 0.84 and self.in_loop:
            return R.choice(["break", "continue"])
        if p < 0.86:
            return R.choice(["exit", "exit " + R.choice(["0", "1", "3", "x", "256+2", "-1"])])
        if p < 0.88:
            return 'printf "%s\\n", ' + self.pexpr(d) + ' > "o1"; close("o1"); while ((getline t < "o1") > 0) print "r:" t'
        return self.call(d)

    def stmt(self, d=0):
        if d > 2:
            return self.simple(d)
        p = R.random()
        if p < 0.55:
            return self.simple(d)
        if p < 0.7:
            if R.random() < 0.4:
                # a simple statement before `else` needs a `;` (mawk): braces
                return "if (%s) { %s } else %s" % (self.expr(d), self.stmt(d + 1), self.block(d + 1))
            return "if (%s) %s" % (self.expr(d), self.block(d + 1))
        self.loops += 1
        i = "i%d" % self.loops
        self.in_loop += 1
        try:
            if p < 0.78:
                return "for (%s = 0; %s < %s; %s++) %s" % (i, i, R.choice(["3", "NF", "2", "5"]), i, self.block(d + 1))
            if p < 0.85:
                return "%s = 0; while (%s++ < %s) %s" % (i, i, R.choice(["3", "NF", "2"]), self.block(d + 1))
            if p < 0.9:
                return "%s = 0; do { %s } while (++%s < %s)" % (i, self.stmt(d + 1), i, R.choice(["3", "1", "0"]))
            # order-independent body only
            arr = R.choice(AWK_ARRS)
            body = R.choice(["n++", "s2 += (%s[%s] ~ /^[0-9]+$/)" % (arr, i), "if (%s > m) m = %s" % (i, i),
                             "delete %s[%s]" % (arr, i), "c[%s]++" % i, "n += length(%s)" % i])
            return "for (%s in %s) %s" % (i, arr, body)
        finally:
            self.in_loop -= 1

    def block(self, d):
        n = R.choice([1, 1, 2, 3])
        if n == 1 and R.random() < 0.5:
            return self.stmt(d)
        return "{ " + SEP.join(self.stmt(d) for _ in range(n)) + " }"

    def pattern(self):
        p = R.random()
        if p < 0.4:
            return ""
        if p < 0.55:
            return self.regex()
        if p < 0.65:
            return "%s, %s" % (R.choice([self.regex(), "NR == 2", "$1 ~ /a/", "/b/"]),
                               R.choice([self.regex(), "NR == 4", "/x/", "NR >= 3"]))
        if p < 0.75:
            return R.choice(["$1 > $2", "$1 == $2", "$2 < 5", "$1 == 1", '$1 > "b"', "NF > 2", "!NF",
                             "$3", "$1 == \"1e3\"", "$1 + 0 == $1", "NR % 2", "u == 0", 'u == ""',
                             "$1 ~ $2", "length > 3", "(getline line) > 0"])
        return self.expr(1)

    def program(self):
        for f in AWK_FUNCS:
            if R.random() < 0.12:
                self.funcs.add(f)
        rules = []
        if R.random() < 0.4:
            self.where = "begin"
            rules.append("BEGIN { %s }" % SEP.join(self.stmt() for _ in range(R.randint(1, 3))))
        self.where = "main"
        for _ in range(R.choice([1, 1, 2, 3])):
            pat = self.pattern()
            if R.random() < 0.15 and pat:
                rules.append(pat)
            else:
                rules.append("%s { %s }" % (pat, SEP.join(self.stmt() for _ in range(R.randint(1, 3)))))
        if R.random() < 0.4:
            self.where = "end"
            rules.append("END { %s }" % SEP.join(self.stmt() for _ in range(R.randint(1, 3))))
        funcs = [AWK_FUNCS[f] for f in sorted(self.funcs)]
        return "\n".join(funcs + rules)


def awk_focus():
    """Small programs aimed at one corner: number output, printf, fields, comparisons."""
    g = AwkGen()
    p = R.randint(0, 7)
    if p == 0:
        v = R.choice(AWK_NUMS + ["0.1+0.2", "-0", "1/3", "2^53", "2^53+1", "1e15", "1e17", "-1e6",
                                 "100/3", "0.000001", "123456.7", "1234567.8", "-0.0", "3-3",
                                 "-(0)", "1e6 - 1", "0.1*3", "17/4"])
        # (not CONVFMT = "%d": mawk's conversions through it are garbage)
        conv = R.choice(["", "CONVFMT = \"%.2g\"; ", "OFMT = \"%.2f\"; ", "CONVFMT = \"%.3f\"; ",
                         "OFMT = \"%.3e\"; "])
        return "BEGIN { %sx = %s; print x; print x \"\"; Y[x] = 1; for (k in Y) print k; print (x \" \") }" % (conv, v)
    if p == 1:
        fmt, args = g.format(0)
        return "{ printf %s }" % ", ".join([fmt] + args)
    if p == 2:
        return "{ %s; print; print NF }" % R.choice(["$%d = %s" % (R.randint(0, 7), g.pexpr()),
                                                     "NF = %d" % R.randint(0, 7), "NF++", "NF--",
                                                     "$0 = %s" % g.pexpr(), "$NF = \"\"",
                                                     "$(NF+2) = \"z\"", "OFS = \"-\"; $1 = $1",
                                                     "OFS = \":\"; NF = NF", "$3 = \"\"; NF = 2"])
    if p == 3:
        a = R.choice(["$1", "$2", "x", "u", "$5", "line", "\"10\"", "10", "\"abc\"", "$1 + 0",
                      "$1 \"\"", "substr($1, 1)", "A[1]", "v"])
        b = R.choice(["$1", "$2", "x", "u", "0", "\"\"", "10", "\"10\"", "\"1e3\"", "1000", "$3",
                      "\"+4\"", "4", "0.5", "\".5\"", "A[2]", "v"])
        op = R.choice(["<", "<=", "==", "!=", ">", ">="])
        return "%s{ x = $2; split($0, A); (\"echo \" $1) | getline line; close(\"echo \" $1); print (%s %s %s), (%s %s %s) }" % (
            R.choice(["", "BEGIN { getline v < \"f1\" } "]), a, op, b, b, op, a)
    if p == 4:
        ops = R.choice(["%", "/", "^", "*", "-", "+"])
        a = R.choice(["7", "-7", "7.5", "-7.5", "2", "-2", "0.5", "$1", "$2", "1e3", "3", "-3", "10"])
        b = R.choice(["3", "-3", "2", "-2", "0.5", "-0.5", "$2", "$3", "1.5", "10", "3.0", "-1"])
        return "{ x = %s %s %s; print x; printf \"%%.6g %%d\\n\", x, x }" % (a, ops, b)
    if p == 5:
        return "{ %s; print; print %s }" % (
            R.choice(["n = gsub(%s, %s)" % (R.choice([g.regex(), '"x*"', '"^"', '"$"', '""', '"a"']),
                                           R.choice(['"[&]"', '"\\\\&"', '"<\\\\\\\\&>"', '"-"', '""'])),
                      "n = sub(%s, %s)" % (g.regex(), R.choice(['"[&]"', '"\\\\&"', '"&&"'])),
                      "n = match($0, %s) \" \" RSTART \" \" RLENGTH" % g.regex(),
                      "n = split($0, A, %s); s = A[1] \"|\" A[n]" % R.choice(['""', '" "', '":"', "/[:,]/", '"a"', '"."', "/x*/"])]),
            R.choice(["n", "n, s", "n, $1", "n, NF"]))
    if p == 6:
        return "{ %s }" % SEP.join(g.stmt() for _ in range(R.randint(1, 4)))
    return g.program()


AWK_NUMSTR = ['" 1 "', '"1."', '"."', '"-.5e-3"', '"+"', '"1e+"', '"e5"', '" +2"', '"1e3"',
              '"1000"', '"0"', '"-0"', '""', '"abc"', '" 12abc"', '"0.0"', '"1e-1"', '"00"']


def awk_focus2():
    """Hand-shaped programs with random parts: strnum, uninitialized values, getline, exit,
    regex and string escapes, split/sub corners, records and fields."""
    g = AwkGen()
    p = R.randint(0, 15)
    ns = lambda: R.choice(AWK_NUMSTR)
    if p == 0:
        a, b = ns(), ns()
        op = R.choice(["<", "<=", "==", "!=", ">", ">="])
        return ('BEGIN { a = %s; b = %s; split(a " " b, S); print (a %s b), (a+0 %s b), (S[1] %s S[2]), '
                '(S[1] %s b), (u %s a), (u %s S[1]) }' % (a, b, op, op, op, op, op, op))
    if p == 1:
        return '{ print ($1 %s $2), ($1 %s %s), ($2 %s u), ($1 %s 0), ($3 == "") }' % (
            R.choice(["<", "==", ">"]), R.choice(["<", "==", ">="]), ns(), R.choice(["<", "=="]),
            R.choice(["==", "<"]))
    if p == 2:
        return 'BEGIN { while ((getline l < "f1") > 0) { n++; if (l %s %s) c++; split(l, F); if (F[1] %s F[2]) d++ } print n, c, d, (l == ""), l }' % (
            R.choice(["<", "==", ">"]), R.choice(AWK_NUMSTR + ["10", "0", "1e3"]), R.choice(["<", "==", ">"]))
    if p == 3:
        return 'BEGIN { print length(u), u + 0, (u == 0), (u == ""), (!u), (u < 1), -u, u "" "x"; if (!(u in A)) print "no"; print length(A); A[u]; print (("" in A) ? "in" : "out") }'
    if p == 4:
        code = R.choice(["0", "1", "3", "x", "256+2", "-1", "\"2\"", ""])
        where = R.choice(["BEGIN", "main", "END", "func"])
        if where == "func":
            return 'function f(v) { if (v > 1) exit %s; return v } { print f(NR) } END { print "end", NR; %s }' % (
                code, R.choice(["", "exit", "exit 4"]))
        if where == "BEGIN":
            return 'BEGIN { print "b"; exit %s; print "no" } { print } END { print "e"; %s }' % (code, R.choice(["", "exit", "exit 5"]))
        if where == "main":
            return 'NR == 2 { exit %s } { print } END { print "e", NR, $0; %s }' % (code, R.choice(["", "exit", "exit 6"]))
        return 'END { print NR, $0, NF; exit %s }' % code
    if p == 5:
        e = R.choice(['"a\\tb"', '"\\056\\101"', '"\\/"', '"\\""', '"x\\ay"', '"\\e"', '"\\."',
                      '"\\\\"', '"a\\\nb"', '"\\18"'])
        return 'BEGIN { s = %s; print s, length(s); print ("a.b" ~ s), index("x.\\y", s); n = split("q\\.w.e", P, s); print n, P[1] }' % e
    if p == 6:
        re_ = R.choice(["/[]a]/", "/[^]a]/", "/a\\/b/", "/[a-c]+$/", "/^[[:upper:]]/", '"\\."', '"^."',
                        "/(^a|b$)/", "/a{2}/", "/[.]/", "/\\$/", '"[[:digit:]]+"', "/a|/", "/()/", "/x+?/"])
        return '{ print ($0 ~ %s), match($0, %s), RSTART, RLENGTH; n = gsub(%s, "<&>"); print n, $0 }' % (re_, re_, re_)
    if p == 7:
        src = R.choice(['" a b  c "', '"a:b::c:"', '":a"', '""', '"abc"', '"a1b22c"', '"  "', '"a\\nb c"'])
        sep = R.choice(['" "', '":"', '""', "/[0-9]+/", "/:*/", '"[0-9]"', '"b"', '"\\t"', "/ /", '"."'])
        return 'BEGIN { n = split(%s, P, %s); printf "%%d", n; for (i = 1; i <= n; i++) printf "[%%s]", P[i]; print "" }' % (src, sep)
    if p == 8:
        tgt = R.choice(["$0", "$1", "$2", "$3", "$(NF+2)"])
        f = R.choice(["sub", "gsub"])
        return '{ n = %s(%s, %s, %s); print n, NF, $0; print $1 "|" $2 }' % (
            f, R.choice(["/a/", "/^/", "/$/", "/ /", "/[0-9]/", '"x*"', "/b|$/"]),
            R.choice(['"-"', '"&&"', '"\\\\&"', '""', '" "', '"\\\\\\\\&"']), tgt)
    if p == 9:
        return '%s{ %s; print; print NF, $1 }' % (
            R.choice(["", "BEGIN { OFS = \"-\" } "]),
            R.choice(["$0 = \" x  y \"", "$3 = \"\"", "NF = 1", "NF += 2", "$(NF + 1) = NF",
                      "$1 = $1", "$0 = $2", "NF = 0", "$2 = $2 \" \" $2", "$0 = \"\""]))
    if p == 10:
        return 'BEGIN { while (("echo 1 2; echo 3" | getline) > 0) print NF, $2, NR; print close("echo 1 2; echo 3"); "exit 3" | getline; print close("exit 3"), close("never") }'
    if p == 11:
        return 'BEGIN { printf "%s\\n", %s > "o1"; printf "%s\\n", %s > "o1"; close("o1"); while ((getline l < "o1") > 0) print "got", l, (l < 10); print "x" >> "o1"; close("o1"); getline l < "o1"; print l }' % (
            R.choice(["%s", "%d", "%.2f", "%5s"]), g.pexpr(), R.choice(["%s", "%x"]), g.num())
    if p == 12:
        return 'BEGIN { print ARGC; for (i = 0; i < ARGC; i++) print i, ARGV[i]; %s } { print FILENAME, FNR, NR, $0 } END { print x, y }' % (
            R.choice(["", "ARGV[1] = \"\"", "ARGC = 2", "ARGV[ARGC++] = \"f2\"", "delete ARGV[1]", "ARGV[1] = \"x=9\""]))
    if p == 13:
        return 'BEGIN { x = %s; printf "%s|%s|%s\\n", x, x, x }' % (
            R.choice(AWK_NUMSTR + ["1e300*1e300", "-1e300*1e300", "0.5", "-0.5", "1.5", "2.5", "-2.5",
                                   "255", "256", "65.9", "\"65\"", "\"A\"", "3e9", "-3e9"]),
            R.choice(["%d", "%i", "%c", "%5.1f", "%o", "%u", "%.0f", "%e"]),
            R.choice(["%x", "%X", "%s", "%.3s", "%g", "%G", "%-4c"]), R.choice(["%.0e", "%#g", "%#x", "%+i"]))
    if p == 14:
        return '{ print; getline; print "after", $0, NR; getline v; print "v", v, NR, $0 }'
    return 'BEGIN { FS = %s } { print NF; for (i = 1; i <= NF; i++) printf "[%%s]", $i; print "" }' % (
        R.choice(['","', '"\\t"', '" "', '"[ ,]"', '":+"', '"a"', '"\\|"', '"|"', '"[:]"', '"^x"', '"."']))


def awk_mutate(prog):
    """A likely syntax error: a token dropped, added or the program cut."""
    p = R.random()
    if p < 0.3 and prog:
        i = R.randrange(len(prog))
        return prog[:i] + prog[i + 1:]
    if p < 0.7:
        i = R.randint(0, len(prog))
        return prog[:i] + R.choice(["{", "}", "(", ")", ";", "+", "$", " in ", " else ", "=", ",", "/",
                                    "\"", "getline", "function", "[", "]", "!", "?", ":", "*", "\n"]) + prog[i:]
    return prog[:R.randint(0, len(prog))]


def gen_awk():
    fields = lambda: b" ".join(R.choice(AWK_FIELDS) for _ in range(R.randint(0, 5)))
    seps = [b" ", b" ", b"  ", b"\t", b":", b",", b" , "]
    sep = R.choice(seps)

    def text(n):
        lines = []
        for _ in range(R.randint(0, n)):
            line = sep.join(R.choice(AWK_FIELDS) for _ in range(R.randint(0, 5)))
            if R.random() < 0.2:
                line = b" " + line + b" "
            lines.append(line)
            if R.random() < 0.1:
                lines.append(b"")
        data = b"\n".join(lines)
        if lines and R.random() < 0.9:
            data += b"\n"
        return data

    files = {"f1": text(5), "f2": text(4)}
    prog = awk_layout(awk_focus() if R.random() < 0.6 else awk_focus2())
    if R.random() < 0.08:
        prog = awk_mutate(prog)
    args = []
    if R.random() < 0.3:
        args += ["-F", R.choice([":", " ", "\\t", "[,:]", "t", "a", ",", "[ :]+", "|", "."])]
    if R.random() < 0.25:
        args += ["-v", R.choice(["x=1", "x=a\\tb", "y=\\\\n", "z=\\101", "s=10", "x=1e3", "y= 5 ",
                                 "OFS=-", "ORS=\\n--\\n", "RS=;", "RS=", "CONVFMT=%.2g", "NF=3",
                                 "FS=,", "u=", "s=3.0"])]
    args.append(prog)
    stdin = text(6)
    p = R.random()
    if p < 0.2:
        stdin = stdin.replace(b"\n", b";")
    if p < 0.35 and "RS" not in prog:
        args[-1] = "BEGIN { RS = %s } " % R.choice(['""', '";"', '"a"', '"\\n"']) + prog
        if R.random() < 0.5:
            stdin = b"\n\n" + stdin + b"\n\n\nq r\ns\n\n"
    ops = R.choice([[], [], ["f1"], ["f1", "f2"], ["-"], ["x=5", "f1"], ["f1", "y=zz", "f2"],
                    ["nonexist"], ["f2", "-", "f1"]])
    return args + ops, stdin, files


def awk_compare(link, args, stdin, files, tmp):
    """("same" | "skip" | "diff", report): rbox against mawk and gawk --posix, which must agree
    on stdout, status and files left behind; stderr is compared as empty or not."""
    m = run("awk", "/usr/bin/mawk", args, stdin, files, os.path.join(tmp, "m"))
    g = run("awk", "/usr/bin/gawk", ["--posix"] + list(args), stdin, files, os.path.join(tmp, "g"))
    if m[0][0] == 2 and g[0][0] == 1 and not m[0][1] and not g[0][1] and m[0][2] and g[0][2]:
        g = ((2,) + g[0][1:], g[1])  # a syntax error: gawk exits 1, mawk (and rbox) 2
    if (m[0][0], m[0][1], m[1]) != (g[0][0], g[0][1], g[1]):
        return "skip", ""
    if m[0][0] == "timeout":
        return "skip", ""  # rbox finishing sooner is no difference
    if m[0][0] != 0 and bool(m[0][2]) != bool(g[0][2]):
        return "skip", ""  # the same status for different reasons (`exit 1`, gawk's syntax error)
    r = run("awk", link, args, stdin, files, os.path.join(tmp, "r"))
    err_ok = bool(m[0][2]) != bool(g[0][2]) or bool(m[0][2]) == bool(r[0][2])
    if (r[0][0], r[0][1], r[1]) == (m[0][0], m[0][1], m[1]) and err_ok:
        return "same", ""
    msg = "  mawk: %r\n  gawk: %r\n  rbox: %r\n" % (m[0], g[0], r[0])
    if m[1] != r[1]:
        msg += "  files mawk: %r\n  files rbox: %r\n" % (m[1], r[1])
    return "diff", msg


GENS.update({"awk": gen_awk})
# find and xargs (GNU findutils 4.9)
#
# find runs over one fixed tree built fresh in each scratch directory (SETUPS["find"]): files of
# several sizes (empty, 1 KiB +/- 1, a sparse 1 MiB + 1), directories (empty, sticky, setgid),
# symlinks to files, directories, nowhere, themselves and up the tree, hard links, a fifo, names
# with spaces, a newline, a leading `-`, glob characters and invalid UTF-8, modes with
# setuid/setgid/sticky bits. Times are set relative to FIND_NOW, taken once per case, away from
# any -mtime/-mmin boundary (and directories and links are accessed in the future: reading them
# would otherwise set their access times). Inode numbers differ between the two directories:
# NORMALISE["find"] writes them as INO. Ctimes are the building's own, so nothing prints them or
# compares two of them.

import re
import time

FIND_NOW = [0]


def _days(n):
    # a quarter of a day away from every half day, as -daystart moves the boundaries
    return n * 86400 + 21600


FIND_TREE = [
    # name, kind (f file, d dir, l symlink, h hard link, p fifo, s sparse file),
    # data / target / size, mode, mtime age in seconds, atime age in seconds
    (b"a", "f", b"x" * 10, 0o644, _days(2), _days(1)),
    (b"B", "f", b"", 0o600, _days(0), _days(0)),
    (b"big", "f", b"y" * 5000, 0o755, _days(40), _days(3)),
    (b"k1", "f", b"z" * 1024, 0o640, _days(400), _days(400)),
    # minutes: 15 s (and the quarter second below) away from every half minute
    (b"k1b", "f", b"z" * 1025, 0o604, 165, 105),
    (b"k1c", "f", b"z" * 1023, 0o664, 1815, _days(5)),
    (b"m", "s", 1048577, 0o644, _days(7), _days(7)),
    (b"sp ace", "f", b"1", 0o644, _days(1), _days(1)),
    (b"nl\nx", "f", b"22", 0o644, _days(3), _days(2)),
    (b"-dash", "f", b"333", 0o644, _days(1), _days(1)),
    (b"\xff\xfe", "f", b"4444", 0o644, _days(10), _days(10)),
    (b"g[1]*", "f", b"", 0o644, _days(2), _days(2)),
    (b"suid", "f", b"#!/bin/sh\n", 0o4755, _days(5), _days(5)),
    (b"sgid", "f", b"", 0o2710, _days(6), _days(6)),
    (b"ro", "f", b"r", 0o444, _days(1), _days(0)),
    (b"none", "f", b"n", 0o000, _days(1), _days(1)),
    (b"X.TXT", "f", b"X", 0o644, _days(2), _days(2)),
    (b"x.txt", "f", b"x", 0o644, -_days(1), -_days(1)),
    (b"hl", "h", b"a", 0, 0, 0),
    (b"d", "d", b"", 0o755, _days(4), _days(4)),
    (b"d/e", "f", b"e" * 100, 0o644, _days(1), _days(1)),
    (b"d/.hid", "f", b"", 0o644, _days(8), _days(8)),
    (b"d/sub", "d", b"", 0o750, _days(2), _days(1)),
    (b"d/sub/f", "f", b"deep", 0o664, _days(30), _days(30)),
    (b"d/sub/deep", "d", b"", 0o755, _days(3), _days(3)),
    (b"d/sub/rootl", "l", b"../..", 0, _days(1), _days(1)),
    (b"d/up", "l", b"..", 0, _days(1), _days(1)),
    (b"d/hl2", "h", b"big", 0, 0, 0),
    (b"empty", "d", b"", 0o700, _days(9), _days(9)),
    (b"sticky", "d", b"", 0o1777, _days(2), _days(2)),
    (b"sticky/t", "f", b"t", 0o644, _days(2), _days(2)),
    (b"sgdir", "d", b"", 0o2755, _days(1), _days(1)),
    (b"l", "l", b"a", 0, _days(1), _days(1)),
    (b"l2", "l", b"l", 0, _days(1), _days(1)),
    (b"dl", "l", b"d", 0, _days(1), _days(1)),
    (b"bad", "l", b"nowhere", 0, _days(1), _days(1)),
    (b"loop", "l", b"loop", 0, _days(1), _days(1)),
    (b"fifo", "p", b"", 0o644, _days(2), _days(2)),
]
FIND_INODES = {}


def find_setup(d):
    db = os.fsencode(d)
    for name, kind, data, mode, _, _ in FIND_TREE:
        p = os.path.join(db, name)
        if kind == "d":
            os.mkdir(p)
        elif kind == "l":
            os.symlink(data, p)
        elif kind == "h":
            os.link(os.path.join(db, data), p)
        elif kind == "p":
            os.mkfifo(p)
        elif kind == "s":
            with open(p, "wb") as f:
                f.truncate(data)
        else:
            with open(p, "wb") as f:
                f.write(data)
        if kind in "dfps":
            os.chmod(p, mode)
    # deepest first: making an entry changes its directory's times
    for name, kind, _, _, mage, aage in sorted(FIND_TREE, key=lambda e: -len(e[0])):
        if kind == "h":
            continue
        now = FIND_NOW[0]
        if kind in "dl":
            # in the future, so that reading a directory or a link leaves its access time
            # (relatime)
            aage = -aage - 86400
        os.utime(os.path.join(db, name), ns=((now - aage) * 10**9 + 250000000,
                                             (now - mage) * 10**9 + 500000000),
                 follow_symlinks=False)
    now = FIND_NOW[0]
    os.utime(db, ns=((now + 86400) * 10**9, (now - _days(1)) * 10**9))
    FIND_INODES[d] = find_inodes(db)


def find_inodes(db):
    inos = set()
    for root, dirs, files in os.walk(db):
        for n in dirs + files + [b"."]:
            try:
                inos.add(str(os.lstat(os.path.join(root, n)).st_ino).encode())
            except OSError:
                pass
    return inos


def find_normalise(d, res):
    if res[0] == "timeout":
        return res
    inos = FIND_INODES.get(d, set()) | find_inodes(os.fsencode(d))

    def sub(b):
        return re.sub(rb" *(?<!\d)\d{4,}(?!\d)", lambda m: b" INO" if m.group().strip() in inos
                      else m.group(), b)
    return (res[0], sub(res[1]), sub(res[2]))


FIND_PATHS = [".", ".", ".", "d", "a", "l", "dl", "bad", "loop", "missing", "d/sub", "./d/",
              "empty", "fifo", "sp ace", "nl\nx", "d//sub", "l2", "d/up", "hl", "\udcff\udcfe",
              "g[1]*", "", "sticky"]
FIND_NAMES = ["a", "*", "*.txt", "[a-c]*", "?", "*x*", "d", "sub", ".*", "\\*", "g\\[1]\\*",
              "*[", "[!a]*", "nl?x", "-dash", "*e", "f", "[[:upper:]]*", "*/*", "A", "*.TXT",
              "[^a]*", "\\", "*\\", "[", "sp ace", "\udcff*", "?\udcfe", "l*", "*\n*", "k1?",
              "**", ""]
FIND_PATHPATS = ["./d*", "*/sub/*", "./a", "d/*", "*e", "./D/*", "*/.*", "*sub", ".", "./*/*/*",
                 "*[/]*", "d/sub", "./d/sub/", "*/l?"]
FIND_REGEX = {
    None: [".*/[a-c]", ".*sub.*", "\\./d/.*", ".*\\(e\\|f\\)", ".*/..?", "\\./[^/]*", ".*",
           ".*/[[:upper:]].*", "\\./.\\{1,2\\}", ".*/\\w+", ".*\\`", "a", ".*[", ".*x\\'",
           ".*/k1.?", ".*+", "\\./\\(d\\|l\\)"],
    "posix-extended": [".*/(e|f)", ".*/.{1,2}", "\\./d(/.*)?", ".*[0-9]+", ".*/[^a-z]*", "(",
                       ".*/(a|B)", ".*\\.(txt|TXT)", "\\./[[:alpha:]]+", "a{"],
    "posix-basic": [".*/\\(e\\|f\\)", ".*/.\\{1,2\\}", "\\./d\\(/.*\\)\\{0,1\\}", ".*[0-9]\\+",
                    "\\(", ".*/a*", ".*\\.txt"],
    "emacs": [".*/\\(e\\|f\\)", ".*\\.txt", "\\./d.*", ".+"],
    "findutils-default": [".*/[a-c]", ".*sub"],
    "posix-egrep": [".*/(e|f)", ".*\\.txt"],
    "grep": [".*/\\(e\\|f\\)"],
    "awk": [".*/(e|f)"],
    "sed": [".*/\\(e\\|f\\)"],
    "foo": [".*"],
}
FIND_TYPES = ["f", "d", "l", "p", "s", "b", "c", "D", "f,d", "l,p", "d,l,f", "x", "f,", "ff", "",
              "f,f", ",d"]
FIND_SIZES = ["0", "-1", "+0", "10c", "-10c", "+9c", "1k", "-2k", "+1k", "2", "1M", "+1M", "-1G",
              "5000c", "1025c", "bad", "1x", "+", "3w", "-1M", "+2M", "1024c", "+1023c", "2b",
              "11", "-", "1025k", "+1G", "0c"]
FIND_DAYS = ["0", "1", "2", "+1", "-1", "+2", "-3", "40", "+39", "-41", "400", "+1000", "1.5",
             "-0", "+0", "x", "-2.5", "3", "+7", "-1000", "", " 1", "1e1"]
FIND_MINS = ["-3", "+2", "2", "3", "-1", "+720", "-1440", "0", "31", "-31", "+30", "-60", "1.5",
             "x", "-0.5", "+2880"]
FIND_PERMS = ["644", "-644", "/644", "-4000", "/u+s", "u=rw,go=r", "/111", "-u+x", "755", "/000",
              "-g+w", "1777", "-1000", "/o=w", "bad", "8", "u+q", "-2000", "/6000", "000",
              "-o+r", "a=r", "/a+x", "g=u", "+x", "-", "/", "u=rwx,g=rx,o=rx", "4755", "-0"]
FIND_LINKS = ["1", "2", "+1", "-2", "3", "+0", "-1", "x", "+2"]
FIND_REFS = ["a", "big", "d", "l", "bad", "missing", "k1b", "x.txt", "B", "hl", "dl", "loop",
             "d/sub/f", "fifo", "empty"]
FIND_DATES = ["2025-01-01", "@0", "3 days ago", "yesterday", "garbage", "1 hour ago",
              "2100-01-01", "@1700000000", "10 minutes ago", "now", "last week", "5 days ago"]
FIND_PRINTF_DIRS = list("pPfhsmMyYldkbnugUGHDS%iFa") + ["t", "T@", "A@", "AF", "Ta", "TY", "Tm",
                                                       "Td", "TH", "TM", "TS", "Tk", "TI", "Tp",
                                                       "Tr", "TT", "Tj", "Tw", "Tb", "TD",
                                                       "T+", "Tx", "TX", "Tc", "Tz", "TZ",
                                                       "Tq", "Q", "", "TU", "TV", "Ts",
                                                       "TN"]
FIND_EXEC = [["echo", "{}"], ["echo", "x{}y"], ["printf", "<%s>\\n", "{}"], ["test", "-d", "{}"],
             ["false"], ["sh", "-c", "exit 3"], ["nosuchcmd", "{}"], ["sh", "-c", "echo $#", "sh",
                                                                       "{}"],
             ["echo", "{}", "{}"], ["echo"], ["true"], ["sh", "-c", "exit 255"],
             ["ls", "-d", "{}"], ["test", "-s", "{}"], ["/"], ["./a"], ["{}"]]


def find_printf():
    fmt = ""
    for _ in range(R.randint(1, 4)):
        p = R.random()
        if p < 0.7:
            flag = R.choice(["", "", "", "-", "10", "-5", "05", "+", " ", "#", ".3", "-8.2"])
            d = R.choice(FIND_PRINTF_DIRS)
            # an inode number apart from other digits, for NORMALISE to find it
            fmt += ("|%" if d == "i" else "%") + flag + d
        elif p < 0.85:
            fmt += R.choice(["\\n", "\\t", "\\0", "\\\\", "\\c", "\\q", "\\101", "\\x41", "\\",
                             "\\a", "\\v", "\\f", "\\r", "\\b"])
        else:
            fmt += R.choice([" ", "x", "[", "]", "|"])
    if R.random() < 0.8:
        fmt += "\\n"
    return fmt


def find_primary(actions):
    p = R.random()
    if p < 0.12:
        return [R.choice(["-name", "-iname"]), R.choice(FIND_NAMES)]
    if p < 0.17:
        return [R.choice(["-path", "-ipath", "-wholename", "-iwholename"]), R.choice(FIND_PATHPATS)]
    if p < 0.23:
        t = R.choice(list(FIND_REGEX))
        pre = [] if t is None else ["-regextype", t]
        return pre + [R.choice(["-regex", "-iregex"]), R.choice(FIND_REGEX[t])]
    if p < 0.33:
        return [R.choice(["-type", "-type", "-xtype"]), R.choice(FIND_TYPES)]
    if p < 0.39:
        return ["-size", R.choice(FIND_SIZES)]
    if p < 0.41:
        return ["-empty"]
    if p < 0.45:
        return [R.choice(["-newer", "-anewer", "-cnewer"]), R.choice(FIND_REFS)]
    if p < 0.48:
        x = R.choice("amc")
        y = R.choice("amct" if x != "c" else "amt")
        if y == "t":
            return ["-newer" + x + y, R.choice(FIND_DATES)]
        return ["-newer" + x + y, R.choice(FIND_REFS)]
    if p < 0.54:
        pre = ["-daystart"] if R.random() < 0.25 else []
        return pre + [R.choice(["-mtime", "-atime", "-ctime", "-mtime"]), R.choice(FIND_DAYS)]
    if p < 0.58:
        pre = ["-daystart"] if R.random() < 0.2 else []
        return pre + [R.choice(["-mmin", "-amin", "-cmin", "-mmin"]), R.choice(FIND_MINS)]
    if p < 0.64:
        return ["-perm", R.choice(FIND_PERMS)]
    if p < 0.67:
        return ["-links", R.choice(FIND_LINKS)]
    if p < 0.69:
        # not the fifo: GNU opens -samefile's file at parse time and waits for a writer
        return ["-samefile", R.choice([r for r in FIND_REFS if r != "fifo"])]
    if p < 0.72:
        return [R.choice(["-readable", "-writable", "-executable"])]
    if p < 0.73:
        return R.choice([["-user", "root"], ["-group", "root"], ["-uid", "0"], ["-gid", "+0"],
                         ["-nouser"], ["-nogroup"], ["-user", "nosuchuser"], ["-uid", "x"],
                         ["-group", "0"], ["-used", "1"]])
    if p < 0.75:
        return [R.choice(["-lname", "-ilname"]), R.choice(["a", "*", "..*", "D", "no*", "l"])]
    if p < 0.77:
        return [R.choice(["-true", "-false"])]
    if p < 0.79:
        return R.choice([["-maxdepth", R.choice(["0", "1", "2", "-1", "x"])],
                         ["-mindepth", R.choice(["0", "1", "2", "3"])], ["-depth"], ["-xdev"],
                         ["-noleaf"], ["-ignore_readdir_race"], ["-follow"], ["-d"]])
    if p < 0.81:
        return ["-prune"]
    if p < 0.815:
        return ["-quit"]
    # actions
    actions[0] = True
    p = R.random()
    if p < 0.2:
        return ["-print"]
    if p < 0.27:
        return ["-print0"]
    if p < 0.5:
        return ["-printf", find_printf()]
    if p < 0.55:
        return [R.choice(["-fprint", "-fprint0"]), "out"]
    if p < 0.57:
        return ["-fprintf", "out", find_printf()]
    if p < 0.62:
        return ["-ls"]
    if p < 0.66:
        return ["-delete"]
    cmd = list(R.choice(FIND_EXEC))
    act = R.choice(["-exec", "-exec", "-execdir", "-ok", "-okdir"])
    if act.endswith("dir") and "{}" in cmd[0]:
        # README: refused as the check GNU's source means to make (4.9's never runs)
        cmd[0] = "echo"
    end = R.choice([";", ";", "+"]) if not act.startswith("-ok") else ";"
    if end == "+" and cmd[-1] != "{}":
        cmd.append("{}")
    if R.random() < 0.03:
        return [act] + cmd
    return [act] + cmd + [end]


def find_expr(depth, actions):
    p = R.random()
    if depth < 3 and p < 0.15:
        return ["("] + find_expr(depth + 1, actions) + [")"]
    if depth < 3 and p < 0.25:
        return [R.choice(["!", "-not"])] + find_expr(depth + 1, actions)
    if depth < 3 and p < 0.55:
        op = R.choice(["-o", "-or", "-a", "-and", ",", "", "", "-o"])
        return (find_expr(depth + 1, actions) + ([op] if op else []) +
                find_expr(depth + 1, actions))
    return find_primary(actions)


def gen_find():
    FIND_NOW[0] = int(time.time())
    args = []
    for o in ["-H", "-L", "-P"]:
        if R.random() < 0.12:
            args.append(o)
    if R.random() < 0.03:
        args += R.choice([["-O3"], ["-O0"], ["-O"], ["-Ox"], ["-O1x"], ["-O70000"], ["-D", "x,y"],
                          ["-D", ""], ["-D", ",,"], ["-D", "help"], ["-Dtree"], ["-D", "a,b"]])
    n = R.choice([0, 1, 1, 1, 1, 2, 3])
    args += [R.choice(FIND_PATHS) for _ in range(n)]
    if R.random() < 0.3:
        args += R.choice([["-maxdepth", "1"], ["-maxdepth", "2"], ["-mindepth", "1"],
                          ["-depth"], ["-mindepth", "2", "-maxdepth", "2"]])
    actions = [False]
    if R.random() < 0.92:
        args += find_expr(0, actions)
    if R.random() < 0.05:
        # broken on purpose
        bad = R.choice([["-foo"], ["("], [")"], ["!"], ["-a"], ["-o"], ["-name"], ["-type"],
                        ["a"], ["-maxdepth"], ["-exec", "echo"], [","], ["-printf"], ["-not"],
                        ["-regextype"], ["-newer"], ["-perm"], ["-size"], ["(", ")"],
                        ["-fprint"], ["-samefile"], ["\\("], ["-newerBt", "now"]])
        at = R.randint(n, len(args))
        args[at:at] = bad
    stdin = b"y\nn\nyes\n\nY\nno\ny\n" * 3
    return args, stdin, {}


SETUPS["find"] = find_setup
NORMALISE["find"] = find_normalise


XARGS_WORDS = ["a", "b c", "'q w'", '"d e"', "f\\ g", "\\", "'", '"', "END", "_", "", "x" * 30,
               "\xff", "-n", "{}", "a{}b", "\t", "  ", "y\\\\z", "'it''s'", "\"a'b\"", "-",
               "--", "%s", "é", "{", "  lead", "trail  ", "END2", "a\\\nb"]
XARGS_CMDS = [[], [], ["echo"], ["echo", "-e"], ["printf", "[%s]\\n"], ["sh", "-c", "exit 255"],
              ["sh", "-c", 'echo "$@"; exit 1', "sh"], ["sh", "-c", "kill -9 $$"], ["nosuch"],
              ["./noexec"], ["true"], ["false"], ["sh", "-c", "exit 126"], ["/"],
              ["sh", "-c", 'echo $# "$@"', "sh"], ["sh", "-c", 'echo "$@"; exit 127', "sh"],
              ["sh", "-c", "kill -15 $$"], ["echo", "x{}y"], ["printf", "%s|"]]
# (no command writing to stderr: GNU does not wait for the command it runs before an
# unmatched quote's error, so the two messages come in either order)


def xargs_input(sep):
    words = [R.choice(XARGS_WORDS) for _ in range(R.randint(0, 10))]
    out = ""
    for w in words:
        out += w + (sep if sep is not None else R.choice([" ", "\n", "\n", "  ", "\t", "\n\n",
                                                          " \n"]))
    if out and R.random() < 0.2:
        out = out[:-1]
    return out.encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff")


def gen_xargs():
    opts = []
    sep = None
    p = R.random()
    if p < 0.2:
        opts.append(R.choice(["-0", "--null"]))
        sep = "\0"
    elif p < 0.32:
        d = R.choice([",", "\\n", "x", "\\t", "\\0", "\\x41", "\\101", "ab", "", "\\", " ", "\n",
                      "\\x2c", "\\\\"])
        opts += R.choice([["-d", d], ["--delimiter=" + d]])
        sep = {"\\n": "\n", "\\t": "\t", "\\0": "\0", "\\x41": "A", "\\101": "A", "\\x2c": ",",
               "\\\\": "\\"}.get(d, d[:1] or ",")
    for o, vals in [("-n", ["1", "2", "3", "0", "x", "-1"]), ("-L", ["1", "2", "0", "x"]),
                    ("-s", ["10", "30", "100", "4096", "1", "20", "x", "131072", "999999999"]),
                    ("-E", ["END", "_", "", "a"]), ("-I", ["{}", "R", "X"]),
                    ("-P", ["1"])]:
        if R.random() < 0.15:
            opts += R.choice([[o, R.choice(vals)], [o + R.choice(vals)]])
    for o in ["-r", "-t", "-x", "-l", "-i", "-e", "--no-run-if-empty", "--verbose", "--exit",
              "-eEND", "--max-args=2", "--max-lines=1", "--replace", "--eof=_", "-bogus",
              "--max-chars=50", "-a"]:
        if R.random() < 0.04:
            opts.append(o)
    files = {"noexec": b"#!/bin/sh\necho hi\n"}
    if "-a" in opts:
        opts.insert(opts.index("-a") + 1, R.choice(["in", "in", "missing"]))
        files["in"] = xargs_input(sep)
    cmd = list(R.choice(XARGS_CMDS))
    if any(o in opts for o in ("-I", "-i", "--replace")) or any(o.startswith("-I") for o in opts):
        rep = "{}"
        for i, o in enumerate(opts):
            if o == "-I":
                rep = opts[i + 1]
            elif o.startswith("-I"):
                rep = o[2:]
        cmd = cmd or ["echo"]
        cmd = cmd + [R.choice([rep, "<" + rep + ">", rep + rep, "x"])]
    return opts + cmd, xargs_input(sep), files


GENS.update({"find": gen_find, "xargs": gen_xargs})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rbox")
    ap.add_argument("applets", nargs="*")
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("-s", type=int, default=None)
    ap.add_argument("-o", default=None)
    a = ap.parse_args()
    applets = a.applets or list(GENS)
    seed = a.s if a.s is not None else random.randrange(1 << 30)
    R.seed(seed)
    tmp = tempfile.mkdtemp(prefix="difftest-")
    links = os.path.join(tmp, "bin")
    os.makedirs(links)
    # a copy: a rebuild during the run does not change what is tested
    binary = os.path.join(tmp, "rbox")
    shutil.copy(a.rbox, binary)
    for ap_ in set(applets) | {"sed"}:
        os.symlink(binary, os.path.join(links, ap_))
    out = open(a.o, "a", errors="surrogateescape") if a.o else None
    counts = {}
    for i in range(a.n):
        applet = applets[i % len(applets)]
        args, stdin, files = GENS[applet]()
        name = "sed" if applet == "regex" else applet
        if applet == "test" and R.random() < 0.3:
            name = "["
            args = args + ["]"] if R.random() < 0.9 else args
        if applet == "awk":
            c = counts.setdefault(applet, [0, 0, 0])
            c[0] += 1
            verdict, msg = awk_compare(os.path.join(links, name), args, stdin, files, tmp)
            c[1 if verdict == "diff" else 2] += verdict != "same"
            if verdict == "diff":
                msg = "DIFF awk\n  %s\n%s" % (repro(applet, args, stdin, files), msg)
                print(msg, flush=True)
                if out:
                    out.write(msg + "\n")
                    out.flush()
            continue
        gnu = "/usr/bin/" + name
        g = run(name, gnu, args, stdin, files, os.path.join(tmp, "g"))
        r = run(name, os.path.join(links, name if name != "[" else "test"), args, stdin, files, os.path.join(tmp, "r"))
        applet = name if applet != "regex" else applet
        c = counts.setdefault(applet, [0, 0])
        c[0] += 1
        both_timeout = g[0][0] == "timeout" and r[0][0] == "timeout"
        if g != r and not both_timeout:
            c[1] += 1
            msg = "DIFF %s\n  %s\n" % (applet, repro(applet, args, stdin, files))
            msg += "  gnu:  %r\n  rbox: %r\n" % (g[0], r[0])
            if g[1] != r[1]:
                msg += "  files gnu:  %r\n  files rbox: %r\n" % (g[1], r[1])
            print(msg, flush=True)
            if out:
                out.write(msg + "\n")
                out.flush()
    print("seed %d" % seed)
    for k, (n, d, *skipped) in counts.items():
        print("%-9s %5d cases %4d differ" % (k, n, d) + (" %4d skipped (mawk and gawk differ)" % skipped[0] if skipped else ""))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
