# rbox as the whole userland of a FROM scratch image.
#   docker build -t rbox .
#   docker run --rm rbox ls -l /bin
#   docker run --rm -it rbox            # a shell
# The last stage is also built, step by step, by tests/cli/image.rs in a chroot.
# The image holds exactly: /bin/rbox and one symlink per applet beside it, /etc/passwd and
# /etc/group (root, nobody, nonroot uid/gid 65532 as in distroless), /tmp (mode 1777),
# /root (0700) and /home/nonroot (the two users' home directories). Its size is rbox's size.

FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends musl-tools \
    && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY . .
RUN cargo build --release --target x86_64-unknown-linux-musl \
    && sh image/mkroot.sh /rootfs target/x86_64-unknown-linux-musl/release/rbox

FROM scratch
COPY --from=build /rootfs/ /
RUN ["/bin/rbox", "--install", "-s", "/bin"]
ENV PATH=/usr/local/bin:/usr/bin:/bin
CMD ["/bin/sh"]
