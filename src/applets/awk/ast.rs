//! The parsed program: expressions and statements with every variable resolved to a slot
//! (globals by number, function locals by frame offset), regex literals compiled once.

use super::lexer::Builtin;
use super::value::Bytes;

/// Global slots of the special variables, in this order.
pub const NF: u32 = 0;
pub const NR: u32 = 1;
pub const FNR: u32 = 2;
pub const FS: u32 = 3;
pub const OFS: u32 = 4;
pub const ORS: u32 = 5;
pub const RS: u32 = 6;
pub const SUBSEP: u32 = 7;
pub const CONVFMT: u32 = 8;
pub const OFMT: u32 = 9;
pub const RSTART: u32 = 10;
pub const RLENGTH: u32 = 11;
pub const FILENAME: u32 = 12;
pub const ARGC: u32 = 13;
pub const ENVIRON: u32 = 14;
pub const ARGV: u32 = 15;
pub const NSPECIAL: u32 = 16;
pub const SPECIALS: [&str; NSPECIAL as usize] = [
    "NF", "NR", "FNR", "FS", "OFS", "ORS", "RS", "SUBSEP", "CONVFMT", "OFMT", "RSTART", "RLENGTH",
    "FILENAME", "ARGC", "ENVIRON", "ARGV",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arr {
    Global(u32),
    Local(u32),
}

#[derive(Debug)]
pub enum LVal {
    Var(u32),
    Local(u32),
    Field(Box<Expr>),
    Index(Arr, Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

#[derive(Debug)]
pub enum GetSrc {
    /// Plain `getline`: the main input.
    Main,
    File(Box<Expr>),
    Cmd(Box<Expr>),
}

#[derive(Debug)]
pub enum Expr {
    Num(f64),
    Str(Bytes),
    /// A regex literal standing alone: `$0 ~ /re/`.
    Regex(usize),
    Field(Box<Expr>),
    Var(u32),
    Local(u32),
    /// A whole array as a function argument (a name that is an array here).
    ArrRef(Arr),
    Index(Arr, Vec<Expr>),
    In(Vec<Expr>, Arr),
    Assign(Box<LVal>, Box<Expr>),
    AugAssign(BinOp, Box<LVal>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Pos(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    /// `lhs ~ re` (negated for `!~`); `re` is a Regex for a literal.
    Match(bool, Box<Expr>, Box<Expr>),
    /// `++x` (pre, +1), `x--` (post, -1)...
    Incr(bool, f64, Box<LVal>),
    Call(usize, Vec<Expr>),
    Builtin(Builtin, Vec<Expr>),
    /// `sub`/`gsub`: regex, replacement, target.
    Sub(bool, Box<Expr>, Box<Expr>, Box<LVal>),
    /// `split(s, a [, sep])`.
    Split(Box<Expr>, Arr, Option<Box<Expr>>),
    Getline(GetSrc, Option<Box<LVal>>),
    /// `(a, b)` outside `in`: only print's argument list.
    Group(Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redir {
    File,
    Append,
    Pipe,
}

#[derive(Debug)]
pub enum Stmt {
    Expr(Expr),
    Print(Vec<Expr>, Option<(Redir, Expr)>),
    Printf(Vec<Expr>, Option<(Redir, Expr)>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(
        Option<Box<Stmt>>,
        Option<Expr>,
        Option<Box<Stmt>>,
        Box<Stmt>,
    ),
    ForIn(Box<LVal>, Arr, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(Arr, Option<Vec<Expr>>),
}

#[derive(Debug)]
pub enum Pattern {
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

#[derive(Debug)]
pub struct Rule {
    pub pattern: Pattern,
    /// None: `{ print }`.
    pub action: Option<Vec<Stmt>>,
}

#[derive(Debug, Default)]
pub struct Func {
    pub name: String,
    pub nparams: usize,
    /// Which parameters are used as arrays.
    pub array_params: Vec<bool>,
    pub body: Vec<Stmt>,
    pub defined: bool,
    /// gawk's bit functions (`and or xor lshift rshift`), taken when the program calls one
    /// and defines no function of that name: not reserved words, as POSIX leaves the names
    /// to programs (`or = 1` still works, as in mawk).
    pub bit: Option<BitFn>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitFn {
    And,
    Or,
    Xor,
    Lshift,
    Rshift,
}

#[derive(Debug, Default)]
pub struct Program {
    pub begin: Vec<Stmt>,
    pub rules: Vec<Rule>,
    pub end: Vec<Stmt>,
    pub funcs: Vec<Func>,
    /// Global names by slot (specials first).
    pub globals: Vec<String>,
    /// Which globals are arrays.
    pub global_arrays: Vec<bool>,
    /// Regex literals' sources (already in engine syntax).
    pub regexes: Vec<Vec<u8>>,
    pub has_end: bool,
}
