//! Recursive-descent parser for the POSIX awk grammar (plus `nextfile`, `**`, `func`, `delete
//! a`), resolving names to slots as it goes. Errors read as mawk's: `line N: syntax error at
//! or near X`.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::*;
use super::lexer::{describe, Builtin, Lexer, Tok};
use super::value::Bytes;

pub struct ParseError {
    pub line: usize,
    pub msg: String,
}

type PResult<T> = Result<T, ParseError>;

/// Deepest nesting of expressions and statements accepted (the parser recurses).
const MAX_DEPTH: usize = 400;

/// A bare name passed to a function: it may have to be an array.
struct ArgUse {
    caller: Option<usize>,
    arg: Arr,
    callee: usize,
    param: usize,
}

pub struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    prog: Program,
    global_ix: HashMap<String, u32>,
    /// u32 as the other name maps: one hash table instantiation for all three.
    func_ix: HashMap<String, u32>,
    /// The function being parsed and its parameters.
    cur_func: Option<usize>,
    /// Parsing a BEGIN or END action, where `next` and `nextfile` are refused.
    in_begin_end: bool,
    locals: HashMap<String, u32>,
    arg_uses: Vec<ArgUse>,
    depth: usize,
    /// Inside a loop / function (for break/continue/return checks).
    loops: usize,
    /// Call sites by line, to report functions never defined.
    calls: Vec<(usize, usize)>,
    /// The token after the `)` of a parenthesized variable or field: `(x) = 1` and `(x)++`
    /// are syntax errors (mawk, gawk).
    paren_lval_end: usize,
    /// Where the current `print`'s argument list starts: the one place a parenthesized list
    /// that is not `(i, j) in a` may stand (`print (a, b) > f`).
    print_at: usize,
}

pub fn parse(src: &[u8]) -> PResult<Program> {
    let mut lx = Lexer::new(src);
    let mut toks = Vec::new();
    loop {
        match lx.next_tok() {
            Ok((t, l)) => {
                let eof = t == Tok::Eof;
                toks.push((t, l));
                if eof {
                    break;
                }
            }
            Err((line, msg)) => return Err(ParseError { line, msg }),
        }
    }
    let mut p = Parser {
        toks,
        pos: 0,
        prog: Program::default(),
        global_ix: HashMap::new(),
        func_ix: HashMap::new(),
        cur_func: None,
        in_begin_end: false,
        locals: HashMap::new(),
        arg_uses: Vec::new(),
        depth: 0,
        loops: 0,
        calls: Vec::new(),
        paren_lval_end: 0,
        print_at: usize::MAX,
    };
    for (i, n) in SPECIALS.iter().enumerate() {
        p.global_ix.insert(n.to_string(), i as u32);
        p.prog.globals.push(n.to_string());
        p.prog
            .global_arrays
            .push(i as u32 == ENVIRON || i as u32 == ARGV);
    }
    p.program()?;
    p.finish()?;
    Ok(p.prog)
}

impl Parser {
    fn tok(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn peek(&self, k: usize) -> &Tok {
        let i = (self.pos + k).min(self.toks.len() - 1);
        &self.toks[i].0
    }
    fn line(&self) -> usize {
        self.toks[self.pos].1
    }
    fn advance(&mut self) -> Tok {
        let t = self.toks[self.pos].0.clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn is(&self, t: &Tok) -> bool {
        self.tok() == t
    }
    fn eat(&mut self, t: &Tok) -> bool {
        if self.is(t) {
            self.advance();
            true
        } else {
            false
        }
    }
    fn err<T>(&self) -> PResult<T> {
        match self.syntax_error()? {}
    }
    /// The body of [`Parser::err`], not generic: one copy for all its callers.
    fn syntax_error(&self) -> PResult<std::convert::Infallible> {
        let t = self.tok();
        let (line, what) = if *t == Tok::Newline {
            // mawk names the line the newline ends
            (self.line(), "end of line".to_string())
        } else {
            (self.line(), describe(t))
        };
        Err(ParseError {
            line,
            msg: format!("syntax error at or near {what}"),
        })
    }
    /// Whether the token ends a print's expression list (a statement's end or a redirection).
    fn at_print_end(&self) -> bool {
        matches!(
            self.tok(),
            Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Gt | Tok::Append | Tok::Pipe | Tok::Eof
        )
    }
    fn err_msg<T>(&self, msg: String) -> PResult<T> {
        Err(ParseError {
            line: self.line(),
            msg,
        })
    }
    fn expect(&mut self, t: &Tok) -> PResult<()> {
        if self.eat(t) {
            Ok(())
        } else {
            self.err()
        }
    }
    fn opt_nl(&mut self) {
        while self.is(&Tok::Newline) {
            self.advance();
        }
    }
    fn skip_terms(&mut self) {
        while matches!(self.tok(), Tok::Newline | Tok::Semi) {
            self.advance();
        }
    }
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err_msg("program nested too deeply".into());
        }
        Ok(())
    }

