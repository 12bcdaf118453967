/* test_printer.c - the code printer (printer.h) against PyTorch's python_print.
 *
 * printer_cases.inc (from gen_printer_cases.py, run with PyTorch 1.13)
 * holds small TorchScript programs with what PyTorch prints for them:
 *
 *   - function cases: the source is compiled with cts's compiler (Python
 *     frontend) and the function printed as ScriptFunction.code; the text
 *     must equal PyTorch's `fn.code`;
 *   - module cases: the code/ files of a saved scripted module are loaded
 *     with cts's compiler as an archive loader does, every class and
 *     function is printed back into its file (one cts_printer per file) and
 *     must reproduce the file; `forward` printed as Method.code must equal
 *     `torch.jit.load(archive).code`.
 *
 * A case whose source cts cannot compile yet is skipped with the compiler's
 * message (the construct is in the case's name and source).  When a printed
 * text differs, the test says whether cts's graph equals PyTorch's (after
 * renumbering numeric value names): if it does the printer is wrong, if not
 * the compiler built a different graph.  Both fail the test, except the
 * compiler differences listed in KNOWN_GRAPH_DIFFS (with their causes),
 * which are counted and shown with -v.  Module cases also replay an archive
 * writer (dependency order, one printer per file) and compare its files.
 *
 *   test_printer                 all cases, a summary line per category
 *   test_printer -v              also every skipped case's message
 *   test_printer NAME...         only these cases, with both texts and graphs
 *
 * The unit tests at the end check printer rules on hand-built graphs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/cu.h"
#include "core/arena.h"
#include "compiler/printer.h"
#include "core/strbuf.h"
#include "ir/ir.h"
#include "test.h"

typedef struct printer_fn_case {
    const char *name;   /* case name */
    const char *fn;     /* the function printed (defined in source) */
    const char *source, *code, *graph;
} printer_fn_case;

typedef struct printer_file {
    const char *path, *text;
} printer_file;

typedef struct printer_mod_case {
    const char *name;
    const printer_file *files;
    int nfiles;
    const char *code, *graph;
} printer_mod_case;

#include "printer_cases.inc"

#define NFN ((int)(sizeof PRINTER_FN_CASES / sizeof *PRINTER_FN_CASES))
#define NMOD ((int)(sizeof PRINTER_MOD_CASES / sizeof *PRINTER_MOD_CASES))

static int verbose = 0;
static const char *const *only_names = NULL;
static int n_only = 0;

static bool selected(const char *name) {
    if (!n_only) return true;
    for (int i = 0; i < n_only; i++)
        if (!strcmp(only_names[i], name)) return true;
    return false;
}

/* ---- graph normalization: all-digit value names renumbered by first use -- */

static char *normalize_graph(const char *g) {
    cts_strbuf out;
    cts_sb_init(&out);
    char names[512][24];
    int nnames = 0;
    for (const char *p = g; *p;) {
        if (*p == '%' && p[1] >= '0' && p[1] <= '9') {
            const char *q = p + 1;
            while (*q >= '0' && *q <= '9') q++;
            if (*q != '.' && !(*q >= 'a' && *q <= 'z') && !(*q >= 'A' && *q <= 'Z') && *q != '_') {
                size_t len = (size_t)(q - p - 1);
                int id = -1;
                for (int i = 0; i < nnames; i++)
                    if (strlen(names[i]) == len && !memcmp(names[i], p + 1, len)) id = i;
                if (id < 0 && nnames < 512 && len < sizeof names[0]) {
                    memcpy(names[nnames], p + 1, len);
                    names[nnames][len] = 0;
                    id = nnames++;
                }
                cts_sb_printf(&out, "%%%d", id);
                p = q;
                continue;
            }
        }
        /* drop trailing blanks of lines */
        if (*p == ' ') {
            const char *q = p;
            while (*q == ' ') q++;
            if (*q == '\n' || !*q) {
                p = q;
                continue;
            }
        }
        cts_sb_putc(&out, *p++);
    }
    return cts_sb_take(&out);
}

static bool graphs_equal(const char *a, const char *b) {
    char *na = normalize_graph(a), *nb = normalize_graph(b);
    bool eq = na && nb && !strcmp(na, nb);
    free(na);
    free(nb);
    return eq;
}

