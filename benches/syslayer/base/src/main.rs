fn main() {
    let a: Vec<String> = std::env::args().collect();
    println!("{:?} {}", a, unsafe { libc::getpid() });
}
