# rbox as the whole userland of a FROM scratch image.
#   docker build -t rbox .
#   docker run --rm rbox ls -l /usr/bin
#   docker run --rm -it rbox            # a shell
# Without Docker: `sh image/oci.sh` builds the same image as an OCI layout and a
# `docker load`/`podman load` tarball (its ENV and CMD are read from this stage).
# The last stage is also built, step by step, by tests/cli/image.rs in a chroot and run under
# runc by tests/cli/runc.rs. The tree (image/mkroot.sh lists it): /usr/bin/rbox and one symlink
# per applet beside it, /bin, /sbin and /usr/sbin leading there (merged /usr), the FHS
# directories (/tmp and /var/tmp 1777, /root 0700, /home/nonroot, /opt, /run, /usr/local/bin,
# ...), /etc/passwd, group and shadow (root, nobody, nonroot uid/gid 65532 as in distroless),
# /etc/os-release and /etc/nsswitch.conf. Its size is rbox's size.

FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends musl-tools \
    && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl \
    && sh image/mkroot.sh /rootfs target/x86_64-unknown-linux-musl/release/rbox

FROM scratch
COPY --from=build /rootfs/ /
RUN ["/bin/rbox", "--install", "-s", "/usr/bin"]
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/bin/sh"]
