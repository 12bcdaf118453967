/* api.c - the public C API (include/cts.h) over the runtime. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../serialize/torch_save.h"
#include "../tensor/tensor.h"
#include "cts.h"
#include "module.h"

#include "api_internal.h"
#include "../tensor/block_cache.h"
#include "trace.h"

void cts_api_set_err(cts_error *out, const cts_err *e) {
    if (!out) return;
    out->code = e->set ? 1 : 0;
    memcpy(out->message, e->msg, sizeof out->message);
    out->message[sizeof out->message - 1] = 0;
}

void cts_api_clear_err(cts_error *out) {
    if (!out) return;
    out->code = 0;
    out->message[0] = 0;
}

cts_value *cts_api_wrap(cv_value v) {
    cts_value *w = calloc(1, sizeof *w);
    if (!w) {
        cv_release(v);
        return NULL;
    }
    w->v = v;
    return w;
}

static int setup_pool(cts_rt_module *m, const cts_options *opts, cts_err *e) {
    int threads = opts && opts->threads > 0 ? opts->threads : 0;
    if (threads == 0) {
        long n = 1;
#ifdef _SC_NPROCESSORS_ONLN
        n = sysconf(_SC_NPROCESSORS_ONLN);
#endif
        threads = n > 0 ? (int)n : 1;
    }
    m->nthreads = threads;
    if (threads > 1) {
        m->pool = cts_pool_new(threads, e);
        if (!m->pool) return -1;
    }
    return 0;
}

cts_module *cts_module_load(const char *path, const cts_options *opts, cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    cts_rt_module *rm = cts_rt_load_file(path, CTS_LOAD_RUN, !(opts && opts->copy_archive), &e);
    if (rm && setup_pool(rm, opts, &e)) {
        cts_rt_free(rm);
        rm = NULL;
    }
    return cts_api_module(rm, &e, err);
}

cts_module *cts_api_module(cts_rt_module *rm, cts_err *e, cts_error *err) {
    cts_module *m = rm ? malloc(sizeof *m) : NULL;
    if (!m) {
        if (rm) cts_err_oom(e, "module", 0);
        cts_rt_free(rm);
        cts_api_set_err(err, e);
        return NULL;
    }
    m->m = rm;
    return m;
}

cts_module *cts_module_load_buffer(const void *data, size_t len, const cts_options *opts, cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    void *copy = malloc(len ? len : 1);
    if (!copy) {
        cts_err_oom(&e, "archive", len);
        cts_api_set_err(err, &e);
        return NULL;
    }
    memcpy(copy, data, len);
    cts_rt_module *rm = cts_rt_load_buffer(copy, len, "<buffer>", CTS_LOAD_RUN, &e);
    if (!rm) {
        free(copy);
        cts_api_set_err(err, &e);
        return NULL;
    }
    if (setup_pool(rm, opts, &e)) {
        cts_rt_free(rm);
        rm = NULL;
    }
    return cts_api_module(rm, &e, err);
}

void cts_module_free(cts_module *m) {
    if (!m) return;
    cts_rt_free(m->m);
    free(m);
}

int cts_save(cts_module *m, const char *path, cts_error *err) {
    cts_err e = {0};
    if (!m || !path) {
        cts_err_set(&e, "cts_save: %s is NULL", m ? "path" : "module");
        cts_api_set_err(err, &e);
        return -1;
    }
    if (cts_rt_save(m->m, path, &e)) {
        cts_api_set_err(err, &e);
        return -1;
    }
    cts_api_clear_err(err);
    return 0;
}

int cts_module_call(cts_module *m, const char *method, cts_value *const *args, int nargs, cts_value **out,
                    cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    cv_value a[64];
    if (nargs < 0 || nargs > 64) {
        cts_err_set(&e, "%s(): too many arguments (%d)", method, nargs);
        cts_api_set_err(err, &e);
        return -1;
    }
    for (int i = 0; i < nargs; i++) a[i] = args[i] ? args[i]->v : cv_none();
    cv_value r;
    if (cts_rt_call(m->m, method, a, nargs, &r, &e)) {
        cts_api_set_err(err, &e);
        return -1;
    }
    *out = cts_api_wrap(r);
    if (!*out) {
        cts_err_oom(&e, "value", 0);
        cts_api_set_err(err, &e);
        return -1;
    }
    return 0;
}

int cts_module_forward(cts_module *m, cts_value *const *args, int nargs, cts_value **out, cts_error *err) {
    return cts_module_call(m, "forward", args, nargs, out, err);
}

cts_value *cts_tensor_new(cts_dtype dtype, int ndim, const int64_t *shape, const void *data, cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    ct_tensor *t = ct_tensor_empty((ct_dtype)dtype, ndim, shape, &e);
    if (!t) {
        cts_api_set_err(err, &e);
        return NULL;
    }
    if (data) memcpy(ct_data(t), data, (size_t)ct_numel(t) * (size_t)ct_dtype_size(t->dtype));
    return cts_api_wrap(cv_tensor(t));
}

cts_value *cts_int_new(int64_t v) { return cts_api_wrap(cv_int(v)); }
cts_value *cts_float_new(double v) { return cts_api_wrap(cv_float(v)); }
cts_value *cts_bool_new(int v) { return cts_api_wrap(cv_bool(v != 0)); }

void cts_value_free(cts_value *v) {
    if (!v) return;
    cts_tracer_forget(cts_tracer_current(), v); /* the handle may be reused */
    cv_release(v->v);
    free(v);
}

