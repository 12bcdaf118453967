/* test_parser.c - lexer, parser and AST dump of TorchScript source.
 *
 * Each case parses a small source and compares the S-expression dump
 * (ast_dump.h) or the error message.  Sources are copied into buffers of
 * exactly their length (no NUL) so that AddressSanitizer catches any read
 * past the end. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/ast.h"
#include "compiler/ast_dump.h"
#include "compiler/lexer.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "test.h"

/* ---- helpers ----------------------------------------------------------- */

typedef struct parsed {
    cts_arena arena;
    cts_source src;
    char *buf;
    ast *root;
    cts_err err;
    char *dump;
} parsed;

static void do_parse(parsed *r, const char *text, size_t len, int expr) {
    memset(r, 0, sizeof *r);
    cts_arena_init(&r->arena);
    r->buf = malloc(len ? len : 1);
    memcpy(r->buf, text, len);
    r->src.name = "test.py";
    r->src.text = r->buf;
    r->src.len = len;
    r->root = expr ? cts_parse_expr(&r->arena, &r->src, &r->err) : cts_parse(&r->arena, &r->src, &r->err);
    if (r->root) {
        cts_strbuf sb;
        cts_sb_init(&sb);
        if (!expr && r->root->kind == A_MODULE) {
            for (int i = 0; i < r->root->nlist; i++) {
                if (i) cts_sb_putc(&sb, ' ');
                cts_ast_dump(r->root->list[i], &sb);
            }
        } else {
            cts_ast_dump(r->root, &sb);
        }
        r->dump = cts_sb_take(&sb);
        if (!r->dump) r->dump = calloc(1, 1);
    }
}

static void done(parsed *r) {
    free(r->dump);
    free(r->buf);
    cts_arena_free(&r->arena);
}

static void check_dump(int line, int expr, const char *text, const char *want) {
    parsed r;
    do_parse(&r, text, strlen(text), expr);
    if (!r.root) {
        fprintf(stderr, "%s:%d: parse of\n%s\nfailed: %s\n", __FILE__, line, text, r.err.msg);
        test_failed_ = 1;
    } else if (strcmp(r.dump, want) != 0) {
        fprintf(stderr, "%s:%d: parse of\n%s\n  got:  %s\n  want: %s\n", __FILE__, line, text, r.dump, want);
        test_failed_ = 1;
    }
    done(&r);
}

/* The parse must fail with a message containing `want` and naming line `ln`
 * (ln = 0: any line). */
static void check_error(int line, int expr, const char *text, const char *want, int ln) {
    parsed r;
    do_parse(&r, text, strlen(text), expr);
    if (r.root) {
        fprintf(stderr, "%s:%d: parse of\n%s\nsucceeded, expected error \"%s\": %s\n", __FILE__, line, text, want,
                r.dump);
        test_failed_ = 1;
    } else {
        char where[32];
        snprintf(where, sizeof where, "line %d\n", ln);
        if (!strstr(r.err.msg, want) || (ln && !strstr(r.err.msg, where))) {
            fprintf(stderr, "%s:%d: parse of\n%s\nexpected error \"%s\" on line %d, got:\n%s\n", __FILE__, line, text,
                    want, ln, r.err.msg);
            test_failed_ = 1;
        }
    }
    done(&r);
}

#define CHECK_STMT(text, want) check_dump(__LINE__, 0, text, want)
#define CHECK_EXPR(text, want) check_dump(__LINE__, 1, text, want)
#define CHECK_ERR(text, want, ln) check_error(__LINE__, 0, text, want, ln)
#define CHECK_EXPR_ERR(text, want) check_error(__LINE__, 1, text, want, 1)

/* ---- expressions: precedence and associativity ---------------------------- */

TEST(test_parser_arithmetic_precedence) {
    CHECK_EXPR("1 + 2 * 3", "(+ 1 (* 2 3))");
    CHECK_EXPR("(1 + 2) * 3", "(* (+ 1 2) 3)");
    CHECK_EXPR("1 - 2 - 3", "(- (- 1 2) 3)");
    CHECK_EXPR("a / b // c % d @ e", "(@ (% (// (/ a b) c) d) e)");
    CHECK_EXPR("a | b ^ c & d << e + f * g", "(| a (^ b (& c (<< d (+ e (* f g))))))");
    CHECK_EXPR("a * b + c >> d & e ^ f | g", "(| (^ (& (>> (+ (* a b) c) d) e) f) g)");
    CHECK_EXPR("a << b >> c", "(>> (<< a b) c)");
    CHECK_EXPR("~x // 2", "(// (~ x) 2)");
    CHECK_EXPR("-x * -y", "(* (- x) (- y))");
    CHECK_EXPR("+x", "(+ x)");
    CHECK_EXPR("- - x", "(- (- x))");
}

TEST(test_parser_power_binds_tighter_than_unary) {
    CHECK_EXPR("-2 ** 2", "(- (** 2 2))");
    CHECK_EXPR("2 ** 3 ** 4", "(** 2 (** 3 4))");
    CHECK_EXPR("2 ** -1", "(** 2 (- 1))");
    CHECK_EXPR("-a.b ** -c[0]", "(- (** (. a b) (- ([] c 0))))");
    CHECK_EXPR("~x ** 2 * 3", "(* (~ (** x 2)) 3)");
}

TEST(test_parser_boolean_and_comparison) {
    CHECK_EXPR("not a == b", "(not (cmp a == b))");
    CHECK_EXPR("a and b or c and d", "(or (and a b) (and c d))");
    CHECK_EXPR("a or b or c", "(or (or a b) c)");
    CHECK_EXPR("a and not b", "(and a (not b))");
    CHECK_EXPR("not not x", "(not (not x))");
    CHECK_EXPR("a < b <= c != d", "(cmp a < b <= c != d)");
    CHECK_EXPR("a > b >= c == d", "(cmp a > b >= c == d)");
    CHECK_EXPR("a not in b", "(cmp a not in b)");
    CHECK_EXPR("a is not None", "(cmp a is not None)");
    CHECK_EXPR("a in b is c", "(cmp a in b is c)");
    CHECK_EXPR("a | b < c & d", "(cmp (| a b) < (& c d))");
    CHECK_EXPR("x == 1 or y", "(or (cmp x == 1) y)");
}

TEST(test_parser_conditional_and_lambda) {
    CHECK_EXPR("x if c else y", "(ifexp c x y)");
    CHECK_EXPR("x if c else y if d else z", "(ifexp c x (ifexp d y z))");
    CHECK_EXPR("a or b if c and d else e", "(ifexp (and c d) (or a b) e)");
    CHECK_EXPR("lambda x, y=1: x + y", "(lambda (x (y = 1)) (+ x y))");
    CHECK_EXPR("lambda: 0", "(lambda () 0)");
    CHECK_EXPR("a if b else lambda: c", "(ifexp b a (lambda () c))");
}

TEST(test_parser_primaries) {
    CHECK_EXPR("a.b.c", "(. (. a b) c)");
    CHECK_EXPR("f()", "(call f)");
    CHECK_EXPR("f(a, *b, c=1, d=2,)", "(call f a (* b) (= c 1) (= d 2))");
    CHECK_EXPR("f(*[a] if b else [], c=1, *d)", "(call f (* (ifexp b (list a) (list))) (* d) (= c 1))");
    CHECK_EXPR("(recv).method(a, b, )", "(call (. recv method) a b)");
    CHECK_EXPR("-x.y[0](1)", "(- (call ([] (. x y) 0) 1))");
    CHECK_EXPR("f(x)(y)[z].w", "(. ([] (call (call f x) y) z) w)");
    CHECK_EXPR("torch.add(x, y, alpha=1)", "(call (. torch add) x y (= alpha 1))");
    CHECK_EXPR("a[1:2, ::3, ..., None]", "([] a (: 1 2 _) (: _ _ 3) ... None)");
    CHECK_EXPR("a[:]", "([] a (: _ _ _))");
    CHECK_EXPR("a[::]", "([] a (: _ _ _))");
    CHECK_EXPR("a[1:]", "([] a (: 1 _ _))");
    CHECK_EXPR("a[:-1]", "([] a (: _ (- 1) _))");
    CHECK_EXPR("a[:, 0]", "([] a (: _ _ _) 0)");
    CHECK_EXPR("a[(1, 2)]", "([] a 1 2)");
    CHECK_EXPR("a[(1, 2),]", "([] a (tuple 1 2))");
    CHECK_EXPR("a[()]", "([] a (tuple))");
    CHECK_EXPR("Tuple[()]", "([] Tuple (tuple))");
    CHECK_EXPR("a[1,]", "([] a 1)");
    CHECK_EXPR("x[i][j]", "([] ([] x i) j)");
    CHECK_EXPR("List[Tuple[int, str]]", "([] List ([] Tuple int str))");
    CHECK_EXPR("getattr(self, \"0\")", "(call getattr self \"0\")");
}

