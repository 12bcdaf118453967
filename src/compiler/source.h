/* source.h - source text and error messages that point into it.
 *
 * Errors from the lexer, parser and compiler read like PyTorch's:
 *
 *   <what is wrong>:
 *     File "model.py", line 3
 *       return x + y
 *              ~~~~~ <--- HERE
 */
#ifndef CTS_COMPILER_SOURCE_H
#define CTS_COMPILER_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"

typedef struct cts_source {
    const char *name;   /* file name shown in messages ("code/__torch__.py") */
    const char *text;   /* not necessarily NUL-terminated */
    size_t len;
    /* 1: Python source given to torch.jit.script, which PyTorch reads with
     * its Python frontend (frontend.py); 0: serialized code read by the C++
     * parser.  The two build slightly different trees (`-1` is a folded
     * constant only for the C++ parser). */
    int python_frontend;
} cts_source;

/* Line (1-based) and column (0-based) of a byte offset. */
void cts_src_linecol(const cts_source *src, uint32_t off, int *line, int *col);
/* Sets err to "<msg>:\n  File "<name>", line N\n<line text>\n<marker>"; returns -1. */
int cts_src_error(cts_err *err, const cts_source *src, uint32_t start, uint32_t end, const char *fmt, ...)
    CTS_PRINTF(5, 6);

#endif
