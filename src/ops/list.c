/* list.c - kernels for list and dict ops (family `list`).
 *
 * Generic `t[]` ops (indexing, append, slicing, concatenation, ...), the
 * typed int/float/bool/str/Tensor overloads (equality, min/max, index,
 * count, remove, sort), reductions over lists (sum/any/all) and the dict
 * ops for every key type.  Semantics and error texts are PyTorch 1.13's
 * (register_prim_ops.cpp, register_ops_utils.cpp), including its quirks:
 * sum() of an int list accumulates in a C int (32-bit), min/max of two lists
 * return one of the argument lists itself, and sort() reproduces libstdc++'s
 * std::sort step by step so that elements that compare equal (or nan) end
 * in the same order as in PyTorch.
 *
 * Lists and dicts are shared references: mutating ops change the argument
 * in place.  A new list takes the element type of the list it derives from. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tensor/tensor_print.h"
#include "op.h"
#include "str.h"

#define KDEF(name) static int name(cts_kctx *k, const cv_value *a, int n, cv_value *o)

/* ---- argument helpers ---- */

static int arg_err(cts_kctx *k, const char *fn, const char *what) {
    return cts_err_set(k->err, "%s: expected %s", fn, what);
}
#define LIST_ARG(IX, var)                                                          \
    if (n <= (IX) || a[IX].tag != CV_LIST) return arg_err(k, __func__, "a list");   \
    cv_list *var = a[IX].u.l
#define DICT_ARG(IX, var)                                                          \
    if (n <= (IX) || a[IX].tag != CV_DICT) return arg_err(k, __func__, "a dict");   \
    cv_dict *var = a[IX].u.d
#define INT_ARG(IX, var)                                                                     \
    if (n <= (IX) || (a[IX].tag != CV_INT && a[IX].tag != CV_BOOL)) return arg_err(k, __func__, "an int"); \
    int64_t var = a[IX].tag == CV_INT ? a[IX].u.i : (int64_t)a[IX].u.b

static cv_value retained(cv_value v) {
    cv_retain(v);
    return v;
}

/* Python index normalization; false when out of range. */
static bool norm_index(int64_t idx, size_t len, size_t *out) {
    int64_t n = (int64_t)len;
    if (idx < 0) idx += n;
    if (idx < 0 || idx >= n) return false;
    *out = (size_t)idx;
    return true;
}

static int out_of_range(cts_kctx *k) { return cts_err_set(k->err, "list index out of range"); }

/* Appends a new reference to v. */
static int push_ref(cts_kctx *k, cv_list *l, cv_value v) {
    cv_retain(v);
    return cv_list_push(l, v, k->err);
}

/* New list with l's element type holding references to l->items[lo..hi). */
static int list_copy_range(cts_kctx *k, const cv_list *l, size_t lo, size_t hi, cv_value *out) {
    if (cv_list_new(l->elem, hi - lo, out, k->err)) return -1;
    for (size_t i = lo; i < hi; i++)
        if (push_ref(k, out->u.l, l->items[i])) {
            cv_release(*out);
            return -1;
        }
    return 0;
}

static int list_insert_at(cts_kctx *k, cv_list *l, size_t pos, cv_value v) {
    if (push_ref(k, l, v)) return -1;
    cv_value last = l->items[l->len - 1];
    memmove(&l->items[pos + 1], &l->items[pos], (l->len - 1 - pos) * sizeof *l->items);
    l->items[pos] = last;
    return 0;
}

/* Removes items[pos], handing its reference to *out (or releasing it). */
static void list_erase_at(cv_list *l, size_t pos, cv_value *out) {
    if (out) *out = l->items[pos];
    else cv_release(l->items[pos]);
    memmove(&l->items[pos], &l->items[pos + 1], (l->len - pos - 1) * sizeof *l->items);
    l->len--;
}

/* ---- single-element tensor comparisons (Tensor lists) ---- */

/* PyTorch compares list elements with `a.eq(b).is_nonzero()` (or lt): the
 * broadcast result must hold exactly one element. */
static int tensor_cmp1(cts_kctx *k, cv_value x, cv_value y, bool less, bool *res) {
    if (x.tag != CV_TENSOR || y.tag != CV_TENSOR || !x.u.t || !y.u.t)
        return cts_err_set(k->err, "expected defined Tensors");
    const ct_tensor *p = x.u.t, *q = y.u.t;
    int64_t shape[CT_MAX_DIMS];
    int nd = ct_broadcast_shape(p->ndim, p->sizes, q->ndim, q->sizes, shape, k->err);
    if (nd < 0) return -1;
    int64_t ne = 1;
    for (int i = 0; i < nd; i++) ne *= shape[i];
    if (ne == 0) return cts_err_set(k->err, "Boolean value of Tensor with no values is ambiguous");
    if (ne > 1) return cts_err_set(k->err, "Boolean value of Tensor with more than one value is ambiguous");
    if (ct_dtype_is_float(p->dtype) || ct_dtype_is_float(q->dtype)) {
        double u = ct_load_f64(ct_data(p), p->dtype), v = ct_load_f64(ct_data(q), q->dtype);
        *res = less ? u < v : u == v;
    } else {
        int64_t u = ct_load_i64(ct_data(p), p->dtype), v = ct_load_i64(ct_data(q), q->dtype);
        *res = less ? u < v : u == v;
    }
    return 0;
}

/* Element equality of the typed (int/float/bool/str) overloads. */
static bool elem_eq(cv_value x, cv_value y) { return cv_equal(x, y); }

/* Element `<` of the typed overloads: numbers, bools, strings (bytewise). */
static bool elem_lt(cv_value x, cv_value y) {
    if (x.tag == CV_STR && y.tag == CV_STR) {
        size_t m = x.u.s->len < y.u.s->len ? x.u.s->len : y.u.s->len;
        int c = memcmp(x.u.s->data, y.u.s->data, m);
        return c < 0 || (c == 0 && x.u.s->len < y.u.s->len);
    }
    if (x.tag == CV_FLOAT || y.tag == CV_FLOAT) {
        double u = x.tag == CV_FLOAT ? x.u.f : x.tag == CV_INT ? (double)x.u.i : x.u.b;
        double v = y.tag == CV_FLOAT ? y.u.f : y.tag == CV_INT ? (double)y.u.i : y.u.b;
        return u < v;
    }
    int64_t u = x.tag == CV_INT ? x.u.i : x.u.b, v = y.tag == CV_INT ? y.u.i : y.u.b;
    return u < v;
}

/* An element as C++'s `ostream << T` prints it in "'x' is not in list". */
static void elem_text(cv_value v, cts_strbuf *sb) {
    switch (v.tag) {
    case CV_FLOAT: cts_sb_printf(sb, "%g", v.u.f); break;
    case CV_BOOL: cts_sb_putc(sb, v.u.b ? '1' : '0'); break;
    case CV_INT: cts_sb_printf(sb, "%lld", (long long)v.u.i); break;
    case CV_STR: cts_sb_putn(sb, v.u.s->data, v.u.s->len); break;
    case CV_TENSOR: ct_tensor_print_cpp(v.u.t, sb); break;
    default: cts_ivalue_str(v, sb);
    }
}

static int not_in_list(cts_kctx *k, cv_value v) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    elem_text(v, &sb);
    cts_err_set(k->err, "'%s' is not in list", cts_sb_str(&sb));
    cts_sb_free(&sb);
    return -1;
}