/* first line where a and b differ, for messages */
static void show_first_diff(const char *got, const char *want) {
    int line = 1;
    const char *a = got, *b = want;
    while (*a && *a == *b) {
        if (*a == '\n') line++;
        a++;
        b++;
    }
    const char *la = a, *lb = b;
    while (la > got && la[-1] != '\n') la--;
    while (lb > want && lb[-1] != '\n') lb--;
    const char *ea = strchr(la, '\n'), *eb = strchr(lb, '\n');
    int na = ea ? (int)(ea - la) : (int)strlen(la), nb = eb ? (int)(eb - lb) : (int)strlen(lb);
    fprintf(stderr, "    line %d:\n      cts:     %.*s\n      PyTorch: %.*s\n", line, na, la, nb, lb);
}

static void first_line(const char *msg, char *buf, size_t n) {
    size_t i = 0;
    while (msg[i] && msg[i] != '\n' && i + 1 < n) {
        buf[i] = msg[i];
        i++;
    }
    buf[i] = 0;
}

/* ---- known compiler differences ----------------------------------------- */

/* Cases whose cts graph differs from PyTorch's for a reason outside the
 * printer (the printed code follows the graph).  They are reported but do
 * not fail the test; a new difference does.  When one starts passing the
 * test says so: remove it from this table. */
static const struct {
    const char *name, *why;
} KNOWN_GRAPH_DIFFS[] = {
    {"p_dead_loop", "a loop whose outputs are unused is removed; PyTorch keeps loops"},
    {"p_many_consts", "constant pooling keeps -0. apart from 0. (PyTorch pools them)"},
    {"p_empty_list", "writes to a list never read are not removed (PyTorch's alias-aware DCE)"},
};

static const char *known_graph_diff(const char *name) {
    for (size_t i = 0; i < sizeof KNOWN_GRAPH_DIFFS / sizeof *KNOWN_GRAPH_DIFFS; i++)
        if (!strcmp(KNOWN_GRAPH_DIFFS[i].name, name)) return KNOWN_GRAPH_DIFFS[i].why;
    return NULL;
}

/* ---- counters --------------------------------------------------------- */

static int n_pass = 0, n_skip = 0, n_fail_printer = 0, n_fail_graph = 0, n_known = 0;

static void report_mismatch(const char *name, const char *what, const char *got, const char *want,
                            const char *cts_graph, const char *pt_graph) {
    bool same_graph = cts_graph && pt_graph && graphs_equal(cts_graph, pt_graph);
    const char *known = same_graph ? NULL : known_graph_diff(name);
    if (known) {
        n_known++;
        if (verbose || n_only) fprintf(stderr, "KNOWN %s: cts's graph differs from PyTorch's: %s\n", name, known);
        if (!n_only) return;
    } else if (same_graph) {
        n_fail_printer++;
    } else {
        n_fail_graph++;
    }
    fprintf(stderr, "FAIL %s: %s differs (%s)\n", name, what,
            same_graph ? "graph identical to PyTorch's: printer bug" : "cts's graph differs from PyTorch's");
    show_first_diff(got, want);
    if (n_only) {
        fprintf(stderr, "--- cts code:\n%s--- PyTorch code:\n%s", got, want);
        if (cts_graph) fprintf(stderr, "--- cts graph:\n%s", cts_graph);
        if (pt_graph) fprintf(stderr, "--- PyTorch graph:\n%s", pt_graph);
    }
}

static void report_skip(const char *name, const cts_err *err) {
    char l[300];
    first_line(err->set ? err->msg : "(no message)", l, sizeof l);
    n_skip++;
    if (verbose || n_only) fprintf(stderr, "SKIP %s: cts cannot compile it yet: %s\n", name, n_only ? err->msg : l);
}

static char *graph_text(const ir_graph *g) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    ir_print_graph(g, &sb, false);
    return cts_sb_take(&sb);
}

/* ---- function cases ----------------------------------------------------- */

