/* cmd_run.c - `cts run`: load an archive, call a method, print/save the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/runtime/module.h"
#include "../src/serialize/torch_save.h"
#include "cli.h"

int cmd_run(int argc, char **argv) {
    const char *model = NULL, *method = "forward", *args_path = NULL, *out_path = NULL;
    int threads = 0;
    cts_load_mode mode = CTS_LOAD_RUN;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--no-optimize") == 0) {
            mode = CTS_LOAD_RUN_UNOPTIMIZED;
        } else if (strcmp(a, "--method") == 0 || strcmp(a, "--args") == 0 || strcmp(a, "--output") == 0 ||
            strcmp(a, "--threads") == 0) {
            if (i + 1 >= argc) return cli_usage_error("option %s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--method") == 0) method = v;
            else if (strcmp(a, "--args") == 0) args_path = v;
            else if (strcmp(a, "--output") == 0) out_path = v;
            else {
                char *end;
                long t = strtol(v, &end, 10);
                if (*end || t < 1 || t > 1024) return cli_usage_error("--threads expects a number from 1 to 1024, got '%s'", v);
                threads = (int)t;
            }
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("run: unknown option '%s'", a);
        } else if (!model) {
            model = a;
        } else {
            return cli_usage_error("run: unexpected argument '%s'", a);
        }
    }
    if (!model) return cli_usage_error("run: missing MODEL.pt");
    cts_err err = {0};
    cv_value args = cv_none();
    if (args_path) {
        if (cts_torch_load_file(args_path, &args, &err)) return cli_fail(&err);
    }
    cv_value *argv_vals = NULL;
    int nargs = 0;
    if (args.tag == CV_TUPLE) {
        argv_vals = args.u.tu->items;
        nargs = (int)args.u.tu->len;
    } else if (args.tag == CV_LIST) {
        argv_vals = args.u.l->items;
        nargs = (int)args.u.l->len;
    } else if (args.tag != CV_NONE) {
        argv_vals = &args;
        nargs = 1;
    }
    cts_rt_module *m = cts_rt_load(model, mode, &err);
    if (!m) {
        cv_release(args);
        return cli_fail(&err);
    }
    if (threads > 1) {
        m->pool = cts_pool_new(threads, &err);
        if (!m->pool) {
            cts_rt_free(m);
            cv_release(args);
            return cli_fail(&err);
        }
    }
    cv_value result;
    int rc = cts_rt_call(m, method, argv_vals, nargs, &result, &err);
    cv_release(args);
    if (rc) {
        cts_rt_free(m);
        return cli_fail(&err);
    }
    cts_strbuf sb;
    cts_sb_init(&sb);
    cli_repr(result, &sb);
    puts(cts_sb_str(&sb));
    cts_sb_free(&sb);
    int status = 0;
    if (out_path && cts_torch_save(result, out_path, &err)) status = cli_fail(&err);
    cv_release(result);
    cts_rt_free(m);
    return status;
}
