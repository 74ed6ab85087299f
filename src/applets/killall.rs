pub fn main(_argv: Vec<std::ffi::OsString>, _ctx: &mut crate::common::Ctx) -> i32 {
    1
}
