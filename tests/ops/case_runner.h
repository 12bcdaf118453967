/* case_runner.h - runs the generated kernel cases of gen_nn_cases.py and
 * gen_more_cases.py (shared by test_nn.c and test_more.c): the case
 * structs, the generator's value streams and input layouts, the spec
 * parser, and the comparison with PyTorch's outputs or error message.
 * Include after tensor_optest.h. */
#ifndef CTS_TESTS_OPS_CASE_RUNNER_H
#define CTS_TESTS_OPS_CASE_RUNNER_H

#include "core/pool.h"

typedef struct nn_tin {
    ct_dtype dt;
    int nd;
    int64_t shape[6];
    int kind, seed, p1, p2, layout;
} nn_tin;

typedef struct nn_tout {
    int src; /* 0, 1: result; 10 + i: input i after the call */
    ct_dtype dt;
    int nd;
    int64_t shape[6];
    int off, n;
} nn_tout;

typedef struct nn_case {
    const char *key, *spec;
    int nin;
    nn_tin in[5];
    int nout;
    nn_tout out[4];
    int same; /* the result is input 0 itself */
    const char *err;
} nn_case;


/* gen_nn_cases.py's gen_values, element i */
static double gen_value(int kind, int64_t i, int seed, int p1, int p2) {
    int64_t h = (i * 7919 + (int64_t)seed * 104729 + 17) % 1000003;
    switch (kind) {
    case 0: return (double)(h % 257 - 128) / 16.0;
    case 1: return (double)(h % 61 + 1) / 16.0;
    case 2: return (double)(p1 + h % p2);
    case 3: return (double)(h % 5 - 2);
    case 5: return (double)(h % 17) / 16.0;
    default:
        if (h % 17 == 0) return NAN;
        if (h % 19 == 0) return INFINITY;
        if (h % 23 == 0) return -INFINITY;
        return (double)(h % 257 - 128) / 16.0;
    }
}

/* The input tensor of a case: logical values in row-major order, stored
 * contiguous, channels-last (layout 1) or with the last two dims swapped
 * (layout 2). */
static ct_tensor *make_input(const nn_tin *d) {
    cts_err e = {0};
    ct_tensor *t = ct_tensor_empty(CT_FLOAT64, d->nd, d->shape, &e);
    if (!t) exit(2);
    int64_t n = ct_numel(t);
    for (int64_t i = 0; i < n; i++) ((double *)ct_data(t))[i] = gen_value(d->kind, i, d->seed, d->p1, d->p2);
    ct_tensor *v = ku_to_dtype(t, d->dt, &e);
    ct_tensor_release(t);
    if (!v) exit(2);
    if (d->layout == 0) return keep(cv_tensor(v)).u.t;
    int64_t st[CT_MAX_DIMS], perm[CT_MAX_DIMS];
    int nd = d->nd;
    for (int i = 0; i < nd; i++) perm[i] = i;
    if (d->layout == 1) { /* storage N, H, W, C */
        st[0] = d->shape[0], st[1] = d->shape[2], st[2] = d->shape[3], st[3] = d->shape[1];
        perm[1] = 3, perm[2] = 1, perm[3] = 2;
    } else {
        for (int i = 0; i < nd; i++) st[i] = d->shape[i];
        st[nd - 2] = d->shape[nd - 1], st[nd - 1] = d->shape[nd - 2];
        perm[nd - 2] = nd - 1, perm[nd - 1] = nd - 2;
    }
    ct_tensor *s = ct_tensor_empty(d->dt, nd, st, &e);
    ct_tensor *p = s ? ct_permute(s, nd, perm, &e) : NULL;
    if (!p || ku_copy(p, v, &e)) exit(2);
    ct_tensor_release(s);
    ct_tensor_release(v);
    return keep(cv_tensor(p)).u.t;
}

