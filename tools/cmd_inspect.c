/* cmd_inspect.c - `cts graph`, `cts code`, `cts info`, `cts ops`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/ops/op.h"
#include "../src/runtime/module.h"
#include "../src/compiler/printer.h"
#include "cli.h"

/* optimized: where the command takes --optimized, else NULL */
static int parse_model_args(int argc, char **argv, const char **model, const char **method, bool *optimized) {
    for (int i = 1; i < argc; i++) {
        if (optimized && strcmp(argv[i], "--optimized") == 0) {
            *optimized = true;
        } else if (strcmp(argv[i], "--method") == 0) {
            if (i + 1 >= argc) return cli_usage_error("option --method needs a value");
            *method = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error("%s: unknown option '%s'", argv[0], argv[i]);
        } else if (!*model) {
            *model = argv[i];
        } else {
            return cli_usage_error("%s: unexpected argument '%s'", argv[0], argv[i]);
        }
    }
    if (!*model) return cli_usage_error("%s: missing MODEL.pt", argv[0]);
    return 0;
}

/* `cts graph M.pt [--optimized]`: the method's graph as loaded, or the
 * execution copy cts runs for it (runtime/optimize.c). */
int cmd_graph(int argc, char **argv) {
    const char *model = NULL, *method = "forward";
    bool optimized = false;
    int u = parse_model_args(argc, argv, &model, &method, &optimized);
    if (u) return u;
    cts_err err = {0};
    cts_rt_module *m = cts_rt_load(model, optimized ? CTS_LOAD_RUN : CTS_LOAD_INSPECT, &err);
    if (!m) return cli_fail(&err);
    ir_function *f = cts_rt_method(m, method, &err);
    if (!f || cts_cu_ensure_compiled(m->cu, f, &err)) {
        cts_rt_free(m);
        return cli_fail(&err);
    }
    ir_function *run = optimized ? cts_rt_runnable(m, f) : f;
    if (run == f && optimized) {
        /* no copy: say why (the passes on this method alone give the error) */
        ir_graph *copy = ir_graph_new();
        if (copy) {
            ir_block_clone_from(copy->block, f->graph->block);
            if (!cts_rt_optimize_graph(copy, m->cu, f, m->root, &err))
                cts_err_set(&err, "method %s runs as loaded (its optimized copy could not be lowered)", method);
            ir_graph_free(copy);
        } else {
            cts_err_oom(&err, "graph", 0);
        }
        cts_rt_free(m);
        return cli_fail(&err);
    }
    cts_strbuf sb;
    cts_sb_init(&sb);
    ir_print_graph(run->graph, &sb, false);
    fputs(cts_sb_str(&sb), stdout);
    cts_sb_free(&sb);
    cts_rt_free(m);
    return 0;
}

int cmd_code(int argc, char **argv) {
    const char *model = NULL, *method = "forward";
    int u = parse_model_args(argc, argv, &model, &method, NULL);
    if (u) return u;
    cts_err err = {0};
    cts_rt_module *m = cts_rt_load(model, CTS_LOAD_INSPECT, &err);
    if (!m) return cli_fail(&err);
    ir_function *f = cts_rt_method(m, method, &err);
    if (!f) {
        cts_rt_free(m);
        return cli_fail(&err);
    }
    /* Method.code: printed from the compiled graph by PyTorch's rules */
    cts_printer_ctx pctx;
    cts_printer_ctx_init(&pctx, m->cu);
    cts_strbuf sb;
    cts_sb_init(&sb);
    int rc = cts_print_function_code(f, true, &sb, &pctx, &err);
    if (!rc) fputs(cts_sb_str(&sb), stdout);
    cts_sb_free(&sb);
    cts_printer_ctx_free(&pctx);
    cts_rt_free(m);
    return rc ? cli_fail(&err) : 0;
}

static const char *basename_of(const char *qualname) {
    const char *d = strrchr(qualname, '.');
    return d ? d + 1 : qualname;
}

static void print_tree(cv_value obj, cts_strbuf *sb, int indent) {
    cts_class *c = obj.u.o->type->cls;
    int nsub = 0;
    for (int i = 0; i < c->nattrs; i++)
        if (c->attrs[i].type->kind == TY_CLASS && c->attrs[i].type->cls->is_module && obj.u.o->slots[i].tag == CV_OBJECT)
            nsub++;
    if (!nsub) {
        cts_sb_printf(sb, "RecursiveScriptModule(original_name=%s)", basename_of(c->qualname));
        return;
    }
    cts_sb_puts(sb, "RecursiveScriptModule(\n");
    cts_sb_printf(sb, "%*soriginal_name=%s\n", indent + 2, "", basename_of(c->qualname));
    for (int i = 0; i < c->nattrs; i++) {
        cv_value s = obj.u.o->slots[i];
        if (!(c->attrs[i].type->kind == TY_CLASS && c->attrs[i].type->cls->is_module && s.tag == CV_OBJECT)) continue;
        cts_sb_printf(sb, "%*s(%s): ", indent + 2, "", c->attrs[i].name);
        print_tree(s, sb, indent + 2);
        cts_sb_putc(sb, '\n');
    }
    cts_sb_printf(sb, "%*s)", indent, "");
}