TEST(test_parser_displays_and_comprehensions) {
    CHECK_EXPR("()", "(tuple)");
    CHECK_EXPR("(1,)", "(tuple 1)");
    CHECK_EXPR("(1)", "1");
    CHECK_EXPR("(1, 2, )", "(tuple 1 2)");
    CHECK_EXPR("1, 2", "(tuple 1 2)");
    CHECK_EXPR("[]", "(list)");
    CHECK_EXPR("[1, 2,]", "(list 1 2)");
    CHECK_EXPR("[*a, b]", "(list (* a) b)");
    CHECK_EXPR("{}", "(dict)");
    CHECK_EXPR("{'a': 1, \"b\": 2,}", "(dict \"a\" 1 \"b\" 2)");
    CHECK_EXPR("[x * 2 for x in xs]", "(listcomp (* x 2) (for x xs))");
    CHECK_EXPR("[x for x in xs if x > 0]", "(listcomp x (for x xs) (if (cmp x > 0)))");
    CHECK_EXPR("[a if c else b for a, b in zip(x, y)]",
               "(listcomp (ifexp c a b) (for (tuple a b) (call zip x y)))");
    CHECK_EXPR("{k: v for k, v in d.items()}", "(dictcomp k v (for (tuple k v) (call (. d items))))");
    CHECK_EXPR("{k: 1 for k in ks if k}", "(dictcomp k 1 (for k ks) (if k))");
    CHECK_EXPR("(x for x in y)", "(listcomp x (for x y))");
    CHECK_EXPR("sum(x for x in y)", "(call sum (listcomp x (for x y)))");
    CHECK_EXPR("annotate(List[int], [])", "(call annotate ([] List int) (list))");
    CHECK_EXPR("unchecked_cast(Tensor, y)", "(call unchecked_cast Tensor y)");
    CHECK_EXPR("uninitialized(int)", "(call uninitialized int)");
    CHECK_EXPR("ops.prim.RaiseException(\"x\", \"builtins.RuntimeError\")",
               "(call (. (. ops prim) RaiseException) \"x\" \"builtins.RuntimeError\")");
    CHECK_EXPR("CONSTANTS.c0", "(. CONSTANTS c0)");
    CHECK_EXPR("...", "...");
    CHECK_EXPR("True, False, None", "(tuple True False None)");
}

TEST(test_parser_implicit_joining_in_expressions) {
    CHECK_EXPR("f(a,\n  b)\n", "(call f a b)");
    CHECK_EXPR("  x  ", "x");
    CHECK_EXPR("[1,\n# comment\n 2]", "(list 1 2)");
}

/* ---- literals ------------------------------------------------------------- */

TEST(test_parser_numbers) {
    CHECK_EXPR("0", "0");
    CHECK_EXPR("00", "0");
    CHECK_EXPR("0_0", "0");
    CHECK_EXPR("42", "42");
    CHECK_EXPR("1_000_000", "1000000");
    CHECK_EXPR("0x_FF", "255");
    CHECK_EXPR("0XfF", "255");
    CHECK_EXPR("0o17", "15");
    CHECK_EXPR("0b1010", "10");
    CHECK_EXPR("0b_1_0", "2");
    CHECK_EXPR("9223372036854775807", "9223372036854775807");
    CHECK_EXPR("-9223372036854775808", "-9223372036854775808");
    CHECK_EXPR("0x7fffffffffffffff", "9223372036854775807");
    CHECK_EXPR("-1", "(- 1)");
    CHECK_EXPR("1.5e3", "1500.0");
    CHECK_EXPR("1.", "1.0");
    CHECK_EXPR(".5", "0.5");
    CHECK_EXPR("1e-5", "1e-05");
    CHECK_EXPR("1E+2", "100.0");
    CHECK_EXPR("1_0.2_5", "10.25");
    CHECK_EXPR("0.1", "0.1");
    CHECK_EXPR("1e400", "inf");
    CHECK_EXPR("0123.5", "123.5");
    CHECK_EXPR("0e0", "0.0");
    CHECK_EXPR("2j", "2.0j");
    CHECK_EXPR("1.5J", "1.5j");
    CHECK_EXPR("1.+2.j", "(+ 1.0 2.0j)");
    CHECK_EXPR("10000000000", "10000000000");
    CHECK_EXPR("1.0000000000000001e-05", "1e-05");
    CHECK_EXPR("0.10000000000000001", "0.1");
    CHECK_EXPR("0.33333333333333331", "0.3333333333333333");
    CHECK_EXPR("x.real", "(. x real)");
    CHECK_EXPR("1 .real", "(. 1 real)");
}

TEST(test_parser_number_errors) {
    CHECK_EXPR_ERR("0123", "leading zeros in decimal integer literals are not permitted");
    CHECK_EXPR_ERR("1__0", "invalid decimal literal");
    CHECK_EXPR_ERR("1_", "invalid decimal literal");
    CHECK_EXPR_ERR("1abc", "invalid decimal literal");
    CHECK_EXPR_ERR("1e", "invalid decimal literal");
    CHECK_EXPR_ERR("1e+", "invalid decimal literal");
    CHECK_EXPR_ERR("1._5", "invalid decimal literal");
    CHECK_EXPR_ERR("0x", "invalid hexadecimal literal");
    CHECK_EXPR_ERR("0xg", "invalid hexadecimal literal");
    CHECK_EXPR_ERR("0o8", "invalid digit '8' in octal literal");
    CHECK_EXPR_ERR("0b2", "invalid digit '2' in binary literal");
    CHECK_EXPR_ERR("0b", "invalid binary literal");
    CHECK_EXPR_ERR("9223372036854775808", "out of range for int64");
    CHECK_EXPR_ERR("99999999999999999999", "integer literal 99999999999999999999 is out of range for int64");
    CHECK_EXPR_ERR("0xffffffffffffffff", "out of range for int64");
    CHECK_EXPR_ERR("0x1ffffffffffffffff", "out of range for int64");
    CHECK_EXPR_ERR("x - 9223372036854775808", "out of range for int64");
    CHECK_EXPR_ERR("-9223372036854775808 ** 2", "out of range for int64");
    CHECK_EXPR_ERR("-(9223372036854775808)", "out of range for int64");
}

TEST(test_parser_strings) {
    CHECK_EXPR("'abc'", "\"abc\"");
    CHECK_EXPR("\"a'b\"", "\"a'b\"");
    CHECK_EXPR("'a' \"b\" '''c''' \"\"\"d\"\"\"", "\"abcd\"");
    CHECK_EXPR("'\\\\ \\' \\\" \\a \\b \\f \\n \\r \\t \\v'",
               "\"\\\\ ' \\\" \\x07 \\x08 \\x0c \\n \\x0d \\t \\x0b\"");
    CHECK_EXPR("'\\0\\01\\101\\1011'", "\"\\x00\\x01AA1\"");
    CHECK_EXPR("'\\777'", "\"\\xc7\\xbf\"");
    CHECK_EXPR("'\\x41\\xe9'", "\"A\\xc3\\xa9\"");
    CHECK_EXPR("'\\u00e9\\U0001F600'", "\"\\xc3\\xa9\\xf0\\x9f\\x98\\x80\"");
    CHECK_EXPR("'\\q'", "\"\\\\q\"");
    CHECK_EXPR("r'\\n\\''", "\"\\\\n\\\\'\"");
    CHECK_EXPR("R\"\\d+\"", "\"\\\\d+\"");
    CHECK_EXPR("u'x'", "\"x\"");
    CHECK_EXPR("'''a\nb'''", "\"a\\nb\"");
    CHECK_EXPR("'''a\r\nb'''", "\"a\\nb\"");
    CHECK_EXPR("'a\\\nb'", "\"ab\"");
    CHECK_EXPR("\"\"\"x\"y\"\"\"", "\"x\\\"y\"");
    CHECK_EXPR("''", "\"\"");
    CHECK_EXPR("'\xc3\xbcn\xc3\xaf'", "\"\\xc3\\xbcn\\xc3\\xaf\"");
    CHECK_EXPR("'a\\x00b'", "\"a\\x00b\"");
}

TEST(test_parser_string_errors) {
    CHECK_EXPR_ERR("'\\N{BULLET}'", "\\N{...} escapes");
    CHECK_EXPR_ERR("'\\x4'", "invalid \\x escape: expected 2 hex digits");
    CHECK_EXPR_ERR("'\\u12'", "invalid \\u escape");
    CHECK_EXPR_ERR("'\\U00110000'", "not a Unicode character");
    CHECK_EXPR_ERR("'\\ud800'", "surrogate");
    CHECK_EXPR_ERR("b'x'", "bytes literals aren't supported");
    CHECK_EXPR_ERR("'abc", "unterminated string literal (detected at line 1)");
    CHECK_EXPR_ERR("'abc\\'", "unterminated string literal");
    CHECK_ERR("x = 'abc\ny = 2\n", "unterminated string literal (detected at line 1)", 1);
    CHECK_ERR("x = '''abc\ny = 2\n", "unterminated triple-quoted string literal (detected at line 3)", 1);
}