/* One argument from its spec token. */
static cv_value spec_arg(const char *tok, size_t len, ct_tensor **ins) {
    char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)len, tok);
    const char *r = buf + 1;
    cts_err e = {0};
    switch (buf[0]) {
    case 't': return tv(ins[atoi(r)]);
    case 'n': return nv();
    case 'b': return bv(r[0] == '1');
    case 'i': return iv(strtoll(r, NULL, 10));
    case 'f': return fv(strtod(r, NULL));
    case 's': return sv(r);
    case 'T': { /* Tensor?[]: input indices or n, comma-separated */
        cv_value l;
        if (cv_list_new(T_TENSOR, 4, &l, &e)) exit(2);
        for (const char *p = r; *p;) {
            char *end;
            if (*p == 'n') {
                cv_list_push(l.u.l, cv_none(), &e);
                end = (char *)p + 1;
            } else {
                ct_tensor *t = ins[strtol(p, &end, 10)];
                ct_tensor_retain(t);
                cv_list_push(l.u.l, cv_tensor(t), &e);
            }
            p = *end == ',' ? end + 1 : end;
        }
        return keep(l);
    }
    case 'l':
    case 'F': {
        cv_value l;
        if (cv_list_new(buf[0] == 'l' ? T_INT : T_FLOAT, 4, &l, &e)) exit(2);
        for (const char *p = r; *p;) {
            char *end;
            if (buf[0] == 'l') cv_list_push(l.u.l, cv_int(strtoll(p, &end, 10)), &e);
            else cv_list_push(l.u.l, cv_float(strtod(p, &end)), &e);
            p = *end == ',' ? end + 1 : end;
        }
        return keep(l);
    }
    default: fprintf(stderr, "bad spec token %s\n", buf); exit(2);
    }
}

static double tol_for(ct_dtype dt) {
    switch (dt) {
    case CT_FLOAT32: return 1e-5;
    case CT_FLOAT64: return 1e-10;
    case CT_FLOAT16: return 2e-3;
    case CT_BFLOAT16: return 1e-2;
    default: return 0;
    }
}

/* Runs one case with the given pool, finding its kernel with find and
 * reading expected values from vals; returns 1 when it matches. */
static int run_case(const nn_case *c, const double *vals, cts_kernel_fn (*find)(const char *, const char **),
                    cts_pool *pool) {
    ct_tensor *ins[5];
    for (int i = 0; i < c->nin; i++) ins[i] = make_input(&c->in[i]);
    cv_value args[16];
    int nargs = 0;
    for (const char *p = c->spec; *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        args[nargs++] = spec_arg(p, len, ins);
        p += len + (e ? 1 : 0);
    }
    cts_kernel_fn fn = find(c->key, NULL);
    if (!fn) {
        fprintf(stderr, "no kernel for %s\n", c->key);
        return 0;
    }
    cts_err err = {0};
    cts_kctx k = {&err, pool, NULL};
    cv_value outs[4] = {cv_none(), cv_none(), cv_none(), cv_none()};
    int rc = fn(&k, args, nargs, outs);
    for (int i = 0; i < 4 && rc == 0; i++) keep(outs[i]);
    if (c->err) {
        if (rc == 0) {
            fprintf(stderr, "%s(%s): succeeded, want error: %s\n", c->key, c->spec, c->err);
            return 0;
        }
        if (strcmp(err.msg, c->err)) {
            fprintf(stderr, "%s(%s):\n  got error:  %s\n  want error: %s\n", c->key, c->spec, err.msg, c->err);
            return 0;
        }
        return 1;
    }
    if (rc) {
        fprintf(stderr, "%s(%s): failed: %s\n", c->key, c->spec, err.msg);
        return 0;
    }
    if (c->same && (outs[0].tag != CV_TENSOR || outs[0].u.t != ins[0])) {
        fprintf(stderr, "%s(%s): result is not the input tensor itself\n", c->key, c->spec);
        return 0;
    }
    for (int i = 0; i < c->nout; i++) {
        const nn_tout *o = &c->out[i];
        ct_tensor *t = o->src >= 10 ? ins[o->src - 10] : outs[o->src].tag == CV_TENSOR ? outs[o->src].u.t : NULL;
        if (!check_t_(c->key, o->src, t, o->dt, o->shape, o->nd, vals + o->off, o->n, tol_for(o->dt))) {
            fprintf(stderr, "  in %s(%s) with %s\n", c->key, c->spec, pool ? "a pool" : "no pool");
            return 0;
        }
    }
    return 1;
}

#endif
