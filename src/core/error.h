/* error.h - error values carried out of fallible calls.
 *
 * A fallible function returns a status (0 = ok, -1 = error) or NULL and fills
 * a caller-provided cts_err with one line of text naming the problem and the
 * place.  Callers add context with cts_err_prefix as the error travels up, so
 * the final message reads outermost-first: "loading m.pt: data.pkl: ...". */
#ifndef CTS_CORE_ERROR_H
#define CTS_CORE_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#define CTS_ERR_MSG_MAX 1024

typedef struct cts_err {
    int set;                      /* nonzero once a message was written */
    char msg[CTS_ERR_MSG_MAX];
} cts_err;

#if defined(__GNUC__)
#define CTS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CTS_PRINTF(a, b)
#endif

/* Sets the message (replacing any earlier one); returns -1 so callers can
 * write `return cts_err_set(err, ...)`.  err may be NULL. */
int cts_err_set(cts_err *err, const char *fmt, ...) CTS_PRINTF(2, 3);
int cts_err_setv(cts_err *err, const char *fmt, va_list ap);
/* Prepends context to an existing message; returns -1. */
int cts_err_prefix(cts_err *err, const char *fmt, ...) CTS_PRINTF(2, 3);
void cts_err_clear(cts_err *err);
/* Out-of-memory helper: "out of memory (N bytes) in WHAT". */
int cts_err_oom(cts_err *err, const char *what, size_t nbytes);

#endif