TEST(test_parser_fstrings) {
    CHECK_EXPR("f\"a{x}b{y + 1}c\"", "(call (. \"a{}b{}c\" format) x (+ y 1))");
    CHECK_EXPR("\"p\" f'{x}' \"q\"", "(call (. \"p{}q\" format) x)");
    CHECK_EXPR("f'no fields'", "(call (. \"no fields\" format))");
    CHECK_EXPR("f'{{}}'", "(call (. \"{}\" format))");
    CHECK_EXPR("f'{{{x}}}'", "(call (. \"{{}}\" format) x)");
    CHECK_EXPR("f\"{d['a']}\"", "(call (. \"{}\" format) ([] d \"a\"))");
    CHECK_EXPR("f'{a == b}{a != b}{a <= b}'", "(call (. \"{}{}{}\" format) (cmp a == b) (cmp a != b) (cmp a <= b))");
    CHECK_EXPR("f'{ {1: 2}[1] }'", "(call (. \"{}\" format) ([] (dict 1 2) 1))");
    CHECK_EXPR("f\"{f'{x}'}\"", "(call (. \"{}\" format) (call (. \"{}\" format) x))");
    CHECK_EXPR("rf'\\n{x}'", "(call (. \"\\\\n{}\" format) x)");
    CHECK_EXPR("f'\\t{x}'", "(call (. \"\\t{}\" format) x)");
    CHECK_EXPR("F'{x, y}'", "(call (. \"{}\" format) (tuple x y))");
    CHECK_EXPR("f'''{\nx\n}'''", "(call (. \"{}\" format) x)");
    CHECK_EXPR_ERR("f'{x!r}'", "Don't support conversion in JoinedStr");
    CHECK_EXPR_ERR("f'{x:>3}'", "Don't support formatting in JoinedStr");
    CHECK_EXPR_ERR("f'{x=}'", "Don't support conversion in JoinedStr");
    CHECK_EXPR_ERR("f'{}'", "f-string: empty expression not allowed");
    CHECK_EXPR_ERR("f'{ }'", "f-string: empty expression not allowed");
    CHECK_EXPR_ERR("f'}'", "f-string: single '}' is not allowed");
    CHECK_EXPR_ERR("f'{x'", "f-string: expecting '}'");
    CHECK_EXPR_ERR("f'{x)}'", "f-string: unmatched ')'");
    CHECK_EXPR_ERR("f'{a b}'", "expected '}'");
    CHECK_EXPR_ERR("f'{\\'a\\'}'", "backslash");
    CHECK_EXPR_ERR("f'{x # c}'", "'#'");
    CHECK_EXPR_ERR("f'\\N{DASH}{x}'", "\\N{...} escapes");
    CHECK_EXPR_ERR("f'{x +}'", "expected an expression");
}

/* ---- statements ------------------------------------------------------------ */

TEST(test_parser_assignments) {
    CHECK_STMT("x = 1\n", "(= x 1)");
    CHECK_STMT("a = b = c\n", "(= a b c)");
    CHECK_STMT("a, b, = t\n", "(= (tuple a b) t)");
    CHECK_STMT("a, b = b, a\n", "(= (tuple a b) (tuple b a))");
    CHECK_STMT("[a, b] = t\n", "(= (list a b) t)");
    CHECK_STMT("(a, (b, c)) = t\n", "(= (tuple a (tuple b c)) t)");
    CHECK_STMT("*a, b = c\n", "(= (tuple (* a) b) c)");
    CHECK_STMT("x = *a, b\n", "(= x (tuple (* a) b))");
    CHECK_STMT("self.count = v\n", "(= (. self count) v)");
    CHECK_STMT("x[0] = 1\n", "(= ([] x 0) 1)");
    CHECK_STMT("__annotations__[\"0\"] = __torch__.torch.nn.modules.linear.Linear\n",
               "(= ([] __annotations__ \"0\") (. (. (. (. (. __torch__ torch) nn) modules) linear) Linear))");
    CHECK_STMT("x : Tensor\n", "(ann x Tensor)");
    CHECK_STMT("x: int = 3\n", "(ann x int 3)");
    CHECK_STMT("CONST : Final[int] = 7\n", "(ann CONST ([] Final int) 7)");
    CHECK_STMT("out: Optional[int] = None\n", "(ann out ([] Optional int) None)");
    CHECK_STMT("self.x: List[int] = []\n", "(ann (. self x) ([] List int) (list))");
    CHECK_STMT("x += 1\n", "(+= x 1)");
    CHECK_STMT("x -= 1\nx *= 2\nx /= 2\nx //= 2\nx %= 2\nx **= 2\n",
               "(-= x 1) (*= x 2) (/= x 2) (//= x 2) (%= x 2) (**= x 2)");
    CHECK_STMT("x &= 1\nx |= 1\nx ^= 1\nx <<= 1\nx >>= 1\nx @= m\n",
               "(&= x 1) (|= x 1) (^= x 1) (<<= x 1) (>>= x 1) (@= x m)");
    CHECK_STMT("x[i] += 1\n", "(+= ([] x i) 1)");
    CHECK_STMT("x = 1; y = 2;\n", "(= x 1) (= y 2)");
    CHECK_STMT("x = 1", "(= x 1)");
    CHECK_STMT("op_version_set = 1\n", "(= op_version_set 1)");
}

TEST(test_parser_simple_statements) {
    CHECK_STMT("pass\n", "(pass)");
    CHECK_STMT("return\n", "(return)");
    CHECK_STMT("return x, y\n", "(return (tuple x y))");
    CHECK_STMT("return (z1, __torch__.Point(1., z1))\n",
               "(return (tuple z1 (call (. __torch__ Point) 1.0 z1)))");
    CHECK_STMT("raise\n", "(raise)");
    CHECK_STMT("raise ValueError('x') from e\n", "(raise (call ValueError \"x\") (from e))");
    CHECK_STMT("assert x\n", "(assert x)");
    CHECK_STMT("assert x, 'msg'\n", "(assert x \"msg\")");
    CHECK_STMT("del a[0], b\n", "(del ([] a 0) b)");
    CHECK_STMT("del a,\n", "(del a)");
    CHECK_STMT("import torch\n", "(import torch)");
    CHECK_STMT("import a.b as c, d\n", "(import (as a.b c) d)");
    CHECK_STMT("from . import x\n", "(from . x)");
    CHECK_STMT("from ..m.n import (a as b, c,)\n", "(from ..m.n (as a b) c)");
    CHECK_STMT("from ...x import y\n", "(from ...x y)");
    CHECK_STMT("from .... import y\n", "(from .... y)");
    CHECK_STMT("from m import *\n", "(from m *)");
    CHECK_STMT("from typing import List, Optional\n", "(from typing List Optional)");
    CHECK_STMT("global a, b\nnonlocal c\n", "(global a b) (nonlocal c)");
    CHECK_STMT("print(x)\n", "(expr (call print x))");
    CHECK_STMT("...\n", "(expr ...)");
    CHECK_STMT("f = lambda x: x\n", "(= f (lambda (x) x))");
}

TEST(test_parser_compound_statements) {
    CHECK_STMT("if x: return y\n", "(if x {(return y)})");
    CHECK_STMT("if x: a = 1; b = 2\n", "(if x {(= a 1) (= b 2)})");
    CHECK_STMT("if a:\n  pass\nelif b:\n  x = 1\nelse:\n  x = 2\n",
               "(if a {(pass)} {(if b {(= x 1)} {(= x 2)})})");
    CHECK_STMT("if a:\n  pass\nelif b:\n  pass\nelif c:\n  pass\n",
               "(if a {(pass)} {(if b {(pass)} {(if c {(pass)})})})");
    CHECK_STMT("if c:\n  pass\nelse:\n  ops.prim.RaiseException(\"AssertionError: m\")\n",
               "(if c {(pass)} {(expr (call (. (. ops prim) RaiseException) \"AssertionError: m\"))})");
    CHECK_STMT("while x:\n  x -= 1\n  if x: break\n  continue\n",
               "(while x {(-= x 1) (if x {(break)}) (continue)})");
    CHECK_STMT("while x:\n  pass\nelse:\n  pass\n", "(while x {(pass)} {(pass)})");
    CHECK_STMT("for i in range(4):\n  _8 = torch.append(lst, torch.mul(i, 2))\n",
               "(for i (call range 4) {(= _8 (call (. torch append) lst (call (. torch mul) i 2)))})");
    CHECK_STMT("for i, (a, b) in enumerate(xs):\n  pass\nelse:\n  pass\n",
               "(for (tuple i (tuple a b)) (call enumerate xs) {(pass)} {(pass)})");
    CHECK_STMT("for x in 1, 2:\n  pass\n", "(for x (tuple 1 2) {(pass)})");
    CHECK_STMT("for x, in y: pass\n", "(for (tuple x) y {(pass)})");
    CHECK_STMT("with a as b, c:\n  pass\n", "(with (item a b) (item c) {(pass)})");
    CHECK_STMT("with torch.no_grad(): y = x\n", "(with (item (call (. torch no_grad))) {(= y x)})");
    CHECK_STMT("if a:\n  if b:\n    pass\n  x = 1\ny = 2\n", "(if a {(if b {(pass)}) (= x 1)}) (= y 2)");
    CHECK_STMT("if a:\n    pass\n\n\n    # comment\n    x = 1\n", "(if a {(pass) (= x 1)})");
}

