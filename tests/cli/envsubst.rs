//! `envsubst` against GNU gettext's envsubst (/usr/bin/envsubst) on the same inputs.

use crate::harness::*;
use std::os::unix::ffi::OsStrExt;

const ORACLE: &str = "/usr/bin/envsubst";

fn oracle() -> bool {
    if std::path::Path::new(ORACLE).exists() {
        true
    } else {
        skip("gettext's envsubst (gettext-base) is not installed");
        false
    }
}

const TEMPLATE: &[u8] = b"a $A ${A} ${B} $B ${A $ $1 ${} $A_x \\$A ${A}b $$A ${A:-x} $\n\
server { listen ${PORT}; root $ROOT/html; } \xff$A\xfe\n$A";

/// Both tools on the same input, environment and arguments.
fn both(args: &[&str], input: &[u8]) {
    let ours = applet("envsubst")
        .args(args)
        .env("A", "1")
        .env("PORT", "8080")
        .env("ROOT", std::ffi::OsStr::from_bytes(b"/srv/\xe9"))
        .env_remove("B")
        .stdin(input)
        .run();
    let theirs = gnu("envsubst")
        .args(args)
        .env("A", "1")
        .env("PORT", "8080")
        .env("ROOT", std::ffi::OsStr::from_bytes(b"/srv/\xe9"))
        .env_remove("B")
        .stdin(input)
        .run();
    ours.same_as(&theirs);
}

#[test]
fn substitutes_like_gettext() {
    if !oracle() {
        return;
    }
    both(&[], TEMPLATE);
    both(&[], b"");
    both(&[], b"no newline $A");
    both(&[], b"trailing $");
    both(&[], b"trailing ${A");
    both(&[], b"trailing ${");
    let o = applet("envsubst")
        .env("A", "1")
        .env_remove("B")
        .stdin("x$A${B}y")
        .run();
    o.ok().stdout_is("x1y");
}

#[test]
fn shell_format_restricts() {
    if !oracle() {
        return;
    }
    both(&["$B ${A}"], TEMPLATE);
    both(&["$PORT"], TEMPLATE);
    both(&["no variables here"], TEMPLATE);
    both(&["${PORT} ${ROOT"], TEMPLATE);
    let o = applet("envsubst")
        .arg("$PORT")
        .env("PORT", "80")
        .env("A", "1")
        .stdin("$PORT $A")
        .run();
    o.ok().stdout_is("80 $A");
}

#[test]
fn variables_listing() {
    if !oracle() {
        return;
    }
    both(&["-v", "$A ${B} $A text ${C $D $1"], b"ignored $A");
    both(&["--variables", ""], b"");
    both(&["--var", "${X}y"], b"");
    let o = applet("envsubst").args(["-v", "$A ${B} $A"]).run();
    o.ok().stdout_is("A\nB\nA\n");
}

#[test]
fn usage_errors() {
    if !oracle() {
        return;
    }
    both(&["-v"], b"");
    both(&["a", "b"], b"");
    both(&["-v", "a", "b"], b"");
    both(&["-x"], b"");
    both(&["--bogus"], b"");
    applet("envsubst").arg("-v").run().code(1);
}

#[test]
fn streams_large_input_across_block_boundaries() {
    if !oracle() {
        return;
    }
    // References straddle every possible read boundary.
    let mut input = Vec::new();
    for i in 0..40_000 {
        input.extend_from_slice(match i % 5 {
            0 => b"${A}".as_slice(),
            1 => b"$LONG_NAME_VARIABLE ",
            2 => b"$",
            3 => b"${A",
            _ => b"x\n",
        });
    }
    let ours = applet("envsubst")
        .env("A", "va")
        .env("LONG_NAME_VARIABLE", "long")
        .stdin(&input)
        .run();
    let theirs = gnu("envsubst")
        .env("A", "va")
        .env("LONG_NAME_VARIABLE", "long")
        .stdin(&input)
        .run();
    ours.ok();
    assert!(ours.stdout == theirs.stdout, "large input differs");
}

#[test]
fn write_error_on_full_device() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        skip("no /dev/full");
        return;
    };
    let o = applet("envsubst")
        .stdout_file(full)
        .stdin("x".repeat(100_000))
        .run();
    o.code(1)
        .stderr_is("envsubst: write error: No space left on device\n");
}
