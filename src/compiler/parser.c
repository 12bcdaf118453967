/* parser.c - TorchScript / Python tokens to the AST of ast.h.
 *
 * A recursive-descent parser for the Python 3 grammar subset TorchScript
 * uses, reading both archive code (code/ folder, PyTorch's python_print) and
 * user .py files.  Precedence, lowest first: lambda, x if c else y, or, and,
 * not, comparisons (chained; in, not in, is, is not), |, ^, &, << >>, + -,
 * * / // % @, unary - + ~, ** (right-associative; binds tighter than a unary
 * operator on its left: -2**2 == -(2**2)), await/primary (calls, attributes,
 * subscripts), atoms.
 *
 * Errors: the first syntax error is written to err as a source-pointing
 * message (cts_src_error) and the parse unwinds with longjmp to cts_parse /
 * cts_parse_expr, which return NULL.  Nothing escapes half-built: all memory
 * is in the caller's arena and is freed with it.
 *
 * Limits, so that no input can exhaust the stack here or in the passes that
 * walk the tree: expressions nest at most MAX_DEPTH levels (brackets, unary
 * operators, lambdas, conditional expressions) and a tree path holds at most
 * MAX_HEIGHT nodes (long operator or attribute chains count too); blocks nest
 * at most CTS_LEX_MAX_INDENT levels (the lexer's indentation limit).
 *
 * Rewrites done here, as PyTorch's Python frontend does them:
 *   - f"a{x}b" becomes the call "a{}b".format(x) (A_CALL of A_ATTR "format"
 *     on an A_STR); conversions (!r) and format specs (:>3) are errors.
 *   - a generator expression (x for x in y) is an A_LISTCOMP.
 *   - x[(i, j)] has two subscripts like x[i, j]; x[()] has one empty A_TUPLE.
 *   - -9223372036854775808 (an int literal that only fits negated) is one
 *     A_INT; other negative literals stay A_UNOP(-, A_INT).
 * Type comments: "# type: T" after an assignment is parsed into S_ASSIGN.b;
 * "# type: (A, B) -> R" on or right after a def line (or PEP 484's one
 * comment per parameter plus "# type: (...) -> R") fills S_DEF.str2, c and d.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "lexer.h"

#define RING 8
#define MAX_DEPTH 200
#define MAX_HEIGHT 1000

typedef struct parser {
    cts_lexer lx;
    cts_arena *arena;
    const cts_source *src;
    cts_err *err;
    jmp_buf *jb;
    cts_token ring[RING];
    int head, count;
    uint32_t prev_end;      /* end of the last consumed token */
    int depth, height;
} parser;

typedef struct nvec {
    ast **v;
    int n, cap;
} nvec;

/* ---- errors and memory --------------------------------------------------- */

static _Noreturn void fail(parser *p, uint32_t start, uint32_t end, const char *fmt, ...) CTS_PRINTF(4, 5);
static _Noreturn void fail(parser *p, uint32_t start, uint32_t end, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (end <= start) end = start + 1;
    cts_src_error(p->err, p->src, start, end, "%s", msg);
    longjmp(*p->jb, 1);
}

static void *alloc(parser *p, size_t n) {
    void *r = cts_arena_alloc(p->arena, n);
    if (!r) {
        cts_err_oom(p->err, "parser", n);
        longjmp(*p->jb, 1);
    }
    return r;
}

