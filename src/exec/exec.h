/* exec.h - `cts exec FILE.py`: runs a Python program of the TorchScript
 * tutorial's kind (see exec.c for the supported subset). */
#ifndef CTS_EXEC_EXEC_H
#define CTS_EXEC_EXEC_H

#include <stddef.h>
#include <stdio.h>

#include "../core/error.h"

/* Runs the program text (path names it in messages and is its __main__);
 * print() writes to out.  nthreads: the operators' thread pool (1 = serial).
 * Returns 0, or -1 with err naming the problem and its line. */
int cts_exec_run(const char *path, const char *text, size_t len, FILE *out, int nthreads, cts_err *err);

#endif
