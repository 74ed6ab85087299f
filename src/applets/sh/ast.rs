//! The syntax tree the parser builds once and the interpreter walks.

use std::cell::RefCell;
use std::rc::Rc;

use super::arith::Expr;

/// A word: the pieces it was written as. Quoting is kept in the structure so that expansion
/// knows which bytes are subject to field splitting and pathname expansion.
pub type Word = Vec<WordPart>;

pub enum WordPart {
    /// Unquoted literal text.
    Lit(Vec<u8>),
    /// Quoted literal text: `'...'`, `$'...'`, `\c`, the plain text inside `"..."`.
    Quoted(Vec<u8>),
    /// A `"..."` group (an empty one still makes a field; `"$@"` is special inside it).
    Dq(Vec<WordPart>),
    /// `~` or `~user` at the start of a word (the user name without the `~`).
    Tilde(Vec<u8>),
    Param(Box<Param>),
    /// `$(...)` or a backquoted command.
    Cmd(Rc<Node>),
    /// `<(...)` (false) or `>(...)` (true): process substitution (bash, BusyBox ash).
    Proc(Rc<Node>, bool),
    Arith(Box<ArithWord>),
}

pub struct ArithWord {
    pub word: Word,
    /// The parsed expression when the text has no expansions (parsed on first use).
    pub cache: RefCell<Option<Rc<Expr>>>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PName {
    Var(Vec<u8>),
    Pos(usize),
    At,
    Star,
    Hash,
    Quest,
    Dash,
    Dollar,
    Bang,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum POp {
    Plain,
    Len,
    /// `-` / `:-` (the bool is the colon: null counts as unset)
    Default(bool),
    Assign(bool),
    Error(bool),
    Alt(bool),
    /// `%` / `%%` (the bool: longest)
    RemSuffix(bool),
    RemPrefix(bool),
    /// `${x:off}` / `${x:off:len}` (bash, BusyBox ash): `word` the offset, `word2` the length.
    Substr,
    /// `${x/p/r}` and its forms: `word` the pattern, `word2` the replacement.
    Replace(Repl),
    /// Syntax no shell knows: an error when expanded, as in dash, so code in a branch not
    /// taken does not stop a script.
    Bad,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Repl {
    /// `${x/p/r}`
    First,
    /// `${x//p/r}`
    All,
    /// `${x/#p/r}`
    Prefix,
    /// `${x/%p/r}`
    Suffix,
}

pub struct Param {
    pub name: PName,
    pub op: POp,
    pub word: Word,
    /// The second word of `${x:off:len}` and `${x/p/r}`.
    pub word2: Option<Word>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RKind {
    In,
    Out,
    Clobber,
    Append,
    ReadWrite,
    DupIn,
    DupOut,
    Here,
    /// `<<< word`: the expanded word and a newline on standard input.
    HereStr,
}

pub struct HereDoc {
    pub body: RefCell<Word>,
    pub quoted: bool,
}

pub struct Redir {
    /// The fd written before the operator, or the operator's default.
    pub fd: i32,
    pub kind: RKind,
    pub target: Word,
    pub here: Option<Rc<HereDoc>>,
}

pub struct Assign {
    pub name: Vec<u8>,
    pub value: Word,
}

pub struct Simple {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    pub line: usize,
}

pub struct CaseArm {
    pub pats: Vec<Word>,
    pub body: Option<Node>,
    /// `;&`: fall through into the next arm's body.
    pub fall: bool,
}

pub enum Node {
    Simple(Simple),
    /// A pipeline of two or more commands, or one command with `!`.
    Pipe(Vec<Node>, bool),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Seq(Vec<Node>),
    /// An asynchronous list and its source text (the job's name in `jobs`).
    Bg(Box<Node>, Vec<u8>),
    Sub(Box<Node>),
    Group(Box<Node>),
    If(Vec<(Node, Node)>, Option<Box<Node>>),
    Loop {
        cond: Box<Node>,
        body: Box<Node>,
        until: bool,
    },
    For {
        var: Vec<u8>,
        words: Option<Vec<Word>>,
        body: Box<Node>,
        line: usize,
    },
    Case {
        word: Word,
        arms: Vec<CaseArm>,
        line: usize,
    },
    Func(Vec<u8>, Rc<Node>),
    Redirected(Box<Node>, Vec<Redir>),
    /// `[[ ... ]]` (bash, BusyBox ash).
    Cond(Box<CondExpr>, usize),
}

/// The expression inside `[[ ]]`: words are expanded without field splitting or globbing.
pub enum CondExpr {
    /// `[[ word ]]`: true when non-empty.
    Word(Word),
    /// `-f word`, `-z word`, `-v name`, ...
    Unary(Vec<u8>, Word),
    /// `a == pat`, `a =~ ere`, `a -lt b`, `a -nt b`, `a < b`, ...
    Binary(Vec<u8>, Word, Word),
    Not(Box<CondExpr>),
    And(Box<CondExpr>, Box<CondExpr>),
    Or(Box<CondExpr>, Box<CondExpr>),
}
