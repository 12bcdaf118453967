/* save.c - writing a module as a TorchScript archive PyTorch loads
 * (torch.jit.save's layout, torchscript-format.md 1.4-1.9):
 *
 *   data/0 .. data/N-1   the storages data.pkl refers to, first-reference order
 *   data.pkl             the root module object (JIT pickle dialect)
 *   code/<qualifier>.py  the classes and functions the module's code uses,
 *                        printed from their graphs by cts's printer, one file
 *                        per qualifier in dependency order (root file first)
 *   constants/0 ..       the storages of tensor constants of the code
 *   constants.pkl        the printer's CONSTANTS table
 *   version              max(3, the least version the printed ops need);
 *                        `.data/version` from 6 on
 *
 * The output depends only on the module (graphs, values, names): saving the
 * same module twice gives the same bytes.  Records are 64-byte aligned, code
 * past 200 bytes is deflated at level 9, as PyTorch writes them.  The
 * `.debug_pkl` source maps are not written (PyTorch's loader does without). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../compiler/printer.h"
#include "../serialize/pickle_write.h"
#include "../serialize/zip.h"
#include "module.h"

#define CODE_DEFLATE_MIN 200 /* PyTorch's kMinToCompress */

typedef struct code_file {
    char *qualifier; /* "__torch__.torch.nn.modules.linear" */
    cts_printer p;
} code_file;

typedef struct saver {
    cts_rt_module *m;
    cts_printer_ctx ctx;
    code_file *files;
    int nfiles, cap;
} saver;

static code_file *file_for(saver *s, const char *qualname, cts_err *err) {
    const char *dot = strrchr(qualname, '.');
    size_t n = dot ? (size_t)(dot - qualname) : 0;
    for (int i = 0; i < s->nfiles; i++)
        if (strlen(s->files[i].qualifier) == n && !memcmp(s->files[i].qualifier, qualname, n)) return &s->files[i];
    if (n == 0) {
        cts_err_set(err, "cannot save '%s': a class or function outside any module path", qualname);
        return NULL;
    }
    if (s->nfiles == s->cap) {
        int cap = s->cap ? 2 * s->cap : 8;
        code_file *f = realloc(s->files, (size_t)cap * sizeof *f);
        if (!f) {
            cts_err_oom(err, "code files", 0);
            return NULL;
        }
        s->files = f;
        s->cap = cap;
    }
    code_file *f = &s->files[s->nfiles];
    f->qualifier = malloc(n + 1);
    if (!f->qualifier) {
        cts_err_oom(err, "code files", n);
        return NULL;
    }
    memcpy(f->qualifier, qualname, n);
    f->qualifier[n] = 0;
    cts_printer_init(&f->p, &s->ctx, true);
    s->nfiles++;
    return f;
}

/* __getstate__ of objects whose class defines __getstate__ and __setstate__
 * (the pickler's hook): the state PyTorch's pickler would write. */
static int getstate(void *ctx, cv_value obj, cv_value *state, cts_err *err) {
    saver *s = ctx;
    cts_class *cls = obj.u.o->type->cls;
    ir_function *get = NULL;
    bool has_set = false;
    for (int i = 0; i < cls->nmethods; i++) {
        if (!strcmp(cls->methods[i].name, "__getstate__")) get = cls->methods[i].fn;
        if (!strcmp(cls->methods[i].name, "__setstate__")) has_set = true;
    }
    if (!get || !has_set) return 0;
    if (cts_lower_function(s->m->cu, get, err)) return -1;
    cts_call_state cs = {false};
    cts_kctx k = {err, NULL, &cs};
    if (cts_run_function(get, &obj, 1, state, &k)) return cts_err_prefix(err, "%s.__getstate__: ", cls->qualname);
    return 1;
}

/* Adds the storages of a pickle as <dir>/<i>. */
static int add_storages(cts_zip_writer *w, const char *dir, const cts_pickle_result *r, cts_err *err) {
    for (size_t i = 0; i < r->nstorages; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s/%zu", dir, i);
        const ct_storage *st = r->storages[i].storage;
        if (cts_zipw_add(w, name, r->storages[i].nbytes ? st->data : "", r->storages[i].nbytes, 0, err)) return -1;
    }
    return 0;
}

