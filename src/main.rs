fn main() {
    let status = rbox::multicall::run(std::env::args_os().collect());
    std::process::exit(status);
}
