/* ast.h - the abstract syntax tree of TorchScript source.
 *
 * One node type for every construct; the meaning of the generic fields per
 * kind is listed below.  All nodes, lists and strings live in the arena of
 * the parse (cts_arena) and are freed with it.  Positions are byte offsets
 * into the cts_source the tree came from (start inclusive, end exclusive),
 * so errors can underline any node.
 *
 *   kind            fields
 *   --------------  -------------------------------------------------------
 *   A_NAME          str = identifier
 *   A_INT           ival (fits int64; larger literals are a parse error).  Non-negative,
 *                   except `-9223372036854775808`, which is one A_INT (PyTorch
 *                   prints INT64_MIN so); other `-1` are A_UNOP(-, A_INT)
 *   A_FLOAT         fval
 *   A_IMAG          fval (imaginary literal `2j`)
 *   A_STR           str/slen = decoded bytes (adjacent literals joined).  An
 *                   f-string f"a{x}b" arrives as A_CALL(A_ATTR(A_STR "a{}b",
 *                   "format"), x), as PyTorch's Python frontend builds it
 *   A_TRUE A_FALSE A_NONE A_ELLIPSIS
 *   A_ATTR          a = object, str = attribute name
 *   A_CALL          a = callee, list = positional args, list2 = keyword values,
 *                   names = keyword names (nnames == nlist2)
 *   A_STARRED       a = value (`*args` inside a call)
 *   A_SUBSCRIPT     a = value, list = subscripts (`x[1, 2:3]` has two; each is
 *                   an expression or an A_SLICE)
 *   A_SLICE         a = start, b = stop, c = step (each may be NULL)
 *   A_BINOP         op = token (T_PLUS ...), a, b; matrix multiply `@` is T_AT
 *   A_UNOP          op = T_MINUS / T_PLUS / T_TILDE / T_NOT, a
 *   A_BOOLOP        op = T_AND / T_OR, a, b (left-associative pairs)
 *   A_CMP           list = operands (n+1), ops = n comparison tokens
 *                   (T_LT, T_IN, T_NOTIN, T_IS, T_ISNOT, ...)
 *   A_IFEXP         a = condition, b = value if true, c = value if false
 *   A_TUPLE A_LIST  list = elements
 *   A_DICT          list = keys, list2 = values
 *   A_LISTCOMP      a = element, b = target, c = iterable, d = condition or NULL
 *                   (a generator expression `(x for x in y)` is one too)
 *   A_DICTCOMP      a = key, e = value, b = target, c = iterable, d = condition or NULL
 *   A_LAMBDA        unsupported; parsed only to report it (list = A_PARAM, a = body)
 *
 *   S_EXPR          a = expression
 *   S_ASSIGN        list = targets (`a = b = v` has two), a = value,
 *                   str = type comment (`# type: int`) or NULL,
 *                   b = that comment parsed as an expression, or NULL
 *   S_ANNASSIGN     a = target, b = annotation, c = value or NULL
 *   S_AUGASSIGN     op = T_PLUS ... (the binary operator; T_AT for @=), a = target, b = value
 *   S_IF            a = condition, list = body, list2 = else body (an `elif`
 *                   is an else body holding one S_IF)
 *   S_WHILE         a = condition, list = body, list2 = else body (rejected later)
 *   S_FOR           a = target, b = iterable, list = body, list2 = else body
 *   S_RETURN        a = value or NULL
 *   S_BREAK S_CONTINUE S_PASS
 *   S_RAISE         a = exception or NULL, b = `from` cause or NULL
 *   S_ASSERT        a = test, b = message or NULL
 *   S_DEL           list = targets
 *   S_WITH          list = items (A_WITHITEM), list2 = body
 *   A_WITHITEM      a = context expression, b = `as` target or NULL
 *   S_DEF           str = name, list = parameters (A_PARAM), a = return
 *                   annotation or NULL, list2 = body, list3 = decorators,
 *                   str2 = `# type: (...) -> ...` comment or NULL; with it,
 *                   c = its parameter types (A_TUPLE), d = its return type
 *   A_PARAM         str = name, a = annotation or NULL, b = default or NULL,
 *                   flags: P_KWONLY (after `*`), P_VARARGS (`*args`),
 *                   P_KWARGS (`**kw`)
 *   S_CLASS         str = name, list = bases, list2 = body, list3 = decorators
 *                   (keyword bases like metaclass= are stored in names/list…
 *                   no: rejected by the parser)
 *   S_IMPORT        list = A_ALIAS
 *   S_IMPORTFROM    str = module (dotted, leading dots kept), list = A_ALIAS
 *   A_ALIAS         str = dotted name (or `*`), str2 = `as` name or NULL
 *   S_GLOBAL S_NONLOCAL  names (rejected later)
 *   A_MODULE        list = statements (the root)
 */
#ifndef CTS_COMPILER_AST_H
#define CTS_COMPILER_AST_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/error.h"
#include "source.h"

