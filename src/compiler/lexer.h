/* lexer.h - TorchScript / Python source to tokens.
 *
 * The lexer turns a byte range of a cts_source into tokens on demand
 * (cts_lex_next), with Python 3's rules: NEWLINE ends a logical line,
 * INDENT/DEDENT bracket blocks, newlines inside (), [] and {} and after a
 * backslash are joined, comments are skipped.  One lexer reads both the code
 * PyTorch prints into archives (code/ folder) and the TorchScript users write
 * in .py files.
 *
 * Choices (see also parser.c):
 *   - Indentation follows Python exactly: a tab advances to the next multiple
 *     of 8, and a line whose indentation compares differently when a tab
 *     counts as 1 column is an error ("inconsistent use of tabs and spaces in
 *     indentation"), so a file is read the same under any tab width.
 *     PyTorch never writes tabs into archives.
 *   - A source that starts indented is an error ("unexpected indent"), as in
 *     Python.
 *   - "\r\n" is a newline; a lone '\r' is white space.  Inside string
 *     literals "\r\n" reads as "\n".
 *   - Identifiers are ASCII letters, digits and '_', plus any well-formed
 *     UTF-8 sequence that is not a space character (Python accepts non-ASCII
 *     identifiers).  A UTF-8 byte-order mark at the start is skipped.
 *   - String literals are decoded here (escapes, UTF-8 for \x \u \U and
 *     octal escapes above \177); f-strings are left to the parser, which
 *     needs to parse the expressions inside them.  b"" literals are rejected.
 *   - Comments starting with "# type:" (other than "# type: ignore...") are
 *     recorded with their positions, for the parser to attach to
 *     definitions and assignments.
 *   - Integer literals above 2^63 are an error; exactly 2^63 is returned with
 *     CTS_TOKF_INT_MIN so that the parser can accept -9223372036854775808.
 *
 * All memory (token texts, decoded strings, the type-comment table) comes
 * from the arena given to cts_lexer_init.  The lexer never reads outside
 * [begin, end) of the source; the text need not be NUL-terminated. */
#ifndef CTS_COMPILER_LEXER_H
#define CTS_COMPILER_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/error.h"
#include "../core/strbuf.h"
#include "ast.h"
#include "source.h"

/* Token flags. */
enum {
    CTS_TOKF_RAW = 1,      /* T_STRING: r prefix */
    CTS_TOKF_FSTRING = 2,  /* T_STRING: f prefix; str is NULL, content range says where */
    CTS_TOKF_TRIPLE = 4,   /* T_STRING: ''' or """ */
    CTS_TOKF_INT_MIN = 8   /* T_INTLIT: the literal 9223372036854775808 (valid only negated) */
};

typedef struct cts_token {
    cts_tok kind;
    int flags;
    uint32_t start, end;        /* byte range of the token in the source */
    uint32_t cstart, cend;      /* T_STRING: range of the text between the quotes */
    const char *str;            /* T_NAME: identifier; T_STRING: decoded bytes (NUL-terminated) */
    size_t slen;
    int64_t ival;               /* T_INTLIT */
    double fval;                /* T_FLOATLIT, T_IMAG */
} cts_token;

/* A "# type: ..." comment: hash is the offset of '#', [tstart, tend) is the
 * text after "type:" with surrounding blanks trimmed. */
typedef struct cts_type_comment {
    uint32_t hash, tstart, tend;
} cts_type_comment;

#define CTS_LEX_MAX_INDENT 100  /* levels of indentation (Python's limit) */
#define CTS_LEX_MAX_NEST 256    /* open brackets */

typedef struct cts_lexer {
    cts_arena *arena;
    const cts_source *src;
    cts_err *err;
    const char *s;              /* src->text */
    uint32_t pos, end;
    int expr_mode;              /* no NEWLINE/INDENT/DEDENT: newlines are blanks */
    int failed;                 /* an error was reported; cts_lex_next keeps failing */
    int at_bol;                 /* next token starts a logical line */
    int line_has_tokens;        /* a token was produced since the last NEWLINE */
    int eof_newline_done;
    int pending_dedents;
    uint32_t dedent_pos;
    int nindent;
    int indent[CTS_LEX_MAX_INDENT + 1];     /* columns, tab = to next multiple of 8 */
    int altindent[CTS_LEX_MAX_INDENT + 1];  /* columns, tab = 1 */
    int nest;
    char nest_ch[CTS_LEX_MAX_NEST];
    uint32_t nest_pos[CTS_LEX_MAX_NEST];
    cts_type_comment *tc;
    int ntc, captc;
} cts_lexer;

/* Prepares to lex [begin, end) of src.  expr_mode: newlines are white space
 * and no NEWLINE/INDENT/DEDENT tokens are produced (a single expression, the
 * inside of an f-string placeholder, a type comment).  Returns 0 or -1. */
int cts_lexer_init(cts_lexer *lx, cts_arena *arena, const cts_source *src, uint32_t begin, uint32_t end,
                   int expr_mode, cts_err *err);
/* Produces the next token.  After T_EOF it keeps producing T_EOF.  Returns 0,
 * or -1 with err set to a source-pointing message. */
int cts_lex_next(cts_lexer *lx, cts_token *out);

/* Lexes a whole source (file mode) into an arena array ending with T_EOF.
 * Returns 0 or -1. */
int cts_lex_all(cts_arena *arena, const cts_source *src, cts_token **toks, int *ntoks, cts_err *err);
/* Appends one line per token: "line:col KIND text", e.g. `3:4 identifier x`,
 * `3:6 (`, `3:8 string "a\n"`, `4:0 dedent`. */
void cts_tokens_dump(const cts_source *src, const cts_token *toks, int ntoks, cts_strbuf *sb);

/* Decodes the escapes of string-literal text [start, end) of src into out,
 * which must hold end - start + 1 bytes (decoding never grows text); sets
 * *outlen and NUL-terminates.  raw: copy as is (only "\r\n" becomes "\n").
 * Returns 0 or -1 with err set (bad \x, \u, \U escape; \N{...}). */
int cts_lex_unescape(const cts_source *src, uint32_t start, uint32_t end, int raw, char *out, size_t *outlen,
                     cts_err *err);

#endif