/* ---- generic list ops ---- */

KDEF(k_list_getitem) {
    LIST_ARG(0, l);
    INT_ARG(1, idx);
    size_t i;
    if (!norm_index(idx, l->len, &i)) return out_of_range(k);
    *o = retained(l->items[i]);
    return 0;
}

KDEF(k_list_set_item) {
    LIST_ARG(0, l);
    INT_ARG(1, idx);
    if (n < 3) return arg_err(k, __func__, "a value");
    size_t i;
    if (!norm_index(idx, l->len, &i)) return out_of_range(k);
    cv_assign(&l->items[i], a[2]);
    *o = retained(a[0]);
    return 0;
}

KDEF(k_list_append) {
    LIST_ARG(0, l);
    if (n < 2) return arg_err(k, __func__, "a value");
    if (push_ref(k, l, a[1])) return -1;
    *o = retained(a[0]);
    return 0;
}

KDEF(k_list_reverse) {
    (void)o;
    LIST_ARG(0, l);
    for (size_t i = 0, j = l->len; i + 1 < j; i++, j--) {
        cv_value t = l->items[i];
        l->items[i] = l->items[j - 1];
        l->items[j - 1] = t;
    }
    return 0;
}

/* Appends other's items as they were on entry (x.extend(x) doubles x). */
static int extend(cts_kctx *k, cv_list *l, const cv_list *other) {
    size_t m = other->len;
    for (size_t i = 0; i < m; i++)
        if (push_ref(k, l, other->items[i])) return -1;
    return 0;
}

KDEF(k_list_extend) {
    (void)o;
    LIST_ARG(0, l);
    LIST_ARG(1, other);
    return extend(k, l, other);
}

KDEF(k_list_iadd) {
    LIST_ARG(0, l);
    LIST_ARG(1, other);
    if (extend(k, l, other)) return -1;
    *o = retained(a[0]);
    return 0;
}

KDEF(k_list_add) {
    LIST_ARG(0, x);
    LIST_ARG(1, y);
    if (list_copy_range(k, x, 0, x->len, o)) return -1;
    if (extend(k, o->u.l, y)) {
        cv_release(*o);
        return -1;
    }
    return 0;
}

KDEF(k_list_copy) {
    LIST_ARG(0, l);
    return list_copy_range(k, l, 0, l->len, o);
}

KDEF(k_list_clear) {
    (void)o;
    LIST_ARG(0, l);
    size_t m = l->len;
    l->len = 0;
    for (size_t i = 0; i < m; i++) cv_release(l->items[i]);
    return 0;
}

/* pop/del: PyTorch's listPopImpl, with its message for an empty list */
static int list_pop_at(cts_kctx *k, cv_list *l, int64_t idx, const char *empty_msg, cv_value *out) {
    if (l->len == 0) return cts_err_set(k->err, "%s", empty_msg);
    size_t i;
    if (!norm_index(idx, l->len, &i)) return out_of_range(k);
    list_erase_at(l, i, out);
    return 0;
}

KDEF(k_list_pop) {
    LIST_ARG(0, l);
    INT_ARG(1, idx);
    return list_pop_at(k, l, idx, "pop from empty list", o);
}

KDEF(k_list_Delete) {
    (void)o;
    LIST_ARG(0, l);
    INT_ARG(1, idx);
    return list_pop_at(k, l, idx, "pop index out of range", NULL);
}

/* insert clamps like Python: before the start or after the end */
KDEF(k_list_insert) {
    (void)o;
    LIST_ARG(0, l);
    INT_ARG(1, idx);
    if (n < 3) return arg_err(k, __func__, "a value");
    int64_t len = (int64_t)l->len, i = idx < 0 ? idx + len : idx;
    if (i < 0) i = 0;
    if (i > len) i = len;
    return list_insert_at(k, l, (size_t)i, a[2]);
}

/* PyTorch's slice_indices_adjust (CPython's PySlice_AdjustIndices); a None
 * start or end is INT64_MAX before adjustment.  Returns the count. */
static int slice_adjust(cts_kctx *k, int64_t len, cv_value vs, cv_value ve, int64_t step, int64_t *start,
                        int64_t *count) {
    if (step == 0) return cts_err_set(k->err, "List slice should have non-zero step");
    if (step < -INT64_MAX) return cts_err_set(k->err, "List slice step is out of bounds");
    int64_t s = vs.tag == CV_INT ? vs.u.i : INT64_MAX, e = ve.tag == CV_INT ? ve.u.i : INT64_MAX;
    *count = cv_slice_adjust(len, &s, &e, step);
    *start = s;
    return 0;
}

KDEF(k_list_slice) {
    LIST_ARG(0, l);
    if (n < 4) return arg_err(k, __func__, "start, end and step");
    INT_ARG(3, step);
    int64_t start = 0, cnt = 0;
    if (slice_adjust(k, (int64_t)l->len, a[1], a[2], step, &start, &cnt)) return -1;
    if (cv_list_new(l->elem, (size_t)cnt, o, k->err)) return -1;
    for (int64_t j = 0, i = start; j < cnt; j++, i += step)
        if (push_ref(k, o->u.l, l->items[i])) {
            cv_release(*o);
            return -1;
        }
    return 0;
}

/* l * n: PyTorch reserves len*n first, which fails for n < 0 on a
 * non-empty list ("vector::reserve"). */
static int list_mul(cts_kctx *k, const cv_list *l, int64_t times, cv_value *out) {
    if (times < 0 && l->len > 0) return cts_err_set(k->err, "vector::reserve");
    if (times > 0 && l->len > 0 && (uint64_t)times > SIZE_MAX / sizeof(cv_value) / l->len)
        return cts_err_oom(k->err, "list", SIZE_MAX);
    size_t reps = times > 0 ? (size_t)times : 0;
    if (cv_list_new(l->elem, reps * l->len, out, k->err)) return -1;
    size_t m = l->len;
    for (size_t r = 0; r < reps; r++)
        for (size_t i = 0; i < m; i++)
            if (push_ref(k, out->u.l, l->items[i])) {
                cv_release(*out);
                return -1;
            }
    return 0;
}

KDEF(k_list_mul_left) {
    LIST_ARG(0, l);
    INT_ARG(1, times);
    return list_mul(k, l, times, o);
}

KDEF(k_list_mul_right) {
    INT_ARG(0, times);
    LIST_ARG(1, l);
    return list_mul(k, l, times, o);
}

KDEF(k_list_imul) {
    LIST_ARG(0, l);
    INT_ARG(1, times);
    if (times <= 0) {
        k_list_clear(k, a, 1, NULL);
    } else {
        size_t m = l->len;
        if (m && (uint64_t)times > SIZE_MAX / sizeof(cv_value) / m) return cts_err_oom(k->err, "list", SIZE_MAX);
        for (int64_t r = 1; r < times; r++)
            for (size_t i = 0; i < m; i++)
                if (push_ref(k, l, l->items[i])) return -1;
    }
    *o = retained(a[0]);
    return 0;
}

KDEF(k_list_len) {
    LIST_ARG(0, l);
    *o = cv_int((int64_t)l->len);
    return 0;
}

KDEF(k_len_Tensor) {
    if (n < 1 || a[0].tag != CV_TENSOR || !a[0].u.t) return arg_err(k, __func__, "a defined Tensor");
    if (a[0].u.t->ndim == 0) return cts_err_set(k->err, "len() of a 0-d tensor");
    *o = cv_int(a[0].u.t->sizes[0]);
    return 0;
}

