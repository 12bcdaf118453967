/* value.h - tagged runtime values (PyTorch's IValue).
 *
 * A cv_value is 16 bytes: a tag and a payload.  Scalars (None, bool, int,
 * float, device) are inline; strings, tensors, lists, tuples, dicts, objects
 * and functions point to refcounted heap objects (atomic counts).
 *
 * Ownership convention: a cv_value variable either owns one reference or is
 * "borrowed"; functions document which.  cv_retain/cv_release adjust the
 * count of heap payloads and do nothing for inline ones.
 *
 * Lists and dicts are mutable (TorchScript's `append`, `d[k] = v`) and are
 * not locked: a container created by one call belongs to that call; values
 * shared between threads (module attributes, constants) are only read. */
#ifndef CTS_VALUE_VALUE_H
#define CTS_VALUE_VALUE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../core/strbuf.h"
#include "../tensor/tensor.h"
#include "type.h"

typedef enum cv_tag {
    CV_NONE = 0,
    CV_BOOL,
    CV_INT,
    CV_FLOAT,
    CV_DEVICE,   /* inline: type (0 = cpu, 1 = cuda, ...) and index */
    CV_STR,
    CV_TENSOR,   /* may be NULL: an undefined tensor */
    CV_LIST,
    CV_TUPLE,
    CV_DICT,
    CV_OBJECT,
    CV_FUNC,     /* a callable function (runtime-owned, not refcounted) */
    CV_UNINIT,   /* prim::Uninitialized */
    CV_COMPLEX,  /* a complex scalar (c10::complex<double>), refcounted on the heap */
    CV_PY,       /* a Python-level object of `cts exec` (src/exec/): refcounted, freed by its destroy hook;
                    never seen by compiled code */
} cv_tag;

typedef struct cv_str cv_str;
typedef struct cv_list cv_list;
typedef struct cv_tuple cv_tuple;
typedef struct cv_dict cv_dict;
typedef struct cv_object cv_object;
typedef struct cv_complex cv_complex;
typedef struct cv_py cv_py;

typedef struct cv_value {
    cv_tag tag;
    union {
        bool b;
        int64_t i;
        double f;
        struct { int16_t type, index; } dev;
        cv_str *s;
        ct_tensor *t;
        cv_list *l;
        cv_tuple *tu;
        cv_dict *d;
        cv_object *o;
        cv_complex *c;
        cv_py *py;
        void *fn;
        atomic_long *rc; /* every heap payload starts with its count */
    } u;
} cv_value;

struct cv_str {
    atomic_long rc;
    size_t len;
    char data[]; /* NUL-terminated */
};

struct cv_list {
    atomic_long rc;
    cts_type *elem;  /* element type (owned reference) */
    size_t len, cap;
    cv_value *items; /* owned references */
};

struct cv_tuple {
    atomic_long rc;
    cts_type *type;  /* NamedTuple type, or NULL for a plain tuple */
    size_t len;
    cv_value items[];
};

typedef struct cv_dict_entry {
    cv_value key, val;
} cv_dict_entry;

struct cv_dict {
    atomic_long rc;
    cts_type *key_type, *val_type;
    size_t len, cap;        /* entries in insertion order, no holes */
    cv_dict_entry *entries;
    size_t index_cap;       /* open-addressing index of entry positions + 1 */
    uint32_t *index;
};

struct cv_complex {
    atomic_long rc;
    double re, im;
};

/* The head of every CV_PY payload; the exec layer defines the rest. */
struct cv_py {
    atomic_long rc;
    void (*destroy)(cv_py *p); /* frees the payload (its count reached zero) */
};

struct cv_object {
    atomic_long rc;
    cts_type *type;   /* TY_CLASS (owned reference) */
    size_t nslots;
    cv_value slots[];
};

/* ---- constructors (inline) ---- */
static inline cv_value cv_none(void) { cv_value v = {CV_NONE, {0}}; return v; }
static inline cv_value cv_bool(bool b) { cv_value v = {CV_BOOL, {0}}; v.u.b = b; return v; }
static inline cv_value cv_int(int64_t i) { cv_value v = {CV_INT, {0}}; v.u.i = i; return v; }
static inline cv_value cv_float(double f) { cv_value v = {CV_FLOAT, {0}}; v.u.f = f; return v; }
static inline cv_value cv_device(int type, int index) {
    cv_value v = {CV_DEVICE, {0}};
    v.u.dev.type = (int16_t)type;
    v.u.dev.index = (int16_t)index;
    return v;
}
/* Takes ownership of t (which may be NULL for an undefined tensor). */
static inline cv_value cv_tensor(ct_tensor *t) { cv_value v = {CV_TENSOR, {0}}; v.u.t = t; return v; }
static inline cv_value cv_func(void *fn) { cv_value v = {CV_FUNC, {0}}; v.u.fn = fn; return v; }
static inline cv_value cv_uninit(void) { cv_value v = {CV_UNINIT, {0}}; return v; }

