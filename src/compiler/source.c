/* source.c - locating offsets and formatting source-pointing errors. */
#include "source.h"

#include <stdio.h>
#include <string.h>

void cts_src_linecol(const cts_source *src, uint32_t off, int *line, int *col) {
    int ln = 1;
    size_t bol = 0;
    if (off > src->len) off = (uint32_t)src->len;
    for (size_t i = 0; i < off; i++)
        if (src->text[i] == '\n') {
            ln++;
            bol = i + 1;
        }
    *line = ln;
    *col = (int)(off - bol);
}

int cts_src_error(cts_err *err, const cts_source *src, uint32_t start, uint32_t end, const char *fmt, ...) {
    if (!err) return -1;
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (!src || !src->text) return cts_err_set(err, "%s", what);
    int line, col;
    cts_src_linecol(src, start, &line, &col);
    size_t bol = start > src->len ? src->len : start;
    while (bol > 0 && src->text[bol - 1] != '\n') bol--;
    size_t eol = bol;
    while (eol < src->len && src->text[eol] != '\n') eol++;
    int linelen = (int)(eol - bol);
    if (linelen > 200) linelen = 200;
    if (end <= start || end > eol) end = (uint32_t)eol;
    int width = (int)(end - start);
    if (width < 1) width = 1;
    if (col > linelen) col = linelen;
    if (col + width > 200) width = 200 - col > 0 ? 200 - col : 1;
    char marker[256];
    int m = 0;
    for (int i = 0; i < col && m < 200; i++) marker[m++] = ' ';
    for (int i = 0; i < width && m < 250; i++) marker[m++] = '~';
    marker[m] = 0;
    return cts_err_set(err, "%s:\n  File \"%s\", line %d\n%.*s\n%s <--- HERE", what, src->name ? src->name : "<string>",
                       line, linelen, src->text + bol, marker);
}