static void run_fn_case(const printer_fn_case *c) {
    cts_err err = {0};
    size_t len = strlen(c->source);
    char *text = malloc(len ? len : 1);
    memcpy(text, c->source, len);
    cts_cu *cu = cts_cu_new(NULL, NULL);
    cu->python_frontend = 1;
    char q[256];
    snprintf(q, sizeof q, "__torch__.%s", c->fn);
    ir_function *fn = NULL;
    if (cts_cu_add_source(cu, "__torch__", c->name, text, len, &err) || !(fn = cts_cu_get_function(cu, q, &err)) ||
        cts_cu_ensure_compiled(cu, fn, &err)) {
        report_skip(c->name, &err);
        goto done;
    }
    cts_printer_ctx ctx;
    cts_printer_ctx_init(&ctx, cu);
    cts_strbuf sb;
    cts_sb_init(&sb);
    char *g = graph_text(fn->graph);
    if (cts_print_function_code(fn, false, &sb, &ctx, &err)) {
        n_fail_printer++;
        fprintf(stderr, "FAIL %s: printer error: %s\n", c->name, err.msg);
        if (n_only) fprintf(stderr, "--- cts graph:\n%s--- PyTorch graph:\n%s", g, c->graph);
    } else if (strcmp(cts_sb_str(&sb), c->code)) {
        report_mismatch(c->name, "code", cts_sb_str(&sb), c->code, g, c->graph);
    } else {
        n_pass++;
        if (known_graph_diff(c->name))
            fprintf(stderr, "NOTE %s now prints as PyTorch does: remove it from KNOWN_GRAPH_DIFFS\n", c->name);
        if (n_only) fprintf(stderr, "PASS %s\n%s", c->name, cts_sb_str(&sb));
    }
    free(g);
    cts_sb_free(&sb);
    cts_printer_ctx_free(&ctx);
done:
    cts_cu_free(cu);
    free(text);
}

/* ---- module cases --------------------------------------------------------- */

typedef struct mod_loader {
    const printer_mod_case *c;
    char **texts; /* copies without a terminating NUL (ASan checks the length) */
} mod_loader;

static int load_file(void *vctx, const char *qualifier, const char **text, size_t *len, const char **display,
                     cts_err *err) {
    (void)err;
    mod_loader *l = vctx;
    char path[512];
    snprintf(path, sizeof path, "%s.py", qualifier);
    for (char *p = path; *p; p++)
        if (*p == '.' && strcmp(p, ".py")) *p = '/';
    for (int i = 0; i < l->c->nfiles; i++) {
        if (strcmp(l->c->files[i].path, path)) continue;
        *text = l->texts[i];
        *len = strlen(l->c->files[i].text);
        *display = l->c->files[i].path;
        return 1;
    }
    return 0;
}

/* Prints every top-level definition of one code/ file in its order; with
 * P NULL only declares them, with names from `names` (the unit keeps the
 * qualified name it is given as a map key: it must outlive the unit). */
static int print_file(cts_cu *cu, const printer_file *f, cts_printer *P, cts_arena *names, cts_err *err) {
    char qual[512];
    snprintf(qual, sizeof qual, "%s", f->path);
    size_t ql = strlen(qual);
    if (ql > 3) qual[ql - 3] = 0; /* ".py" */
    for (char *p = qual; *p; p++)
        if (*p == '/') *p = '.';
    for (const char *line = f->text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t n = eol ? (size_t)(eol - line) : strlen(line);
        bool is_class = n > 6 && !strncmp(line, "class ", 6), is_def = n > 4 && !strncmp(line, "def ", 4);
        if (is_class || is_def) {
            const char *nm = line + (is_class ? 6 : 4);
            size_t k = 0;
            while (nm[k] && nm[k] != '(' && nm[k] != ':' && nm[k] != '\n') k++;
            char q[700];
            snprintf(q, sizeof q, "%s.%.*s", qual, (int)k, nm);
            const char *name = names ? cts_arena_strdup(names, q) : q;
            if (is_class) {
                cts_type *t = cts_cu_get_class(cu, name, err);
                if (!t || (P && cts_printer_class(P, t, err))) return -1;
            } else {
                ir_function *fn = cts_cu_get_function(cu, name, err);
                if (!fn || (P && cts_printer_function(P, fn, true, err))) return -1;
            }
        }
        if (!eol) break;
        line = eol + 1;
    }
    return 0;
}

/* What an archive writer does (ScriptModuleSerializer::convertTypes): the
 * root class seeds the dependency table, each dependency is printed into
 * the file of its qualifier, and printing adds further dependencies.  The
 * files must come out as PyTorch wrote them, in content and order. */