TEST(test_parser_defs_and_classes) {
    CHECK_STMT("def f(self, x: int, y: float = 1., *args, z, **kw) -> int:\n  return x\n",
               "(def f (self (x : int) (y : float = 1.0) *args (z kwonly) **kw) -> int {(return x)})");
    CHECK_STMT("def g(a, *, b=2, c: int):\n  pass\n", "(def g (a (b = 2 kwonly) (c : int kwonly)) {(pass)})");
    CHECK_STMT("def h(*args: int): pass\n", "(def h ((*args : int)) {(pass)})");
    CHECK_STMT("def f(): pass\n", "(def f () {(pass)})");
    CHECK_STMT("@torch.jit.script\ndef f(x):\n  return x\n",
               "(def f (x) (@ (. (. torch jit) script)) {(return x)})");
    CHECK_STMT("@a\n@b.c(1)\ndef f(): pass\n", "(def f () (@ a) (@ (call (. b c) 1)) {(pass)})");
    CHECK_STMT("def f():\n  \"\"\"doc\"\"\"\n  return 1\n", "(def f () {(expr \"doc\") (return 1)})");
    CHECK_STMT("def forward(self: __torch__.Big,\n    x: Tensor,\n    y: Optional[Tensor]=None,\n"
               "    scale: float=1.) -> Tuple[Tensor, __torch__.Point]:\n    return x\n",
               "(def forward ((self : (. __torch__ Big)) (x : Tensor) (y : ([] Optional Tensor) = None) "
               "(scale : float = 1.0)) -> ([] Tuple Tensor (. __torch__ Point)) {(return x)})");
    CHECK_STMT("class A(torch.nn.Module):\n  def forward(self):\n    pass\n",
               "(class A ((. (. torch nn) Module)) {(def forward (self) {(pass)})})");
    CHECK_STMT("class B: pass\n", "(class B () {(pass)})");
    CHECK_STMT("class C():\n  x : int\n", "(class C () {(ann x int)})");
    CHECK_STMT("@torch.jit.script\nclass P(A, B):\n  @torch.jit.export\n  def m(self) -> int:\n    return 1\n",
               "(class P (A B) (@ (. (. torch jit) script)) {(def m (self) -> int (@ (. (. torch jit) export)) "
               "{(return 1)})})");
    CHECK_STMT("def outer():\n  def inner(x):\n    return x\n  return inner(1)\n",
               "(def outer () {(def inner (x) {(return x)}) (return (call inner 1))})");
}

TEST(test_parser_type_comments) {
    parsed r;
    const char *src = "def f(x, y):\n    # type: (int, Tensor) -> Tensor\n    return y\n";
    do_parse(&r, src, strlen(src), 0);
    CHECK(r.root != NULL);
    if (r.root) {
        CHECK_STR(r.dump, "(def f (x y) (type (tuple int Tensor) Tensor) {(return y)})");
        CHECK_STR(r.root->list[0]->str2, "(int, Tensor) -> Tensor");
    }
    done(&r);
    CHECK_STMT("def f(x):  # type: (int) -> int\n  return x\n", "(def f (x) (type (tuple int) int) {(return x)})");
    CHECK_STMT("def f(x):\n    # type: (List[int]) -> Optional[int]\n    pass\n",
               "(def f (x) (type (tuple ([] List int)) ([] Optional int)) {(pass)})");
    CHECK_STMT("def f():\n    # type: () -> None\n    pass\n", "(def f () (type (tuple) None) {(pass)})");
    /* PEP 484's one comment per parameter */
    src = "def f(a,  # type: int\n      b,  # type: float\n      ):\n    # type: (...) -> int\n    return a\n";
    do_parse(&r, src, strlen(src), 0);
    CHECK(r.root != NULL);
    if (r.root) {
        CHECK_STR(r.dump, "(def f (a b) (type (tuple int float) int) {(return a)})");
        CHECK_STR(r.root->list[0]->str2, "(int, float) -> int");
    }
    done(&r);
    /* an assignment's type comment */
    src = "x = []  # type: List[int]\n";
    do_parse(&r, src, strlen(src), 0);
    CHECK(r.root != NULL);
    if (r.root) {
        CHECK_STR(r.dump, "(= x (list) (type ([] List int)))");
        CHECK_STR(r.root->list[0]->str, "List[int]");
    }
    done(&r);
    CHECK_STMT("x = []  # type: ignore\n", "(= x (list))");
    CHECK_STMT("x = []  # type: ignore[assignment]\n", "(= x (list))");
    CHECK_STMT("x = f()  # comment\n", "(= x (call f))");
    CHECK_STMT("def f(x):\n    return x  # type: int\n", "(def f (x) {(return x)})");
    /* a nested def's comment is its own */
    CHECK_STMT("def f():\n    def g(x):\n        # type: (int) -> int\n        return x\n    return 1\n",
               "(def f () {(def g (x) (type (tuple int) int) {(return x)}) (return 1)})");
    CHECK_ERR("def f(x):\n    # type: (int) int\n    return x\n", "expected '->'", 2);
    CHECK_ERR("def f(a,  # type: int\n      b):  # type: int\n    return a\n",
              "Return type line '# type: (...) -> ...' not found", 1);
    CHECK_ERR("x = 1  # type: List[\n", "was never closed", 1);
}

TEST(test_parser_layout) {
    /* tabs, as Python: a tab goes to the next multiple of 8 */
    CHECK_STMT("if x:\n\tif y:\n\t\tpass\n\telse:\n\t\tpass\n", "(if x {(if y {(pass)} {(pass)})})");
    CHECK_STMT("if x:\n\ta = 1\n\tb = 2\n", "(if x {(= a 1) (= b 2)})");
    CHECK_STMT("x = 1 + \\\n  2\n", "(= x (+ 1 2))");
    CHECK_STMT("x = (1 +\n     2)\n", "(= x (+ 1 2))");
    CHECK_STMT("x = [1,\n\n  # c\n      2]\n", "(= x (list 1 2))");
    CHECK_STMT("\n\n# c\n   \n\t\nx = 1\n\n", "(= x 1)");
    CHECK_STMT("x = 1\r\ny = 2\r\n", "(= x 1) (= y 2)");
    CHECK_STMT("if x:\r\n  pass\r\n", "(if x {(pass)})");
    CHECK_STMT("\xEF\xBB\xBFx = 1\n", "(= x 1)");
    CHECK_STMT("", "");
    CHECK_STMT("# only a comment", "");
    CHECK_STMT("if x:\n  pass\n  ", "(if x {(pass)})");
    CHECK_STMT("if x:\n  pass\n# c\n  # d\ny = 1\n", "(if x {(pass)}) (= y 1)");
    CHECK_STMT("if x:\n  if y:\n    pass", "(if x {(if y {(pass)})})");
    CHECK_STMT("caf\xc3\xa9 = 1\n", "(= caf\xc3\xa9 1)");
    CHECK_STMT("x = 1 \f\n", "(= x 1)");
}

/* ---- archive code (torchscript-format.md 3.6) ---------------------------------- */