    fn global(&mut self, name: &str) -> u32 {
        if let Some(&s) = self.global_ix.get(name) {
            return s;
        }
        let s = self.prog.globals.len() as u32;
        self.prog.globals.push(name.to_string());
        self.prog.global_arrays.push(false);
        self.global_ix.insert(name.to_string(), s);
        s
    }

    fn func_slot(&mut self, name: &str) -> usize {
        if let Some(&f) = self.func_ix.get(name) {
            return f as usize;
        }
        let f = self.prog.funcs.len();
        self.prog.funcs.push(Func {
            name: name.to_string(),
            ..Func::default()
        });
        self.func_ix.insert(name.to_string(), f as u32);
        f
    }

    fn name_expr(&mut self, name: &str) -> PResult<Expr> {
        if self.func_ix.contains_key(name) && self.prog.funcs[self.func_ix[name] as usize].defined {
            return self.err_msg(format!("syntax error at or near {name}"));
        }
        if let Some(&l) = self.locals.get(name) {
            return Ok(Expr::Local(l));
        }
        Ok(Expr::Var(self.global(name)))
    }

    fn array(&mut self, name: &str) -> Arr {
        if let Some(&l) = self.locals.get(name) {
            if let Some(f) = self.cur_func {
                self.prog.funcs[f].array_params[l as usize] = true;
            }
            return Arr::Local(l);
        }
        let s = self.global(name);
        self.prog.global_arrays[s as usize] = true;
        Arr::Global(s)
    }

    fn array_name(&mut self) -> PResult<Arr> {
        match self.tok().clone() {
            Tok::Name(n) => {
                self.advance();
                Ok(self.array(&n))
            }
            _ => self.err(),
        }
    }

    fn program(&mut self) -> PResult<()> {
        // one `;` may end an item, but it is no empty item: `;;` and a leading `;` are syntax
        // errors (POSIX's grammar, mawk, gawk)
        self.opt_nl();
        while !self.is(&Tok::Eof) {
            self.item()?;
            self.opt_nl();
            if self.eat(&Tok::Semi) {
                self.opt_nl();
            }
        }
        Ok(())
    }

    fn item(&mut self) -> PResult<()> {
        match self.tok().clone() {
            Tok::Function => self.function(),
            Tok::Begin => {
                // the action starts on the same line (mawk, gawk)
                self.advance();
                if !self.is(&Tok::LBrace) {
                    return self.err();
                }
                self.in_begin_end = true;
                let b = self.block();
                self.in_begin_end = false;
                let b = b?;
                self.prog.begin.extend(b);
                Ok(())
            }
            Tok::End => {
                self.advance();
                if !self.is(&Tok::LBrace) {
                    return self.err();
                }
                self.in_begin_end = true;
                let b = self.block();
                self.in_begin_end = false;
                let b = b?;
                self.prog.end.extend(b);
                self.prog.has_end = true;
                Ok(())
            }
            Tok::LBrace => {
                let b = self.block()?;
                self.prog.rules.push(Rule {
                    pattern: Pattern::All,
                    action: Some(b),
                });
                Ok(())
            }
            _ => {
                let a = self.expr(false)?;
                let pattern = if self.eat(&Tok::Comma) {
                    self.opt_nl();
                    let b = self.expr(false)?;
                    Pattern::Range(a, b)
                } else {
                    Pattern::Expr(a)
                };
                let action = if self.is(&Tok::LBrace) {
                    Some(self.block()?)
                } else if matches!(self.tok(), Tok::Newline | Tok::Semi | Tok::Eof) {
                    None
                } else {
                    return self.err();
                };
                self.prog.rules.push(Rule { pattern, action });
                Ok(())
            }
        }
    }

    fn function(&mut self) -> PResult<()> {
        self.advance();
        let name = match self.advance() {
            Tok::Name(n) | Tok::FuncName(n) => n,
            _ => {
                self.pos -= 1;
                return self.err();
            }
        };
        if self.global_ix.contains_key(&*name) {
            return self.err_msg(format!(
                "function name {name} previously used as a variable"
            ));
        }
        let f = self.func_slot(&name);
        if self.prog.funcs[f].defined {
            return self.err_msg(format!("function {name} redefined"));
        }
        self.expect(&Tok::LParen)?;
        let mut params = Vec::new();
        self.opt_nl();
        while let Tok::Name(p) = self.tok().clone() {
            self.advance();
            if params.contains(&p) {
                return self.err_msg(format!("duplicate parameter {p}"));
            }
            if p == name {
                self.pos -= 1;
                return self.err();
            }
            params.push(p);
            self.opt_nl();
            if !self.eat(&Tok::Comma) {
                // `function f(a b)` is a syntax error, not two parameters
                break;
            }
            self.opt_nl();
            if !matches!(self.tok(), Tok::Name(_)) {
                return self.err();
            }
        }
        self.expect(&Tok::RParen)?;
        self.opt_nl();
        self.locals = params
            .iter()
            .enumerate()
            .map(|(i, p)| (p.to_string(), i as u32))
            .collect();
        {
            let fd = &mut self.prog.funcs[f];
            fd.nparams = params.len();
            fd.array_params = vec![false; params.len()];
            fd.defined = true;
        }
        self.cur_func = Some(f);
        if !self.is(&Tok::LBrace) {
            return self.err();
        }
        let body = self.block()?;
        self.prog.funcs[f].body = body;
        self.cur_func = None;
        self.locals.clear();
        Ok(())
    }