static bool check_writer_order(cts_cu *cu, const printer_mod_case *c, cts_type *root, cts_err *err) {
    cts_printer_ctx ctx;
    cts_printer_ctx_init(&ctx, cu);
    cts_printer files[16];
    char quals[16][256];
    int nfiles = 0;
    bool ok = cts_printer_ctx_add_dep(&ctx, root, NULL) == 0;
    for (int i = 0; ok && i < ctx.ndeps; i++) {
        cts_print_dep d = ctx.deps[i]; /* printing may grow the table */
        char q[256];
        snprintf(q, sizeof q, "%s", cts_print_dep_qualname(&d));
        char *dot = strrchr(q, '.');
        if (dot) *dot = 0;
        int k = 0;
        while (k < nfiles && strcmp(quals[k], q)) k++;
        if (k == nfiles) {
            if (nfiles == 16) {
                ok = false;
                break;
            }
            snprintf(quals[nfiles], sizeof quals[0], "%s", q);
            cts_printer_init(&files[nfiles++], &ctx, true);
        }
        if (cts_printer_dep(&files[k], &d, err)) {
            fprintf(stderr, "FAIL %s: writer order: printing %s: %s\n", c->name, cts_print_dep_qualname(&d), err->msg);
            ok = false;
        }
    }
    for (int i = 0; ok && i < c->nfiles; i++) {
        char q[512];
        snprintf(q, sizeof q, "%s", c->files[i].path);
        q[strlen(q) - 3] = 0;
        for (char *p = q; *p; p++)
            if (*p == '/') *p = '.';
        int k = 0;
        while (k < nfiles && strcmp(quals[k], q)) k++;
        if (k == nfiles) {
            fprintf(stderr, "FAIL %s: writer order: no dependency leads to code/%s\n", c->name, c->files[i].path);
            ok = false;
        } else if (strcmp(cts_sb_str(&files[k].out), c->files[i].text)) {
            fprintf(stderr, "FAIL %s: writer order: code/%s differs\n", c->name, c->files[i].path);
            show_first_diff(cts_sb_str(&files[k].out), c->files[i].text);
            ok = false;
        }
    }
    if (ok && nfiles != c->nfiles) {
        fprintf(stderr, "FAIL %s: writer order: %d files for PyTorch's %d\n", c->name, nfiles, c->nfiles);
        ok = false;
    }
    for (int i = 0; i < nfiles; i++) cts_printer_free(&files[i]);
    cts_printer_ctx_free(&ctx);
    return ok;
}

static void run_mod_case(const printer_mod_case *c) {
    mod_loader l = {c, calloc((size_t)c->nfiles, sizeof(char *))};
    for (int i = 0; i < c->nfiles; i++) {
        size_t n = strlen(c->files[i].text);
        l.texts[i] = malloc(n ? n : 1);
        memcpy(l.texts[i], c->files[i].text, n);
    }
    cts_err err = {0};
    cts_arena names;
    cts_arena_init(&names);
    cts_cu *cu = cts_cu_new(load_file, &l);
    cts_printer_ctx ctx;
    cts_printer_ctx_init(&ctx, cu);
    char q[256];
    snprintf(q, sizeof q, "__torch__.%s", c->name);
    cts_type *cls = cts_cu_get_class(cu, cts_arena_strdup(&names, q), &err);
    ir_function *fwd = cls ? cts_cu_get_method(cu, cls, "forward", &err) : NULL;
    /* every definition is declared with a lasting name before compiling
     * (a class first met by the compiler is keyed by a name the compiler
     * frees: see the report on cu.c's declare_class) */
    for (int i = 0; fwd && i < c->nfiles; i++)
        if (print_file(cu, &c->files[i], NULL, &names, &err)) fwd = NULL;
    if (!fwd || cts_cu_compile_all(cu, &err)) {
        report_skip(c->name, &err);
        goto done;
    }
    bool ok = true;
    /* archive files */
    for (int i = 0; i < c->nfiles; i++) {
        cts_printer P;
        cts_printer_init(&P, &ctx, true);
        char label[600];
        snprintf(label, sizeof label, "code/%s", c->files[i].path);
        if (print_file(cu, &c->files[i], &P, NULL, &err)) {
            ok = false;
            n_fail_printer++;
            fprintf(stderr, "FAIL %s: %s: %s\n", c->name, label, err.msg);
        } else if (strcmp(cts_sb_str(&P.out), c->files[i].text)) {
            ok = false;
            /* the graph shown is forward's: the file may differ elsewhere */
            char *g = graph_text(fwd->graph);
            report_mismatch(c->name, label, cts_sb_str(&P.out), c->files[i].text, NULL, NULL);
            free(g);
        }
        cts_printer_free(&P);
    }
    if (ok && !check_writer_order(cu, c, cls, &err)) {
        ok = false;
        n_fail_printer++;
    }
    /* module.code */
    cts_strbuf sb;
    cts_sb_init(&sb);
    char *g = graph_text(fwd->graph);
    if (cts_print_function_code(fwd, true, &sb, &ctx, &err)) {
        ok = false;
        n_fail_printer++;
        fprintf(stderr, "FAIL %s: printer error: %s\n", c->name, err.msg);
    } else if (strcmp(cts_sb_str(&sb), c->code)) {
        ok = false;
        report_mismatch(c->name, "module.code", cts_sb_str(&sb), c->code, g, c->graph);
    }
    if (ok) {
        n_pass++;
        if (n_only) fprintf(stderr, "PASS %s\n%s", c->name, cts_sb_str(&sb));
    }
    free(g);
    cts_sb_free(&sb);
done:
    cts_printer_ctx_free(&ctx);
    cts_cu_free(cu);
    cts_arena_free(&names);
    for (int i = 0; i < c->nfiles; i++) free(l.texts[i]);
    free(l.texts);
}

