//! `test` and `[`: the shared evaluator (`common::test`) with dash's messages
//! (`test: Illegal number: a`, `[: missing ]`), status 2 on a syntax error.

use super::super::exec::{Res, Shell};
use crate::common::test::{eval, eval_bracket, Dialect};

pub fn bracket(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let a: Vec<&[u8]> = args[1..].iter().map(|a| a.as_slice()).collect();
    Ok(status(sh, b"[", eval_bracket(&a, Dialect::Dash)))
}

pub fn test(sh: &mut Shell, args: &[Vec<u8>]) -> Res {
    let a: Vec<&[u8]> = args[1..].iter().map(|a| a.as_slice()).collect();
    Ok(status(sh, b"test", eval(&a, Dialect::Dash)))
}

fn status(sh: &mut Shell, name: &[u8], r: Result<bool, Vec<u8>>) -> i32 {
    match r {
        Ok(v) => i32::from(!v),
        Err(m) => {
            sh.errf(&[name, b": ", &m]);
            2
        }
    }
}