static const char archive_big[] =
    "op_version_set = 1\n"
    "import __torch__.torch.nn.modules.linear\n"
    "class Big(Module):\n"
    "  __parameters__ = [\"p\", \"shared\", ]\n"
    "  __buffers__ = []\n"
    "  __forward_pre_hooks__ = [\"hook_name\", ]\n"
    "  p : Tensor\n"
    "  training : bool\n"
    "  color : __torch__.Color\n"
    "  counts : Dict[str, int]\n"
    "  opt : NoneType\n"
    "  CONST : Final[int] = 7\n"
    "  def forward(self: __torch__.Big,\n"
    "    x: Tensor,\n"
    "    y: Optional[Tensor]=None,\n"
    "    scale: float=1.) -> Tuple[Tensor, __torch__.Point]:\n"
    "    x3 = x\n"
    "    if torch.__isnot__(y, None):\n"
    "      y0 = unchecked_cast(Tensor, y)\n"
    "      x4 = torch.add(x3, y0)\n"
    "    else:\n"
    "      x4 = torch.sub(x3, 1.5)\n"
    "    if torch.eq(torch.dim(x4), 2):\n"
    "      pass\n"
    "    else:\n"
    "      ops.prim.RaiseException(\"AssertionError: bad dim\")\n"
    "    _2 = torch.gt(torch.sum(x4), 10000000000)\n"
    "    if bool(_2):\n"
    "      _3 = torch.add(\"too big: \", str(torch.size(x4)))\n"
    "      ops.prim.RaiseException(_3, \"builtins.RuntimeError\")\n"
    "    else:\n"
    "      pass\n"
    "    c = __torch__.Counter.__new__(__torch__.Counter)\n"
    "    _4 = (c).__init__(3, )\n"
    "    n = (c).inc(2, )\n"
    "    t = torch.tensor([1., 2., 3.])\n"
    "    ...\n"
    "    _6 = __torch__.helper(ilist, {\"k\": 2.5}, \"ab\", )\n"
    "    tot, s, = _6\n"
    "    color = self.color\n"
    "    _7 = torch.eq(color, __torch__.Color.RED)\n"
    "    lst = annotate(List[int], [])\n"
    "    for i in range(4):\n"
    "      _8 = torch.append(lst, torch.mul(i, 2))\n"
    "    z1 = torch.zeros([2], dtype=None, layout=None, device=torch.device(\"cpu\"))\n"
    "    return (z1, __torch__.Point(1., z1))\n"
    "class Color(Enum):\n"
    "  RED = 1\n"
    "  GREEN = 2\n"
    "class OneArg(ModuleInterface):\n"
    "  def forward(self, x: Tensor) -> Tensor:\n"
    "    pass\n"
    "class Point(NamedTuple):\n"
    "  x : float\n"
    "  y : Tensor\n"
    "def helper(xs: List[int],\n"
    "    d: Dict[str, float],\n"
    "    s: str) -> Tuple[int, str]:\n"
    "  _8 = torch.len(xs)\n"
    "  total = 0\n"
    "  _9 = 0\n"
    "  _10 = torch.gt(_8, 0)\n"
    "  while _10:\n"
    "    _11 = torch.eq(torch.remainder(xs[_9], 2), 0)\n"
    "    if _11:\n"
    "      _12 = torch.add(total, xs[_9])\n"
    "    else:\n"
    "      _12 = total\n"
    "    _13 = torch.add(_9, 1)\n"
    "    _14 = torch.__and__(torch.lt(_13, _8), True)\n"
    "    _10, total, _9 = _14, _12, _13\n"
    "  _16 = torch.items(d)\n"
    "  total0 = total\n"
    "  for _17 in range(torch.len(_16)):\n"
    "    k, v, = _16[_17]\n"
    "    total0 = torch.add(total0, int(v))\n"
    "  s2 = torch.add(s, CONSTANTS.c0)\n"
    "  return (total0, torch.upper(s2))\n"
    "class Counter:\n"
    "  count : int\n"
    "  names : List[str]\n"
    "  def __init__(self: __torch__.Counter,\n"
    "    start: int) -> NoneType:\n"
    "    self.count = start\n"
    "    self.names = annotate(List[str], [])\n"
    "    return None\n";

static const char archive_container[] =
    "class Sequential(Module):\n"
    "  __parameters__ = []\n"
    "  __buffers__ = []\n"
    "  training : bool\n"
    "  _is_full_backward_hook : NoneType\n"
    "  __annotations__[\"0\"] = __torch__.torch.nn.modules.linear.___torch_mangle_0.Linear\n"
    "  __annotations__[\"1\"] = __torch__.torch.nn.modules.activation.Tanh\n"
    "  def forward(self: __torch__.torch.nn.modules.container.Sequential,\n"
    "    input: Tensor) -> Tensor:\n"
    "    _0 = getattr(self, \"0\")\n"
    "    _1 = getattr(self, \"1\")\n"
    "    input0 = (_0).forward(input, )\n"
    "    return (_1).forward(input0, )\n"
    "  def __len__(self: __torch__.torch.nn.modules.container.Sequential) -> int:\n"
    "    return 2\n";

static const char archive_union[] =
    "def h(x: Union[Tensor, int, str],\n"
    "    xs: List[int],\n"
    "    d: Dict[str, int]) -> int:\n"
    "  _0 = uninitialized(int)\n"
    "  _1 = isinstance(x, int)\n"
    "  if _1:\n"
    "    x0 = unchecked_cast(int, x)\n"
    "    _2, _3 = True, torch.add(x0, 1)\n"
    "  else:\n"
    "    x1 = unchecked_cast(Union[Tensor, str], x)\n"
    "    if isinstance(x1, (int, str)):\n"
    "      print(\"str\", x1)\n"
    "      if torch.__contains__(d, \"a\"):\n"
    "        _7, _8 = True, d[\"a\"]\n"
    "      else:\n"
    "        _7, _8 = False, _0\n"
    "    else:\n"
    "      _7, _8 = False, _0\n"
    "    _2, _3 = _7, _8\n"
    "  out: Optional[int] = None\n"
    "  _16 = torch.keys(d)\n"
    "  for _17 in range(torch.len(_16)):\n"
    "    k = _16[_17]\n"
    "    out = d[k]\n"
    "  s = torch.format(\"{}-x\", _3)\n"
    "  return torch.len(s)\n";

static const char archive_traced[] =
    "class Net(Module):\n"
    "  __parameters__ = []\n"
    "  __buffers__ = []\n"
    "  training : bool\n"
    "  _is_full_backward_hook : Optional[bool]\n"
    "  conv : __torch__.torch.nn.modules.conv.Conv2d\n"
    "  lin : __torch__.torch.nn.modules.linear.Linear\n"
    "  def forward(self: __torch__.Net,\n"
    "    x: Tensor) -> Tensor:\n"
    "    lin = self.lin\n"
    "    conv = self.conv\n"
    "    y = torch.relu((conv).forward(x, ))\n"
    "    input = torch.flatten(y, 1)\n"
    "    _0 = torch.mul((lin).forward(input, ), CONSTANTS.c0)\n"
    "    _1 = torch._convolution(x, CONSTANTS.c1, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1, False, False, "
    "True, True)\n"
    "    _2 = torch.add(\"a\\001b\\015\", \"\\\\\")\n"
    "    _3 = torch.neg(-9223372036854775808)\n"
    "    return torch.add(_0, CONSTANTS.c1)\n";

static ast *find_def(ast *const *v, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if ((v[i]->kind == S_DEF || v[i]->kind == S_CLASS) && strcmp(v[i]->str, name) == 0) return v[i];
    return NULL;
}

TEST(test_parser_reads_archive_code) {
    parsed r;
    do_parse(&r, archive_big, strlen(archive_big), 0);
    if (!r.root) fprintf(stderr, "%s\n", r.err.msg);
    CHECK(r.root != NULL);
    if (r.root) {
        CHECK_EQ_INT(r.root->nlist, 8);
        CHECK_EQ_INT(r.root->list[0]->kind, S_ASSIGN);
        CHECK_EQ_INT(r.root->list[1]->kind, S_IMPORT);
        ast *big = find_def(r.root->list, r.root->nlist, "Big");
        CHECK(big != NULL);
        if (big) {
            CHECK_EQ_INT(big->nlist, 1);
            ast *fwd = find_def(big->list2, big->nlist2, "forward");
            CHECK(fwd != NULL);
            if (fwd) {
                CHECK_EQ_INT(fwd->nlist, 4);
                cts_strbuf sb;
                cts_sb_init(&sb);
                cts_ast_dump(big->list2[0], &sb);
                cts_sb_puts(&sb, " | ");
                cts_ast_dump(big->list2[8], &sb);
                cts_sb_puts(&sb, " | ");
                for (int i = 0; i < fwd->nlist2; i++) {
                    const ast *s = fwd->list2[i];
                    if (s->kind == S_ASSIGN && s->nlist == 1 && s->list[0]->kind == A_TUPLE) {
                        cts_ast_dump(s, &sb);
                        cts_sb_puts(&sb, " | ");
                    }
                    if (s->kind == S_ASSIGN && s->a->kind == A_CALL && s->a->a->kind == A_ATTR &&
                        strcmp(s->a->a->str, "__init__") == 0)
                        cts_ast_dump(s, &sb);
                }
                CHECK_STR(cts_sb_str(&sb),
                          "(= __parameters__ (list \"p\" \"shared\")) | (ann CONST ([] Final int) 7) | "
                          "(= _4 (call (. c __init__) 3))(= (tuple tot s) _6) | ");
                cts_sb_free(&sb);
            }
        }
    }
    done(&r);

    do_parse(&r, archive_container, strlen(archive_container), 0);
    if (!r.root) fprintf(stderr, "%s\n", r.err.msg);
    CHECK(r.root != NULL);
    if (r.root) {
        ast *cls = r.root->list[0];
        CHECK_EQ_INT(cls->nlist2, 8);
        cts_strbuf sb;
        cts_sb_init(&sb);
        cts_ast_dump(cls->list2[4], &sb);
        CHECK_STR(cts_sb_str(&sb), "(= ([] __annotations__ \"0\") (. (. (. (. (. (. __torch__ torch) nn) modules) "
                                   "linear) ___torch_mangle_0) Linear))");
        cts_sb_free(&sb);
    }
    done(&r);

    do_parse(&r, archive_union, strlen(archive_union), 0);
    if (!r.root) fprintf(stderr, "%s\n", r.err.msg);
    CHECK(r.root != NULL);
    done(&r);

    do_parse(&r, archive_traced, strlen(archive_traced), 0);
    if (!r.root) fprintf(stderr, "%s\n", r.err.msg);
    CHECK(r.root != NULL);
    if (r.root) {
        ast *fwd = find_def(r.root->list[0]->list2, r.root->list[0]->nlist2, "forward");
        CHECK(fwd != NULL);
        if (!fwd) {
            done(&r);
            return;
        }
        cts_strbuf sb;
        cts_sb_init(&sb);
        cts_ast_dump(fwd->list2[5], &sb);
        cts_sb_putc(&sb, ' ');
        cts_ast_dump(fwd->list2[6], &sb);
        cts_sb_putc(&sb, ' ');
        cts_ast_dump(fwd->list2[7], &sb);
        CHECK_STR(cts_sb_str(&sb),
                  "(= _1 (call (. torch _convolution) x (. CONSTANTS c1) None (list 1 1) (list 0 0) (list 1 1) False "
                  "(list 0 0) 1 False False True True)) (= _2 (call (. torch add) \"a\\x01b\\x0d\" \"\\\\\")) "
                  "(= _3 (call (. torch neg) -9223372036854775808))");
        cts_sb_free(&sb);
    }
    done(&r);
}