cts_kind cts_value_kind(const cts_value *v) {
    switch (v->v.tag) {
    case CV_NONE: return CTS_VALUE_NONE;
    case CV_BOOL: return CTS_VALUE_BOOL;
    case CV_INT: return CTS_VALUE_INT;
    case CV_FLOAT: return CTS_VALUE_FLOAT;
    case CV_STR: return CTS_VALUE_STR;
    case CV_TENSOR: return CTS_VALUE_TENSOR;
    case CV_TUPLE: return CTS_VALUE_TUPLE;
    case CV_LIST: return CTS_VALUE_LIST;
    case CV_DICT: return CTS_VALUE_DICT;
    case CV_OBJECT: return CTS_VALUE_OBJECT;
    default: return CTS_VALUE_OTHER;
    }
}

int cts_tensor_ndim(const cts_value *v) { return v->v.tag == CV_TENSOR && v->v.u.t ? v->v.u.t->ndim : -1; }

const int64_t *cts_tensor_shape(const cts_value *v) {
    if (v->v.tag != CV_TENSOR || !v->v.u.t) return NULL;
    return v->v.u.t->sizes;
}

cts_dtype cts_tensor_dtype(const cts_value *v) {
    return v->v.tag == CV_TENSOR && v->v.u.t ? (cts_dtype)v->v.u.t->dtype : CTS_FLOAT32;
}

int64_t cts_tensor_numel(const cts_value *v) { return v->v.tag == CV_TENSOR && v->v.u.t ? ct_numel(v->v.u.t) : 0; }

const void *cts_tensor_data(cts_value *v) {
    if (v->v.tag != CV_TENSOR || !v->v.u.t) return NULL;
    if (!ct_is_contiguous(v->v.u.t)) {
        cts_err e = {0};
        ct_tensor *c = ct_contiguous(v->v.u.t, &e);
        if (!c) return NULL;
        ct_tensor_release(v->v.u.t);
        v->v.u.t = c;
    }
    return ct_data(v->v.u.t);
}

int64_t cts_value_int(const cts_value *v) { return v->v.tag == CV_INT ? v->v.u.i : v->v.tag == CV_BOOL ? v->v.u.b : 0; }
double cts_value_float(const cts_value *v) {
    return v->v.tag == CV_FLOAT ? v->v.u.f : v->v.tag == CV_INT ? (double)v->v.u.i : 0;
}
int cts_value_bool(const cts_value *v) { return v->v.tag == CV_BOOL && v->v.u.b; }
const char *cts_value_str(const cts_value *v) { return v->v.tag == CV_STR ? v->v.u.s->data : NULL; }

size_t cts_value_len(const cts_value *v) {
    if (v->v.tag == CV_TUPLE) return v->v.u.tu->len;
    if (v->v.tag == CV_LIST) return v->v.u.l->len;
    return 0;
}

cts_value *cts_value_get(const cts_value *v, size_t i) {
    cv_value x;
    if (v->v.tag == CV_TUPLE && i < v->v.u.tu->len) x = v->v.u.tu->items[i];
    else if (v->v.tag == CV_LIST && i < v->v.u.l->len) x = v->v.u.l->items[i];
    else return NULL;
    cv_retain(x);
    return cts_api_wrap(x);
}

cts_value *cts_value_load_file(const char *path, cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    cv_value v;
    if (cts_torch_load_file(path, &v, &e)) {
        cts_api_set_err(err, &e);
        return NULL;
    }
    return cts_api_wrap(v);
}

int cts_value_save_file(const cts_value *v, const char *path, cts_error *err) {
    cts_err e = {0};
    cts_api_clear_err(err);
    if (cts_torch_save(v->v, path, &e)) {
        cts_api_set_err(err, &e);
        return -1;
    }
    return 0;
}

size_t cts_trim_memory(void) { return ct_block_cache_trim(); }
