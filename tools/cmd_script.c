/* cmd_script.c - `cts script`: compile TorchScript from a Python source file.
 *
 *   cts script FILE.py [--graph NAME] [--code NAME]
 *                      [--run NAME [--args ARGS.pt] [--output OUT.pt] [--no-print-result]]
 *
 * Every function and class decorated with @torch.jit.script is compiled
 * (functions they call are compiled with them, as torch.jit.script does).
 * --graph prints a function's graph (fn.graph), --code its code (fn.code), --run calls it with the positional
 * arguments stored in ARGS.pt and prints the result (unless
 * --no-print-result: then only what the program itself prints appears). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/compiler/cu.h"
#include "../src/compiler/printer.h"
#include "../src/runtime/interp.h"
#include "../src/serialize/torch_save.h"
#include "../src/serialize/zip.h"
#include "cli.h"

#define MAX_SOURCE ((size_t)64 << 20)

static bool is_script_decorator(cts_cu *cu, const ast *d) {
    /* @torch.jit.script, @jit.script, @script (with any import aliases) */
    char name[256] = "";
    const ast *e = d->kind == A_CALL ? d->a : d;
    int depth = 0;
    const ast *parts[8];
    while (e && e->kind == A_ATTR && depth < 8) {
        parts[depth++] = e;
        e = e->a;
    }
    if (!e || e->kind != A_NAME) return false;
    size_t off = (size_t)snprintf(name, sizeof name, "%s", e->str);
    for (int i = depth - 1; i >= 0 && off < sizeof name; i--) off += (size_t)snprintf(name + off, sizeof name - off, ".%s", parts[i]->str);
    char buf[512];
    const char *full = cts_cu_unalias(cu, name, buf, sizeof buf);
    return strcmp(full, "torch.jit.script") == 0 || strcmp(full, "torch.jit.script_if_tracing") == 0;
}

/* The qualifier of the file's definitions.  torch.jit.script names a class,
 * NamedTuple or function `__torch__.<module>.<name>` after the Python module
 * that defines it (`__torch__.<name>` for `__main__`, see _qualified_name in
 * torch/_jit_internal.py); the language corpus imports each FILE.py as module
 * FILE, so that is the module name here.  Characters that cannot appear in a
 * qualified name become '_'. */
