/* cmd_exec.c - `cts exec FILE.py [--threads N]`: runs a Python program of the
 * TorchScript tutorial's kind (imports of torch, torch.nn, torchvision;
 * classes and functions; torch.jit.trace / script / save / load; print). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/exec/exec.h"
#include "../src/serialize/zip.h"
#include "cli.h"

#define MAX_SOURCE ((size_t)64 << 20)

int cmd_exec(int argc, char **argv) {
    const char *file = NULL;
    int threads = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--threads")) {
            if (i + 1 >= argc) return cli_usage_error("option --threads needs a value");
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 256) return cli_usage_error("--threads: expected 1..256, got '%s'", argv[i]);
            threads = (int)v;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("exec: unknown option '%s'", a);
        } else if (!file) {
            file = a;
        } else {
            return cli_usage_error("exec: unexpected argument '%s' (program arguments are not supported)", a);
        }
    }
    if (!file) return cli_usage_error("exec: missing FILE.py");
    cts_err err = {0};
    void *text;
    size_t len;
    if (cts_read_file(file, MAX_SOURCE, &text, &len, &err)) return cli_fail(&err);
    int rc = cts_exec_run(file, text, len, stdout, threads, &err);
    free(text);
    if (rc) {
        fflush(stdout);
        return cli_fail(&err);
    }
    return 0;
}