/* ---- user-file TorchScript ---------------------------------------------------- */

static const char user_file[] =
    "import torch\n"
    "from typing import List, Dict, Optional, Tuple\n"
    "\n"
    "\n"
    "@torch.jit.script\n"
    "def foo(x: torch.Tensor, n: int = 2) -> torch.Tensor:\n"
    "    \"\"\"Doubles x n times.\"\"\"\n"
    "    for _ in range(n):\n"
    "        x = x * 2\n"
    "    return x\n"
    "\n"
    "\n"
    "class MyModule(torch.nn.Module):\n"
    "    __constants__ = ['k']\n"
    "\n"
    "    def __init__(self, k: int):\n"
    "        super().__init__()\n"
    "        self.k = k\n"
    "        self.lin = torch.nn.Linear(4, 4)\n"
    "\n"
    "    @torch.jit.export\n"
    "    def helper(self, xs: List[int]) -> Dict[str, int]:\n"
    "        d: Dict[str, int] = {}\n"
    "        for i, v in enumerate(xs):\n"
    "            if v % 2 == 0 and not v < 0:\n"
    "                d[str(i)] = v ** 2\n"
    "            elif v is None or v in [1, 3]:\n"
    "                continue\n"
    "            else:\n"
    "                break\n"
    "        return d\n"
    "\n"
    "    def forward(self, x, y: Optional[torch.Tensor] = None):\n"
    "        # type: (Tensor, Optional[Tensor]) -> Tensor\n"
    "        if y is not None:\n"
    "            x = x + y\n"
    "        z = [t * 2 for t in x.unbind(0) if t.sum() > 0]\n"
    "        assert len(z) >= 0, f\"bad {len(z)}\"\n"
    "        with torch.no_grad():\n"
    "            w = self.lin(x)\n"
    "        a, b = w.chunk(2, dim=-1)\n"
    "        x += a @ b.t() if self.k > 1 else -a\n"
    "        return torch.relu(x)[..., :2]\n";

TEST(test_parser_reads_user_files) {
    parsed r;
    do_parse(&r, user_file, strlen(user_file), 0);
    if (!r.root) fprintf(stderr, "%s\n", r.err.msg);
    CHECK(r.root != NULL);
    if (r.root) {
        CHECK_EQ_INT(r.root->nlist, 4);
        ast *cls = r.root->list[3];
        CHECK_EQ_INT(cls->kind, S_CLASS);
        ast *fwd = find_def(cls->list2, cls->nlist2, "forward");
        CHECK(fwd != NULL);
        if (fwd) {
            CHECK_STR(fwd->str2, "(Tensor, Optional[Tensor]) -> Tensor");
            cts_strbuf sb;
            cts_sb_init(&sb);
            for (int i = 1; i < fwd->nlist2; i++) {
                cts_ast_dump(fwd->list2[i], &sb);
                cts_sb_putc(&sb, '\n');
            }
            CHECK_STR(cts_sb_str(&sb),
                      "(= z (listcomp (* t 2) (for t (call (. x unbind) 0)) (if (cmp (call (. t sum)) > 0))))\n"
                      "(assert (cmp (call len z) >= 0) (call (. \"bad {}\" format) (call len z)))\n"
                      "(with (item (call (. torch no_grad))) {(= w (call (. self lin) x))})\n"
                      "(= (tuple a b) (call (. w chunk) 2 (= dim (- 1))))\n"
                      "(+= x (ifexp (cmp (. self k) > 1) (@ a (call (. b t))) (- a)))\n"
                      "(return ([] (call (. torch relu) x) ... (: _ 2 _)))\n");
            cts_sb_free(&sb);
        }
    }
    done(&r);
}

/* ---- positions ---------------------------------------------------------------- */

TEST(test_parser_positions) {
    parsed r;
    const char *src = "x = foo(a, b)\nif y:\n    return -z ** 2\n";
    do_parse(&r, src, strlen(src), 0);
    CHECK(r.root != NULL);
    if (r.root) {
        ast *as = r.root->list[0];
        CHECK_EQ_INT(as->start, 0);
        CHECK_EQ_INT(as->end, 13);
        CHECK_EQ_INT(as->a->start, 4);
        CHECK_EQ_INT(as->a->end, 13);
        CHECK_EQ_INT(as->a->a->start, 4);
        CHECK_EQ_INT(as->a->a->end, 7);
        ast *iff = r.root->list[1];
        CHECK_EQ_INT(iff->start, 14);
        CHECK_EQ_INT(iff->end, (int)strlen(src) - 1);
        ast *ret = iff->list[0];
        CHECK_EQ_INT(ret->start, 24);
        CHECK_EQ_INT(ret->a->kind, A_UNOP);
        CHECK_EQ_INT(ret->a->start, 31);
        CHECK_EQ_INT(ret->a->a->start, 32);
        CHECK_EQ_INT(ret->a->a->end, 38);
        CHECK_EQ_INT(r.root->end, (int)strlen(src));
    }
    done(&r);
}

/* ---- errors ------------------------------------------------------------------- */

TEST(test_parser_error_message_shape) {
    parsed r;
    const char *src = "def f(x):\n    return x +\n";
    do_parse(&r, src, strlen(src), 0);
    CHECK(r.root == NULL);
    CHECK_STR(r.err.msg, "expected an expression but found 'newline':\n"
                         "  File \"test.py\", line 2\n"
                         "    return x +\n"
                         "              ~ <--- HERE");
    done(&r);
    src = "if x\n  pass\n";
    do_parse(&r, src, strlen(src), 0);
    CHECK_STR(r.err.msg, "expected ':' but found 'newline':\n"
                         "  File \"test.py\", line 1\n"
                         "if x\n"
                         "    ~ <--- HERE");
    done(&r);
    src = "x = foo(a b)\n";
    do_parse(&r, src, strlen(src), 0);
    CHECK_STR(r.err.msg, "expected ')' but found 'identifier':\n"
                         "  File \"test.py\", line 1\n"
                         "x = foo(a b)\n"
                         "          ~ <--- HERE");
    done(&r);
}

