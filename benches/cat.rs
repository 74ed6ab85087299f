//! Hot paths of cat's formatting mode: `-n` (numbering, the common case) and `-A` (every byte
//! inspected), on 8 MB of text shaped like source code, written to /dev/null.

use std::os::fd::AsFd;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rbox::common::io::Out;
use rbox::common::Ctx;

fn text() -> Vec<u8> {
    let mut v = Vec::with_capacity(8 << 20);
    let mut i = 0u64;
    while v.len() < 8 << 20 {
        i = i
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = (i >> 58) as usize; // 0..63
        v.extend(std::iter::repeat_n(b'x', len));
        if i & 7 == 0 {
            v.push(b'\t');
        }
        v.push(b'\n');
    }
    v
}

fn bench(c: &mut Criterion) {
    let data = text();
    // Open for the whole run: the writers borrow it for 'static.
    let null: &'static std::fs::File = Box::leak(Box::new(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .unwrap(),
    ));
    let fd = null.as_fd();
    let mut g = c.benchmark_group("cat");
    g.throughput(Throughput::Bytes(data.len() as u64));
    for flags in ["-n", "-b", "-A", "-s"] {
        g.bench_function(flags, |b| {
            b.iter(|| {
                let mut ctx = Ctx::new("cat");
                ctx.out = Out::on(fd, rbox::common::io::BUF_SIZE);
                rbox::applets::cat::format_buffer(flags, &data, &mut ctx).unwrap();
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