static void print_params(cv_value obj, const char *prefix, cts_strbuf *sb) {
    cts_class *c = obj.u.o->type->cls;
    for (int i = 0; i < c->nattrs; i++) {
        cv_value s = obj.u.o->slots[i];
        char name[512];
        snprintf(name, sizeof name, "%s%s%s", prefix, prefix[0] ? "." : "", c->attrs[i].name);
        if ((c->attrs[i].is_param || c->attrs[i].is_buffer) && s.tag == CV_TENSOR && s.u.t) {
            char shape[256];
            ct_shape_str(s.u.t->ndim, s.u.t->sizes, shape, sizeof shape);
            cts_sb_printf(sb, "  %-40s %-9s %-16s %s\n", name, c->attrs[i].is_param ? "parameter" : "buffer", shape,
                          ct_dtype_name(s.u.t->dtype));
        } else if (c->attrs[i].type->kind == TY_CLASS && s.tag == CV_OBJECT && s.u.o->type->cls->is_module) {
            print_params(s, name, sb);
        }
    }
}

/* collects operator keys used by compiled graphs */
static void collect_ops(ir_block *b, cts_map *seen) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        if (n->k == K_OP && n->schema) {
            char key[256];
            if (n->schema->overload[0]) snprintf(key, sizeof key, "%s.%s", n->schema->name, n->schema->overload);
            else snprintf(key, sizeof key, "%s", n->schema->name);
            if (!cts_map_get(seen, key)) {
                char *k = strdup(key);
                if (k && cts_map_put(seen, k, (void *)n->schema->text)) free(k);
            }
        }
        for (int i = 0; i < n->nblocks; i++) collect_ops(n->blocks[i], seen);
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

int cmd_info(int argc, char **argv) {
    const char *model = NULL, *method = "forward";
    int u = parse_model_args(argc, argv, &model, &method, NULL);
    if (u) return u;
    cts_err err = {0};
    cts_rt_module *m = cts_rt_load(model, CTS_LOAD_INSPECT, &err);
    if (!m) return cli_fail(&err);
    cts_strbuf sb;
    cts_sb_init(&sb);
    print_tree(m->root, &sb, 0);
    cts_sb_putc(&sb, '\n');
    cts_sb_printf(&sb, "\narchive: version %lld, written by %s\n", (long long)m->version, m->producer);
    cts_sb_puts(&sb, "\nparameters and buffers:\n");
    print_params(m->root, "", &sb);
    int rc = cts_cu_compile_all(m->cu, &err);
    cts_map seen;
    cts_map_init(&seen);
    for (int i = 0; i < m->cu->nfns; i++)
        if (m->cu->fns[i]->graph) collect_ops(m->cu->fns[i]->graph->block, &seen);
    const char **keys = malloc((seen.len + 1) * sizeof *keys);
    int nk = 0;
    for (size_t i = 0; keys && i < seen.cap; i++)
        if (seen.slots[i].key) keys[nk++] = seen.slots[i].key;
    if (keys) qsort(keys, (size_t)nk, sizeof *keys, cmp_str);
    int missing = 0;
    cts_sb_puts(&sb, "\noperators:\n");
    for (int i = 0; i < nk; i++) {
        bool ok = cts_op_find_kernel(keys[i], NULL) != NULL;
        if (!ok) missing++;
        cts_sb_printf(&sb, "  %-16s %s\n", ok ? "implemented" : "NOT IMPLEMENTED", keys[i]);
    }
    cts_sb_printf(&sb, "%d operators, %d not implemented\n", nk, missing);
    if (rc) cts_sb_printf(&sb, "\nnote: compiling the module's code failed: %s\n", err.msg);
    fputs(cts_sb_str(&sb), stdout);
    cts_sb_free(&sb);
    for (int i = 0; i < nk; i++) free((void *)keys[i]);
    free(keys);
    cts_map_free(&seen);
    cts_rt_free(m);
    return 0;
}

int cmd_ops(int argc, char **argv) {
    (void)argc;
    (void)argv;
    int total = cts_op_count();
    for (int i = 0; i < total; i++) puts(cts_op_at(i)->schema);
    fprintf(stderr, "%d operators\n", total);
    return 0;
}

/* cts save IN.pt OUT.pt: load an archive and write it again, code printed
 * from the compiled graphs (needs no kernels: the module is not run). */
int cmd_save(int argc, char **argv) {
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) return cli_usage_error("save: unknown option '%s'", argv[i]);
        if (!in) in = argv[i];
        else if (!out) out = argv[i];
        else return cli_usage_error("save: unexpected argument '%s'", argv[i]);
    }
    if (!in || !out) return cli_usage_error("save: usage: cts save IN.pt OUT.pt");
    cts_err err = {0};
    cts_rt_module *m = cts_rt_load(in, CTS_LOAD_INSPECT, &err);
    if (!m) return cli_fail(&err);
    int rc = cts_rt_save(m, out, &err);
    cts_rt_free(m);
    return rc ? cli_fail(&err) : 0;
}