static int write_archive(saver *s, cts_zip_writer *w, cts_err *err) {
    cts_rt_module *m = s->m;
    if (m->root.tag != CV_OBJECT) return cts_err_set(err, "the module has no root object");
    /* code: the root class, then everything printing it reaches */
    if (cts_printer_ctx_add_dep(&s->ctx, m->root.u.o->type, NULL)) return cts_err_oom(err, "code", 0);
    for (int i = 0; i < s->ctx.ndeps; i++) {
        cts_print_dep d = s->ctx.deps[i]; /* printing may grow the table */
        code_file *f = file_for(s, cts_print_dep_qualname(&d), err);
        if (!f || cts_printer_dep(&f->p, &d, err)) return cts_err_prefix(err, "printing the code: ");
    }
    cts_pickler_cfg cfg = {CTS_PICKLE_JIT, s, getstate, 0};
    cts_pickle_result data = {0}, consts = {0};
    int rc = cts_pickle(m->root, &cfg, &data, err);
    if (rc) cts_err_prefix(err, "data.pkl: ");
    if (!rc) rc = add_storages(w, "data", &data, err);
    if (!rc) rc = cts_zipw_add(w, "data.pkl", data.data, data.len, 0, err);
    for (int i = 0; !rc && i < s->nfiles; i++) {
        const char *text = cts_sb_str(&s->files[i].p.out);
        size_t n = strlen(text);
        char *name = malloc(strlen(s->files[i].qualifier) + 16);
        if (!name) {
            rc = cts_err_oom(err, "code", 0);
            break;
        }
        sprintf(name, "code/%s.py", s->files[i].qualifier);
        for (char *p = name + 5; *p; p++)
            if (*p == '.' && strcmp(p, ".py")) *p = '/';
        rc = cts_zipw_add(w, name, text, n, n > CODE_DEFLATE_MIN ? 9 : 0, err);
        free(name);
    }
    if (!rc) {
        /* the CONSTANTS table, a tuple in index order */
        cv_value tup;
        for (int i = 0; i < s->ctx.nconstants; i++) cv_retain(s->ctx.constants[i]); /* the tuple takes them */
        rc = cv_tuple_new(NULL, (size_t)s->ctx.nconstants, s->ctx.constants, &tup, err);
        if (!rc) {
            rc = cts_pickle(tup, &cfg, &consts, err);
            if (rc) cts_err_prefix(err, "constants.pkl: ");
            cv_release(tup);
        }
    }
    if (!rc) rc = add_storages(w, "constants", &consts, err);
    if (!rc) rc = cts_zipw_add(w, "constants.pkl", consts.data, consts.len, 0, err);
    if (!rc) {
        int64_t v = s->ctx.min_version > 3 ? s->ctx.min_version : 3;
        char text[32];
        int n = snprintf(text, sizeof text, "%lld\n", (long long)v);
        rc = cts_zipw_add(w, v >= 6 ? ".data/version" : "version", text, (size_t)n, 0, err);
    }
    if (!rc) rc = cts_zipw_finish(w, err);
    cts_pickle_result_free(&data);
    cts_pickle_result_free(&consts);
    return rc;
}

static int save_to(cts_rt_module *m, cts_zip_writer *w, cts_err *err) {
    saver s = {0};
    s.m = m;
    cts_printer_ctx_init(&s.ctx, m->cu);
    int rc = write_archive(&s, w, err);
    for (int i = 0; i < s.nfiles; i++) {
        cts_printer_free(&s.files[i].p);
        free(s.files[i].qualifier);
    }
    free(s.files);
    cts_printer_ctx_free(&s.ctx);
    return rc;
}

int cts_rt_save_mem(cts_rt_module *m, const char *root, uint8_t **out, size_t *len, cts_err *err) {
    *out = NULL;
    *len = 0;
    cts_zip_writer w;
    if (cts_zipw_init(&w, root && *root ? root : "archive", err)) return -1;
    int rc = save_to(m, &w, err);
    if (!rc) *out = cts_zipw_take(&w, len);
    cts_zipw_free(&w);
    return rc;
}

int cts_rt_save(cts_rt_module *m, const char *path, cts_err *err) {
    /* the root folder: the file's base name without its last extension */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base) n = (size_t)(dot - base);
    char root[256];
    snprintf(root, sizeof root, "%.*s", (int)(n < sizeof root ? n : sizeof root - 1), base);
    cts_zip_writer w;
    int rc = cts_zipw_init(&w, root[0] ? root : "archive", err);
    if (!rc) rc = save_to(m, &w, err);
    if (!rc) rc = cts_zipw_write_file(&w, path, err);
    cts_zipw_free(&w);
    if (rc) cts_err_prefix(err, "saving '%s': ", path);
    return rc;
}