TEST(test_printer_matches_pytorch_on_cases) {
    for (int i = 0; i < NFN; i++)
        if (selected(PRINTER_FN_CASES[i].name)) run_fn_case(&PRINTER_FN_CASES[i]);
    for (int i = 0; i < NMOD; i++)
        if (selected(PRINTER_MOD_CASES[i].name)) run_mod_case(&PRINTER_MOD_CASES[i]);
    printf("printer cases: %d pass, %d skipped (not compiled by cts yet), %d known compiler differences, %d fail "
           "(printer), %d fail (cts graph differs from PyTorch's)\n",
           n_pass, n_skip, n_known, n_fail_printer, n_fail_graph);
    CHECK_EQ_INT(n_fail_printer, 0);
    CHECK_EQ_INT(n_fail_graph, 0);
}

/* ---- rules on hand-built graphs -------------------------------------------- */

static const char *HAND_SRC = "def f(x: int) -> int:\n    return x\n";

/* A compiled function whose graph a test may rebuild. */
static ir_function *hand_function(cts_cu **cu_out) {
    cts_err err = {0};
    cts_cu *cu = cts_cu_new(NULL, NULL);
    *cu_out = cu;
    if (cts_cu_add_source(cu, "__torch__", "hand.py", HAND_SRC, strlen(HAND_SRC), &err)) return NULL;
    ir_function *fn = cts_cu_get_function(cu, "__torch__.f", &err);
    if (!fn || cts_cu_ensure_compiled(cu, fn, &err)) return NULL;
    return fn;
}

static char *print_code(const ir_function *fn, bool method, cts_printer_ctx *ctx) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_err err = {0};
    if (cts_print_function_code(fn, method, &sb, ctx, &err)) {
        cts_sb_free(&sb);
        return strdup(err.msg);
    }
    return cts_sb_take(&sb);
}

TEST(test_printer_method_code_omits_self_annotation) {
    cts_cu *cu;
    ir_function *fn = hand_function(&cu);
    CHECK(fn != NULL);
    if (fn) {
        cts_printer_ctx ctx;
        cts_printer_ctx_init(&ctx, NULL);
        char *a = print_code(fn, false, &ctx), *b = print_code(fn, true, &ctx);
        CHECK_STR(a, "def f(x: int) -> int:\n  return x\n");
        CHECK_STR(b, "def f(x) -> int:\n  return x\n");
        free(a);
        free(b);
        cts_printer_ctx_free(&ctx);
    }
    cts_cu_free(cu);
}

/* Replaces f's body by `return <constant>` and prints it. */
static char *print_with_constant(ir_function *fn, cv_value v, cts_printer_ctx *ctx) {
    ir_graph *g = fn->graph;
    ir_block *b = g->block;
    ir_set_insert_before(g, b->ret);
    ir_value *c = ir_insert_constant(g, v, NULL, 0, 0);
    ir_value *old = ir_block_output(b, 0);
    ir_replace_input(b->ret, 0, c);
    if (old->nuses == 0 && old->node->k == K_CONSTANT) ir_destroy(old->node);
    return print_code(fn, false, ctx);
}