KDEF(k_Size) {
    LIST_ARG(0, l);
    (void)l;
    *o = retained(a[0]);
    return 0;
}

/* ---- typed list ops ---- */

static int lists_equal(cts_kctx *k, const cv_list *x, const cv_list *y, bool tensors, bool *eq) {
    *eq = false;
    if (x->len != y->len) return 0;
    for (size_t i = 0; i < x->len; i++) {
        bool e = false;
        if (tensors) {
            if (tensor_cmp1(k, x->items[i], y->items[i], false, &e)) return -1;
        } else {
            e = elem_eq(x->items[i], y->items[i]);
        }
        if (!e) return 0;
    }
    *eq = true;
    return 0;
}

#define LIST_EQ(NAME, TENSORS, NEGATE)                      \
    KDEF(NAME) {                                            \
        LIST_ARG(0, x);                                     \
        LIST_ARG(1, y);                                     \
        bool eq;                                            \
        if (lists_equal(k, x, y, TENSORS, &eq)) return -1;  \
        *o = cv_bool(NEGATE ? !eq : eq);                    \
        return 0;                                           \
    }
LIST_EQ(k_list_eq, false, false)
LIST_EQ(k_list_ne, false, true)
LIST_EQ(k_list_eq_Tensor, true, false)
LIST_EQ(k_list_ne_Tensor, true, true)

/* min(l, r)/max(l, r) of two lists: lexicographic, returning one of the
 * argument lists itself (r on a tie, as PyTorch's minList/maxList do). */
static int list_minmax2(cts_kctx *k, const cv_value *a, int n, cv_value *o, bool is_max) {
    LIST_ARG(0, l);
    LIST_ARG(1, r);
    size_t m = l->len < r->len ? l->len : r->len;
    for (size_t i = 0; i < m; i++) {
        cv_value x = r->items[i], y = l->items[i];
        if (elem_eq(x, y)) continue;
        bool pick_r = is_max ? elem_lt(y, x) : elem_lt(x, y);
        *o = retained(pick_r ? a[1] : a[0]);
        return 0;
    }
    bool pick_l = is_max ? l->len > r->len : l->len < r->len;
    *o = retained(pick_l ? a[0] : a[1]);
    return 0;
}
KDEF(k_list_min2) { return list_minmax2(k, a, n, o, false); }
KDEF(k_list_max2) { return list_minmax2(k, a, n, o, true); }

static int list_minmax(cts_kctx *k, const cv_value *a, int n, cv_value *o, bool is_max) {
    LIST_ARG(0, l);
    if (l->len == 0)
        return cts_err_set(k->err, "%s() arg is an empty sequence", is_max ? "max" : "min");
    cv_value best = l->items[0];
    for (size_t i = 1; i < l->len; i++) {
        cv_value e = l->items[i];
        if (is_max ? elem_lt(best, e) : elem_lt(e, best)) best = e;
    }
    *o = retained(best);
    return 0;
}
KDEF(k_list_min) { return list_minmax(k, a, n, o, false); }
KDEF(k_list_max) { return list_minmax(k, a, n, o, true); }

/* First position of v in l (tensors compared with eq), or -1. */
static int list_find(cts_kctx *k, const cv_list *l, cv_value v, bool tensors, int64_t *pos) {
    *pos = -1;
    for (size_t i = 0; i < l->len; i++) {
        bool e = false;
        if (tensors) {
            if (tensor_cmp1(k, v, l->items[i], false, &e)) return -1;
        } else {
            e = elem_eq(l->items[i], v);
        }
        if (e) {
            *pos = (int64_t)i;
            return 0;
        }
    }
    return 0;
}

static int list_remove(cts_kctx *k, const cv_value *a, int n, bool tensors) {
    LIST_ARG(0, l);
    if (n < 2) return arg_err(k, __func__, "a value");
    int64_t pos;
    if (list_find(k, l, a[1], tensors, &pos)) return -1;
    if (pos < 0) return cts_err_set(k->err, "list.remove(x): x not in list");
    list_erase_at(l, (size_t)pos, NULL);
    return 0;
}
KDEF(k_list_remove) { (void)o; return list_remove(k, a, n, false); }
KDEF(k_list_remove_Tensor) { (void)o; return list_remove(k, a, n, true); }

static int list_index(cts_kctx *k, const cv_value *a, int n, cv_value *o, bool tensors) {
    LIST_ARG(0, l);
    if (n < 2) return arg_err(k, __func__, "a value");
    int64_t pos;
    if (list_find(k, l, a[1], tensors, &pos)) return -1;
    if (pos < 0) return not_in_list(k, a[1]);
    *o = cv_int(pos);
    return 0;
}
KDEF(k_list_index) { return list_index(k, a, n, o, false); }
KDEF(k_list_index_Tensor) { return list_index(k, a, n, o, true); }

static int list_count(cts_kctx *k, const cv_value *a, int n, cv_value *o, bool tensors) {
    LIST_ARG(0, l);
    if (n < 2) return arg_err(k, __func__, "a value");
    int64_t c = 0;
    for (size_t i = 0; i < l->len; i++) {
        bool e = false;
        if (tensors) {
            if (tensor_cmp1(k, a[1], l->items[i], false, &e)) return -1;
        } else {
            e = elem_eq(l->items[i], a[1]);
        }
        c += e;
    }
    *o = cv_int(c);
    return 0;
}
KDEF(k_list_count) { return list_count(k, a, n, o, false); }
KDEF(k_list_count_Tensor) { return list_count(k, a, n, o, true); }

KDEF(k_list_contains) {
    LIST_ARG(0, l);
    if (n < 2) return arg_err(k, __func__, "a value");
    int64_t pos;
    if (list_find(k, l, a[1], false, &pos)) return -1;
    *o = cv_bool(pos >= 0);
    return 0;
}

/* sum() of an int list accumulates in a C int, as PyTorch's `auto sum = 0` */
KDEF(k_sum_int) {
    LIST_ARG(0, l);
    uint32_t s = 0;
    for (size_t i = 0; i < l->len; i++)
        s += (uint32_t)(uint64_t)(l->items[i].tag == CV_INT ? l->items[i].u.i : 0);
    *o = cv_int((int32_t)s);
    return 0;
}
KDEF(k_sum_bool) {
    LIST_ARG(0, l);
    int64_t s = 0;
    for (size_t i = 0; i < l->len; i++) s += l->items[i].tag == CV_BOOL && l->items[i].u.b;
    *o = cv_int(s);
    return 0;
}
KDEF(k_sum_float) {
    LIST_ARG(0, l);
    double s = 0.0;
    for (size_t i = 0; i < l->len; i++) s += l->items[i].tag == CV_FLOAT ? l->items[i].u.f : 0.0;
    *o = cv_float(s);
    return 0;
}

static bool truthy(cv_value v) {
    switch (v.tag) {
    case CV_BOOL: return v.u.b;
    case CV_INT: return v.u.i != 0;
    case CV_FLOAT: return v.u.f != 0;
    case CV_STR: return v.u.s->len != 0;
    default: return false;
    }
}
KDEF(k_list_any) {
    LIST_ARG(0, l);
    bool r = false;
    for (size_t i = 0; i < l->len && !r; i++) r = truthy(l->items[i]);
    *o = cv_bool(r);
    return 0;
}
KDEF(k_list_all) {
    LIST_ARG(0, l);
    bool r = true;
    for (size_t i = 0; i < l->len && r; i++) r = truthy(l->items[i]);
    *o = cv_bool(r);
    return 0;
}

