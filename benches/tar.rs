//! Hot paths of tar that do not touch the file system: writing GNU-format headers and parsing
//! them back (the per-member cost of create, list and extract), on 10,000 members.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rbox::applets::tar::header::{
    parse_header, write_header, Format, Meta, PaxOptions, WriteOpts, BLOCK,
};

fn names() -> Vec<Vec<u8>> {
    (0..10_000)
        .map(|i| {
            let long = if i % 50 == 0 {
                "x".repeat(120)
            } else {
                String::new()
            };
            format!("tree/d{:03}/file-{i:05}.txt{long}", i % 100).into_bytes()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let names = names();
    let mut g = c.benchmark_group("tar");
    g.throughput(Throughput::Elements(names.len() as u64));
    let pax = PaxOptions::default();
    let w = WriteOpts {
        format: Format::Gnu,
        pax: &pax,
        numeric_owner: false,
        root_names: (b"root", b"root"),
        pid: 1,
        absolute: false,
    };
    let meta = |n: &[u8]| {
        let m = Meta {
            name: n,
            xname: n,
            link: b"",
            typeflag: b'0',
            mode: 0o644,
            uid: 1000,
            gid: 1000,
            size: 1500,
            mtime: 1_700_000_000,
            mtime_nsec: 0,
            uname: b"user",
            gname: b"users",
            dev: None,
            atime: (0, 0),
            ctime: (0, 0),
            xattrs: &[],
            pax: &[],
            sparse: None,
        };
        let mut out = Vec::new();
        write_header(&mut out, &m, &w, &mut Vec::new());
        out
    };
    g.bench_function("write_header", |b| {
        b.iter(|| names.iter().map(|n| meta(n).len()).sum::<usize>())
    });
    let blocks: Vec<u8> = names.iter().flat_map(|n| meta(n)).collect();
    g.bench_function("parse_header", |b| {
        b.iter(|| {
            blocks
                .chunks_exact(BLOCK)
                .filter(|h| parse_header(h).is_ok())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
