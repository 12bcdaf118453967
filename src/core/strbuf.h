/* strbuf.h - a growable NUL-terminated string.
 *
 * Appends never fail visibly: on out-of-memory the buffer records the failure
 * in `oom` and further appends are dropped, so printing code stays linear and
 * the caller checks once at the end. */
#ifndef CTS_CORE_STRBUF_H
#define CTS_CORE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "error.h"

typedef struct cts_strbuf {
    char *s;       /* always NUL-terminated once anything was appended */
    size_t len, cap;
    int oom;
} cts_strbuf;

void cts_sb_init(cts_strbuf *sb);
void cts_sb_free(cts_strbuf *sb);
void cts_sb_putc(cts_strbuf *sb, char c);
void cts_sb_puts(cts_strbuf *sb, const char *s);
void cts_sb_putn(cts_strbuf *sb, const char *s, size_t n);
void cts_sb_printf(cts_strbuf *sb, const char *fmt, ...) CTS_PRINTF(2, 3);
void cts_sb_vprintf(cts_strbuf *sb, const char *fmt, va_list ap);
void cts_sb_clear(cts_strbuf *sb);
/* Returns the string ("" if empty); never NULL. */
const char *cts_sb_str(const cts_strbuf *sb);
/* Hands the buffer to the caller (malloc'd, NUL-terminated) and resets sb. */
char *cts_sb_take(cts_strbuf *sb);

/* Formatting used by PyTorch's printers: shortest %.17g-style doubles. */
void cts_sb_put_i64(cts_strbuf *sb, long long v);

#endif