TEST(test_parser_syntax_errors) {
    CHECK_ERR("x = (1 +\n", "'(' was never closed", 1);
    CHECK_ERR("x = [1,\n 2\ny = 3\n", "expected ']' but found 'identifier'", 3);
    CHECK_ERR("x = [1,\n 2\n", "'[' was never closed", 1);
    CHECK_ERR("if x\n  pass\n", "expected ':' but found 'newline'", 1);
    CHECK_ERR("def f(:\n  pass\n", "expected identifier but found ':'", 1);
    CHECK_ERR("def (x): pass\n", "expected identifier but found '('", 1);
    CHECK_ERR("x = 1 2\n", "expected newline but found 'integer'", 1);
    CHECK_ERR("x = )\n", "unmatched ')'", 1);
    CHECK_ERR("x = (]\n", "closing parenthesis ']' does not match opening parenthesis '('", 1);
    CHECK_ERR("x = (\n]\n", "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2);
    CHECK_ERR("x = $\n", "invalid character '$' (U+0024)", 1);
    CHECK_ERR("x = 1\ny = ?\n", "invalid character '?'", 2);
    CHECK_ERR("x = !y\n", "'!' is not an operator", 1);
    CHECK_ERR("x = 1\n\x01\n", "invalid non-printable character U+0001", 2);
    {
        parsed r;
        do_parse(&r, "x\0 = 1\n", 7, 0);
        CHECK(r.root == NULL);
        CHECK_CONTAINS(r.err.msg, "invalid non-printable character U+0000");
        done(&r);
        do_parse(&r, "x = '\0'\n", 8, 0);
        CHECK(r.root != NULL);
        done(&r);
    }
    CHECK_ERR("x = \x80\n", "invalid UTF-8 byte 0x80", 1);
    CHECK_ERR("a\xc2\xa0" "b = 1\n", "invalid non-printable character U+00A0", 1);
    CHECK_ERR("x = \\ y\n", "unexpected character after line continuation character", 1);
    CHECK_ERR("x = 1 + \\", "unexpected end of file after line continuation character", 1);
    CHECK_ERR("import x\\\n", "unexpected end of file after line continuation character", 1);
    CHECK_ERR("x = 1 if y\n", "expected 'else' in conditional expression", 1);
    CHECK_ERR("else: pass\n", "invalid syntax: unexpected 'else'", 1);
    CHECK_ERR("if x:\n  pass\nelse\n  pass\n", "expected ':' but found 'newline'", 3);
    CHECK_ERR("return return\n", "expected newline but found 'return'", 1);
    CHECK_ERR("x = if\n", "expected an expression but found 'if'", 1);
    CHECK_ERR("if x: if y: pass\n", "expected an expression but found 'if'", 1);
    CHECK_ERR("x.1\n", "expected newline but found 'float'", 1);
    CHECK_ERR("x. y = 1\nz.\n", "expected identifier but found 'newline'", 2);
    CHECK_ERR("@dec\nx = 1\n", "expected 'def' or 'class' after decorator but found 'identifier'", 2);
    CHECK_ERR("import\n", "expected identifier", 1);
    CHECK_ERR("from x import\n", "expected identifier", 1);
    CHECK_ERR("a[]\n", "expected an expression but found ']'", 1);
    CHECK_ERR("f(,)\n", "expected an expression but found ','", 1);
    CHECK_ERR("x = 1 +\n", "expected an expression but found 'newline'", 1);
    CHECK_ERR("x = (1 2)\n", "expected ')' but found 'integer'", 1);
}

TEST(test_parser_indentation_errors) {
    CHECK_ERR("  x = 1\n", "unexpected indent", 1);
    CHECK_ERR("x = 1\n    y = 2\n", "unexpected indent", 2);
    CHECK_ERR("if x:\n    a = 1\n      b = 2\n", "unexpected indent", 3);
    CHECK_ERR("if x:\n    a = 1\n  b = 2\n", "unindent does not match any outer indentation level", 3);
    CHECK_ERR("if x:\npass\n", "expected an indented block after 'if' statement on line 1", 2);
    CHECK_ERR("x = 1\nfor i in y:\n\nz = 2\n", "expected an indented block after 'for' statement on line 2", 4);
    CHECK_ERR("def f():\n", "expected an indented block after function definition on line 1", 2);
    CHECK_ERR("class A:\n  def f(self):\n  pass\n", "expected an indented block after function definition on line 2",
              3);
    CHECK_ERR("if x:\n  pass\nelse:\n", "expected an indented block after 'else' statement on line 3", 4);
    CHECK_ERR("if x:\n\tpass\n        pass\n", "inconsistent use of tabs and spaces in indentation", 3);
    CHECK_ERR("if x:\n        pass\n\tpass\n", "inconsistent use of tabs and spaces in indentation", 3);
    CHECK_ERR("if x:\n  \tpass\n\tpass\n", "inconsistent use of tabs and spaces in indentation", 3);
    /* 101 levels of indentation */
    cts_strbuf sb;
    cts_sb_init(&sb);
    for (int i = 0; i <= 100; i++) {
        for (int j = 0; j < i; j++) cts_sb_putc(&sb, ' ');
        cts_sb_puts(&sb, "if x:\n");
    }
    for (int j = 0; j <= 101; j++) cts_sb_putc(&sb, ' ');
    cts_sb_puts(&sb, "pass\n");
    CHECK_ERR(cts_sb_str(&sb), "too many levels of indentation", 102);
    cts_sb_clear(&sb);
    for (int i = 0; i < 99; i++) {
        for (int j = 0; j < i; j++) cts_sb_putc(&sb, ' ');
        cts_sb_puts(&sb, "if x:\n");
    }
    for (int j = 0; j < 99; j++) cts_sb_putc(&sb, ' ');
    cts_sb_puts(&sb, "pass\n");
    parsed r;
    do_parse(&r, cts_sb_str(&sb), sb.len, 0);
    CHECK(r.root != NULL);
    done(&r);
    cts_sb_free(&sb);
}

TEST(test_parser_target_errors) {
    CHECK_ERR("f() = 1\n", "cannot assign to function call", 1);
    CHECK_ERR("a + 1 = 2\n", "cannot assign to expression", 1);
    CHECK_ERR("1 = x\n", "cannot assign to literal", 1);
    CHECK_ERR("None = x\n", "cannot assign to None", 1);
    CHECK_ERR("x = y = f() = 2\n", "cannot assign to function call", 1);
    CHECK_ERR("a, f() = 1, 2\n", "cannot assign to function call", 1);
    CHECK_ERR("for 1 in x: pass\n", "cannot assign to literal", 1);
    CHECK_ERR("[x for f() in y]\n", "cannot assign to function call", 1);
    CHECK_ERR("with a as f(): pass\n", "cannot assign to function call", 1);
    CHECK_ERR("del f()\n", "cannot delete function call", 1);
    CHECK_ERR("del *a, b\n", "cannot delete starred", 1);
    CHECK_ERR("*a = b\n", "starred assignment target must be in a list or tuple", 1);
    CHECK_ERR("*a, *b = c\n", "multiple starred expressions in assignment", 1);
    CHECK_ERR("x = *a\n", "can't use starred expression here", 1);
    CHECK_ERR("*a\n", "can't use starred expression here", 1);
    CHECK_ERR("return *a\n", "can't use starred expression here", 1);
    CHECK_ERR("a, b += 1\n", "'tuple' is an illegal expression for augmented assignment", 1);
    CHECK_ERR("f() += 1\n", "'function call' is an illegal expression for augmented assignment", 1);
    CHECK_ERR("a, b: int = 1, 2\n", "only single target (not tuple) can be annotated", 1);
    CHECK_ERR("[a]: int\n", "only single target (not list) can be annotated", 1);
    CHECK_ERR("f(): int\n", "illegal target for annotation", 1);
}

TEST(test_parser_unsupported_constructs) {
    CHECK_ERR("x = {**d}\n", "Dict expansion (e.g. `{**dict}`) is not supported", 1);
    CHECK_ERR("x = {1, 2}\n", "set literals aren't supported", 1);
    CHECK_ERR("x = {1}\n", "set literals aren't supported", 1);
    CHECK_ERR("x = {a for a in b}\n", "set literals aren't supported", 1);
    CHECK_ERR("try:\n  pass\nexcept:\n  pass\n", "try blocks aren't supported", 1);
    CHECK_ERR("except: pass\n", "unexpected 'except'", 1);
    CHECK_ERR("async def f(): pass\n", "async function definitions aren't supported", 1);
    CHECK_ERR("async for x in y: pass\n", "async for loops aren't supported", 1);
    CHECK_ERR("async with x: pass\n", "async with statements aren't supported", 1);
    CHECK_ERR("@dec\nasync def f(): pass\n", "async function definitions aren't supported", 2);
    CHECK_ERR("x = await y\n", "'await' outside async function", 1);
    CHECK_ERR("x = yield y\n", "yield expressions aren't supported", 1);
    CHECK_ERR("yield\n", "yield expressions aren't supported", 1);
    CHECK_ERR("if (x := 1): pass\n", "assignment expressions (':=') aren't supported", 1);
    CHECK_ERR("x = [a for a in b for c in d]\n", "Only a single generator is currently supported", 1);
    CHECK_ERR("x = [a for a in b if c if d]\n", "comprehensions with more than one 'if' aren't supported", 1);
    CHECK_ERR("x = a[*b]\n", "starred expressions in subscripts aren't supported", 1);
    CHECK_ERR("f(a, x for x in y)\n", "Generator expression must be parenthesized", 1);
    CHECK_ERR("f(x for x in y, a)\n", "Generator expression must be parenthesized", 1);
    CHECK_ERR("class A(metaclass=M): pass\n", "keyword arguments in class bases aren't supported", 1);
    CHECK_ERR("def f(a, /, b): pass\n", "positional-only parameters ('/') aren't supported", 1);
}

TEST(test_parser_call_and_param_errors) {
    CHECK_ERR("f(a=1, b)\n", "positional argument follows keyword argument", 1);
    CHECK_ERR("f(a.b=1)\n", "expression cannot contain assignment, perhaps you meant \"==\"?", 1);
    CHECK_ERR("def f(a=1, b): pass\n", "non-default argument follows default argument", 1);
    CHECK_ERR("def f(*): pass\n", "named arguments must follow bare *", 1);
    CHECK_ERR("def f(*, **kw): pass\n", "named arguments must follow bare *", 1);
    CHECK_ERR("def f(*a, *b): pass\n", "* argument may appear only once", 1);
    CHECK_ERR("def f(**kw, a): pass\n", "arguments cannot follow var-keyword argument", 1);
    CHECK_ERR("def f(*a=1): pass\n", "var-positional argument cannot have default value", 1);
    CHECK_ERR("def f(**a=1): pass\n", "var-keyword argument cannot have default value", 1);
    CHECK_STMT("def f(a=1, *b, c, d=2, **e): pass\n", "(def f ((a = 1) *b (c kwonly) (d = 2 kwonly) **e) {(pass)})");
}

static char *repeat(const char *a, int n, const char *mid, const char *b, int m) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    for (int i = 0; i < n; i++) cts_sb_puts(&sb, a);
    cts_sb_puts(&sb, mid);
    for (int i = 0; i < m; i++) cts_sb_puts(&sb, b);
    return cts_sb_take(&sb);
}

