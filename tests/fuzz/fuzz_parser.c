/* fuzz_parser.c - libFuzzer target for the lexer and parser.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
 *     tests/fuzz/fuzz_parser.c $CORE src/compiler/source.c \
 *     src/compiler/lexer.c src/compiler/parser.c src/compiler/ast_dump.c -lm
 *
 * where $CORE lists the .c files of src/core.  A seed corpus: any .py files
 * (user TorchScript) and code/ folders of archives.
 *
 * Feeds the input as a whole file, as a single expression and to the token
 * dumper; each must return a tree or an error, never crash, read out of
 * bounds or leak.  The input buffer is not NUL-terminated, as sources are
 * not. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compiler/ast.h"
#include "compiler/ast_dump.h"
#include "compiler/lexer.h"
#include "core/arena.h"
#include "core/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cts_source src = {"fuzz.py", (const char *)data, size, 0};
    cts_arena arena;
    cts_err err;
    cts_strbuf sb;

    cts_arena_init(&arena);
    memset(&err, 0, sizeof err);
    cts_sb_init(&sb);
    ast *m = cts_parse(&arena, &src, &err);
    if (m) cts_ast_dump(m, &sb);
    else if (!err.set) __builtin_trap();
    cts_arena_free(&arena);

    cts_arena_init(&arena);
    memset(&err, 0, sizeof err);
    ast *e = cts_parse_expr(&arena, &src, &err);
    if (e) cts_ast_dump(e, &sb);
    else if (!err.set) __builtin_trap();
    cts_arena_free(&arena);

    cts_arena_init(&arena);
    cts_token *toks;
    int ntoks;
    if (cts_lex_all(&arena, &src, &toks, &ntoks, &err) == 0) cts_tokens_dump(&src, toks, ntoks, &sb);
    cts_arena_free(&arena);
    cts_sb_free(&sb);
    return 0;
}
