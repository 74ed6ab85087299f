//! Behaviours GNU tar 1.34's own test suite (benches/gnu-tar-suite.sh) found missing or
//! different, each checked here in our own scripts against the system's GNU tar as the oracle.

#[allow(unused_imports)]
use crate::harness::*;

/// Runs `script` (tar spelt `TOOL`) with rbox's tar and then with GNU's in the tree `setup`
/// made (a script that changes it starts from copies); status, stdout and stderr must match.
fn same_as_gnu_tar(tag: &str, setup: &str, script: &str) {
    if !have("tar") {
        return skip("GNU tar not installed");
    }
    let t = TempDir::new(tag);
    sh_in(t.path(), setup);
    same_script_as_gnu(t.path(), "tar", script);
}

#[test]
fn tar_options_from_the_environment() {
    // TAR_OPTIONS comes before the command line (after an old-style first word is expanded),
    // split into words with quotes honoured.
    let setup = "mkdir dir && : > dir/foo && : > dir/bar && echo dir/bar > ex";
    same_as_gnu_tar(
        "tarenv",
        setup,
        "TAR_OPTIONS=--exclude-from=ex TOOL cf a.tar dir && TOOL tf a.tar | sort && \
         TAR_OPTIONS=\"-H 'ustar' --exclude 'dir/f'\\\"o\\\"o\" TOOL -cf b.tar dir && \
         od -An -c -j257 -N8 b.tar && TOOL tf b.tar | sort && \
         TAR_OPTIONS=--bogus TOOL tf a.tar; echo $?",
    );
}

#[test]
fn pax_keeps_times_before_1970_in_the_extended_header() {
    // The octal field holds no negative number: pax stores the time in `mtime=` instead of
    // refusing the file, whole seconds too.
    let setup = "mkdir d && touch -d 1969-12-31T23:59:59 d/a && touch -d 1901-12-13T20:45:52 d/b \
                 && touch -d 1960-01-01T00:00:00.25 d/c && touch -d 2001-01-01T00:00:00.5 d/e";
    same_as_gnu_tar(
        "tarneg",
        setup,
        "TOOL --format=pax --pax-option=delete=atime,delete=ctime --mtime=@0 --sort=name -cf a.tar d/a && \
         TOOL --format=pax --pax-option=delete=atime,delete=ctime --sort=name -cf b.tar d; echo $?; \
         grep -a -o 'mtime=[-0-9.]*' b.tar; TOOL --utc --full-time -tvf b.tar | sort; TOOL -df b.tar; echo $?",
    );
}

#[test]
fn hole_detection_raw_and_seek() {
    // Both methods find the same holes here; a bad name is argmatch's list.
    let setup = "dd if=/dev/zero of=sp bs=1k seek=8192 count=1 2>/dev/null && printf ABC | \
                 dd of=sp conv=notrunc bs=1 seek=4096 2>/dev/null && truncate -s 20M sp";
    same_as_gnu_tar(
        "tarhole",
        setup,
        "for m in raw seek; do TOOL --hole-detection=$m --mtime=@0 -cSf - sp | md5sum; done; \
         TOOL --hole-detection=both -cSf - sp; echo $?",
    );
}

#[test]
fn file_selection_options_are_positional_on_create() {
    // --exclude and the matching options apply to the names after them; after the last name
    // they do nothing, and GNU says so (status 2).
    let setup =
        "mkdir -p d/x d/y && : > d/a.b && : > d/a.c && : > 'd/x/*' && : > d/x/f && : > 'd/y/*' \
                 && : > d/y/f && : > d/x/F.c";
    same_as_gnu_tar(
        "tarpos",
        setup,
        "TOOL -cf a.tar d --exclude '*.b'; echo $?; TOOL -tf a.tar | sort; \
         TOOL -cf b.tar --exclude='d/x/*' --no-wildcards --exclude='d/y/*' --wildcards d; TOOL -tf b.tar | sort; \
         TOOL -cf c.tar --exclude='*.C' --ignore-case --exclude='*.B' d; TOOL -tf c.tar | sort; \
         TOOL -cvf e.tar --exclude '*.b' d/x -C d --exclude '*.c' -X /dev/null --anchored; echo $?",
    );
}

#[test]
fn recursion_toggles_per_name() {
    // --no-recursion and --recursion hold for the names after them, on create and on list.
    let setup = "mkdir -p one two && : > one/f && : > two/f";
    same_as_gnu_tar(
        "tarrec",
        setup,
        "TOOL -cf a.tar --no-recursion one --recursion two && TOOL -tf a.tar; \
         TOOL -cf b.tar one two && TOOL -tf b.tar --no-recursion one --recursion two; \
         TOOL -xvf b.tar --no-recursion one/ two/",
    );
}