/* ---- sorting: libstdc++'s std::sort (introsort), step for step ---- */

enum sort_kind { SORT_PRIM, SORT_TENSOR, SORT_TENSOR_NOID, SORT_ANY };

typedef struct sort_ctx {
    cts_kctx *k;
    enum sort_kind kind;
    bool reverse;
    bool failed; /* a comparison set k->err; every later one answers false */
} sort_ctx;

static bool value_lt(sort_ctx *c, cv_value x, cv_value y);

/* Tuple `<` as c10's getLessThanComparator: the first element that is less
 * decides, an equal element moves on, anything else is "not less". */
static bool tuple_lt(sort_ctx *c, const cv_tuple *x, const cv_tuple *y) {
    size_t m = x->len < y->len ? x->len : y->len;
    for (size_t i = 0; i < m && !c->failed; i++) {
        if (value_lt(c, x->items[i], y->items[i])) return true;
        bool eq = false;
        if (x->items[i].tag == CV_TENSOR) {
            if (tensor_cmp1(c->k, x->items[i], y->items[i], false, &eq)) {
                c->failed = true;
                return false;
            }
        } else {
            eq = cv_equal(x->items[i], y->items[i]);
        }
        if (!eq) return false;
    }
    return false;
}

static bool value_lt(sort_ctx *c, cv_value x, cv_value y) {
    if (c->failed) return false;
    if (x.tag == CV_TENSOR) {
        bool r = false;
        if (tensor_cmp1(c->k, x, y, true, &r)) {
            c->failed = true;
            return false;
        }
        return r;
    }
    if (x.tag == CV_TUPLE && y.tag == CV_TUPLE) return tuple_lt(c, x.u.tu, y.u.tu);
    return elem_lt(x, y);
}

/* The comparator PyTorch hands to std::sort for each overload. */
static bool sort_comp(sort_ctx *c, cv_value x, cv_value y) {
    if (c->failed) return false;
    switch (c->kind) {
    case SORT_PRIM:
        if (elem_eq(x, y)) return false;
        return elem_lt(x, y) != c->reverse;
    case SORT_TENSOR:
        if (x.u.t == y.u.t) return false;
        return value_lt(c, x, y) != c->reverse;
    case SORT_TENSOR_NOID: return value_lt(c, x, y);
    case SORT_ANY: return c->reverse ? value_lt(c, y, x) : value_lt(c, x, y);
    }
    return false;
}

/* The "unguarded" loops of libstdc++ rely on a consistent comparator; the
 * bounds checks below never fire then, and keep nan-laden input in bounds. */
static void unguarded_linear_insert(sort_ctx *c, cv_value *v, ptrdiff_t last, ptrdiff_t lo) {
    cv_value val = v[last];
    ptrdiff_t next = last - 1;
    while (next >= lo && sort_comp(c, val, v[next])) {
        v[last] = v[next];
        last = next;
        next--;
    }
    v[last] = val;
}

static void insertion_sort(sort_ctx *c, cv_value *v, ptrdiff_t first, ptrdiff_t last) {
    if (first == last) return;
    for (ptrdiff_t i = first + 1; i != last; i++) {
        if (sort_comp(c, v[i], v[first])) {
            cv_value val = v[i];
            memmove(&v[first + 1], &v[first], (size_t)(i - first) * sizeof *v);
            v[first] = val;
        } else {
            unguarded_linear_insert(c, v, i, first);
        }
    }
}

static void swap_vals(cv_value *v, ptrdiff_t i, ptrdiff_t j) {
    cv_value t = v[i];
    v[i] = v[j];
    v[j] = t;
}

static void move_median_to_first(sort_ctx *c, cv_value *v, ptrdiff_t result, ptrdiff_t x, ptrdiff_t y,
                                 ptrdiff_t z) {
    if (sort_comp(c, v[x], v[y])) {
        if (sort_comp(c, v[y], v[z])) swap_vals(v, result, y);
        else if (sort_comp(c, v[x], v[z])) swap_vals(v, result, z);
        else swap_vals(v, result, x);
    } else if (sort_comp(c, v[x], v[z])) {
        swap_vals(v, result, x);
    } else if (sort_comp(c, v[y], v[z])) {
        swap_vals(v, result, z);
    } else {
        swap_vals(v, result, y);
    }
}

static ptrdiff_t unguarded_partition(sort_ctx *c, cv_value *v, ptrdiff_t first, ptrdiff_t last, ptrdiff_t pivot) {
    ptrdiff_t lo = first, hi = last;
    for (;;) {
        while (first < hi - 1 && sort_comp(c, v[first], v[pivot])) first++;
        last--;
        while (last > lo && sort_comp(c, v[pivot], v[last])) last--;
        if (!(first < last)) return first;
        swap_vals(v, first, last);
        first++;
    }
}

static void adjust_heap(sort_ctx *c, cv_value *v, ptrdiff_t first, ptrdiff_t hole, ptrdiff_t len, cv_value value) {
    ptrdiff_t top = hole, child = hole;
    while (child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (sort_comp(c, v[first + child], v[first + child - 1])) child--;
        v[first + hole] = v[first + child];
        hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        v[first + hole] = v[first + child - 1];
        hole = child - 1;
    }
    ptrdiff_t parent = (hole - 1) / 2;
    while (hole > top && sort_comp(c, v[first + parent], value)) {
        v[first + hole] = v[first + parent];
        hole = parent;
        parent = (hole - 1) / 2;
    }
    v[first + hole] = value;
}

static void heap_sort(sort_ctx *c, cv_value *v, ptrdiff_t first, ptrdiff_t last) {
    ptrdiff_t len = last - first;
    if (len >= 2) {
        for (ptrdiff_t parent = (len - 2) / 2;; parent--) {
            adjust_heap(c, v, first, parent, len, v[first + parent]);
            if (parent == 0) break;
        }
    }
    while (last - first > 1) {
        last--;
        cv_value value = v[last];
        v[last] = v[first];
        adjust_heap(c, v, first, 0, last - first, value);
    }
}

enum { SORT_THRESHOLD = 16 };

static void introsort_loop(sort_ctx *c, cv_value *v, ptrdiff_t first, ptrdiff_t last, int depth) {
    while (last - first > SORT_THRESHOLD) {
        if (depth == 0) {
            heap_sort(c, v, first, last);
            return;
        }
        depth--;
        ptrdiff_t mid = first + (last - first) / 2;
        move_median_to_first(c, v, first, first + 1, mid, last - 1);
        ptrdiff_t cut = unguarded_partition(c, v, first + 1, last, first);
        introsort_loop(c, v, cut, last, depth);
        last = cut;
    }
}

static void std_sort(sort_ctx *c, cv_value *v, size_t count) {
    if (count < 2) return;
    int lg = 0;
    while (((size_t)1 << (lg + 1)) <= count) lg++;
    ptrdiff_t last = (ptrdiff_t)count;
    introsort_loop(c, v, 0, last, 2 * lg);
    if (last > SORT_THRESHOLD) {
        insertion_sort(c, v, 0, SORT_THRESHOLD);
        for (ptrdiff_t i = SORT_THRESHOLD; i < last; i++) unguarded_linear_insert(c, v, i, 0);
    } else {
        insertion_sort(c, v, 0, last);
    }
}