    fn block(&mut self) -> PResult<Vec<Stmt>> {
        self.expect(&Tok::LBrace)?;
        self.enter()?;
        let mut v = Vec::new();
        loop {
            self.skip_terms();
            if self.eat(&Tok::RBrace) {
                break;
            }
            if self.is(&Tok::Eof) {
                return self.err_msg("missing } near end of file".into());
            }
            v.push(self.stmt()?);
        }
        self.depth -= 1;
        Ok(v)
    }

    /// The end of a simple statement: `;`, a newline, or (left in place) `}` / end.
    fn end_simple(&mut self) -> PResult<()> {
        match self.tok() {
            Tok::Semi | Tok::Newline => {
                self.advance();
                Ok(())
            }
            Tok::RBrace | Tok::Eof => Ok(()),
            _ => self.err(),
        }
    }

    fn stmt(&mut self) -> PResult<Stmt> {
        self.enter()?;
        let s = self.stmt_inner();
        self.depth -= 1;
        s
    }

    fn body(&mut self) -> PResult<Stmt> {
        self.opt_nl();
        if self.eat(&Tok::Semi) {
            return Ok(Stmt::Block(Vec::new()));
        }
        self.stmt()
    }

    fn stmt_inner(&mut self) -> PResult<Stmt> {
        match self.tok().clone() {
            Tok::LBrace => Ok(Stmt::Block(self.block()?)),
            Tok::If => {
                self.advance();
                self.expect(&Tok::LParen)?;
                let c = self.expr(false)?;
                self.expect(&Tok::RParen)?;
                let then = self.body()?;
                let save = self.pos;
                // a simple statement took its `;`; another one, or one after `}`, ends the if
                self.opt_nl();
                if self.eat(&Tok::Else) {
                    let els = self.body()?;
                    Ok(Stmt::If(c, Box::new(then), Some(Box::new(els))))
                } else {
                    self.pos = save;
                    Ok(Stmt::If(c, Box::new(then), None))
                }
            }
            Tok::While => {
                self.advance();
                self.expect(&Tok::LParen)?;
                let c = self.expr(false)?;
                self.expect(&Tok::RParen)?;
                if self.is(&Tok::Semi) {
                    self.advance();
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                self.loops += 1;
                let b = self.body()?;
                self.loops -= 1;
                Ok(Stmt::While(c, Box::new(b)))
            }
            Tok::Do => {
                self.advance();
                self.loops += 1;
                let b = self.body()?;
                self.loops -= 1;
                self.opt_nl();
                self.expect(&Tok::While)?;
                self.expect(&Tok::LParen)?;
                let c = self.expr(false)?;
                self.expect(&Tok::RParen)?;
                self.end_simple()?;
                Ok(Stmt::Do(Box::new(b), c))
            }
            Tok::For => {
                self.advance();
                self.expect(&Tok::LParen)?;
                if matches!(self.peek(0), Tok::Name(_))
                    && *self.peek(1) == Tok::In
                    && matches!(self.peek(2), Tok::Name(_))
                    && *self.peek(3) == Tok::RParen
                {
                    let v = match self.advance() {
                        Tok::Name(n) => n,
                        _ => unreachable!(),
                    };
                    let lv = self.name_expr(&v)?;
                    let lv = to_lval(lv).ok_or_else(|| ParseError {
                        line: self.line(),
                        msg: "syntax error at or near in".into(),
                    })?;
                    self.advance();
                    let arr = self.array_name()?;
                    self.advance();
                    self.loops += 1;
                    let b = self.body()?;
                    self.loops -= 1;
                    return Ok(Stmt::ForIn(Box::new(lv), arr, Box::new(b)));
                }
                let init = if self.is(&Tok::Semi) {
                    None
                } else {
                    Some(Box::new(self.simple_stmt()?))
                };
                self.expect(&Tok::Semi)?;
                self.opt_nl();
                let cond = if self.is(&Tok::Semi) {
                    None
                } else {
                    Some(self.expr(false)?)
                };
                self.expect(&Tok::Semi)?;
                self.opt_nl();
                let step = if self.is(&Tok::RParen) {
                    None
                } else {
                    Some(Box::new(self.simple_stmt()?))
                };
                self.expect(&Tok::RParen)?;
                if self.is(&Tok::Semi) {
                    self.advance();
                    return Ok(Stmt::For(
                        init,
                        cond,
                        step,
                        Box::new(Stmt::Block(Vec::new())),
                    ));
                }
                self.loops += 1;
                let b = self.body()?;
                self.loops -= 1;
                Ok(Stmt::For(init, cond, step, Box::new(b)))
            }
            Tok::Semi => {
                self.advance();
                Ok(Stmt::Block(Vec::new()))
            }
            _ => {
                let s = self.simple_stmt()?;
                self.end_simple()?;
                Ok(s)
            }
        }
    }

    fn simple_stmt(&mut self) -> PResult<Stmt> {
        match self.tok().clone() {
            Tok::Print | Tok::Printf => {
                let printf = self.advance() == Tok::Printf;
                let mut args = Vec::new();
                self.print_at = self.pos;
                if !self.at_print_end() {
                    args.push(self.expr(true)?);
                    while self.eat(&Tok::Comma) {
                        self.opt_nl();
                        args.push(self.expr(true)?);
                    }
                }
                if args.len() == 1 && matches!(args[0], Expr::Group(_)) {
                    if let Some(Expr::Group(v)) = args.pop() {
                        args = v;
                    }
                }
                if args.iter().any(|a| matches!(a, Expr::Group(_))) {
                    return self.err();
                }
                let redir = match self.tok() {
                    Tok::Gt => Some(Redir::File),
                    Tok::Append => Some(Redir::Append),
                    Tok::Pipe => Some(Redir::Pipe),
                    _ => None,
                };
                let redir = match redir {
                    Some(r) => {
                        self.advance();
                        Some((r, self.concat(true)?))
                    }
                    None => None,
                };
                if printf {
                    if args.is_empty() {
                        return self.err();
                    }
                    Ok(Stmt::Printf(args, redir))
                } else {
                    Ok(Stmt::Print(args, redir))
                }
            }
            Tok::Next => {
                self.advance();
                // refused when parsed, as mawk and gawk do (in a function it fails when run)
                if self.in_begin_end {
                    return self.err_msg("improper use of next".into());
                }
                Ok(Stmt::Next)
            }
            Tok::NextFile => {
                self.advance();
                if self.in_begin_end {
                    return self.err_msg("improper use of nextfile".into());
                }
                Ok(Stmt::NextFile)
            }
            Tok::Exit => {
                self.advance();
                if matches!(
                    self.tok(),
                    Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof
                ) {
                    Ok(Stmt::Exit(None))
                } else {
                    Ok(Stmt::Exit(Some(self.expr(false)?)))
                }
            }
            Tok::Return => {
                self.advance();
                if self.cur_func.is_none() {
                    return self.err_msg("return outside function body".into());
                }
                if matches!(
                    self.tok(),
                    Tok::Semi | Tok::Newline | Tok::RBrace | Tok::Eof
                ) {
                    Ok(Stmt::Return(None))
                } else {
                    Ok(Stmt::Return(Some(self.expr(false)?)))
                }
            }
            Tok::Break | Tok::Continue => {
                let brk = self.advance() == Tok::Break;
                if self.loops == 0 {
                    let w = if brk { "break" } else { "continue" };
                    return self.err_msg(format!("{w} statement outside of loop"));
                }
                Ok(if brk { Stmt::Break } else { Stmt::Continue })
            }
            Tok::Delete => {
                self.advance();
                let arr = self.array_name()?;
                if self.eat(&Tok::LBracket) {
                    let subs = self.expr_list_until(&Tok::RBracket)?;
                    Ok(Stmt::Delete(arr, Some(subs)))
                } else {
                    Ok(Stmt::Delete(arr, None))
                }
            }
            _ => Ok(Stmt::Expr(self.expr(false)?)),
        }
    }

    fn expr_list_until(&mut self, end: &Tok) -> PResult<Vec<Expr>> {
        let mut v = vec![self.expr(false)?];
        while self.eat(&Tok::Comma) {
            self.opt_nl();
            v.push(self.expr(false)?);
        }
        self.expect(end)?;
        Ok(v)
    }

    // ---- expressions ----

    pub fn expr(&mut self, ng: bool) -> PResult<Expr> {
        self.enter()?;
        let r = self.assign(ng);
        self.depth -= 1;
        r
    }

    fn assign(&mut self, ng: bool) -> PResult<Expr> {
        let lhs = self.ternary(ng)?;
        self.assign_tail(lhs, ng)
    }

    /// An assignment to `lhs` if an assignment operator follows. Also for the right operand
    /// of `<`, `~`, `&&` and `||`: `a < x = 3` is `a < (x = 3)` (POSIX's grammar, mawk, gawk).
    fn assign_tail(&mut self, lhs: Expr, ng: bool) -> PResult<Expr> {
        let op = match self.tok() {
            Tok::Assign => None,
            Tok::AddAssign => Some(BinOp::Add),
            Tok::SubAssign => Some(BinOp::Sub),
            Tok::MulAssign => Some(BinOp::Mul),
            Tok::DivAssign => Some(BinOp::Div),
            Tok::ModAssign => Some(BinOp::Mod),
            Tok::PowAssign => Some(BinOp::Pow),
            _ => return Ok(lhs),
        };
        if !is_lval(&lhs) || self.pos == self.paren_lval_end {
            // `a /= 2` read as a regex would have failed earlier; anything else is an error
            return self.err();
        }
        self.advance();
        // no newline after `=` (mawk, gawk; BusyBox allows one)
        let rhs = self.expr(ng)?;
        let lv = Box::new(to_lval(lhs).expect("checked"));
        Ok(match op {
            None => Expr::Assign(lv, Box::new(rhs)),
            Some(op) => Expr::AugAssign(op, lv, Box::new(rhs)),
        })
    }

    /// The right operand of a comparison, match or `&&`/`||` taking an assignment after it.
    fn rhs_assign(&mut self, b: Expr, ng: bool) -> PResult<Expr> {
        if is_lval(&b)
            && self.pos != self.paren_lval_end
            && matches!(
                self.tok(),
                Tok::Assign
                    | Tok::AddAssign
                    | Tok::SubAssign
                    | Tok::MulAssign
                    | Tok::DivAssign
                    | Tok::ModAssign
                    | Tok::PowAssign
            )
        {
            return self.assign_tail(b, ng);
        }
        Ok(b)
    }

    fn ternary(&mut self, ng: bool) -> PResult<Expr> {
        let c = self.or(ng)?;
        if self.eat(&Tok::Question) {
            self.opt_nl();
            let a = self.expr(ng)?;
            // a newline may follow `?` and `:` (gawk) but not come before `:` (mawk, gawk)
            self.expect(&Tok::Colon)?;
            self.opt_nl();
            let b = self.expr(ng)?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        Ok(c)
    }

    fn or(&mut self, ng: bool) -> PResult<Expr> {
        let mut a = self.and(ng)?;
        while self.eat(&Tok::Or) {
            self.opt_nl();
            let b = self.and(ng)?;
            let b = self.rhs_assign(b, ng)?;
            a = Expr::Or(Box::new(a), Box::new(b));
        }
        Ok(a)
    }

    fn and(&mut self, ng: bool) -> PResult<Expr> {
        let mut a = self.in_expr(ng)?;
        while self.eat(&Tok::And) {
            self.opt_nl();
            let b = self.in_expr(ng)?;
            let b = self.rhs_assign(b, ng)?;
            a = Expr::And(Box::new(a), Box::new(b));
        }
        Ok(a)
    }

    fn in_expr(&mut self, ng: bool) -> PResult<Expr> {
        let mut a = self.matching(ng)?;
        while self.is(&Tok::In) {
            self.advance();
            let arr = self.array_name()?;
            a = Expr::In(vec![a], arr);
            // a comparison or match may follow: `k in a < n` is `(k in a) < n` (mawk, gawk)
            a = self.cmp_tail(a, ng)?;
            a = self.match_tail(a, ng)?;
        }
        Ok(a)
    }

    fn matching(&mut self, ng: bool) -> PResult<Expr> {
        let a = self.comparison(ng)?;
        self.match_tail(a, ng)
    }

    fn match_tail(&mut self, mut a: Expr, ng: bool) -> PResult<Expr> {
        loop {
            let neg = match self.tok() {
                Tok::Tilde => false,
                Tok::NoMatch => true,
                _ => return Ok(a),
            };
            self.advance();
            let b = self.comparison(ng)?;
            let b = self.rhs_assign(b, ng)?;
            a = Expr::Match(neg, Box::new(a), Box::new(b));
        }
    }

    fn comparison(&mut self, ng: bool) -> PResult<Expr> {
        let a = self.pipe_getline(ng)?;
        self.cmp_tail(a, ng)
    }

    fn cmp_tail(&mut self, a: Expr, ng: bool) -> PResult<Expr> {
        let op = match self.tok() {
            Tok::Lt => CmpOp::Lt,
            Tok::Le => CmpOp::Le,
            Tok::Eq => CmpOp::Eq,
            Tok::Ne => CmpOp::Ne,
            Tok::Gt if !ng => CmpOp::Gt,
            Tok::Ge => CmpOp::Ge,
            _ => return Ok(a),
        };
        self.advance();
        let b = self.pipe_getline(ng)?;
        let b = self.rhs_assign(b, ng)?;
        Ok(Expr::Cmp(op, Box::new(a), Box::new(b)))
    }

    fn pipe_getline(&mut self, ng: bool) -> PResult<Expr> {
        let mut a = self.concat(ng)?;
        while self.is(&Tok::Pipe) && *self.peek(1) == Tok::Getline {
            self.advance();
            self.advance();
            let lv = self.opt_getline_lval()?;
            a = Expr::Getline(GetSrc::Cmd(Box::new(a)), lv);
            // its value is an operand of what follows: `"cmd" | getline x * 2` (mawk, gawk)
            a = self.mul_tail(a, ng)?;
            a = self.add_tail(a, ng)?;
            a = self.concat_tail(a, ng)?;
        }
        Ok(a)
    }

    fn starts_operand(&self) -> bool {
        matches!(
            self.tok(),
            Tok::Number(_)
                | Tok::Str(_)
                | Tok::Regex(_)
                | Tok::Name(_)
                | Tok::FuncName(_)
                | Tok::Builtin(_)
                | Tok::Dollar
                | Tok::Not
                | Tok::LParen
                | Tok::Minus
                | Tok::Plus
                | Tok::Incr
                | Tok::Decr
        )
    }

    fn concat(&mut self, ng: bool) -> PResult<Expr> {
        let a = self.additive(ng)?;
        self.concat_tail(a, ng)
    }

    fn concat_tail(&mut self, mut a: Expr, ng: bool) -> PResult<Expr> {
        loop {
            // `a -b` subtracts, but `a !b` concatenates `!b` (POSIX's grammar, mawk, gawk)
            // a plain `getline` may be concatenated too: `x = 1 getline` (mawk, gawk)
            if !(self.starts_operand() || self.is(&Tok::Getline))
                || matches!(self.tok(), Tok::Minus | Tok::Plus)
            {
                // `in` after a grouping is handled by in_expr
                return Ok(a);
            }
            let b = self.additive(ng)?;
            a = Expr::Concat(Box::new(a), Box::new(b));
        }
    }

    fn additive(&mut self, ng: bool) -> PResult<Expr> {
        let a = self.multiplicative(ng)?;
        self.add_tail(a, ng)
    }

    fn add_tail(&mut self, mut a: Expr, ng: bool) -> PResult<Expr> {
        loop {
            let op = match self.tok() {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(a),
            };
            self.advance();
            let b = self.multiplicative(ng)?;
            a = Expr::Bin(op, Box::new(a), Box::new(b));
        }
    }

    fn multiplicative(&mut self, ng: bool) -> PResult<Expr> {
        let a = self.unary(ng)?;
        self.mul_tail(a, ng)
    }

    fn mul_tail(&mut self, mut a: Expr, ng: bool) -> PResult<Expr> {
        loop {
            let op = match self.tok() {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                Tok::Percent => BinOp::Mod,
                _ => return Ok(a),
            };
            self.advance();
            let b = self.unary(ng)?;
            a = Expr::Bin(op, Box::new(a), Box::new(b));
        }
    }

    fn unary(&mut self, ng: bool) -> PResult<Expr> {
        self.enter()?;
        let r = match self.tok() {
            Tok::Not => {
                self.advance();
                let e = self.unary(ng)?;
                Ok(Expr::Not(Box::new(e)))
            }
            Tok::Minus => {
                self.advance();
                let e = self.unary(ng)?;
                Ok(Expr::Neg(Box::new(e)))
            }
            Tok::Plus => {
                self.advance();
                let e = self.unary(ng)?;
                Ok(Expr::Pos(Box::new(e)))
            }
            _ => self.power(ng),
        };
        self.depth -= 1;
        r
    }

    fn power(&mut self, ng: bool) -> PResult<Expr> {
        let base = self.postfix()?;
        if self.eat(&Tok::Caret) {
            // right associative, and the exponent may carry a sign: 2^-1
            self.enter()?;
            let e = self.unary(ng)?;
            self.depth -= 1;
            return Ok(Expr::Bin(BinOp::Pow, Box::new(base), Box::new(e)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> PResult<Expr> {
        let e = self.primary()?;
        if is_lval(&e) && self.pos != self.paren_lval_end {
            let d = match self.tok() {
                Tok::Incr => 1.0,
                Tok::Decr => -1.0,
                _ => return Ok(e),
            };
            self.advance();
            return Ok(Expr::Incr(false, d, Box::new(to_lval(e).expect("lval"))));
        }
        Ok(e)
    }

    fn opt_getline_lval(&mut self) -> PResult<Option<Box<LVal>>> {
        match self.tok() {
            Tok::Name(_) | Tok::Dollar => {
                let e = self.lval_primary()?;
                Ok(Some(Box::new(to_lval(e).expect("lval"))))
            }
            _ => Ok(None),
        }
    }

    /// `name`, `name[...]` or `$expr`.
    fn lval_primary(&mut self) -> PResult<Expr> {
        match self.tok().clone() {
            Tok::Dollar => {
                self.advance();
                let e = self.field_operand()?;
                // `$(i)` is an lvalue though `(i)` is not
                self.paren_lval_end = 0;
                Ok(Expr::Field(Box::new(e)))
            }
            Tok::Name(n) => {
                self.advance();
                if self.eat(&Tok::LBracket) {
                    let arr = self.array(&n);
                    let subs = self.expr_list_until(&Tok::RBracket)?;
                    Ok(Expr::Index(arr, subs))
                } else {
                    self.name_expr(&n)
                }
            }
            _ => self.err(),
        }
    }

    fn field_operand(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = match self.tok() {
            Tok::Incr | Tok::Decr => {
                let d = if self.advance() == Tok::Incr {
                    1.0
                } else {
                    -1.0
                };
                let e = self.lval_primary()?;
                Ok(Expr::Incr(true, d, Box::new(to_lval(e).expect("lval"))))
            }
            Tok::Minus => {
                self.advance();
                let e = self.field_operand()?;
                Ok(Expr::Neg(Box::new(e)))
            }
            Tok::Plus => {
                self.advance();
                self.field_operand()
            }
            Tok::Not => {
                self.advance();
                let e = self.field_operand()?;
                Ok(Expr::Not(Box::new(e)))
            }
            _ => self.primary(),
        };
        self.depth -= 1;
        r
    }

    fn primary(&mut self) -> PResult<Expr> {
        self.enter()?;
        let r = self.primary_inner();
        self.depth -= 1;
        r
    }

    fn primary_inner(&mut self) -> PResult<Expr> {
        match self.tok().clone() {
            Tok::Number(n) => {
                self.advance();
                Ok(Expr::Num(n))
            }
            Tok::Str(s) => {
                self.advance();
                Ok(Expr::Str(Bytes::from(&s[..])))
            }
            Tok::Regex(r) => {
                self.advance();
                let i = self.prog.regexes.len();
                self.prog.regexes.push(super::lexer::regex_source(&r));
                Ok(Expr::Regex(i))
            }
            Tok::Dollar | Tok::Name(_) => self.lval_primary(),
            Tok::Incr | Tok::Decr => {
                let d = if self.advance() == Tok::Incr {
                    1.0
                } else {
                    -1.0
                };
                let e = self.lval_primary()?;
                Ok(Expr::Incr(true, d, Box::new(to_lval(e).expect("lval"))))
            }
            Tok::Not | Tok::Minus | Tok::Plus => self.unary(false),
            Tok::LParen => {
                let open = self.pos;
                self.advance();
                self.opt_nl();
                let first = self.expr(false)?;
                // no newline before `)` (mawk, gawk)
                if self.eat(&Tok::RParen) {
                    if is_lval(&first) {
                        self.paren_lval_end = self.pos;
                    }
                    return Ok(Expr::Group(vec![first]).ungroup());
                }
                let mut v = vec![first];
                while self.eat(&Tok::Comma) {
                    self.opt_nl();
                    v.push(self.expr(false)?);
                }
                self.expect(&Tok::RParen)?;
                if self.is(&Tok::In) {
                    self.advance();
                    let arr = self.array_name()?;
                    return Ok(Expr::In(v, arr));
                }
                // Anywhere but as the whole list of a print, a list is no value: a syntax error
                // at the token after it, as mawk and gawk say before running anything.
                if open != self.print_at || !self.at_print_end() {
                    return self.err();
                }
                Ok(Expr::Group(v))
            }
            Tok::Getline => {
                self.advance();
                let lv = self.opt_getline_lval()?;
                if self.eat(&Tok::Lt) {
                    let f = self.field_operand_noincr()?;
                    return Ok(Expr::Getline(GetSrc::File(Box::new(f)), lv));
                }
                Ok(Expr::Getline(GetSrc::Main, lv))
            }
            Tok::FuncName(n) => {
                self.advance();
                let line = self.line();
                self.expect(&Tok::LParen)?;
                let f = self.func_slot(&n);
                self.calls.push((f, line));
                let mut args = Vec::new();
                self.opt_nl();
                if !self.eat(&Tok::RParen) {
                    args = self.expr_list_until(&Tok::RParen)?;
                }
                for (j, a) in args.iter().enumerate() {
                    let arg = match a {
                        Expr::Var(s) => Some(Arr::Global(*s)),
                        Expr::Local(l) => Some(Arr::Local(*l)),
                        _ => None,
                    };
                    if let Some(arg) = arg {
                        self.arg_uses.push(ArgUse {
                            caller: self.cur_func,
                            arg,
                            callee: f,
                            param: j,
                        });
                    }
                }
                Ok(Expr::Call(f, args))
            }
            Tok::Builtin(b) => {
                self.advance();
                self.builtin(b)
            }
            _ => self.err(),
        }
    }

    /// getline's file operand: a primary, with `$` and signs but no concatenation.
    fn field_operand_noincr(&mut self) -> PResult<Expr> {
        self.field_operand()
    }

    fn builtin(&mut self, b: Builtin) -> PResult<Expr> {
        if b == Builtin::Length && !self.is(&Tok::LParen) {
            return Ok(Expr::Builtin(b, Vec::new()));
        }
        self.expect(&Tok::LParen)?;
        self.opt_nl();
        match b {
            Builtin::Split => {
                let s = self.expr(false)?;
                self.expect(&Tok::Comma)?;
                self.opt_nl();
                let arr = self.array_name()?;
                let sep = if self.eat(&Tok::Comma) {
                    self.opt_nl();
                    Some(Box::new(self.expr(false)?))
                } else {
                    None
                };
                self.opt_nl();
                self.expect(&Tok::RParen)?;
                return Ok(Expr::Split(Box::new(s), arr, sep));
            }
            Builtin::Sub | Builtin::Gsub => {
                let re = self.expr(false)?;
                self.expect(&Tok::Comma)?;
                self.opt_nl();
                let repl = self.expr(false)?;
                let target = if self.eat(&Tok::Comma) {
                    self.opt_nl();
                    let t = self.expr(false)?;
                    match to_lval(t) {
                        Some(l) => l,
                        None => return self.err(),
                    }
                } else {
                    LVal::Field(Box::new(Expr::Num(0.0)))
                };
                self.opt_nl();
                self.expect(&Tok::RParen)?;
                return Ok(Expr::Sub(
                    b == Builtin::Gsub,
                    Box::new(re),
                    Box::new(repl),
                    Box::new(target),
                ));
            }
            _ => {}
        }
        let mut args = if self.eat(&Tok::RParen) {
            Vec::new()
        } else {
            self.expr_list_until(&Tok::RParen)?
        };
        if b == Builtin::Gensub && args.len() == 3 {
            args.push(Expr::Field(Box::new(Expr::Num(0.0))));
        }
        let (min, max) = match b {
            Builtin::Length => (0, 1),
            Builtin::Substr => (2, 3),
            Builtin::Index => (2, 2),
            Builtin::Match => (2, 2),
            Builtin::Gensub => (3, 4),
            Builtin::Sprintf => (1, usize::MAX),
            Builtin::Atan2 => (2, 2),
            Builtin::Sin
            | Builtin::Cos
            | Builtin::Exp
            | Builtin::Log
            | Builtin::Sqrt
            | Builtin::Int
            | Builtin::Tolower
            | Builtin::Toupper
            | Builtin::System => (1, 1),
            Builtin::Rand => (0, 0),
            Builtin::Srand => (0, 1),
            Builtin::Close => (1, 2),
            Builtin::Fflush => (0, 1),
            Builtin::Split | Builtin::Sub | Builtin::Gsub => unreachable!(),
        };
        if args.len() < min || args.len() > max {
            let name = describe(&Tok::Builtin(b));
            return self.err_msg(format!("wrong number of arguments in call to {name}"));
        }
        // length(arr)
        if b == Builtin::Length && args.len() == 1 {
            if let Expr::Var(s) = args[0] {
                if self.prog.global_arrays[s as usize] {
                    return Ok(Expr::Builtin(b, vec![Expr::ArrRef(Arr::Global(s))]));
                }
            }
        }
        Ok(Expr::Builtin(b, args))
    }

    fn finish(&mut self) -> PResult<()> {
        for &(f, line) in &self.calls {
            let func = &mut self.prog.funcs[f];
            if !func.defined {
                func.bit = match func.name.as_str() {
                    "and" => Some(BitFn::And),
                    "or" => Some(BitFn::Or),
                    "xor" => Some(BitFn::Xor),
                    "lshift" => Some(BitFn::Lshift),
                    "rshift" => Some(BitFn::Rshift),
                    _ => None,
                };
                if func.bit.is_some() {
                    continue;
                }
                return Err(ParseError {
                    line,
                    msg: format!("function {} never defined", self.prog.funcs[f].name),
                });
            }
        }
        // Names passed to array parameters are arrays (to a fixed point).
        loop {
            let mut changed = false;
            for u in &self.arg_uses {
                let callee = &self.prog.funcs[u.callee];
                if u.param >= callee.nparams || !callee.array_params[u.param] {
                    continue;
                }
                match (u.arg, u.caller) {
                    (Arr::Global(s), _) => {
                        let g = &mut self.prog.global_arrays[s as usize];
                        changed |= !*g;
                        *g = true;
                    }
                    (Arr::Local(l), Some(c)) => {
                        let p = &mut self.prog.funcs[c].array_params[l as usize];
                        changed |= !*p;
                        *p = true;
                    }
                    _ => {}
                }
            }
            if !changed {
                break;
            }
        }
        // Too many arguments.
        for &(f, line) in &self.calls {
            let _ = (f, line);
        }
        Ok(())
    }
}

impl Expr {
    fn ungroup(self) -> Expr {
        match self {
            Expr::Group(mut v) if v.len() == 1 => v.pop().expect("one"),
            e => e,
        }
    }
}

fn is_lval(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Var(_) | Expr::Local(_) | Expr::Field(_) | Expr::Index(..)
    )
}

fn to_lval(e: Expr) -> Option<LVal> {
    Some(match e {
        Expr::Var(s) => LVal::Var(s),
        Expr::Local(l) => LVal::Local(l),
        Expr::Field(e) => LVal::Field(e),
        Expr::Index(a, s) => LVal::Index(a, s),
        _ => return None,
    })
}

#[allow(dead_code)]
fn _unused(_: Rc<[u8]>) {}