static char *dupn(parser *p, const char *s, size_t n) {
    char *r = alloc(p, n + 1);
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

static void *grow(parser *p, void *v, int n, int *cap, size_t elsz) {
    if (n < *cap) return v;
    if (*cap > INT_MAX / 4) fail(p, 0, 0, "too many items");
    int nc = *cap ? *cap * 2 : 4;
    void *nv = alloc(p, (size_t)nc * elsz);
    if (n) memcpy(nv, v, (size_t)n * elsz);
    *cap = nc;
    return nv;
}

static void push(parser *p, nvec *v, ast *x) {
    v->v = grow(p, v->v, v->n, &v->cap, sizeof *v->v);
    v->v[v->n++] = x;
}

/* A byte buffer in the arena (names joined with dots, f-string formats). */
typedef struct bbuf {
    char *s;
    size_t n, cap;
} bbuf;

static void bput(parser *p, bbuf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 32;
        while (nc < b->n + n + 1) nc *= 2;
        char *ns = alloc(p, nc);
        if (b->n) memcpy(ns, b->s, b->n);
        b->s = ns;
        b->cap = nc;
    }
    if (n) memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static ast *node(parser *p, ast_kind k, uint32_t start, uint32_t end) {
    ast *n = alloc(p, sizeof *n);
    n->kind = k;
    n->start = start;
    n->end = end;
    return n;
}

/* ---- tokens -------------------------------------------------------------- */

static void parser_init(parser *p, cts_arena *arena, const cts_source *src, uint32_t begin, uint32_t end,
                        int expr_mode, cts_err *err, jmp_buf *jb) {
    memset(p, 0, sizeof *p);
    p->arena = arena;
    p->src = src;
    p->err = err;
    p->jb = jb;
    p->prev_end = begin;
    if (cts_lexer_init(&p->lx, arena, src, begin, end, expr_mode, err)) longjmp(*jb, 1);
}

static cts_token *peek(parser *p, int k) {
    while (p->count <= k) {
        cts_token *t = &p->ring[(p->head + p->count) % RING];
        if (cts_lex_next(&p->lx, t)) longjmp(*p->jb, 1);
        p->count++;
    }
    return &p->ring[(p->head + k) % RING];
}

static cts_token *cur(parser *p) { return peek(p, 0); }
static int at(parser *p, cts_tok k) { return cur(p)->kind == k; }

static cts_token next(parser *p) {
    cts_token t = *cur(p);
    p->head = (p->head + 1) % RING;
    p->count--;
    p->prev_end = t.end;
    return t;
}

static int accept(parser *p, cts_tok k) {
    if (!at(p, k)) return 0;
    next(p);
    return 1;
}

/* The way a message names a token kind: 'x' for punctuation and keywords,
 * plain words for classes of tokens. */
static int is_class_token(cts_tok k) { return k <= T_STRING; }

static _Noreturn void fail_expected(parser *p, const char *what) {
    cts_token *t = cur(p);
    fail(p, t->start, t->end, "expected %s but found '%s'", what, cts_tok_name(t->kind));
}

static cts_token expect(parser *p, cts_tok k) {
    if (!at(p, k)) {
        char what[64];
        if (is_class_token(k)) snprintf(what, sizeof what, "%s", cts_tok_name(k));
        else snprintf(what, sizeof what, "'%s'", cts_tok_name(k));
        fail_expected(p, what);
    }
    return next(p);
}

static void enter(parser *p) {
    if (++p->depth > MAX_DEPTH || ++p->height > MAX_HEIGHT) {
        cts_token *t = cur(p);
        fail(p, t->start, t->end, "expression too deeply nested");
    }
}
static void leave(parser *p) {
    p->depth--;
    p->height--;
}
/* One more link of a left-leaning chain (a + b + c, a.b.c): the tree grows
 * one level taller without recursion here. */
static void chain(parser *p, int *links) {
    (*links)++;
    if (++p->height > MAX_HEIGHT) {
        cts_token *t = cur(p);
        fail(p, t->start, t->end, "expression too deeply nested");
    }
}

/* ---- expressions ----------------------------------------------------------- */

static ast *parse_test(parser *p);
static ast *parse_or(parser *p);
static ast *parse_binary(parser *p, int minprec);
static ast *parse_factor(parser *p);
static ast *parse_testlist(parser *p, int allow_star);
static void parse_suite(parser *p, const char *what, uint32_t kwpos, nvec *out);
static void parse_statement(parser *p, nvec *out);

static int starts_expr(cts_tok k) {
    switch (k) {
    case T_NAME: case T_INTLIT: case T_FLOATLIT: case T_IMAG: case T_STRING: case T_LPAREN: case T_LBRACK:
    case T_LBRACE: case T_MINUS: case T_PLUS: case T_TILDE: case T_NOT: case T_LAMBDA: case T_TRUE:
    case T_FALSE: case T_NONEKW: case T_ELLIPSIS: case T_STAR: case T_AWAIT: case T_YIELD:
        return 1;
    default:
        return 0;
    }
}

static ast *binop(parser *p, ast_kind k, int op, ast *a, ast *b) {
    ast *n = node(p, k, a->start, b->end);
    n->op = op;
    n->a = a;
    n->b = b;
    return n;
}

enum { TGT_ASSIGN, TGT_DEL, TGT_AUG, TGT_FOR, TGT_WITH };

static const char *expr_desc(const ast *n) {
    switch (n->kind) {
    case A_CALL: return "function call";
    case A_INT: case A_FLOAT: case A_IMAG: case A_STR: return "literal";
    case A_TRUE: return "True";
    case A_FALSE: return "False";
    case A_NONE: return "None";
    case A_ELLIPSIS: return "ellipsis";
    case A_CMP: return "comparison";
    case A_IFEXP: return "conditional expression";
    case A_LAMBDA: return "lambda";
    case A_LISTCOMP: return "list comprehension";
    case A_DICTCOMP: return "dict comprehension";
    case A_DICT: return "dict literal";
    case A_SLICE: return "slice";
    default: return "expression";
    }
}

/* Checks that n can be assigned to (or deleted) in context ctx. */
static void check_target(parser *p, const ast *n, int ctx) {
    const char *verb = ctx == TGT_DEL ? "delete" : "assign to";
    switch (n->kind) {
    case A_NAME: case A_ATTR: case A_SUBSCRIPT:
        return;
    case A_TUPLE: case A_LIST: {
        const char *what = n->kind == A_TUPLE ? "tuple" : "list";
        if (ctx == TGT_AUG) fail(p, n->start, n->end, "'%s' is an illegal expression for augmented assignment", what);
        int stars = 0;
        for (int i = 0; i < n->nlist; i++) {
            const ast *e = n->list[i];
            if (e->kind == A_STARRED) {
                if (ctx == TGT_DEL) fail(p, e->start, e->end, "cannot delete starred");
                if (++stars > 1) fail(p, e->start, e->end, "multiple starred expressions in assignment");
                check_target(p, e->a, ctx);
            } else {
                check_target(p, e, ctx);
            }
        }
        return;
    }
    case A_STARRED:
        if (ctx == TGT_DEL) fail(p, n->start, n->end, "cannot delete starred");
        fail(p, n->start, n->end, "starred assignment target must be in a list or tuple");
    default:
        if (ctx == TGT_AUG)
            fail(p, n->start, n->end, "'%s' is an illegal expression for augmented assignment", expr_desc(n));
        fail(p, n->start, n->end, "cannot %s %s", verb, expr_desc(n));
    }
}

static void no_bare_star(parser *p, const ast *n) {
    if (n && n->kind == A_STARRED) fail(p, n->start, n->end, "can't use starred expression here");
}

/* star_expr: '*' bitwise_or; in call arguments '*' test (full_test set). */
static ast *parse_star_of(parser *p, int full_test) {
    cts_token s = next(p);
    ast *v = full_test ? parse_test(p) : parse_binary(p, 1);
    ast *n = node(p, A_STARRED, s.start, v->end);
    n->a = v;
    return n;
}

static ast *parse_star(parser *p) { return parse_star_of(p, 0); }

static ast *parse_test_or_star(parser *p) { return at(p, T_STAR) ? parse_star(p) : parse_test(p); }

/* Targets of for, del and comprehensions: star_expr | bitwise_or, with
 * commas making a tuple. */
static ast *parse_exprlist(parser *p) {
    ast *first = at(p, T_STAR) ? parse_star(p) : parse_binary(p, 1);
    if (!at(p, T_COMMA)) return first;
    nvec v = {0};
    push(p, &v, first);
    while (accept(p, T_COMMA)) {
        cts_tok k = cur(p)->kind;
        if (!starts_expr(k) || k == T_NOT || k == T_LAMBDA) break;
        push(p, &v, at(p, T_STAR) ? parse_star(p) : parse_binary(p, 1));
    }
    ast *t = node(p, A_TUPLE, first->start, p->prev_end);
    t->list = v.v;
    t->nlist = v.n;
    return t;
}

/* One `for target in iterable [if cond]` after elt (and value for a dict). */
static ast *parse_comp(parser *p, ast_kind k, uint32_t start, ast *elt, ast *value) {
    cts_token f = expect(p, T_FOR);
    ast *n = node(p, k, start, 0);
    n->a = elt;
    n->e = value;
    n->b = parse_exprlist(p);
    check_target(p, n->b, TGT_FOR);
    expect(p, T_IN);
    n->c = parse_or(p);
    if (accept(p, T_IF)) {
        n->d = parse_or(p);
        if (at(p, T_IF)) {
            cts_token t = *cur(p);
            fail(p, t.start, t.end, "comprehensions with more than one 'if' aren't supported");
        }
    }
    if (at(p, T_FOR) || at(p, T_ASYNC)) {
        cts_token t = *cur(p);
        fail(p, f.start, t.end, "Only a single generator is currently supported");
    }
    n->end = p->prev_end;
    return n;
}

/* ( ... ): empty tuple, parenthesized expression, tuple, generator. */
static ast *parse_paren(parser *p) {
    cts_token l = next(p);
    if (at(p, T_RPAREN)) {
        cts_token r = next(p);
        return node(p, A_TUPLE, l.start, r.end);
    }
    ast *first = parse_test_or_star(p);
    if (at(p, T_FOR)) {
        no_bare_star(p, first);
        ast *g = parse_comp(p, A_LISTCOMP, l.start, first, NULL);
        g->end = expect(p, T_RPAREN).end;
        return g;
    }
    if (accept(p, T_RPAREN)) {
        no_bare_star(p, first);
        return first;
    }
    if (!at(p, T_COMMA)) fail_expected(p, "')'");
    nvec v = {0};
    push(p, &v, first);
    while (accept(p, T_COMMA)) {
        if (at(p, T_RPAREN)) break;
        push(p, &v, parse_test_or_star(p));
    }
    cts_token r = expect(p, T_RPAREN);
    ast *t = node(p, A_TUPLE, l.start, r.end);
    t->list = v.v;
    t->nlist = v.n;
    return t;
}

static ast *parse_listdisplay(parser *p) {
    cts_token l = next(p);
    ast *n = node(p, A_LIST, l.start, 0);
    if (at(p, T_RBRACK)) {
        n->end = next(p).end;
        return n;
    }
    ast *first = parse_test_or_star(p);
    if (at(p, T_FOR)) {
        no_bare_star(p, first);
        ast *c = parse_comp(p, A_LISTCOMP, l.start, first, NULL);
        c->end = expect(p, T_RBRACK).end;
        return c;
    }
    nvec v = {0};
    push(p, &v, first);
    while (accept(p, T_COMMA)) {
        if (at(p, T_RBRACK)) break;
        push(p, &v, parse_test_or_star(p));
    }
    n->end = expect(p, T_RBRACK).end;
    n->list = v.v;
    n->nlist = v.n;
    return n;
}

static ast *parse_dictdisplay(parser *p) {
    cts_token l = next(p);
    ast *n = node(p, A_DICT, l.start, 0);
    if (at(p, T_RBRACE)) {
        n->end = next(p).end;
        return n;
    }
    nvec keys = {0}, vals = {0};
    for (;;) {
        if (at(p, T_POW)) {
            cts_token t = *cur(p);
            fail(p, t.start, t.end, "Dict expansion (e.g. `{**dict}`) is not supported");
        }
        ast *k = parse_test_or_star(p);
        if (!at(p, T_COLON)) {
            if (keys.n == 0 && (at(p, T_COMMA) || at(p, T_RBRACE) || at(p, T_FOR)))
                fail(p, l.start, l.end, "set literals aren't supported");
            fail_expected(p, "':'");
        }
        no_bare_star(p, k);
        next(p);
        ast *v = parse_test(p);
        if (keys.n == 0 && at(p, T_FOR)) {
            ast *c = parse_comp(p, A_DICTCOMP, l.start, k, v);
            c->end = expect(p, T_RBRACE).end;
            return c;
        }
        push(p, &keys, k);
        push(p, &vals, v);
        if (!accept(p, T_COMMA) || at(p, T_RBRACE)) break;
    }
    n->end = expect(p, T_RBRACE).end;
    n->list = keys.v;
    n->nlist = keys.n;
    n->list2 = vals.v;
    n->nlist2 = vals.n;
    return n;
}

/* Parses an expression found inside [start, end) of the source (an f-string
 * placeholder, a type comment) with a fresh lexer in expression mode. */
static void sub_parser(parser *p, parser *sub, uint32_t start, uint32_t end) {
    parser_init(sub, p->arena, p->src, start, end, 1, p->err, p->jb);
    sub->depth = p->depth;
    sub->height = p->height;
}

/* The placeholder {expr} of an f-string whose '{' is at open; returns the
 * offset of its closing '}'. */
static uint32_t fstring_field(parser *p, uint32_t open, uint32_t e, ast **out) {
    const char *s = p->src->text;
    uint32_t j = open + 1;
    int depth = 0;
    for (;;) {
        if (j >= e) fail(p, open, open + 1, "f-string: expecting '}'");
        char c = s[j];
        if (c == '\\') fail(p, j, j + 1, "f-string expression part cannot include a backslash");
        if (c == '#') fail(p, j, j + 1, "f-string expression part cannot include '#'");
        if (c == '\'' || c == '"') {
            int triple = j + 2 < e && s[j + 1] == c && s[j + 2] == c;
            uint32_t k = j + (triple ? 3 : 1);
            for (;;) {
                if (k >= e) fail(p, j, j + 1, "f-string: unterminated string");
                if (s[k] == c && (!triple || (k + 2 < e && s[k + 1] == c && s[k + 2] == c))) break;
                k++;
            }
            j = k + (triple ? 3 : 1);
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0) {
                if (c == '}') break;
                fail(p, j, j + 1, "f-string: unmatched '%c'", c);
            }
            depth--;
        } else if (depth == 0 && c == '!' && !(j + 1 < e && s[j + 1] == '=')) {
            fail(p, j, j + 1, "Don't support conversion in JoinedStr");
        } else if (depth == 0 && c == ':') {
            fail(p, j, j + 1, "Don't support formatting in JoinedStr");
        } else if (depth == 0 && c == '=') {
            if (j + 1 < e && s[j + 1] == '=') {
                j += 2;
                continue;
            }
            uint32_t b = j;
            while (b > open + 1 && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
            int op = b > open + 1 && s[b - 1] && strchr("=!<>", s[b - 1]);
            uint32_t a = j + 1;
            while (a < e && (s[a] == ' ' || s[a] == '\t')) a++;
            if (!op && a < e && s[a] && strchr("}!:", s[a]))
                fail(p, j, j + 1, "Don't support conversion in JoinedStr");
        }
        j++;
    }
    uint32_t a = open + 1;
    while (a < j && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r')) a++;
    if (a == j) fail(p, open, j + 1, "f-string: empty expression not allowed");
    parser sub;
    sub_parser(p, &sub, open + 1, j);
    ast *x = parse_testlist(&sub, 0);
    if (!at(&sub, T_EOF)) fail_expected(&sub, "'}'");
    *out = x;
    return j;
}

static void fstring_chunk(parser *p, bbuf *b, uint32_t start, uint32_t end, int raw) {
    if (end <= start) return;
    char *tmp = alloc(p, (size_t)(end - start) + 1);
    size_t n;
    if (cts_lex_unescape(p->src, start, end, raw, tmp, &n, p->err)) longjmp(*p->jb, 1);
    bput(p, b, tmp, n);
}

/* Appends the literal parts of an f-string to the format b ("{}" for each
 * placeholder) and the placeholder expressions to args. */
static void parse_fstring(parser *p, const cts_token *t, bbuf *b, nvec *args) {
    const char *s = p->src->text;
    int raw = t->flags & CTS_TOKF_RAW;
    uint32_t i = t->cstart, e = t->cend, chunk = i;
    while (i < e) {
        char c = s[i];
        if (c == '\\' && !raw) {
            i += (i + 1 < e && s[i + 1] != '{' && s[i + 1] != '}') ? 2 : 1;
            continue;
        }
        if (c == '{') {
            if (i + 1 < e && s[i + 1] == '{') {
                fstring_chunk(p, b, chunk, i + 1, raw);
                i += 2;
                chunk = i;
                continue;
            }
            fstring_chunk(p, b, chunk, i, raw);
            ast *x;
            i = fstring_field(p, i, e, &x) + 1;
            chunk = i;
            bput(p, b, "{}", 2);
            push(p, args, x);
            continue;
        }
        if (c == '}') {
            if (i + 1 < e && s[i + 1] == '}') {
                fstring_chunk(p, b, chunk, i + 1, raw);
                i += 2;
                chunk = i;
                continue;
            }
            fail(p, i, i + 1, "f-string: single '}' is not allowed");
        }
        i++;
    }
    fstring_chunk(p, b, chunk, e, raw);
}

/* Adjacent string literals are one; any f-string among them makes the whole
 * a "...".format(...) call. */
static ast *parse_strings(parser *p) {
    uint32_t start = cur(p)->start;
    bbuf b = {0};
    nvec args = {0};
    int any_f = 0;
    bput(p, &b, "", 0);
    while (at(p, T_STRING)) {
        cts_token t = next(p);
        if (t.flags & CTS_TOKF_FSTRING) {
            any_f = 1;
            parse_fstring(p, &t, &b, &args);
        } else {
            bput(p, &b, t.str, t.slen);
        }
    }
    uint32_t end = p->prev_end;
    ast *str = node(p, A_STR, start, end);
    str->str = b.s;
    str->slen = b.n;
    if (!any_f) return str;
    ast *attr = node(p, A_ATTR, start, end);
    attr->a = str;
    attr->str = "format";
    ast *call = node(p, A_CALL, start, end);
    call->a = attr;
    call->list = args.v;
    call->nlist = args.n;
    return call;
}

static ast *parse_atom(parser *p) {
    cts_token *t = cur(p);
    ast *n;
    switch (t->kind) {
    case T_NAME:
        n = node(p, A_NAME, t->start, t->end);
        n->str = t->str;
        next(p);
        return n;
    case T_INTLIT:
        if (t->flags & CTS_TOKF_INT_MIN)
            fail(p, t->start, t->end, "integer literal 9223372036854775808 is out of range for int64");
        n = node(p, A_INT, t->start, t->end);
        n->ival = t->ival;
        next(p);
        return n;
    case T_FLOATLIT:
    case T_IMAG:
        n = node(p, t->kind == T_FLOATLIT ? A_FLOAT : A_IMAG, t->start, t->end);
        n->fval = t->fval;
        next(p);
        return n;
    case T_STRING: return parse_strings(p);
    case T_TRUE: case T_FALSE: case T_NONEKW: case T_ELLIPSIS:
        n = node(p,
                 t->kind == T_TRUE    ? A_TRUE
                 : t->kind == T_FALSE ? A_FALSE
                 : t->kind == T_NONEKW ? A_NONE
                                      : A_ELLIPSIS,
                 t->start, t->end);
        next(p);
        return n;
    case T_LPAREN: return parse_paren(p);
    case T_LBRACK: return parse_listdisplay(p);
    case T_LBRACE: return parse_dictdisplay(p);
    case T_AWAIT: fail(p, t->start, t->end, "'await' outside async function");
    case T_YIELD: fail(p, t->start, t->end, "yield expressions aren't supported");
    default: fail_expected(p, "an expression");
    }
}

static ast *parse_call(parser *p, ast *callee) {
    next(p); /* ( */
    nvec args = {0}, kwvals = {0};
    const char **names = NULL;
    int nnames = 0, capnames = 0;
    while (!at(p, T_RPAREN)) {
        cts_token *t = cur(p);
        if (t->kind == T_STAR) {
            push(p, &args, parse_star_of(p, 1));
        } else if (t->kind == T_POW) {
            /* `**mapping`: a keyword named "**" (TorchScript rejects it when compiling; cts exec expands it) */
            next(p);
            names = grow(p, (void *)names, nnames, &capnames, sizeof *names);
            names[nnames++] = "**";
            push(p, &kwvals, parse_test(p));
        } else if (t->kind == T_NAME && peek(p, 1)->kind == T_ASSIGN) {
            cts_token nm = next(p);
            next(p);
            names = grow(p, (void *)names, nnames, &capnames, sizeof *names);
            names[nnames++] = nm.str;
            push(p, &kwvals, parse_test(p));
        } else {
            ast *e = parse_test(p);
            if (at(p, T_FOR)) {
                if (args.n || kwvals.n) fail(p, e->start, e->end, "Generator expression must be parenthesized");
                e = parse_comp(p, A_LISTCOMP, e->start, e, NULL);
                if (!at(p, T_RPAREN)) fail(p, e->start, e->end, "Generator expression must be parenthesized");
            }
            if (at(p, T_ASSIGN))
                fail(p, e->start, cur(p)->end, "expression cannot contain assignment, perhaps you meant \"==\"?");
            if (kwvals.n) fail(p, e->start, e->end, "positional argument follows keyword argument");
            push(p, &args, e);
        }
        if (!accept(p, T_COMMA)) break;
    }
    cts_token r = expect(p, T_RPAREN);
    ast *n = node(p, A_CALL, callee->start, r.end);
    n->a = callee;
    n->list = args.v;
    n->nlist = args.n;
    n->list2 = kwvals.v;
    n->nlist2 = kwvals.n;
    n->names = names;
    n->nnames = nnames;
    return n;
}

static ast *parse_subscript_item(parser *p) {
    uint32_t start = cur(p)->start;
    ast *lower = NULL;
    if (!at(p, T_COLON)) {
        if (at(p, T_STAR)) {
            cts_token t = *cur(p);
            fail(p, t.start, t.end, "starred expressions in subscripts aren't supported");
        }
        lower = parse_test(p);
        if (!at(p, T_COLON)) return lower;
    }
    next(p); /* : */
    ast *n = node(p, A_SLICE, start, 0);
    n->a = lower;
    if (!at(p, T_COLON) && !at(p, T_COMMA) && !at(p, T_RBRACK)) n->b = parse_test(p);
    if (accept(p, T_COLON) && !at(p, T_COMMA) && !at(p, T_RBRACK)) n->c = parse_test(p);
    n->end = p->prev_end;
    return n;
}

static ast *parse_subscript(parser *p, ast *value) {
    next(p); /* [ */
    nvec v = {0};
    int commas = 0;
    for (;;) {
        push(p, &v, parse_subscript_item(p));
        if (!accept(p, T_COMMA)) break;
        commas++;
        if (at(p, T_RBRACK)) break;
    }
    cts_token r = expect(p, T_RBRACK);
    ast *n = node(p, A_SUBSCRIPT, value->start, r.end);
    n->a = value;
    if (v.n == 1 && !commas && v.v[0]->kind == A_TUPLE && v.v[0]->nlist > 0) {
        n->list = v.v[0]->list; /* x[(i, j)] is x[i, j] */
        n->nlist = v.v[0]->nlist;
    } else {
        n->list = v.v;
        n->nlist = v.n;
    }
    return n;
}

static ast *parse_primary(parser *p) {
    ast *x = parse_atom(p);
    int links = 0;
    for (;;) {
        cts_tok k = cur(p)->kind;
        if (k == T_LPAREN) {
            chain(p, &links);
            x = parse_call(p, x);
        } else if (k == T_LBRACK) {
            chain(p, &links);
            x = parse_subscript(p, x);
        } else if (k == T_DOT) {
            chain(p, &links);
            next(p);
            cts_token nm = expect(p, T_NAME);
            ast *n = node(p, A_ATTR, x->start, nm.end);
            n->a = x;
            n->str = nm.str;
            x = n;
        } else {
            break;
        }
    }
    p->height -= links;
    return x;
}

/* power: primary ['**' factor] */
static ast *parse_power(parser *p) {
    ast *base = parse_primary(p);
    if (!at(p, T_POW)) return base;
    next(p);
    enter(p);
    ast *e = parse_factor(p);
    leave(p);
    return binop(p, A_BINOP, T_POW, base, e);
}

/* factor: ('+' | '-' | '~') factor | power */
static ast *parse_factor(parser *p) {
    cts_token *t = cur(p);
    if (t->kind != T_PLUS && t->kind != T_MINUS && t->kind != T_TILDE) return parse_power(p);
    if (t->kind == T_MINUS) {
        cts_token *lit = peek(p, 1);
        if (lit->kind == T_INTLIT && (lit->flags & CTS_TOKF_INT_MIN)) {
            cts_tok after = peek(p, 2)->kind;
            if (after != T_POW && after != T_DOT && after != T_LPAREN && after != T_LBRACK) {
                cts_token m = next(p);
                cts_token l = next(p);
                ast *n = node(p, A_INT, m.start, l.end);
                n->ival = INT64_MIN;
                return n;
            }
        }
    }
    cts_token op = next(p);
    enter(p);
    ast *x = parse_factor(p);
    leave(p);
    ast *n = node(p, A_UNOP, op.start, x->end);
    n->op = op.kind;
    n->a = x;
    return n;
}

static int binprec(cts_tok k) {
    switch (k) {
    case T_PIPE: return 1;
    case T_CARET: return 2;
    case T_AMP: return 3;
    case T_LSHIFT: case T_RSHIFT: return 4;
    case T_PLUS: case T_MINUS: return 5;
    case T_STAR: case T_SLASH: case T_DSLASH: case T_PERCENT: case T_AT: return 6;
    default: return 0;
    }
}

/* Binary operators from | up to * / // % @, by precedence climbing. */
static ast *parse_binary(parser *p, int minprec) {
    ast *lhs = parse_factor(p);
    int links = 0;
    for (;;) {
        cts_tok k = cur(p)->kind;
        int prec = binprec(k);
        if (!prec || prec < minprec) break;
        chain(p, &links);
        next(p);
        ast *rhs = parse_binary(p, prec + 1);
        lhs = binop(p, A_BINOP, k, lhs, rhs);
    }
    p->height -= links;
    return lhs;
}

static int cmp_op(parser *p) {
    switch (cur(p)->kind) {
    case T_LT: case T_GT: case T_LE: case T_GE: case T_EQ: case T_NE: case T_IN: case T_IS:
        return 1;
    case T_NOT:
        return peek(p, 1)->kind == T_IN;
    default:
        return 0;
    }
}

static ast *parse_comparison(parser *p) {
    ast *first = parse_binary(p, 1);
    if (!cmp_op(p)) return first;
    nvec operands = {0};
    int *ops = NULL, nops = 0, capops = 0;
    push(p, &operands, first);
    while (cmp_op(p)) {
        cts_token t = next(p);
        int op = t.kind;
        if (op == T_NOT) {
            next(p);
            op = T_NOTIN;
        } else if (op == T_IS && accept(p, T_NOT)) {
            op = T_ISNOT;
        }
        ops = grow(p, ops, nops, &capops, sizeof *ops);
        ops[nops++] = op;
        push(p, &operands, parse_binary(p, 1));
    }
    ast *n = node(p, A_CMP, first->start, operands.v[operands.n - 1]->end);
    n->list = operands.v;
    n->nlist = operands.n;
    n->ops = ops;
    n->nops = nops;
    return n;
}

static ast *parse_not(parser *p) {
    if (!at(p, T_NOT)) return parse_comparison(p);
    cts_token t = next(p);
    enter(p);
    ast *x = parse_not(p);
    leave(p);
    ast *n = node(p, A_UNOP, t.start, x->end);
    n->op = T_NOT;
    n->a = x;
    return n;
}

static ast *parse_and(parser *p) {
    ast *a = parse_not(p);
    int links = 0;
    while (at(p, T_AND)) {
        chain(p, &links);
        next(p);
        a = binop(p, A_BOOLOP, T_AND, a, parse_not(p));
    }
    p->height -= links;
    return a;
}

static ast *parse_or(parser *p) {
    ast *a = parse_and(p);
    int links = 0;
    while (at(p, T_OR)) {
        chain(p, &links);
        next(p);
        a = binop(p, A_BOOLOP, T_OR, a, parse_and(p));
    }
    p->height -= links;
    return a;
}

static int parse_params(parser *p, cts_tok closer, int annotated, nvec *out);

static ast *parse_lambda(parser *p) {
    cts_token kw = next(p);
    ast *n = node(p, A_LAMBDA, kw.start, 0);
    nvec params = {0};
    parse_params(p, T_COLON, 0, &params);
    expect(p, T_COLON);
    n->list = params.v;
    n->nlist = params.n;
    n->a = parse_test(p);
    n->end = n->a->end;
    return n;
}

/* test: lambda | or_test ['if' or_test 'else' test] */
static ast *parse_test(parser *p) {
    enter(p);
    ast *r;
    if (at(p, T_LAMBDA)) {
        r = parse_lambda(p);
    } else {
        r = parse_or(p);
        if (at(p, T_IF)) {
            next(p);
            ast *cond = parse_or(p);
            if (!at(p, T_ELSE)) fail_expected(p, "'else' in conditional expression");
            next(p);
            ast *other = parse_test(p);
            ast *n = node(p, A_IFEXP, r->start, other->end);
            n->a = cond;
            n->b = r;
            n->c = other;
            r = n;
        }
    }
    leave(p);
    return r;
}

/* Comma-separated tests (a tuple when there is a comma); allow_star admits
 * *x items.  A bare *x is returned as is for the caller to judge. */
static ast *parse_testlist(parser *p, int allow_star) {
    ast *first = allow_star ? parse_test_or_star(p) : parse_test(p);
    if (!at(p, T_COMMA)) return first;
    nvec v = {0};
    push(p, &v, first);
    while (accept(p, T_COMMA)) {
        cts_tok k = cur(p)->kind;
        if (!starts_expr(k) || (k == T_STAR && !allow_star)) break;
        push(p, &v, allow_star ? parse_test_or_star(p) : parse_test(p));
    }
    ast *t = node(p, A_TUPLE, first->start, p->prev_end);
    t->list = v.v;
    t->nlist = v.n;
    return t;
}

/* ---- type comments ----------------------------------------------------------- */

static ast *parse_type_expr(parser *p, const cts_type_comment *tc) {
    parser sub;
    sub_parser(p, &sub, tc->tstart, tc->tend);
    ast *x = parse_test(&sub);
    if (!at(&sub, T_EOF)) fail_expected(&sub, "end of type comment");
    return x;
}

/* "# type: (A, B) -> R": the parameter types as an A_TUPLE in *params and R
 * in *ret.  With dots_only, the list must be "(...)" and *params is unset. */
static void parse_type_sig(parser *p, const cts_type_comment *tc, int dots_only, ast **params, ast **ret) {
    parser sub;
    sub_parser(p, &sub, tc->tstart, tc->tend);
    cts_token l = expect(&sub, T_LPAREN);
    if (dots_only) {
        expect(&sub, T_ELLIPSIS);
        expect(&sub, T_RPAREN);
    } else {
        nvec v = {0};
        while (!at(&sub, T_RPAREN)) {
            push(&sub, &v, parse_test(&sub));
            if (!accept(&sub, T_COMMA)) break;
        }
        cts_token r = expect(&sub, T_RPAREN);
        ast *t = node(&sub, A_TUPLE, l.start, r.end);
        t->list = v.v;
        t->nlist = v.n;
        *params = t;
    }
    expect(&sub, T_ARROW);
    *ret = parse_test(&sub);
    if (!at(&sub, T_EOF)) fail_expected(&sub, "end of type comment");
}

/* The type comments recorded so far that start in [from, to). */
static int type_comments_in(parser *p, uint32_t from, uint32_t to, cts_type_comment **first) {
    int hi = p->lx.ntc, lo = hi;
    *first = NULL;
    if (!hi) return 0;
    while (lo > 0 && p->lx.tc[lo - 1].hash >= from) lo--;
    while (hi > lo && p->lx.tc[hi - 1].hash >= to) hi--;
    *first = p->lx.tc + lo;
    return hi - lo;
}

static int tc_is_return_line(parser *p, const cts_type_comment *tc) {
    const char *s = p->src->text + tc->tstart;
    size_t n = tc->tend - tc->tstart, i = 5;
    if (n < 7 || memcmp(s, "(...)", 5) != 0) return 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    return i + 1 < n && s[i] == '-' && s[i + 1] == '>';
}

/* Fills def->str2, c and d from the type comments in [from, to) (the def
 * line, its continuation lines and the lines before the first statement of
 * the body), following torch.jit.annotations.get_type_line. */
static void def_type_comment(parser *p, ast *def, uint32_t from, uint32_t to) {
    cts_type_comment *tc;
    int n = type_comments_in(p, from, to, &tc);
    if (n == 0) return;
    const char *s = p->src->text;
    if (n == 1) {
        def->str2 = dupn(p, s + tc->tstart, tc->tend - tc->tstart);
        parse_type_sig(p, tc, 0, &def->c, &def->d);
        return;
    }
    int r = 0;
    while (r < n && !tc_is_return_line(p, &tc[r])) r++;
    if (r == n)
        fail(p, tc[0].hash, tc[0].tend,
             "Return type line '# type: (...) -> ...' not found on multiline type annotation");
    bbuf b = {0};
    nvec types = {0};
    bput(p, &b, "(", 1);
    for (int i = 0; i < r; i++) {
        if (i) bput(p, &b, ", ", 2);
        bput(p, &b, s + tc[i].tstart, tc[i].tend - tc[i].tstart);
        push(p, &types, parse_type_expr(p, &tc[i]));
    }
    bput(p, &b, s + tc[r].tstart + 4, tc[r].tend - tc[r].tstart - 4);
    def->str2 = b.s;
    ast *t = node(p, A_TUPLE, r ? tc[0].tstart : tc[r].tstart, r ? tc[r - 1].tend : tc[r].tstart + 5);
    t->list = types.v;
    t->nlist = types.n;
    def->c = t;
    parse_type_sig(p, &tc[r], 1, NULL, &def->d);
}

/* ---- statements ------------------------------------------------------------ */

/* Parameters up to closer: name [: annotation] [= default], *args, *, **kw. */
static int parse_params(parser *p, cts_tok closer, int annotated, nvec *out) {
    int seen_star = 0, seen_default = 0, seen_kwargs = 0;
    while (!at(p, closer)) {
        cts_token *t = cur(p);
        if (seen_kwargs) fail(p, t->start, t->end, "arguments cannot follow var-keyword argument");
        if (t->kind == T_SLASH) fail(p, t->start, t->end, "positional-only parameters ('/') aren't supported");
        int flags = 0;
        uint32_t start = t->start;
        if (t->kind == T_STAR) {
            cts_token st = next(p);
            if (seen_star) fail(p, st.start, st.end, "* argument may appear only once");
            seen_star = 1;
            if (at(p, T_COMMA) || at(p, closer)) {
                accept(p, T_COMMA);
                if (at(p, closer) || at(p, T_POW)) fail(p, st.start, st.end, "named arguments must follow bare *");
                continue;
            }
            flags = P_VARARGS;
        } else if (t->kind == T_POW) {
            next(p);
            flags = P_KWARGS;
            seen_kwargs = 1;
        } else if (seen_star) {
            flags = P_KWONLY;
        }
        cts_token nm = expect(p, T_NAME);
        ast *prm = node(p, A_PARAM, start, nm.end);
        prm->str = nm.str;
        prm->flags = flags;
        if (annotated && accept(p, T_COLON)) prm->a = parse_test(p);
        if (at(p, T_ASSIGN)) {
            cts_token eq = next(p);
            if (flags & (P_VARARGS | P_KWARGS))
                fail(p, eq.start, eq.end, "var-%s argument cannot have default value",
                     flags & P_VARARGS ? "positional" : "keyword");
            prm->b = parse_test(p);
        }
        if (!flags) {
            if (prm->b) seen_default = 1;
            else if (seen_default) fail(p, nm.start, nm.end, "non-default argument follows default argument");
        }
        prm->end = p->prev_end;
        push(p, out, prm);
        if (!accept(p, T_COMMA)) break;
    }
    return 0;
}

static void set_end(ast *n, const nvec *body, uint32_t fallback) {
    n->end = body->n ? body->v[body->n - 1]->end : fallback;
}

static ast *parse_def(parser *p, nvec *decorators) {
    cts_token kw = next(p);
    cts_token nm = expect(p, T_NAME);
    ast *n = node(p, S_DEF, kw.start, 0);
    n->str = nm.str;
    expect(p, T_LPAREN);
    nvec params = {0};
    parse_params(p, T_RPAREN, 1, &params);
    expect(p, T_RPAREN);
    if (accept(p, T_ARROW)) n->a = parse_test(p);
    expect(p, T_COLON);
    uint32_t body_start = at(p, T_NEWLINE) ? peek(p, 1)->start : cur(p)->start;
    def_type_comment(p, n, kw.start, body_start);
    nvec body = {0};
    parse_suite(p, "function definition", kw.start, &body);
    n->list = params.v;
    n->nlist = params.n;
    n->list2 = body.v;
    n->nlist2 = body.n;
    n->list3 = decorators->v;
    n->nlist3 = decorators->n;
    set_end(n, &body, p->prev_end);
    return n;
}

static ast *parse_class(parser *p, nvec *decorators) {
    cts_token kw = next(p);
    cts_token nm = expect(p, T_NAME);
    ast *n = node(p, S_CLASS, kw.start, 0);
    n->str = nm.str;
    nvec bases = {0}, body = {0};
    if (accept(p, T_LPAREN)) {
        while (!at(p, T_RPAREN)) {
            cts_token *t = cur(p);
            if ((t->kind == T_NAME && peek(p, 1)->kind == T_ASSIGN) || t->kind == T_POW)
                fail(p, t->start, t->end, "keyword arguments in class bases aren't supported");
            if (t->kind == T_STAR) fail(p, t->start, t->end, "starred class bases aren't supported");
            push(p, &bases, parse_test(p));
            if (!accept(p, T_COMMA)) break;
        }
        expect(p, T_RPAREN);
    }
    expect(p, T_COLON);
    parse_suite(p, "class definition", kw.start, &body);
    n->list = bases.v;
    n->nlist = bases.n;
    n->list2 = body.v;
    n->nlist2 = body.n;
    n->list3 = decorators->v;
    n->nlist3 = decorators->n;
    set_end(n, &body, p->prev_end);
    return n;
}

static ast *parse_decorated(parser *p) {
    nvec decs = {0};
    while (at(p, T_AT)) {
        next(p);
        push(p, &decs, parse_test(p));
        if (!at(p, T_NEWLINE)) fail_expected(p, "newline after decorator");
        next(p);
    }
    if (at(p, T_DEF)) return parse_def(p, &decs);
    if (at(p, T_CLASS)) return parse_class(p, &decs);
    if (at(p, T_ASYNC)) {
        cts_token *t = cur(p);
        fail(p, t->start, t->end, "async function definitions aren't supported");
    }
    fail_expected(p, "'def' or 'class' after decorator");
}

static ast *parse_if(parser *p) {
    cts_token kw = next(p);
    ast *root = node(p, S_IF, kw.start, 0);
    nvec chainv = {0}, body = {0};
    root->a = parse_test(p);
    expect(p, T_COLON);
    parse_suite(p, "'if' statement", kw.start, &body);
    root->list = body.v;
    root->nlist = body.n;
    push(p, &chainv, root);
    ast *n = root;
    nvec lastbody = body;
    for (;;) {
        if (at(p, T_ELIF)) {
            cts_token k2 = next(p);
            ast *e = node(p, S_IF, k2.start, 0);
            nvec b2 = {0};
            e->a = parse_test(p);
            expect(p, T_COLON);
            parse_suite(p, "'elif' statement", k2.start, &b2);
            e->list = b2.v;
            e->nlist = b2.n;
            ast **one = alloc(p, sizeof *one);
            one[0] = e;
            n->list2 = one;
            n->nlist2 = 1;
            n = e;
            lastbody = b2;
            push(p, &chainv, e);
        } else if (at(p, T_ELSE)) {
            cts_token k2 = next(p);
            expect(p, T_COLON);
            nvec eb = {0};
            parse_suite(p, "'else' statement", k2.start, &eb);
            n->list2 = eb.v;
            n->nlist2 = eb.n;
            lastbody = eb;
            break;
        } else {
            break;
        }
    }
    for (int i = 0; i < chainv.n; i++) set_end(chainv.v[i], &lastbody, p->prev_end);
    return root;
}

static void parse_else(parser *p, ast *n, nvec *body) {
    if (at(p, T_ELSE)) {
        cts_token k = next(p);
        expect(p, T_COLON);
        nvec eb = {0};
        parse_suite(p, "'else' statement", k.start, &eb);
        n->list2 = eb.v;
        n->nlist2 = eb.n;
        set_end(n, &eb, p->prev_end);
    } else {
        set_end(n, body, p->prev_end);
    }
}

static ast *parse_while(parser *p) {
    cts_token kw = next(p);
    ast *n = node(p, S_WHILE, kw.start, 0);
    n->a = parse_test(p);
    expect(p, T_COLON);
    nvec body = {0};
    parse_suite(p, "'while' statement", kw.start, &body);
    n->list = body.v;
    n->nlist = body.n;
    parse_else(p, n, &body);
    return n;
}

static ast *parse_for(parser *p) {
    cts_token kw = next(p);
    ast *n = node(p, S_FOR, kw.start, 0);
    n->a = parse_exprlist(p);
    check_target(p, n->a, TGT_FOR);
    expect(p, T_IN);
    n->b = parse_testlist(p, 1);
    no_bare_star(p, n->b);
    expect(p, T_COLON);
    nvec body = {0};
    parse_suite(p, "'for' statement", kw.start, &body);
    n->list = body.v;
    n->nlist = body.n;
    parse_else(p, n, &body);
    return n;
}

static ast *parse_with(parser *p) {
    cts_token kw = next(p);
    ast *n = node(p, S_WITH, kw.start, 0);
    nvec items = {0}, body = {0};
    do {
        ast *e = parse_test(p);
        ast *it = node(p, A_WITHITEM, e->start, e->end);
        it->a = e;
        if (accept(p, T_AS)) {
            it->b = parse_binary(p, 1);
            check_target(p, it->b, TGT_WITH);
            it->end = it->b->end;
        }
        push(p, &items, it);
    } while (accept(p, T_COMMA));
    expect(p, T_COLON);
    parse_suite(p, "'with' statement", kw.start, &body);
    n->list = items.v;
    n->nlist = items.n;
    n->list2 = body.v;
    n->nlist2 = body.n;
    set_end(n, &body, p->prev_end);
    return n;
}

static const char *dotted_name(parser *p) {
    bbuf b = {0};
    cts_token t = expect(p, T_NAME);
    bput(p, &b, t.str, t.slen);
    while (at(p, T_DOT)) {
        next(p);
        t = expect(p, T_NAME);
        bput(p, &b, ".", 1);
        bput(p, &b, t.str, t.slen);
    }
    return b.s;
}

static ast *parse_alias(parser *p, int dotted) {
    uint32_t start = cur(p)->start;
    ast *a = node(p, A_ALIAS, start, 0);
    if (dotted) {
        a->str = dotted_name(p);
    } else {
        a->str = expect(p, T_NAME).str;
    }
    if (accept(p, T_AS)) a->str2 = expect(p, T_NAME).str;
    a->end = p->prev_end;
    return a;
}

static ast *parse_import(parser *p) {
    cts_token kw = next(p);
    nvec v = {0};
    if (kw.kind == T_IMPORT) {
        ast *n = node(p, S_IMPORT, kw.start, 0);
        do push(p, &v, parse_alias(p, 1));
        while (accept(p, T_COMMA));
        n->list = v.v;
        n->nlist = v.n;
        n->end = p->prev_end;
        return n;
    }
    ast *n = node(p, S_IMPORTFROM, kw.start, 0);
    bbuf b = {0};
    bput(p, &b, "", 0);
    for (;;) {
        if (accept(p, T_DOT)) bput(p, &b, ".", 1);
        else if (accept(p, T_ELLIPSIS)) bput(p, &b, "...", 3);
        else break;
    }
    if (at(p, T_NAME) || b.n == 0) {
        const char *m = dotted_name(p);
        bput(p, &b, m, strlen(m));
    }
    n->str = b.s;
    expect(p, T_IMPORT);
    if (at(p, T_STAR)) {
        cts_token st = next(p);
        ast *a = node(p, A_ALIAS, st.start, st.end);
        a->str = "*";
        push(p, &v, a);
    } else if (accept(p, T_LPAREN)) {
        do {
            if (at(p, T_RPAREN) && v.n) break;
            push(p, &v, parse_alias(p, 0));
        } while (accept(p, T_COMMA));
        expect(p, T_RPAREN);
    } else {
        do push(p, &v, parse_alias(p, 0));
        while (accept(p, T_COMMA));
    }
    n->list = v.v;
    n->nlist = v.n;
    n->end = p->prev_end;
    return n;
}

static ast *parse_names_stmt(parser *p, ast_kind k) {
    cts_token kw = next(p);
    ast *n = node(p, k, kw.start, 0);
    const char **names = NULL;
    int nn = 0, cap = 0;
    do {
        cts_token t = expect(p, T_NAME);
        names = grow(p, (void *)names, nn, &cap, sizeof *names);
        names[nn++] = t.str;
    } while (accept(p, T_COMMA));
    n->names = names;
    n->nnames = nn;
    n->end = p->prev_end;
    return n;
}

static cts_tok aug_op(cts_tok k) {
    switch (k) {
    case T_PLUSEQ: return T_PLUS;
    case T_MINUSEQ: return T_MINUS;
    case T_STAREQ: return T_STAR;
    case T_SLASHEQ: return T_SLASH;
    case T_DSLASHEQ: return T_DSLASH;
    case T_PERCENTEQ: return T_PERCENT;
    case T_POWEQ: return T_POW;
    case T_AMPEQ: return T_AMP;
    case T_PIPEEQ: return T_PIPE;
    case T_CARETEQ: return T_CARET;
    case T_LSHIFTEQ: return T_LSHIFT;
    case T_RSHIFTEQ: return T_RSHIFT;
    case T_ATEQ: return T_AT;
    default: return T_EOF;
    }
}

static ast *parse_expr_stmt(parser *p) {
    ast *first = parse_testlist(p, 1);
    cts_token *t = cur(p);
    if (t->kind == T_COLON) {
        if (first->kind == A_TUPLE || first->kind == A_LIST)
            fail(p, first->start, first->end, "only single target (not %s) can be annotated",
                 first->kind == A_TUPLE ? "tuple" : "list");
        if (first->kind != A_NAME && first->kind != A_ATTR && first->kind != A_SUBSCRIPT)
            fail(p, first->start, first->end, "illegal target for annotation");
        next(p);
        ast *n = node(p, S_ANNASSIGN, first->start, 0);
        n->a = first;
        n->b = parse_test(p);
        if (accept(p, T_ASSIGN)) {
            n->c = parse_testlist(p, 1);
            no_bare_star(p, n->c);
        }
        n->end = p->prev_end;
        return n;
    }
    cts_tok op = aug_op(t->kind);
    if (op != T_EOF) {
        check_target(p, first, TGT_AUG);
        next(p);
        ast *n = node(p, S_AUGASSIGN, first->start, 0);
        n->op = op;
        n->a = first;
        n->b = parse_testlist(p, 1);
        no_bare_star(p, n->b);
        n->end = n->b->end;
        return n;
    }
    if (t->kind == T_ASSIGN) {
        nvec v = {0};
        push(p, &v, first);
        while (accept(p, T_ASSIGN)) push(p, &v, parse_testlist(p, 1));
        ast *n = node(p, S_ASSIGN, first->start, 0);
        n->a = v.v[--v.n];
        no_bare_star(p, n->a);
        for (int i = 0; i < v.n; i++) check_target(p, v.v[i], TGT_ASSIGN);
        n->list = v.v;
        n->nlist = v.n;
        n->end = n->a->end;
        return n;
    }
    no_bare_star(p, first);
    ast *n = node(p, S_EXPR, first->start, first->end);
    n->a = first;
    return n;
}

static ast *parse_simple(parser *p) {
    cts_token *t = cur(p);
    ast *n;
    switch (t->kind) {
    case T_PASS: case T_BREAK: case T_CONTINUE:
        n = node(p, t->kind == T_PASS ? S_PASS : t->kind == T_BREAK ? S_BREAK : S_CONTINUE, t->start, t->end);
        next(p);
        return n;
    case T_RETURN:
        n = node(p, S_RETURN, t->start, t->end);
        next(p);
        if (starts_expr(cur(p)->kind)) {
            n->a = parse_testlist(p, 1);
            no_bare_star(p, n->a);
            n->end = n->a->end;
        }
        return n;
    case T_RAISE:
        n = node(p, S_RAISE, t->start, t->end);
        next(p);
        if (starts_expr(cur(p)->kind)) {
            n->a = parse_test(p);
            if (accept(p, T_FROM)) n->b = parse_test(p);
        }
        n->end = p->prev_end;
        return n;
    case T_ASSERT:
        n = node(p, S_ASSERT, t->start, 0);
        next(p);
        n->a = parse_test(p);
        if (accept(p, T_COMMA)) n->b = parse_test(p);
        n->end = p->prev_end;
        return n;
    case T_DEL: {
        n = node(p, S_DEL, t->start, 0);
        next(p);
        nvec v = {0};
        do {
            if (v.n && !starts_expr(cur(p)->kind)) break;
            ast *x = at(p, T_STAR) ? parse_star(p) : parse_binary(p, 1);
            check_target(p, x, TGT_DEL);
            push(p, &v, x);
        } while (accept(p, T_COMMA));
        n->list = v.v;
        n->nlist = v.n;
        n->end = p->prev_end;
        return n;
    }
    case T_IMPORT: case T_FROM: return parse_import(p);
    case T_GLOBAL: return parse_names_stmt(p, S_GLOBAL);
    case T_NONLOCAL: return parse_names_stmt(p, S_NONLOCAL);
    default: return parse_expr_stmt(p);
    }
}

/* simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static void parse_simple_stmts(parser *p, nvec *out) {
    ast *last;
    for (;;) {
        last = parse_simple(p);
        push(p, out, last);
        if (!accept(p, T_SEMI)) break;
        if (at(p, T_NEWLINE)) break;
    }
    if (!at(p, T_NEWLINE)) {
        if (at(p, T_EOF)) return; /* expression mode */
        fail_expected(p, "newline");
    }
    if (last->kind == S_ASSIGN) {
        cts_type_comment *tc;
        int n = type_comments_in(p, last->end, cur(p)->start + 1, &tc);
        if (n > 0) {
            last->str = dupn(p, p->src->text + tc->tstart, tc->tend - tc->tstart);
            last->b = parse_type_expr(p, tc);
        }
    }
    next(p);
}