#[test]
fn compare_reports_on_stdout_and_checks_hard_links() {
    // -d's differences are listing lines (stdout, status 1); a hard link member whose file is
    // no longer the same inode as its target is "Not linked to".
    let setup =
        "mkdir a && echo x > a/x && ln -s x a/y && ln a/x a/z && tar -cf a.tar a/x a/y a/z && \
                 rm a/z && ln -s x a/z && echo changed > a/x && chmod 600 a/x";
    same_as_gnu_tar(
        "tardiff",
        setup,
        "TOOL -df a.tar; echo $?; TOOL -dvf a.tar; echo $?",
    );
}

#[test]
fn overwrite_with_dereference_writes_through_symlinks() {
    // Plain extraction and --overwrite replace an existing symlink; with -h and --overwrite
    // the file it points to is written instead.
    let setup = "mkdir src && echo new > src/f && tar -cf a.tar -C src .";
    same_as_gnu_tar(
        "tarthrough",
        setup,
        "rm -rf d1 d2 d3 && mkdir d1 d2 d3 && for d in d1 d2 d3; do ln -s t $d/f && echo old > $d/t; done; \
         TOOL -xf a.tar -C d1 && TOOL --overwrite -xf a.tar -C d2 && TOOL --overwrite -xhf a.tar -C d3; \
         echo $?; for d in d1 d2 d3; do test -L $d/f && echo link; cat $d/f $d/t; done",
    );
}

#[test]
fn update_looks_inside_directories_already_archived() {
    // -u does not add a directory again (its time changes with every new entry); only the
    // entries under it that are new or newer.
    let setup = "mkdir -p a/s && echo 1 > a/b && echo 2 > a/s/c && tar -cf arc0 a && \
                 touch -d 2030-01-01 a/s/c && echo 3 > a/n && touch -d 2031-01-01 a a/s";
    same_as_gnu_tar(
        "tarupd",
        setup,
        "cp arc0 arc && TOOL -uvf arc a; echo $?; TOOL -tf arc; TOOL -uvf arc a; TOOL -tf arc | wc -l",
    );
}

#[test]
fn v7_name_too_long_is_an_error() {
    let setup = "mkdir -p d && touch d/$(printf '%0100d' 0)";
    same_as_gnu_tar(
        "tarv7",
        setup,
        "TOOL --format=v7 -cf a.tar d; echo $?; TOOL -tf a.tar",
    );
}

#[test]
fn remove_files_of_dot_under_directory_options() {
    // `-C foo . -C ../bar .` with --remove-files empties and then removes foo and bar
    // themselves, by name, once the archive is written (a later -C may pass through them).
    let setup = "true";
    same_as_gnu_tar(
        "tarrmdot",
        setup,
        "rm -rf foo bar && mkdir -p foo/sub bar && echo 1 > foo/sub/f && echo 2 > bar/g && \
         TOOL -cvf a.tar --remove-files -C foo . -C ../bar .; echo $?; ls; TOOL -tf a.tar",
    );
}

#[test]
fn options_inside_file_lists() {
    // A -T list line starting with '-' is options: -C, a nested -T, --recursion and
    // --no-recursion take effect where they stand (not with --null, which reads names as
    // they are).
    let setup = "mkdir -p dir one two && : > f1 && : > dir/f2 && : > one/x && : > two/y && : > f3 && \
                 printf 'f1\\n-C dir\\n.\\n' > L1 && printf 'f1\\n-T L3\\nf1\\n' > L2 && printf 'f3\\n' > L3 && \
                 printf -- '--no-recursion\\none\\n--recursion\\ntwo\\n' > L4";
    same_as_gnu_tar(
        "tarlist",
        setup,
        "TOOL -cf a.tar -T L1 && TOOL -tf a.tar | sort; TOOL -cf b.tar -T L2 && TOOL -tf b.tar; \
         TOOL -cf c.tar -T L4 && TOOL -tf c.tar; TOOL -cf d.tar one two && TOOL -tf d.tar -T L4",
    );
}

#[test]
fn directory_options_between_member_operands_on_extract() {
    // Each operand's members go where the -Cs before it lead (each relative to the one
    // before); a -C after the last operand changes nothing; a missing one is fatal when a
    // member first needs it, after the members before it are out. Directory times are set
    // in the directory each came from.
    let setup = "mkdir -p src/d a/b b && echo 1 > src/f1 && echo 2 > src/f2 && echo 3 > src/d/f3 \
                 && touch -d 2001-01-01 src/d && tar -cf t.tar -C src f1 f2 d";
    same_as_gnu_tar(
        "tarcdir",
        setup,
        "t() { rm -rf a/* b/* f1 f2 d; mkdir -p a/b; TOOL -xvf t.tar \"$@\"; echo \"rc=$?\"; \
         find a b f1 f2 d 2>/dev/null | sort; }; \
         t -C a f1 -C b f2 d; ls -ld --time-style=+%Y a/b/d | cut -d' ' -f6-; \
         t f1 -C b; t -C a f1 -C b; t -C a -C b; t -C a d f1 -C \"$PWD/b\" f2; \
         t -C a f1 -C nonexist f2; t -C nonexist f1",
    );
}