/* sort.any / sorted.any accept lists of same-typed tuples only (classes
 * would need their __lt__ method run by the interpreter). */
static int check_sortable_any(cts_kctx *k, const cv_list *l) {
    if (l->len == 0) return 0;
    cts_type *t0 = cv_type_of(l->items[0]);
    int rc = 0;
    for (size_t i = 1; i < l->len && !rc; i++) {
        cts_type *ti = cv_type_of(l->items[i]);
        if (t0 && ti && !cts_type_equal(t0, ti)) {
            cts_strbuf s1, s2;
            cts_sb_init(&s1);
            cts_sb_init(&s2);
            cts_type_str_annot(t0, &s1);
            cts_type_str_annot(ti, &s2);
            rc = cts_err_set(k->err, "Only values of same type can be compared. Found %s and %s", cts_sb_str(&s1),
                             cts_sb_str(&s2));
            cts_sb_free(&s1);
            cts_sb_free(&s2);
        }
        cts_type_release(ti);
    }
    if (!rc && l->items[0].tag != CV_TUPLE) {
        cts_strbuf s;
        cts_sb_init(&s);
        if (t0) cts_type_str_annot(t0, &s);
        rc = cts_err_set(k->err,
                         "Only list of Tensors, ints, floats, bools, strs, a User Defined Class that defines the "
                         "__lt__ compare method or Tuples of aforementioned types can be sorted, got list of %s",
                         cts_sb_str(&s));
        cts_sb_free(&s);
    }
    cts_type_release(t0);
    return rc;
}

static int sort_list(cts_kctx *k, cv_list *l, enum sort_kind kind, bool reverse) {
    if (kind == SORT_ANY && check_sortable_any(k, l)) return -1;
    sort_ctx c = {k, kind, reverse, false};
    std_sort(&c, l->items, l->len);
    return c.failed ? -1 : 0;
}

static int sort_inplace(cts_kctx *k, const cv_value *a, int n, enum sort_kind kind) {
    LIST_ARG(0, l);
    bool reverse = n > 1 && a[1].tag == CV_BOOL && a[1].u.b;
    return sort_list(k, l, kind, reverse);
}
static int sort_copy(cts_kctx *k, const cv_value *a, int n, cv_value *o, enum sort_kind kind) {
    LIST_ARG(0, l);
    if (list_copy_range(k, l, 0, l->len, o)) return -1;
    if (sort_list(k, o->u.l, kind, false)) {
        cv_release(*o);
        return -1;
    }
    return 0;
}
KDEF(k_list_sort) { (void)o; return sort_inplace(k, a, n, SORT_PRIM); }
KDEF(k_list_sort_Tensor) { (void)o; return sort_inplace(k, a, n, SORT_TENSOR); }
KDEF(k_list_sort_any) { (void)o; return sort_inplace(k, a, n, SORT_ANY); }
KDEF(k_list_sorted) { return sort_copy(k, a, n, o, SORT_PRIM); }
KDEF(k_list_sorted_Tensor) { return sort_copy(k, a, n, o, SORT_TENSOR_NOID); }
KDEF(k_list_sorted_any) { return sort_copy(k, a, n, o, SORT_ANY); }

/* ---- dict ops (one kernel serves every key type) ---- */

static int key_error(cts_kctx *k, cv_value key) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_ivalue_str(key, &sb);
    cts_err_set(k->err, "KeyError: %s", cts_sb_str(&sb));
    cts_sb_free(&sb);
    return -1;
}

static int dict_copy(cts_kctx *k, const cv_dict *d, cv_value *out) {
    if (cv_dict_new(d->key_type, d->val_type, out, k->err)) return -1;
    for (size_t i = 0; i < d->len; i++)
        if (cv_dict_set(out->u.d, retained(d->entries[i].key), retained(d->entries[i].val), k->err)) {
            cv_release(*out);
            return -1;
        }
    return 0;
}

KDEF(k_dict) {
    (void)a;
    (void)n;
    return cv_dict_new(T_STR, T_TENSOR, o, k->err);
}

KDEF(k_dict_len) {
    DICT_ARG(0, d);
    *o = cv_int((int64_t)d->len);
    return 0;
}

KDEF(k_dict_keys) {
    DICT_ARG(0, d);
    if (cv_list_new(d->key_type, d->len, o, k->err)) return -1;
    for (size_t i = 0; i < d->len; i++)
        if (push_ref(k, o->u.l, d->entries[i].key)) {
            cv_release(*o);
            return -1;
        }
    return 0;
}

KDEF(k_dict_values) {
    DICT_ARG(0, d);
    if (cv_list_new(d->val_type, d->len, o, k->err)) return -1;
    for (size_t i = 0; i < d->len; i++)
        if (push_ref(k, o->u.l, d->entries[i].val)) {
            cv_release(*o);
            return -1;
        }
    return 0;
}

static int kv_tuple(cts_kctx *k, const cv_dict_entry *e, cv_value *out) {
    cv_value it[2] = {retained(e->key), retained(e->val)};
    return cv_tuple_new(NULL, 2, it, out, k->err);
}

KDEF(k_dict_items) {
    DICT_ARG(0, d);
    cts_type *el[2] = {d->key_type, d->val_type};
    cts_type *tt = cts_type_tuple(2, el);
    if (!tt) return cts_err_oom(k->err, "dict items", 0);
    int rc = cv_list_new(tt, d->len, o, k->err);
    cts_type_release(tt);
    if (rc) return -1;
    for (size_t i = 0; i < d->len; i++) {
        cv_value t;
        if (kv_tuple(k, &d->entries[i], &t) || cv_list_push(o->u.l, t, k->err)) {
            cv_release(*o);
            return -1;
        }
    }
    return 0;
}

KDEF(k_dict_getitem) {
    DICT_ARG(0, d);
    if (n < 2) return arg_err(k, __func__, "a key");
    cv_value *v = cv_dict_get(d, a[1]);
    if (!v) return key_error(k, a[1]);
    *o = retained(*v);
    return 0;
}

KDEF(k_dict_get) {
    DICT_ARG(0, d);
    if (n < 2) return arg_err(k, __func__, "a key");
    cv_value *v = cv_dict_get(d, a[1]);
    *o = v ? retained(*v) : cv_none();
    return 0;
}

KDEF(k_dict_get_default) {
    DICT_ARG(0, d);
    if (n < 3) return arg_err(k, __func__, "a key and a default");
    cv_value *v = cv_dict_get(d, a[1]);
    *o = retained(v ? *v : a[2]);
    return 0;
}

KDEF(k_dict_setdefault) {
    DICT_ARG(0, d);
    if (n < 3) return arg_err(k, __func__, "a key and a default");
    cv_value *v = cv_dict_get(d, a[1]);
    if (v) {
        *o = retained(*v);
        return 0;
    }
    if (cv_dict_set(d, retained(a[1]), retained(a[2]), k->err)) return -1;
    *o = retained(a[2]);
    return 0;
}

KDEF(k_dict_set_item) {
    (void)o;
    DICT_ARG(0, d);
    if (n < 3) return arg_err(k, __func__, "a key and a value");
    return cv_dict_set(d, retained(a[1]), retained(a[2]), k->err);
}

