/* ast_dump.h - the AST as an S-expression, for tests and debugging.
 *
 * One line, nodes as (head child ...), blocks of statements as {s1 s2}:
 *
 *   x = a + b * 2        (= x (+ a (* b 2)))
 *   if c: return -x      (if c {(return (- x))})
 *   def f(x: int) -> int (def f ((x : int)) -> int {...})
 *
 * Names print bare, strings quoted with C escapes, floats in their shortest
 * round-trip form with a '.' or exponent (2.0, 1e+20), absent optional parts
 * as nothing (or _ inside a slice).  See ast_dump.c for every form. */
#ifndef CTS_COMPILER_AST_DUMP_H
#define CTS_COMPILER_AST_DUMP_H

#include "../core/strbuf.h"
#include "ast.h"

void cts_ast_dump(const ast *n, cts_strbuf *sb);

#endif