TEST(test_printer_constants_and_constants_table) {
    cts_cu *cu;
    ir_function *fn = hand_function(&cu);
    CHECK(fn != NULL);
    if (fn) {
        cts_printer_ctx ctx;
        cts_printer_ctx_init(&ctx, NULL);
        cts_err err = {0};
        char *s;
        s = print_with_constant(fn, cv_float(0.1), &ctx);
        CHECK_CONTAINS(s, "return 0.10000000000000001\n");
        free(s);
        s = print_with_constant(fn, cv_float(-0.0), &ctx);
        CHECK_CONTAINS(s, "return -0.\n");
        free(s);
        s = print_with_constant(fn, cv_float(1e10), &ctx);
        CHECK_CONTAINS(s, "return 10000000000\n");
        free(s);
        s = print_with_constant(fn, cv_float(3e20), &ctx);
        CHECK_CONTAINS(s, "return 3e+20\n");
        free(s);
        s = print_with_constant(fn, cv_device(0, -1), &ctx);
        CHECK_CONTAINS(s, "return torch.device(\"cpu\")\n");
        free(s);
        cv_value str;
        CHECK(cv_str_from("a\tb\001\"", &str, &err) == 0);
        s = print_with_constant(fn, str, &ctx);
        CHECK_CONTAINS(s, "return \"a\\tb\\001\\\"\"\n");
        free(s);
        cv_release(str);
        /* non-ASCII strings and tensors go to the CONSTANTS table */
        CHECK(cv_str_from("h\xc3\xa9", &str, &err) == 0);
        s = print_with_constant(fn, str, &ctx);
        CHECK_CONTAINS(s, "return CONSTANTS.c0\n");
        free(s);
        cv_release(str);
        int64_t sz[1] = {2};
        ct_tensor *t1 = ct_tensor_zeros(CT_FLOAT32, 1, sz, &err), *t2 = ct_tensor_zeros(CT_FLOAT32, 1, sz, &err);
        s = print_with_constant(fn, cv_tensor(t1), &ctx);
        CHECK_CONTAINS(s, "return CONSTANTS.c1\n");
        free(s);
        s = print_with_constant(fn, cv_tensor(t2), &ctx); /* equal tensors share an entry */
        CHECK_CONTAINS(s, "return CONSTANTS.c1\n");
        free(s);
        CHECK_EQ_INT(ctx.nconstants, 2);
        ct_tensor_release(t1);
        ct_tensor_release(t2);
        /* a long string is not inlined */
        CHECK(cv_str_from("a string constant that is long enough", &str, &err) == 0);
        s = print_with_constant(fn, str, &ctx);
        CHECK_STR(s, "def f(x: int) -> int:\n  _0 = \"a string constant that is long enough\"\n  return _0\n");
        free(s);
        cv_release(str);
        cts_printer_ctx_free(&ctx);
    }
    cts_cu_free(cu);
}

TEST(test_printer_name_counters_persist_per_file) {
    /* PyTorch's next_id is per printer (file), used names per function */
    cts_cu *cu;
    ir_function *fn = hand_function(&cu);
    CHECK(fn != NULL);
    if (fn) {
        cts_printer_ctx ctx;
        cts_printer_ctx_init(&ctx, NULL);
        cts_err err = {0};
        cv_value str;
        CHECK(cv_str_from("a string constant that is long enough", &str, &err) == 0);
        char *s = print_with_constant(fn, str, &ctx);
        free(s);
        cv_release(str);
        cts_printer P;
        cts_printer_init(&P, &ctx, true);
        CHECK(cts_printer_function(&P, fn, true, &err) == 0);
        CHECK(cts_printer_function(&P, fn, true, &err) == 0);
        CHECK_STR(cts_sb_str(&P.out), "def f(x: int) -> int:\n  _0 = \"a string constant that is long enough\"\n"
                                      "  return _0\n"
                                      "def f(x: int) -> int:\n  _1 = \"a string constant that is long enough\"\n"
                                      "  return _1\n");
        cts_printer_free(&P);
        cts_printer_ctx_free(&ctx);
    }
    cts_cu_free(cu);
}

int main(int argc, char **argv) {
    int first = 1;
    if (argc > 1 && !strcmp(argv[1], "-v")) {
        verbose = 1;
        first = 2;
    }
    if (argc > first) {
        only_names = (const char *const *)argv + first;
        n_only = argc - first;
    }
    RUN(test_printer_matches_pytorch_on_cases);
    if (!n_only) {
        RUN(test_printer_method_code_omits_self_annotation);
        RUN(test_printer_constants_and_constants_table);
        RUN(test_printer_name_counters_persist_per_file);
    }
    return test_summary();
}