static void module_qualifier(const char *file, char *q, size_t n) {
    const char *base = file;
    for (const char *p = file; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    size_t len = strlen(base);
    if (len > 3 && strcmp(base + len - 3, ".py") == 0) len -= 3;
    if (len == 0 || (len == 8 && strncmp(base, "__main__", 8) == 0)) {
        snprintf(q, n, "__torch__");
        return;
    }
    size_t off = (size_t)snprintf(q, n, "__torch__.%s", base[0] >= '0' && base[0] <= '9' ? "_" : "");
    for (size_t i = 0; i < len && off + 1 < n; i++) {
        char c = base[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        q[off++] = ok ? c : '_';
    }
    q[off] = 0;
}

static int compile_decorated(cts_cu *cu, const char *qualifier, const ast *mod, cts_err *err) {
    for (int i = 0; i < mod->nlist; i++) {
        const ast *s = mod->list[i];
        if (s->kind != S_DEF && s->kind != S_CLASS) continue;
        bool scripted = false;
        for (int d = 0; d < s->nlist3; d++)
            if (is_script_decorator(cu, s->list3[d])) scripted = true;
        if (!scripted) continue;
        char q[1024];
        snprintf(q, sizeof q, "%s.%s", qualifier, s->str);
        if (s->kind == S_DEF) {
            ir_function *f = cts_cu_get_function(cu, q, err);
            if (!f || cts_cu_ensure_compiled(cu, f, err)) return -1;
        } else {
            cts_type *t = cts_cu_get_class(cu, q, err);
            if (!t) return -1;
            if (t->kind == TY_CLASS)
                for (int m = 0; m < t->cls->nmethods; m++)
                    if (cts_cu_ensure_compiled(cu, t->cls->methods[m].fn, err)) return -1;
        }
    }
    return 0;
}

int cmd_script(int argc, char **argv) {
    const char *file = NULL, *graph = NULL, *code = NULL, *run = NULL, *args_path = NULL, *out_path = NULL;
    bool print_result = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--graph") || !strcmp(a, "--code") || !strcmp(a, "--run") || !strcmp(a, "--args") ||
            !strcmp(a, "--output")) {
            if (i + 1 >= argc) return cli_usage_error("option %s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--graph")) graph = v;
            else if (!strcmp(a, "--code")) code = v;
            else if (!strcmp(a, "--run")) run = v;
            else if (!strcmp(a, "--args")) args_path = v;
            else out_path = v;
        } else if (!strcmp(a, "--no-print-result")) {
            print_result = false;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("script: unknown option '%s'", a);
        } else if (!file) {
            file = a;
        } else {
            return cli_usage_error("script: unexpected argument '%s'", a);
        }
    }
    if (!file) return cli_usage_error("script: missing FILE.py");
    cts_err err = {0};
    void *text;
    size_t len;
    if (cts_read_file(file, MAX_SOURCE, &text, &len, &err)) return cli_fail(&err);
    char qualifier[512];
    module_qualifier(file, qualifier, sizeof qualifier);
    cts_cu *cu = cts_cu_new(NULL, NULL);
    int status = 0;
    cv_value args = cv_none(), result = cv_none();
    if (!cu) {
        cts_err_oom(&err, "compilation unit", 0);
        goto fail;
    }
    cu->python_frontend = 1;
    cu->default_qualifier = qualifier;
    if (cts_cu_add_source(cu, qualifier, file, text, len, &err)) goto fail;
    /* the module's statements: re-parse for decorators (the unit keeps definitions only) */
    {
        cts_arena ar;
        cts_arena_init(&ar);
        cts_source src = {file, text, len, 1};
        ast *mod = cts_parse(&ar, &src, &err);
        int rc = mod ? compile_decorated(cu, qualifier, mod, &err) : -1;
        cts_arena_free(&ar);
        if (rc) goto fail;
    }
    const char *names[2] = {graph, code};
    for (int k = 0; k < 2; k++) {
        if (!names[k]) continue;
        char q[1024];
        snprintf(q, sizeof q, "%s.%s", qualifier, names[k]);
        ir_function *f = cts_cu_get_function(cu, q, &err);
        if (!f || cts_cu_ensure_compiled(cu, f, &err)) goto fail;
        if (k == 0) {
            cts_strbuf sb;
            cts_sb_init(&sb);
            ir_print_graph(f->graph, &sb, false);
            fputs(cts_sb_str(&sb), stdout);
            cts_sb_free(&sb);
        } else {
            /* ScriptFunction.code: every argument annotated */
            cts_printer_ctx pctx;
            cts_printer_ctx_init(&pctx, cu);
            cts_strbuf sb;
            cts_sb_init(&sb);
            int prc = cts_print_function_code(f, false, &sb, &pctx, &err);
            if (!prc) fputs(cts_sb_str(&sb), stdout);
            cts_sb_free(&sb);
            cts_printer_ctx_free(&pctx);
            if (prc) goto fail;
        }
    }
    if (run) {
        char q[1024];
        snprintf(q, sizeof q, "%s.%s", qualifier, run);
        ir_function *f = cts_cu_get_function(cu, q, &err);
        if (!f || cts_lower_function(cu, f, &err)) goto fail;
        if (args_path && cts_torch_load_file(args_path, &args, &err)) goto fail;
        const cv_value *av = NULL;
        int na = 0;
        if (args.tag == CV_TUPLE) {
            av = args.u.tu->items;
            na = (int)args.u.tu->len;
        } else if (args.tag == CV_LIST) {
            av = args.u.l->items;
            na = (int)args.u.l->len;
        } else if (args.tag != CV_NONE) {
            av = &args;
            na = 1;
        }
        const cts_schema *s = f->schema;
        cv_value full[64];
        if (s->nargs > 64 || na > s->nargs) {
            cts_err_set(&err, "%s() expected at most %d argument(s) but received %d argument(s)", run, s->nargs, na);
            goto fail;
        }
        for (int i = 0; i < s->nargs; i++) {
            if (i < na) full[i] = av[i];
            else if (s->args[i].has_default) full[i] = s->args[i].default_val;
            else {
                cts_err_set(&err, "%s() is missing value for argument '%s'", run, s->args[i].name);
                goto fail;
            }
        }
        cts_kctx k = {&err, NULL, NULL};
        fflush(stdout);
        if (cts_run_function(f, full, s->nargs, &result, &k)) goto fail;
        fflush(stdout);
        if (print_result) {
            cts_strbuf sb;
            cts_sb_init(&sb);
            cli_repr(result, &sb);
            puts(cts_sb_str(&sb));
            cts_sb_free(&sb);
        }
        if (out_path && cts_torch_save(result, out_path, &err)) goto fail;
    }
    goto done;
fail:
    fflush(stdout);
    status = cli_fail(&err);
done:
    cv_release(args);
    cv_release(result);
    cts_cu_free(cu);
    free(text);
    return status;
}