static inline bool cv_is_heap(const cv_value *v) {
    return ((v->tag >= CV_STR && v->tag <= CV_OBJECT) || v->tag == CV_COMPLEX || v->tag == CV_PY) && v->u.rc != NULL;
}
static inline void cv_retain(cv_value v) {
    if (cv_is_heap(&v)) atomic_fetch_add_explicit(v.u.rc, 1, memory_order_relaxed);
}
void cv_release(cv_value v);
/* Calls fn on each value v directly holds: list and tuple items, dict keys
 * and values, object slots (nothing for other kinds). */
void cv_for_each_child(cv_value v, void (*fn)(void *ctx, cv_value child), void *ctx);
/* Sets *dst to src (retaining src, releasing the old *dst). */
static inline void cv_assign(cv_value *dst, cv_value src) {
    cv_retain(src);
    cv_value old = *dst;
    *dst = src;
    cv_release(old);
}

/* ---- heap constructors: each returns a new reference or sets err ---- */
int cv_str_new(const char *s, size_t n, cv_value *out, cts_err *err);
int cv_str_from(const char *s, cv_value *out, cts_err *err);
int cv_complex_new(double re, double im, cv_value *out, cts_err *err);
/* PyTorch's slice_indices_adjust (CPython's PySlice_AdjustIndices): start
 * and stop (INT64_MAX standing for None) clamped to a sequence of len for a
 * step the caller checked (non-zero, >= -INT64_MAX); returns how many
 * elements start, start + step, ... the slice has. */
int64_t cv_slice_adjust(int64_t len, int64_t *start, int64_t *stop, int64_t step);
/* torch.device's string form: "cpu", "cuda", "cuda:N" (N in 0..32767). */
int cv_device_parse(const char *s, size_t n, cv_value *out, cts_err *err);
/* Empty list with capacity; elem is retained. */
int cv_list_new(cts_type *elem, size_t cap, cv_value *out, cts_err *err);
/* Appends, taking ownership of item (released on failure). */
int cv_list_push(cv_list *l, cv_value item, cts_err *err);
/* Tuple of n items, taking ownership of them; type may be NULL. */
int cv_tuple_new(cts_type *type, size_t n, const cv_value *items, cv_value *out, cts_err *err);
int cv_dict_new(cts_type *key_type, cts_type *val_type, cv_value *out, cts_err *err);
/* Inserts or replaces; takes ownership of key and val. */
int cv_dict_set(cv_dict *d, cv_value key, cv_value val, cts_err *err);
/* Borrowed pointer to the value for key, or NULL. */
cv_value *cv_dict_get(const cv_dict *d, cv_value key);
int cv_dict_del(cv_dict *d, cv_value key);  /* 0 removed, -1 absent */
/* Object of a class type with all slots None; type retained. */
int cv_object_new(cts_type *cls, cv_value *out, cts_err *err);

/* Enum members are objects of an enum class (cls->is_enum) with two slots:
 * the member name (str) and its value (int, float or str).  Returns a new
 * reference to the member; name and value are retained. */
int cv_enum_new(cts_type *enum_type, cv_value name, cv_value value, cv_value *out, cts_err *err);
static inline bool cv_is_enum(cv_value v) {
    return v.tag == CV_OBJECT && v.u.o && v.u.o->type->cls->is_enum && v.u.o->nslots == 2 &&
           v.u.o->slots[0].tag == CV_STR;
}

/* Structural equality as TorchScript's `==` on non-tensors (tensors: identity). */
bool cv_equal(cv_value a, cv_value b);
/* Hashable dict-key check: str, int, float, bool, Tensor, Device. */
bool cv_hashable(cv_value v);

const char *cv_tag_name(cv_tag t);
/* The value's runtime type (new reference), used for error messages and
 * isinstance; lists/dicts report their declared element types. */
cts_type *cv_type_of(cv_value v);

/* PyTorch's IValue repr (`[1, 2]`, `(1, "a")`, `{"a": 1}`, floats as
 * in python_print).  Tensors print as "<Tensor>". */
void cv_repr(cv_value v, cts_strbuf *sb);
/* Python str() of a float: `1.0`, `0.1`, `1e-05`, `inf`, `nan`. */
void cv_float_str(double d, cts_strbuf *sb);
/* The IR/code float constant spelling (`1.`, `0.10000000000000001`). */
void cv_float_repr(double d, cts_strbuf *sb);
/* Quotes a string as python_print does (with escapes). */
void cv_str_quote(const char *s, size_t n, cts_strbuf *sb);

#endif