TEST(test_parser_nesting_limits) {
    char *s = repeat("(", 150, "x", ")", 150);
    CHECK_EXPR(s, "x");
    free(s);
    s = repeat("(", 200, "x", ")", 200);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("(", 1000, "x", ")", 1000);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("[", 5000, "", "", 0);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("-", 300, "x", "", 0);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("not ", 300, "x", "", 0);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("2 ** ", 300, "2", "", 0);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("lambda: ", 300, "x", "", 0);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("a if b else ", 300, "c", "", 0);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("1 + ", 5000, "1", "", 0);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("x.", 5000, "y", "", 0);
    CHECK_EXPR_ERR(s, "expression too deeply nested");
    free(s);
    s = repeat("(", 300, "x", ")", 300);
    {
        char *f = repeat("f'{", 1, s, "}'", 1);
        CHECK_EXPR_ERR(f, "expression too deeply nested");
        free(f);
    }
    free(s);
    /* long flat lists are fine */
    s = repeat("1, ", 20000, "1", "", 0);
    parsed r;
    do_parse(&r, s, strlen(s), 1);
    CHECK(r.root && r.root->kind == A_TUPLE && r.root->nlist == 20001);
    done(&r);
    free(s);
    s = repeat("x = 1\n", 20000, "", "", 0);
    do_parse(&r, s, strlen(s), 0);
    CHECK(r.root && r.root->nlist == 20000);
    done(&r);
    free(s);
    s = repeat("1 + ", 500, "1", "", 0);
    do_parse(&r, s, strlen(s), 1);
    CHECK(r.root != NULL);
    done(&r);
    free(s);
}

/* ---- lexer ------------------------------------------------------------------- */

TEST(test_lexer_token_dump) {
    cts_arena a;
    cts_arena_init(&a);
    cts_err err = {0};
    const char *text = "if x:\n  y = 'a\\n' + 1.5\n";
    cts_source src = {"t.py", text, strlen(text), 0};
    cts_token *toks;
    int n;
    CHECK_EQ_INT(cts_lex_all(&a, &src, &toks, &n, &err), 0);
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_tokens_dump(&src, toks, n, &sb);
    CHECK_STR(cts_sb_str(&sb), "1:0 if\n1:3 identifier x\n1:4 :\n1:5 newline\n2:2 indent\n2:2 identifier y\n"
                               "2:4 =\n2:6 string \"a\\n\"\n2:12 +\n2:14 float 1.5\n2:17 newline\n3:0 dedent\n"
                               "3:0 end of file\n");
    cts_sb_free(&sb);
    cts_arena_free(&a);
}

TEST(test_lexer_keywords_and_names) {
    CHECK_STR(cts_tok_name(T_NAME), "identifier");
    CHECK_STR(cts_tok_name(T_NOTIN), "not in");
    CHECK_STR(cts_tok_name(T_DSLASHEQ), "//=");
    CHECK_STR(cts_tok_name(T_FINALLY), "finally");
    CHECK_STR(cts_tok_name((cts_tok)9999), "?");
    /* every keyword is reserved */
    static const char *const kws[] = {"and", "or", "not", "in", "is", "if", "elif", "else", "while", "for",
                                      "def", "class", "return", "pass", "break", "continue", "raise", "assert",
                                      "del", "with", "as", "import", "from", "global", "nonlocal", "lambda",
                                      "yield", "async", "await", "try", "except", "finally"};
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s = 1\n", kws[i]);
        parsed r;
        do_parse(&r, buf, strlen(buf), 0);
        if (r.root) fprintf(stderr, "keyword %s accepted as a name\n", kws[i]);
        CHECK(r.root == NULL);
        done(&r);
    }
    CHECK_STMT("print = 1\nmatch = 2\ntype = 3\n_ = 4\nTrue_ = 5\n",
               "(= print 1) (= match 2) (= type 3) (= _ 4) (= True_ 5)");
}

TEST(test_lexer_floats_ignore_locale) {
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8")) return;
    CHECK_EXPR("1.5", "1.5");
    CHECK_EXPR("2.25e1", "22.5");
    setlocale(LC_NUMERIC, "C");
}

/* ---- robustness ------------------------------------------------------------------- */

static uint32_t rng_state = 12345;
static uint32_t rnd(void) {
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* Every prefix of a long valid source parses or fails cleanly; so do byte
 * mutations of it.  Run under ASan/LSan this checks bounds and leaks. */
TEST(test_parser_survives_truncation_and_mutation) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_sb_puts(&sb, archive_big);
    cts_sb_puts(&sb, archive_union);
    cts_sb_puts(&sb, user_file);
    cts_sb_puts(&sb, "x = f'{a}b{c[1:2]!r}' '''t\\x41\n'''\ny = 0x1F + 0o7 + 1_0.5e-3j\n@d\nclass Z(Y):\n\tpass\n");
    size_t len = sb.len;
    const char *full = cts_sb_str(&sb);
    int ok = 0;
    for (size_t n = 0; n <= len; n++) {
        parsed r;
        do_parse(&r, full, n, 0);
        if (r.root) ok++;
        else CHECK(r.err.set && r.err.msg[0]);
        done(&r);
        do_parse(&r, full + (n < len ? len - n : 0), n < len ? n : 0, 1);
        done(&r);
    }
    CHECK(ok > 0);
    static const char alphabet[] = "()[]{}:,;.=+-*/%<>!'\"\\#@ \t\n\r\x00\x80\xff_aZ09ejxf";
    char *buf = malloc(len);
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(buf, full, len);
        int nm = 1 + (int)(rnd() % 4);
        for (int k = 0; k < nm; k++) buf[rnd() % len] = alphabet[rnd() % (sizeof alphabet - 1)];
        size_t cut = len - (rnd() % 64);
        parsed r;
        do_parse(&r, buf, cut, 0);
        if (!r.root) CHECK(r.err.set);
        done(&r);
    }
    free(buf);
    cts_sb_free(&sb);
}

TEST(test_parser_null_and_empty_sources) {
    cts_arena a;
    cts_arena_init(&a);
    cts_err err = {0};
    cts_source src = {"e.py", NULL, 0, 0};
    ast *m = cts_parse(&a, &src, &err);
    CHECK(m != NULL && m->kind == A_MODULE && m->nlist == 0);
    CHECK(cts_parse_expr(&a, &src, &err) == NULL);
    CHECK_CONTAINS(err.msg, "expected an expression but found 'end of file'");
    cts_source bad = {"b.py", NULL, 5, 0};
    CHECK(cts_parse(&a, &bad, &err) == NULL);
    cts_arena_free(&a);
}

int main(void) {
    RUN(test_parser_arithmetic_precedence);
    RUN(test_parser_power_binds_tighter_than_unary);
    RUN(test_parser_boolean_and_comparison);
    RUN(test_parser_conditional_and_lambda);
    RUN(test_parser_primaries);
    RUN(test_parser_displays_and_comprehensions);
    RUN(test_parser_implicit_joining_in_expressions);
    RUN(test_parser_numbers);
    RUN(test_parser_number_errors);
    RUN(test_parser_strings);
    RUN(test_parser_string_errors);
    RUN(test_parser_fstrings);
    RUN(test_parser_assignments);
    RUN(test_parser_simple_statements);
    RUN(test_parser_compound_statements);
    RUN(test_parser_defs_and_classes);
    RUN(test_parser_type_comments);
    RUN(test_parser_layout);
    RUN(test_parser_reads_archive_code);
    RUN(test_parser_reads_user_files);
    RUN(test_parser_positions);
    RUN(test_parser_error_message_shape);
    RUN(test_parser_syntax_errors);
    RUN(test_parser_indentation_errors);
    RUN(test_parser_target_errors);
    RUN(test_parser_unsupported_constructs);
    RUN(test_parser_call_and_param_errors);
    RUN(test_parser_nesting_limits);
    RUN(test_lexer_token_dump);
    RUN(test_lexer_keywords_and_names);
    RUN(test_lexer_floats_ignore_locale);
    RUN(test_parser_survives_truncation_and_mutation);
    RUN(test_parser_null_and_empty_sources);
    return test_summary();
}