static void parse_suite(parser *p, const char *what, uint32_t kwpos, nvec *out) {
    if (!at(p, T_NEWLINE)) {
        parse_simple_stmts(p, out);
        return;
    }
    next(p);
    if (!at(p, T_INDENT)) {
        int line, col;
        cts_src_linecol(p->src, kwpos, &line, &col);
        cts_token *t = cur(p);
        fail(p, t->start, t->end, "expected an indented block after %s on line %d", what, line);
    }
    next(p);
    while (!at(p, T_DEDENT) && !at(p, T_EOF)) parse_statement(p, out);
    accept(p, T_DEDENT);
}

static void parse_statement(parser *p, nvec *out) {
    cts_token *t = cur(p);
    switch (t->kind) {
    case T_IF: push(p, out, parse_if(p)); return;
    case T_WHILE: push(p, out, parse_while(p)); return;
    case T_FOR: push(p, out, parse_for(p)); return;
    case T_WITH: push(p, out, parse_with(p)); return;
    case T_DEF: case T_CLASS: {
        nvec none = {0};
        push(p, out, t->kind == T_DEF ? parse_def(p, &none) : parse_class(p, &none));
        return;
    }
    case T_AT: push(p, out, parse_decorated(p)); return;
    case T_INDENT: fail(p, t->start, t->end, "unexpected indent");
    case T_TRY: fail(p, t->start, t->end, "try blocks aren't supported");
    case T_ASYNC: {
        cts_tok k = peek(p, 1)->kind;
        t = cur(p);
        fail(p, t->start, t->end, "%s aren't supported",
             k == T_FOR ? "async for loops" : k == T_WITH ? "async with statements" : "async function definitions");
    }
    case T_ELSE: case T_ELIF: case T_EXCEPT: case T_FINALLY:
        fail(p, t->start, t->end, "invalid syntax: unexpected '%s'", cts_tok_name(t->kind));
    default: parse_simple_stmts(p, out); return;
    }
}

