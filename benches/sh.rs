//! sh hot paths against dash (when installed), as whole-process runs of the release binary:
//! the 200,000-iteration parameter-expansion string case, the arithmetic loop, and
//! command substitution; plus parser throughput in-process.
//!
//! `cargo bench --bench sh` (quick look: `cargo bench --bench sh -- --quick`). The figures in
//! the README come from `/work/shared/bench/compare.sh BINARY sh` and this bench.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

const STRINGS: &str = "i=0; x=usr/local/lib/libfoo.so.1; while [ $i -lt 200000 ]; do \
    a=${x#*/}; b=${x%.*}; c=${#x}; d=${x##*/}; e=${x%%/*}; i=$((i+1)); done";
const ARITH: &str = "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done";
const CMDSUBST: &str =
    "i=0; s=0; while [ $i -lt 500 ]; do x=$(echo $i); y=$(date +%s >/dev/null; echo 1); \
    s=$((s+x+y)); i=$((i+1)); done";

fn run(shell: &str, via_rbox: bool, script: &str) {
    let mut cmd = Command::new(shell);
    if via_rbox {
        cmd.arg("sh");
    }
    let st = cmd
        .arg("-c")
        .arg(script)
        .stdout(Stdio::null())
        .status()
        .expect("spawn shell");
    assert!(st.success());
}

fn bench(c: &mut Criterion) {
    let rbox = env!("CARGO_BIN_EXE_rbox");
    let dash = ["/usr/bin/dash", "/bin/dash"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    for (name, script) in [
        ("strings-200k", STRINGS),
        ("arith-200k", ARITH),
        ("cmdsubst-500", CMDSUBST),
    ] {
        let mut g = c.benchmark_group(format!("sh/{name}"));
        g.sample_size(10).measurement_time(Duration::from_secs(8));
        g.bench_function("rbox", |b| b.iter(|| run(rbox, true, script)));
        if let Some(d) = dash {
            g.bench_function("dash", |b| b.iter(|| run(d, false, script)));
        }
        g.finish();
    }

    // Parser throughput: a 4000-line script of typical constructs, parsed without running.
    let unit = "if [ -n \"$x\" ]; then\n  for f in *.conf; do case \"$f\" in a*) echo \"${f%.conf}\" >> out;; esac; done\nfi\n\
                y=$(printf '%s\\n' \"$x\" | sed 's/a/b/'); z=$((y + 1))\ncat <<EOF\nline $z\nEOF\n";
    let text = unit.repeat(500);
    let mut g = c.benchmark_group("sh/parse");
    g.throughput(criterion::Throughput::Bytes(text.len() as u64));
    g.bench_function("4000-lines", |b| {
        b.iter(|| rbox::applets::sh::parser::parse_all(text.as_bytes()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