KDEF(k_dict_contains) {
    DICT_ARG(0, d);
    if (n < 2) return arg_err(k, __func__, "a key");
    *o = cv_bool(cv_dict_get(d, a[1]) != NULL);
    return 0;
}

static int dict_pop(cts_kctx *k, const cv_value *a, int n, cv_value *o, bool has_default) {
    DICT_ARG(0, d);
    if (n < (has_default ? 3 : 2)) return arg_err(k, __func__, "a key");
    cv_value *v = cv_dict_get(d, a[1]);
    if (!v) {
        if (!has_default) return key_error(k, a[1]);
        if (o) *o = retained(a[2]);
        return 0;
    }
    if (o) *o = retained(*v);
    cv_dict_del(d, a[1]);
    return 0;
}
KDEF(k_dict_pop) { return dict_pop(k, a, n, o, false); }
KDEF(k_dict_pop_default) { return dict_pop(k, a, n, o, true); }
KDEF(k_dict_delete) { (void)o; return dict_pop(k, a, n, NULL, false); }

KDEF(k_dict_popitem) {
    DICT_ARG(0, d);
    if (d->len == 0) return cts_err_set(k->err, "popitem(): dictionary is empty");
    if (kv_tuple(k, &d->entries[0], o)) return -1;
    cv_dict_del(d, d->entries[0].key);
    return 0;
}

KDEF(k_dict_clear) {
    (void)o;
    DICT_ARG(0, d);
    size_t m = d->len;
    d->len = 0;
    if (d->index) memset(d->index, 0, d->index_cap * sizeof *d->index);
    for (size_t i = 0; i < m; i++) {
        cv_release(d->entries[i].key);
        cv_release(d->entries[i].val);
    }
    return 0;
}

KDEF(k_dict_update) {
    (void)o;
    DICT_ARG(0, d);
    DICT_ARG(1, add);
    for (size_t i = 0; i < add->len; i++)
        if (cv_dict_set(d, retained(add->entries[i].key), retained(add->entries[i].val), k->err)) return -1;
    return 0;
}

KDEF(k_dict_copy) {
    DICT_ARG(0, d);
    return dict_copy(k, d, o);
}

/* dict(list of (key, value) tuples): later pairs overwrite earlier ones */
KDEF(k_dict_from_list) {
    LIST_ARG(0, l);
    cts_type *kt = T_ANY, *vt = T_ANY;
    if (l->elem && l->elem->kind == TY_TUPLE && l->elem->n == 2) {
        kt = l->elem->elems[0];
        vt = l->elem->elems[1];
    }
    if (cv_dict_new(kt, vt, o, k->err)) return -1;
    for (size_t i = 0; i < l->len; i++) {
        cv_value t = l->items[i];
        if (t.tag != CV_TUPLE || t.u.tu->len != 2) {
            cv_release(*o);
            return arg_err(k, __func__, "a list of (key, value) tuples");
        }
        if (cv_dict_set(o->u.d, retained(t.u.tu->items[0]), retained(t.u.tu->items[1]), k->err)) {
            cv_release(*o);
            return -1;
        }
    }
    return 0;
}

/* ---- the table ---- */