/* ---- entry points ------------------------------------------------------------ */

static int check_source(const cts_source *src, cts_err *err) {
    if (!src || (!src->text && src->len)) return cts_err_set(err, "no source text");
    if (src->len >= UINT32_MAX)
        return cts_err_set(err, "%s: source too large (%zu bytes)", src->name ? src->name : "<string>", src->len);
    return 0;
}

ast *cts_parse(cts_arena *arena, const cts_source *src, cts_err *err) {
    if (check_source(src, err)) return NULL;
    jmp_buf jb;
    parser p;
    if (setjmp(jb)) return NULL;
    parser_init(&p, arena, src, 0, (uint32_t)src->len, 0, err, &jb);
    nvec body = {0};
    while (!at(&p, T_EOF)) {
        if (accept(&p, T_NEWLINE)) continue;
        parse_statement(&p, &body);
    }
    ast *m = node(&p, A_MODULE, 0, (uint32_t)src->len);
    m->list = body.v;
    m->nlist = body.n;
    return m;
}

ast *cts_parse_expr(cts_arena *arena, const cts_source *src, cts_err *err) {
    if (check_source(src, err)) return NULL;
    jmp_buf jb;
    parser p;
    if (setjmp(jb)) return NULL;
    parser_init(&p, arena, src, 0, (uint32_t)src->len, 1, err, &jb);
    ast *x = parse_testlist(&p, 0);
    if (!at(&p, T_EOF)) fail_expected(&p, "end of expression");
    return x;
}
