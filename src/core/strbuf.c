/* strbuf.c - growable strings. */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cts_sb_init(cts_strbuf *sb) { memset(sb, 0, sizeof *sb); }

void cts_sb_free(cts_strbuf *sb) {
    free(sb->s);
    memset(sb, 0, sizeof *sb);
}

static int reserve(cts_strbuf *sb, size_t extra) {
    if (sb->oom) return -1;
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap) return 0;
    size_t ncap = sb->cap ? sb->cap : 64;
    while (ncap < need) ncap *= 2;
    char *p = realloc(sb->s, ncap);
    if (!p) {
        sb->oom = 1;
        return -1;
    }
    sb->s = p;
    sb->cap = ncap;
    return 0;
}

void cts_sb_putn(cts_strbuf *sb, const char *s, size_t n) {
    if (reserve(sb, n)) return;
    memcpy(sb->s + sb->len, s, n);
    sb->len += n;
    sb->s[sb->len] = 0;
}

void cts_sb_putc(cts_strbuf *sb, char c) { cts_sb_putn(sb, &c, 1); }
void cts_sb_puts(cts_strbuf *sb, const char *s) { cts_sb_putn(sb, s, strlen(s)); }

void cts_sb_vprintf(cts_strbuf *sb, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || reserve(sb, (size_t)n)) return;
    vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void cts_sb_printf(cts_strbuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    cts_sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

void cts_sb_clear(cts_strbuf *sb) {
    sb->len = 0;
    if (sb->s) sb->s[0] = 0;
}

const char *cts_sb_str(const cts_strbuf *sb) { return sb->s ? sb->s : ""; }

char *cts_sb_take(cts_strbuf *sb) {
    char *s = sb->s;
    if (!s) {
        s = malloc(1);
        if (s) s[0] = 0;
    }
    memset(sb, 0, sizeof *sb);
    return s;
}

void cts_sb_put_i64(cts_strbuf *sb, long long v) { cts_sb_printf(sb, "%lld", v); }