const cts_op_def cts_ops_list[] = {
    {"aten::select.t(t[](a) list, int idx) -> t(*)", k_list_getitem},
    {"aten::__getitem__.t(t[](a) list, int idx) -> t(*)", k_list_getitem},
    {"aten::append.t(t[](a!) self, t(c -> *) el) -> t[](a!)", k_list_append},
    {"aten::reverse.t(t[](a!) self) -> ()", k_list_reverse},
    {"aten::extend.t(t[](a!) self, t[] other) -> ()", k_list_extend},
    {"aten::copy.t(t[](a) self) -> t[]", k_list_copy},
    {"aten::_set_item.t(t[](a!) l, int idx, t(b -> *) el) -> t[](a!)", k_list_set_item},
    {"aten::clear.t(t[](a!) self) -> ()", k_list_clear},
    {"aten::Delete.t(t[](a!) self, int idx) -> ()", k_list_Delete},
    {"aten::insert.t(t[](a!) self, int idx, t(b -> *) el) -> ()", k_list_insert},
    {"aten::pop.t(t[](a!) self, int idx=-1) -> t(*)", k_list_pop},
    {"aten::add.t(t[] a, t[] b) -> t[]", k_list_add},
    {"aten::add_.t(t[](a!) self, t[] b) -> t[]", k_list_iadd},
    {"aten::slice.t(t[] l, int? start=None, int? end=None, int step=1) -> t[]", k_list_slice},
    {"aten::list.t(t[] l) -> t[]", k_list_copy},
    {"aten::mul.left_t(t[] l, int n) -> t[]", k_list_mul_left},
    {"aten::mul.right_(int n, t[] l) -> t[]", k_list_mul_right},
    {"aten::mul_.t(t[](a!) l, int n) -> t[](a!)", k_list_imul},
    {"aten::len.t(t[] a) -> int", k_list_len},
    {"aten::len.any(Any[] a) -> int", k_list_len},
    {"aten::len.Tensor(Tensor t) -> int", k_len_Tensor},
    {"aten::Size(int[] sizes) -> int[]", k_Size},
    {"aten::eq.int_list(int[] a, int[] b) -> bool", k_list_eq},
    {"aten::eq.float_list(float[] a, float[] b) -> bool", k_list_eq},
    {"aten::eq.bool_list(bool[] a, bool[] b) -> bool", k_list_eq},
    {"aten::eq.str_list(str[] a, str[] b) -> bool", k_list_eq},
    {"aten::eq.Tensor_list(Tensor[] a, Tensor[] b) -> bool", k_list_eq_Tensor},
    {"aten::ne.int_list(int[] a, int[] b) -> bool", k_list_ne},
    {"aten::ne.float_list(float[] a, float[] b) -> bool", k_list_ne},
    {"aten::ne.bool_list(bool[] a, bool[] b) -> bool", k_list_ne},
    {"aten::ne.str_list(str[] a, str[] b) -> bool", k_list_ne},
    {"aten::ne.Tensor_list(Tensor[] a, Tensor[] b) -> bool", k_list_ne_Tensor},
    {"prim::min.int_list(int[] l, int[] r) -> int[]", k_list_min2},
    {"prim::min.float_list(float[] l, float[] r) -> float[]", k_list_min2},
    {"prim::min.bool_list(bool[] l, bool[] r) -> bool[]", k_list_min2},
    {"prim::min.self_int(int[] self) -> int", k_list_min},
    {"prim::min.self_float(float[] self) -> float", k_list_min},
    {"prim::min.self_bool(bool[] self) -> bool", k_list_min},
    {"prim::max.int_list(int[] l, int[] r) -> int[]", k_list_max2},
    {"prim::max.float_list(float[] l, float[] r) -> float[]", k_list_max2},
    {"prim::max.bool_list(bool[] l, bool[] r) -> bool[]", k_list_max2},
    {"prim::max.self_int(int[] self) -> int", k_list_max},
    {"prim::max.self_float(float[] self) -> float", k_list_max},
    {"prim::max.self_bool(bool[] self) -> bool", k_list_max},
    {"aten::remove.int(int[](a!) self, int el) -> ()", k_list_remove},
    {"aten::remove.float(float[](a!) self, float el) -> ()", k_list_remove},
    {"aten::remove.bool(bool[](a!) self, bool el) -> ()", k_list_remove},
    {"aten::remove.str(str[](a!) self, str el) -> ()", k_list_remove},
    {"aten::remove.Tensor(Tensor[](a!) self, Tensor el) -> ()", k_list_remove_Tensor},
    {"aten::index.list_int(int[] self, int el) -> int", k_list_index},
    {"aten::index.list_float(float[] self, float el) -> int", k_list_index},
    {"aten::index.list_bool(bool[] self, bool el) -> int", k_list_index},
    {"aten::index.list_str(str[] self, str el) -> int", k_list_index},
    {"aten::index.list_Tensor(Tensor[] self, Tensor el) -> int", k_list_index_Tensor},
    {"aten::count.int(int[] self, int el) -> int", k_list_count},
    {"aten::count.float(float[] self, float el) -> int", k_list_count},
    {"aten::count.bool(bool[] self, bool el) -> int", k_list_count},
    {"aten::count.str(str[] self, str el) -> int", k_list_count},
    {"aten::count.Tensor(Tensor[] self, Tensor el) -> int", k_list_count_Tensor},
    {"aten::__contains__.int_list(int[] l, int item) -> bool", k_list_contains},
    {"aten::__contains__.float_list(float[] l, float item) -> bool", k_list_contains},
    {"aten::__contains__.str_list(str[] l, str item) -> bool", k_list_contains},
    {"aten::sort.int(int[](a!) self, bool reverse=False) -> ()", k_list_sort},
    {"aten::sort.float(float[](a!) self, bool reverse=False) -> ()", k_list_sort},
    {"aten::sort.bool(bool[](a!) self, bool reverse=False) -> ()", k_list_sort},
    {"aten::sort.str(str[](a!) self, bool reverse=False) -> ()", k_list_sort},
    {"aten::sort.Tensor(Tensor[](a!) self, bool reverse=False) -> ()", k_list_sort_Tensor},
    {"aten::sort.any(t[](a!) self, bool reverse=False) -> ()", k_list_sort_any},
    {"aten::sorted.int(int[](a) input) -> int[]", k_list_sorted},
    {"aten::sorted.float(float[](a) input) -> float[]", k_list_sorted},
    {"aten::sorted.bool(bool[](a) input) -> bool[]", k_list_sorted},
    {"aten::sorted.str(str[](a) input) -> str[]", k_list_sorted},
    {"aten::sorted.Tensor(Tensor[](a) input) -> Tensor[]", k_list_sorted_Tensor},
    {"aten::sorted.any(t[](a) self) -> t[]", k_list_sorted_any},
    {"aten::sum.int(int[] self) -> int", k_sum_int},
    {"aten::sum.float(float[] self) -> float", k_sum_float},
    {"aten::sum.bool(bool[] self) -> int", k_sum_bool},
    {"aten::any.str(str[] self) -> bool", k_list_any},
    {"aten::any.int(int[] self) -> bool", k_list_any},
    {"aten::any.float(float[] self) -> bool", k_list_any},
    {"aten::any.bool(bool[] self) -> bool", k_list_any},
    {"aten::all.int(int[] self) -> bool", k_list_all},
    {"aten::all.float(float[] self) -> bool", k_list_all},
    {"aten::all.bool(bool[] self) -> bool", k_list_all},
    {"aten::dict() -> Dict(str, Tensor)", k_dict},
    {"aten::len.Dict_str(Dict(str, t) self) -> int", k_dict_len},
    {"aten::keys.str(Dict(str, t) self) -> str[](*)", k_dict_keys},
    {"aten::values.str(Dict(str, t) self) -> t[](*)", k_dict_values},
    {"aten::__getitem__.Dict_str(Dict(str, t) self, str key) -> t(*)", k_dict_getitem},
    {"aten::get.str(Dict(str, t) self, str key) -> t(*)?", k_dict_get},
    {"aten::get.default_str(Dict(str, t) self, str key, t default_value) -> t(*)", k_dict_get_default},
    {"aten::setdefault.str(Dict(str, t)(a!) self, str(b -> *) key, t(c -> *) default_value) -> t(*)", k_dict_setdefault},
    {"aten::Delete.Dict_str(Dict(str, t)(a!) self, str key) -> ()", k_dict_delete},
    {"aten::pop.Dict_str(Dict(str, t)(a!) self, str key) -> t(*)", k_dict_pop},
    {"aten::pop.Dict_default_str(Dict(str, t)(a!) self, str key, t default_value) -> t(*)", k_dict_pop_default},
    {"aten::popitem.str(Dict(str, t)(a!) self) -> ((str, t))", k_dict_popitem},
    {"aten::clear.str(Dict(str, t)(a!) self) -> ()", k_dict_clear},
    {"aten::update.str(Dict(str, t)(a!) self, Dict(str, t)(a!) to_add) -> ()", k_dict_update},
    {"aten::items.str(Dict(str, t) self) -> ((str, t)[])", k_dict_items},
    {"aten::copy.Dict_str(Dict(str, t)(a) self) -> Dict(str, t)", k_dict_copy},
    {"aten::__contains__.str(Dict(str, t) dict, str key) -> bool", k_dict_contains},
    {"aten::_set_item.str(Dict(str, t)(a!) l, str(b -> *) idx, t(c -> *) v) -> ()", k_dict_set_item},
    {"aten::dict.str((str, tVal)[] inputs) -> Dict(str, tVal)", k_dict_from_list},
    {"aten::dict.Dict_str(Dict(str, t)(a) self) -> Dict(str, t)", k_dict_copy},
    {"aten::len.Dict_int(Dict(int, t) self) -> int", k_dict_len},
    {"aten::keys.int(Dict(int, t) self) -> int[](*)", k_dict_keys},
    {"aten::values.int(Dict(int, t) self) -> t[](*)", k_dict_values},
    {"aten::__getitem__.Dict_int(Dict(int, t) self, int key) -> t(*)", k_dict_getitem},
    {"aten::get.int(Dict(int, t) self, int key) -> t(*)?", k_dict_get},
    {"aten::get.default_int(Dict(int, t) self, int key, t default_value) -> t(*)", k_dict_get_default},
    {"aten::setdefault.int(Dict(int, t)(a!) self, int(b -> *) key, t(c -> *) default_value) -> t(*)", k_dict_setdefault},
    {"aten::Delete.Dict_int(Dict(int, t)(a!) self, int key) -> ()", k_dict_delete},
    {"aten::pop.Dict_int(Dict(int, t)(a!) self, int key) -> t(*)", k_dict_pop},
    {"aten::pop.Dict_default_int(Dict(int, t)(a!) self, int key, t default_value) -> t(*)", k_dict_pop_default},
    {"aten::popitem.int(Dict(int, t)(a!) self) -> ((int, t))", k_dict_popitem},
    {"aten::clear.int(Dict(int, t)(a!) self) -> ()", k_dict_clear},
    {"aten::update.int(Dict(int, t)(a!) self, Dict(int, t)(a!) to_add) -> ()", k_dict_update},
    {"aten::items.int(Dict(int, t) self) -> ((int, t)[])", k_dict_items},
    {"aten::copy.Dict_int(Dict(int, t)(a) self) -> Dict(int, t)", k_dict_copy},
    {"aten::__contains__.int(Dict(int, t) dict, int key) -> bool", k_dict_contains},
    {"aten::_set_item.int(Dict(int, t)(a!) l, int(b -> *) idx, t(c -> *) v) -> ()", k_dict_set_item},
    {"aten::dict.int((int, tVal)[] inputs) -> Dict(int, tVal)", k_dict_from_list},
    {"aten::dict.Dict_int(Dict(int, t)(a) self) -> Dict(int, t)", k_dict_copy},
    {"aten::len.Dict_bool(Dict(bool, t) self) -> int", k_dict_len},
    {"aten::keys.bool(Dict(bool, t) self) -> bool[](*)", k_dict_keys},
    {"aten::values.bool(Dict(bool, t) self) -> t[](*)", k_dict_values},
    {"aten::__getitem__.Dict_bool(Dict(bool, t) self, bool key) -> t(*)", k_dict_getitem},
    {"aten::get.bool(Dict(bool, t) self, bool key) -> t(*)?", k_dict_get},
    {"aten::get.default_bool(Dict(bool, t) self, bool key, t default_value) -> t(*)", k_dict_get_default},
    {"aten::setdefault.bool(Dict(bool, t)(a!) self, bool(b -> *) key, t(c -> *) default_value) -> t(*)", k_dict_setdefault},
    {"aten::Delete.Dict_bool(Dict(bool, t)(a!) self, bool key) -> ()", k_dict_delete},
    {"aten::pop.Dict_bool(Dict(bool, t)(a!) self, bool key) -> t(*)", k_dict_pop},
    {"aten::pop.Dict_default_bool(Dict(bool, t)(a!) self, bool key, t default_value) -> t(*)", k_dict_pop_default},
    {"aten::popitem.bool(Dict(bool, t)(a!) self) -> ((bool, t))", k_dict_popitem},
    {"aten::clear.bool(Dict(bool, t)(a!) self) -> ()", k_dict_clear},
    {"aten::update.bool(Dict(bool, t)(a!) self, Dict(bool, t)(a!) to_add) -> ()", k_dict_update},
    {"aten::items.bool(Dict(bool, t) self) -> ((bool, t)[])", k_dict_items},
    {"aten::copy.Dict_bool(Dict(bool, t)(a) self) -> Dict(bool, t)", k_dict_copy},
    {"aten::__contains__.bool(Dict(bool, t) dict, bool key) -> bool", k_dict_contains},
    {"aten::_set_item.bool(Dict(bool, t)(a!) l, bool(b -> *) idx, t(c -> *) v) -> ()", k_dict_set_item},
    {"aten::dict.bool((bool, tVal)[] inputs) -> Dict(bool, tVal)", k_dict_from_list},
    {"aten::dict.Dict_bool(Dict(bool, t)(a) self) -> Dict(bool, t)", k_dict_copy},
    {"aten::len.Dict_float(Dict(float, t) self) -> int", k_dict_len},
    {"aten::keys.float(Dict(float, t) self) -> float[](*)", k_dict_keys},
    {"aten::values.float(Dict(float, t) self) -> t[](*)", k_dict_values},
    {"aten::__getitem__.Dict_float(Dict(float, t) self, float key) -> t(*)", k_dict_getitem},
    {"aten::get.float(Dict(float, t) self, float key) -> t(*)?", k_dict_get},
    {"aten::get.default_float(Dict(float, t) self, float key, t default_value) -> t(*)", k_dict_get_default},
    {"aten::setdefault.float(Dict(float, t)(a!) self, float(b -> *) key, t(c -> *) default_value) -> t(*)", k_dict_setdefault},
    {"aten::Delete.Dict_float(Dict(float, t)(a!) self, float key) -> ()", k_dict_delete},
    {"aten::pop.Dict_float(Dict(float, t)(a!) self, float key) -> t(*)", k_dict_pop},
    {"aten::pop.Dict_default_float(Dict(float, t)(a!) self, float key, t default_value) -> t(*)", k_dict_pop_default},
    {"aten::popitem.float(Dict(float, t)(a!) self) -> ((float, t))", k_dict_popitem},
    {"aten::clear.float(Dict(float, t)(a!) self) -> ()", k_dict_clear},
    {"aten::update.float(Dict(float, t)(a!) self, Dict(float, t)(a!) to_add) -> ()", k_dict_update},
    {"aten::items.float(Dict(float, t) self) -> ((float, t)[])", k_dict_items},
    {"aten::copy.Dict_float(Dict(float, t)(a) self) -> Dict(float, t)", k_dict_copy},
    {"aten::__contains__.float(Dict(float, t) dict, float key) -> bool", k_dict_contains},
    {"aten::_set_item.float(Dict(float, t)(a!) l, float(b -> *) idx, t(c -> *) v) -> ()", k_dict_set_item},
    {"aten::dict.float((float, tVal)[] inputs) -> Dict(float, tVal)", k_dict_from_list},
    {"aten::dict.Dict_float(Dict(float, t)(a) self) -> Dict(float, t)", k_dict_copy},
    {"aten::len.Dict_Tensor(Dict(Tensor, t) self) -> int", k_dict_len},
    {"aten::keys.Tensor(Dict(Tensor, t) self) -> Tensor[](*)", k_dict_keys},
    {"aten::values.Tensor(Dict(Tensor, t) self) -> t[](*)", k_dict_values},
    {"aten::__getitem__.Dict_Tensor(Dict(Tensor, t) self, Tensor key) -> t(*)", k_dict_getitem},
    {"aten::get.Tensor(Dict(Tensor, t) self, Tensor key) -> t(*)?", k_dict_get},
    {"aten::get.default_Tensor(Dict(Tensor, t) self, Tensor key, t default_value) -> t(*)", k_dict_get_default},
    {"aten::setdefault.Tensor(Dict(Tensor, t)(a!) self, Tensor(b -> *) key, t(c -> *) default_value) -> t(*)", k_dict_setdefault},
    {"aten::Delete.Dict_Tensor(Dict(Tensor, t)(a!) self, Tensor key) -> ()", k_dict_delete},
    {"aten::pop.Dict_Tensor(Dict(Tensor, t)(a!) self, Tensor key) -> t(*)", k_dict_pop},
    {"aten::pop.Dict_default_Tensor(Dict(Tensor, t)(a!) self, Tensor key, t default_value) -> t(*)", k_dict_pop_default},
    {"aten::popitem.Tensor(Dict(Tensor, t)(a!) self) -> ((Tensor, t))", k_dict_popitem},
    {"aten::clear.Tensor(Dict(Tensor, t)(a!) self) -> ()", k_dict_clear},
    {"aten::update.Tensor(Dict(Tensor, t)(a!) self, Dict(Tensor, t)(a!) to_add) -> ()", k_dict_update},
    {"aten::items.Tensor(Dict(Tensor, t) self) -> ((Tensor, t)[])", k_dict_items},
    {"aten::copy.Dict_Tensor(Dict(Tensor, t)(a) self) -> Dict(Tensor, t)", k_dict_copy},
    {"aten::__contains__.Tensor(Dict(Tensor, t) dict, Tensor key) -> bool", k_dict_contains},
    {"aten::_set_item.Tensor(Dict(Tensor, t)(a!) l, Tensor(b -> *) idx, t(c -> *) v) -> ()", k_dict_set_item},
    {"aten::dict.Tensor((Tensor, tVal)[] inputs) -> Dict(Tensor, tVal)", k_dict_from_list},
    {"aten::dict.Dict_Tensor(Dict(Tensor, t)(a) self) -> Dict(Tensor, t)", k_dict_copy},
};
const int cts_ops_list_count = (int)(sizeof cts_ops_list / sizeof *cts_ops_list);
