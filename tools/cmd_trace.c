/* cmd_trace.c - `cts trace`: run a loaded module's method on example
 * inputs, recording what runs (runtime/trace_module.c); print the traced
 * graph, and save the traced module with --save. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/runtime/module.h"
#include "../src/serialize/torch_save.h"
#include "cli.h"

int cmd_trace(int argc, char **argv) {
    const char *model = NULL, *method = "forward", *args_path = NULL, *save_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--method") == 0 || strcmp(a, "--args") == 0 || strcmp(a, "--save") == 0) {
            if (i + 1 >= argc) return cli_usage_error("option %s needs a value", a);
            const char *v = argv[++i];
            if (strcmp(a, "--method") == 0) method = v;
            else if (strcmp(a, "--args") == 0) args_path = v;
            else save_path = v;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("trace: unknown option '%s'", a);
        } else if (!model) {
            model = a;
        } else {
            return cli_usage_error("trace: unexpected argument '%s'", a);
        }
    }
    if (!model) return cli_usage_error("trace: missing MODEL.pt");
    if (!args_path) return cli_usage_error("trace: missing --args ARGS.pt (the example inputs)");
    cts_err err = {0};
    cv_value args = cv_none();
    if (cts_torch_load_file(args_path, &args, &err)) return cli_fail(&err);
    cv_value *vals = &args;
    int nargs = 1;
    if (args.tag == CV_TUPLE) {
        vals = args.u.tu->items;
        nargs = (int)args.u.tu->len;
    }
    cts_rt_module *m = cts_rt_load(model, CTS_LOAD_RUN_UNOPTIMIZED, &err);
    cts_rt_module *t = m ? cts_rt_trace(m, method, vals, nargs, NULL, &err) : NULL;
    int rc = 0;
    if (!t) {
        rc = cli_fail(&err);
    } else {
        ir_function *f = cts_rt_method(t, method, &err);
        if (f) {
            cts_strbuf sb;
            cts_sb_init(&sb);
            ir_print_graph(f->graph, &sb, false);
            fputs(cts_sb_str(&sb), stdout);
            cts_sb_free(&sb);
        }
        if (!f || (save_path && cts_rt_save(t, save_path, &err))) rc = cli_fail(&err);
    }
    cts_rt_free(t);
    cts_rt_free(m);
    cv_release(args);
    return rc;
}
