/* error.c - formatting of cts_err messages. */
#include "error.h"

#include <stdio.h>
#include <string.h>

int cts_err_setv(cts_err *err, const char *fmt, va_list ap) {
    if (!err) return -1;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    err->set = 1;
    return -1;
}

int cts_err_set(cts_err *err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    cts_err_setv(err, fmt, ap);
    va_end(ap);
    return -1;
}

int cts_err_prefix(cts_err *err, const char *fmt, ...) {
    if (!err) return -1;
    char head[CTS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    if (!err->set) {
        /* no detail below: the prefix is the whole message (drop a trailing ": ") */
        size_t len = strlen(head);
        if (len >= 2 && head[len - 2] == ':' && head[len - 1] == ' ') head[len - 2] = 0;
        memcpy(err->msg, head, strlen(head) + 1);
        err->set = 1;
        return -1;
    }
    char tail[CTS_ERR_MSG_MAX];
    memcpy(tail, err->msg, sizeof tail);
    size_t hl = strlen(head), tl = strlen(tail);
    if (hl > sizeof err->msg - 1) hl = sizeof err->msg - 1;
    if (tl > sizeof err->msg - 1 - hl) tl = sizeof err->msg - 1 - hl;
    memcpy(err->msg, head, hl);
    memcpy(err->msg + hl, tail, tl);
    err->msg[hl + tl] = 0;
    return -1;
}

void cts_err_clear(cts_err *err) {
    if (!err) return;
    err->set = 0;
    err->msg[0] = 0;
}

int cts_err_oom(cts_err *err, const char *what, size_t nbytes) {
    return cts_err_set(err, "out of memory allocating %zu bytes for %s", nbytes, what);
}