typedef enum ast_kind {
    A_NAME, A_INT, A_FLOAT, A_IMAG, A_STR, A_TRUE, A_FALSE, A_NONE, A_ELLIPSIS,
    A_ATTR, A_CALL, A_STARRED, A_SUBSCRIPT, A_SLICE, A_BINOP, A_UNOP, A_BOOLOP,
    A_CMP, A_IFEXP, A_TUPLE, A_LIST, A_DICT, A_LISTCOMP, A_DICTCOMP, A_LAMBDA,
    S_EXPR, S_ASSIGN, S_ANNASSIGN, S_AUGASSIGN, S_IF, S_WHILE, S_FOR, S_RETURN,
    S_BREAK, S_CONTINUE, S_PASS, S_RAISE, S_ASSERT, S_DEL, S_WITH, A_WITHITEM,
    S_DEF, A_PARAM, S_CLASS, S_IMPORT, S_IMPORTFROM, A_ALIAS, S_GLOBAL, S_NONLOCAL,
    A_MODULE,
    AST__COUNT
} ast_kind;

/* Tokens, also used as operator codes in the tree.  (Literal and None tokens
 * are T_INTLIT / T_FLOATLIT / T_NONEKW: T_INT, T_FLOAT and T_NONE are the
 * type singletons of value/type.h.) */
#define CTS_TOKENS(X)                                                                  \
    X(T_EOF, "end of file") X(T_NEWLINE, "newline") X(T_INDENT, "indent")              \
    X(T_DEDENT, "dedent") X(T_NAME, "identifier") X(T_INTLIT, "integer")                  \
    X(T_FLOATLIT, "float") X(T_IMAG, "imaginary") X(T_STRING, "string")                   \
    X(T_LPAREN, "(") X(T_RPAREN, ")") X(T_LBRACK, "[") X(T_RBRACK, "]")                \
    X(T_LBRACE, "{") X(T_RBRACE, "}") X(T_COMMA, ",") X(T_COLON, ":")                  \
    X(T_DOT, ".") X(T_SEMI, ";") X(T_AT, "@") X(T_ARROW, "->") X(T_ASSIGN, "=")        \
    X(T_PLUS, "+") X(T_MINUS, "-") X(T_STAR, "*") X(T_SLASH, "/")                      \
    X(T_DSLASH, "//") X(T_PERCENT, "%") X(T_POW, "**") X(T_MATMUL_UNUSED, "@@")        \
    X(T_AMP, "&") X(T_PIPE, "|") X(T_CARET, "^") X(T_TILDE, "~") X(T_LSHIFT, "<<")     \
    X(T_RSHIFT, ">>") X(T_LT, "<") X(T_GT, ">") X(T_LE, "<=") X(T_GE, ">=")            \
    X(T_EQ, "==") X(T_NE, "!=") X(T_PLUSEQ, "+=") X(T_MINUSEQ, "-=")                   \
    X(T_STAREQ, "*=") X(T_SLASHEQ, "/=") X(T_DSLASHEQ, "//=") X(T_PERCENTEQ, "%=")     \
    X(T_POWEQ, "**=") X(T_AMPEQ, "&=") X(T_PIPEEQ, "|=") X(T_CARETEQ, "^=")            \
    X(T_LSHIFTEQ, "<<=") X(T_RSHIFTEQ, ">>=") X(T_ATEQ, "@=") X(T_ELLIPSIS, "...")     \
    X(T_AND, "and") X(T_OR, "or") X(T_NOT, "not") X(T_IN, "in") X(T_NOTIN, "not in")   \
    X(T_IS, "is") X(T_ISNOT, "is not") X(T_IF, "if") X(T_ELIF, "elif")                 \
    X(T_ELSE, "else") X(T_WHILE, "while") X(T_FOR, "for") X(T_DEF, "def")              \
    X(T_CLASS, "class") X(T_RETURN, "return") X(T_PASS, "pass")                        \
    X(T_BREAK, "break") X(T_CONTINUE, "continue") X(T_RAISE, "raise")                  \
    X(T_ASSERT, "assert") X(T_DEL, "del") X(T_WITH, "with") X(T_AS, "as")              \
    X(T_IMPORT, "import") X(T_FROM, "from") X(T_GLOBAL, "global")                      \
    X(T_NONLOCAL, "nonlocal") X(T_LAMBDA, "lambda") X(T_TRUE, "True")                  \
    X(T_FALSE, "False") X(T_NONEKW, "None") X(T_YIELD, "yield") X(T_ASYNC, "async")      \
    X(T_AWAIT, "await") X(T_TRY, "try") X(T_EXCEPT, "except") X(T_FINALLY, "finally")

typedef enum cts_tok {
#define X(e, s) e,
    CTS_TOKENS(X)
#undef X
    T__COUNT
} cts_tok;

const char *cts_tok_name(cts_tok t);

enum { P_KWONLY = 1, P_VARARGS = 2, P_KWARGS = 4 };

typedef struct ast ast;
struct ast {
    ast_kind kind;
    int op;                 /* cts_tok */
    int flags;
    uint32_t start, end;    /* byte range in the source */
    const char *str;        /* NUL-terminated (A_STR may contain NULs: use slen) */
    size_t slen;
    const char *str2;
    int64_t ival;
    double fval;
    ast *a, *b, *c, *d, *e;
    ast **list;  int nlist;
    ast **list2; int nlist2;
    ast **list3; int nlist3;
    const char **names; int nnames;
    int *ops;    int nops;
};

/* Parses a whole file.  Returns the A_MODULE root (in arena) or NULL with
 * err set to a source-pointing message. */
ast *cts_parse(cts_arena *arena, const cts_source *src, cts_err *err);
/* Parses a single expression (used for type strings such as
 * "List[Tuple[int, str]]" found in pickles). */
ast *cts_parse_expr(cts_arena *arena, const cts_source *src, cts_err *err);

#endif
