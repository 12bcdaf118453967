/* tensor_print.c - PyTorch's Python repr and ATen's C++ printing of tensors.
 *
 * The Python format ports torch/_tensor_str.py (PyTorch 1.13, default print
 * options: precision 4, threshold 1000, edgeitems 3, linewidth 80).  One
 * _Formatter decides, from the elements that will be printed, between
 * integer mode (`1.`), fixed (`0.1000`) and scientific (`1.0000e-05`) and
 * the common column width.  Elements are read straight from the strided
 * view; nothing is copied, so summarizing a huge tensor costs only the
 * printed elements.
 *
 * The C++ format ports aten/src/ATen/core/Formatting.cpp: values go
 * through double, one format per matrix (integer/fixed/scientific with
 * optional common scale factor), `Columns i to j` blocks at 80 columns and
 * `(i,j,.,.) = ` headers for every matrix of a >2-d tensor.
 *
 * Python's and C's number formatting agree on %.Nf/%.Ne (both round the
 * exact binary value), except that Python spells every NaN "nan" where
 * glibc writes "-nan" for a negative one: NaN is handled apart. */
#include "tensor_print.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { PRECISION = 4, THRESHOLD = 1000, EDGEITEMS = 3, LINEWIDTH = 80 };

static const void *elem_ptr(const ct_tensor *t, int64_t off) {
    return (const char *)ct_data(t) + off * ct_dtype_size(t->dtype);
}

static bool is_floating(ct_dtype d) { return ct_dtype_is_float(d); }

static void put_spaces(cts_strbuf *sb, int64_t n) {
    for (int64_t i = 0; i < n; i++) cts_sb_putc(sb, ' ');
}

/* ======================= Python repr (_tensor_str.py) ======================= */

typedef struct py_fmt {
    bool floating, int_mode, sci_mode;
    int max_width;
} py_fmt;

typedef struct py_ctx {
    const ct_tensor *t;
    bool summarize;
    py_fmt f;
    /* statistics over the nonzero finite printed values */
    bool any;
    double min_abs, max_abs;
    bool all_int;
} py_ctx;

typedef void (*visit_fn)(py_ctx *c, int64_t off);

/* Calls fn on every element the printout shows, in order. */
static void visit(py_ctx *c, int d, int64_t off, visit_fn fn) {
    const ct_tensor *t = c->t;
    if (d == t->ndim) {
        fn(c, off);
        return;
    }
    int64_t s = t->sizes[d], st = t->strides[d];
    if (c->summarize && s > 2 * EDGEITEMS) {
        for (int64_t i = 0; i < EDGEITEMS; i++) visit(c, d + 1, off + i * st, fn);
        for (int64_t i = s - EDGEITEMS; i < s; i++) visit(c, d + 1, off + i * st, fn);
    } else {
        for (int64_t i = 0; i < s; i++) visit(c, d + 1, off + i * st, fn);
    }
}

/* "{}".format of a non-floating element: an int or True/False. */
static int nonfloat_str(const ct_tensor *t, int64_t off, char *buf, size_t n) {
    const void *p = elem_ptr(t, off);
    if (t->dtype == CT_BOOL) return snprintf(buf, n, "%s", *(const uint8_t *)p ? "True" : "False");
    return snprintf(buf, n, "%lld", (long long)ct_load_i64(p, t->dtype));
}

static void stat_nonfloat(py_ctx *c, int64_t off) {
    char buf[32];
    int w = nonfloat_str(c->t, off, buf, sizeof buf);
    if (w > c->f.max_width) c->f.max_width = w;
}

static void stat_float(py_ctx *c, int64_t off) {
    double v = ct_load_f64(elem_ptr(c->t, off), c->t->dtype);
    if (!isfinite(v) || v == 0) return;
    double a = fabs(v);
    if (!c->any) {
        c->any = true;
        c->min_abs = c->max_abs = a;
    } else {
        if (a < c->min_abs) c->min_abs = a;
        if (a > c->max_abs) c->max_abs = a;
    }
    if (v != ceil(v)) c->all_int = false;
}

static void width_float(py_ctx *c, int64_t off) {
    double v = ct_load_f64(elem_ptr(c->t, off), c->t->dtype);
    if (!isfinite(v) || v == 0) return;
    char buf[400];
    int w;
    if (c->f.sci_mode) w = snprintf(buf, sizeof buf, "%.*e", PRECISION, v);
    else if (c->f.int_mode) w = snprintf(buf, sizeof buf, "%.0f", v) + 1;
    else w = snprintf(buf, sizeof buf, "%.*f", PRECISION, v);
    if (w > c->f.max_width) c->f.max_width = w;
}

/* _Formatter.__init__ */
static void py_formatter(py_ctx *c) {
    c->f.floating = is_floating(c->t->dtype);
    c->f.int_mode = true;
    c->f.sci_mode = false;
    c->f.max_width = 1;
    if (!c->f.floating) {
        visit(c, 0, 0, stat_nonfloat);
        return;
    }
    c->any = false;
    c->all_int = true;
    visit(c, 0, 0, stat_float);
    if (!c->any) return;
    c->f.int_mode = c->all_int;
    bool big = c->max_abs / c->min_abs > 1000.0 || c->max_abs > 1.0e8;
    c->f.sci_mode = c->f.int_mode ? big : big || c->min_abs < 1.0e-4;
    visit(c, 0, 0, width_float);
}

/* _Formatter.format: the element right-aligned to max_width */
static void py_format(py_ctx *c, int64_t off, cts_strbuf *sb) {
    char buf[400];
    int w;
    if (!c->f.floating) {
        w = nonfloat_str(c->t, off, buf, sizeof buf);
    } else {
        double v = ct_load_f64(elem_ptr(c->t, off), c->t->dtype);
        if (isnan(v)) w = snprintf(buf, sizeof buf, "nan");
        else if (c->f.sci_mode) w = snprintf(buf, sizeof buf, "%.*e", PRECISION, v);
        else if (c->f.int_mode) w = snprintf(buf, sizeof buf, isinf(v) ? "%.0f" : "%.0f.", v);
        else w = snprintf(buf, sizeof buf, "%.*f", PRECISION, v);
    }
    put_spaces(sb, c->f.max_width - w);
    cts_sb_puts(sb, buf);
}

/* _vector_str: elements joined by ", ", wrapped to the line width */
static void py_vector(py_ctx *c, int64_t off, int64_t indent, cts_strbuf *sb) {
    const ct_tensor *t = c->t;
    int d = t->ndim - 1;
    int64_t s = t->sizes[d], st = t->strides[d];
    int64_t elem_len = c->f.max_width + 2;
    int64_t per_line = (LINEWIDTH - indent) / elem_len;
    if (LINEWIDTH - indent < 0 || per_line < 1) per_line = 1;
    bool cut = c->summarize && s > 2 * EDGEITEMS;
    int64_t shown = cut ? 2 * EDGEITEMS + 1 : s;
    cts_sb_putc(sb, '[');
    for (int64_t j = 0; j < shown; j++) {
        if (j > 0) {
            if (j % per_line == 0) {
                cts_sb_puts(sb, ",\n");
                put_spaces(sb, indent + 1);
            } else {
                cts_sb_puts(sb, ", ");
            }
        }
        if (cut && j == EDGEITEMS) {
            cts_sb_puts(sb, " ...");
            continue;
        }
        int64_t i = cut && j > EDGEITEMS ? s - (shown - j) : j;
        py_format(c, off + i * st, sb);
    }
    cts_sb_putc(sb, ']');
}

/* _tensor_str_with_formatter */
static void py_tensor(py_ctx *c, int d, int64_t off, int64_t indent, cts_strbuf *sb) {
    const ct_tensor *t = c->t;
    int dim = t->ndim - d;
    if (dim == 0) {
        py_format(c, off, sb);
        return;
    }
    if (dim == 1) {
        py_vector(c, off, indent, sb);
        return;
    }
    int64_t s = t->sizes[d], st = t->strides[d];
    bool cut = c->summarize && s > 2 * EDGEITEMS;
    int64_t shown = cut ? 2 * EDGEITEMS + 1 : s;
    cts_sb_putc(sb, '[');
    for (int64_t j = 0; j < shown; j++) {
        if (j > 0) {
            cts_sb_putc(sb, ',');
            for (int q = 0; q < dim - 1; q++) cts_sb_putc(sb, '\n');
            put_spaces(sb, indent + 1);
        }
        if (cut && j == EDGEITEMS) {
            cts_sb_puts(sb, "...");
            continue;
        }
        int64_t i = cut && j > EDGEITEMS ? s - (shown - j) : j;
        py_tensor(c, d + 1, off + i * st, indent + 1, sb);
    }
    cts_sb_putc(sb, ']');
}

/* _add_suffixes: ", suffix", or a new line when it would pass column 80 */
static void add_suffix(cts_strbuf *sb, const char *suffix, int64_t indent, int64_t *last_line_len) {
    int64_t n = (int64_t)strlen(suffix);
    if (*last_line_len + n + 2 > LINEWIDTH) {
        cts_sb_puts(sb, ",\n");
        put_spaces(sb, indent);
        *last_line_len = indent + n;
    } else {
        cts_sb_puts(sb, ", ");
        *last_line_len += n + 2;
    }
    cts_sb_puts(sb, suffix);
}

/* Complex tensors print plainly (flattened, %g parts): cts does not
 * replicate PyTorch's complex formatter. */
static void complex_plain(const ct_tensor *t, cts_strbuf *sb) {
    cts_sb_puts(sb, "tensor([");
    ct_iter it;
    ct_iter_init(&it, t);
    int64_t n = ct_numel(t);
    for (int64_t i = 0; i < n; i++) {
        const float *p = elem_ptr(t, it.pos);
        cts_sb_printf(sb, "%s%g%+gj", i ? ", " : "", (double)p[0], (double)p[1]);
        ct_iter_next(&it);
    }
    cts_sb_printf(sb, "], dtype=torch.%s)", ct_dtype_name(t->dtype));
}

void ct_tensor_repr_ex(const ct_tensor *t, bool show_requires_grad, cts_strbuf *sb) {
    if (!t) {
        cts_sb_puts(sb, "None");
        return;
    }
    if (ct_dtype_is_complex(t->dtype)) {
        complex_plain(t, sb);
        return;
    }
    static const char prefix[] = "tensor(";
    const int64_t indent = (int64_t)sizeof prefix - 1;
    char suffixes[3][420];
    int nsuf = 0;
    cts_strbuf body;
    cts_sb_init(&body);
    cts_sb_puts(&body, prefix);
    int64_t numel = ct_numel(t);
    if (numel == 0) {
        if (t->ndim != 1) {
            char shape[400];
            int w = snprintf(shape, sizeof shape, "size=(");
            for (int i = 0; i < t->ndim && w < (int)sizeof shape; i++)
                w += snprintf(shape + w, sizeof shape - (size_t)w, i ? ", %lld" : "%lld", (long long)t->sizes[i]);
            if (w < (int)sizeof shape) snprintf(shape + w, sizeof shape - (size_t)w, ")");
            snprintf(suffixes[nsuf++], sizeof suffixes[0], "%s", shape);
        }
        if (t->dtype != CT_FLOAT32)
            snprintf(suffixes[nsuf++], sizeof suffixes[0], "dtype=torch.%s", ct_dtype_name(t->dtype));
        cts_sb_puts(&body, "[]");
    } else {
        if (t->dtype != CT_FLOAT32 && t->dtype != CT_INT64 && t->dtype != CT_BOOL)
            snprintf(suffixes[nsuf++], sizeof suffixes[0], "dtype=torch.%s", ct_dtype_name(t->dtype));
        py_ctx c;
        memset(&c, 0, sizeof c);
        c.t = t;
        c.summarize = numel > THRESHOLD;
        py_formatter(&c);
        py_tensor(&c, 0, 0, indent, &body);
    }
    if (show_requires_grad && t->requires_grad) snprintf(suffixes[nsuf++], sizeof suffixes[0], "requires_grad=True");
    const char *s = cts_sb_str(&body);
    const char *nl = strrchr(s, '\n');
    /* Python: len(s) - s.rfind("\n") + 1, with rfind = -1 when absent */
    int64_t last_line_len = (int64_t)body.len - (nl ? (int64_t)(nl - s) : -1) + 1;
    for (int i = 0; i < nsuf; i++) add_suffix(&body, suffixes[i], indent, &last_line_len);
    cts_sb_putc(&body, ')');
    cts_sb_puts(sb, cts_sb_str(&body));
    if (body.oom) sb->oom = 1;
    cts_sb_free(&body);
}

void ct_tensor_repr(const ct_tensor *t, cts_strbuf *sb) { ct_tensor_repr_ex(t, false, sb); }

/* ======================= C++ printing (Formatting.cpp) ======================= */

enum cpp_mode { CPP_DEFAULT, CPP_FIXED, CPP_SCI };

typedef struct cpp_fmt {
    enum cpp_mode mode;
    int prec;     /* precision of the stream: 6 until a fixed/scientific mode sets 4 */
    double scale;
    int64_t sz;   /* setw() field width */
} cpp_fmt;

/* `stream << std::setw(width) << v` under the current float mode */
static void cpp_num(cts_strbuf *sb, enum cpp_mode mode, int prec, int64_t width, double v) {
    char buf[400];
    int w = width > 0 && width < 200 ? (int)width : 0;
    switch (mode) {
    case CPP_FIXED: snprintf(buf, sizeof buf, "%*.*f", w, prec, v); break;
    case CPP_SCI: snprintf(buf, sizeof buf, "%*.*e", w, prec, v); break;
    default: snprintf(buf, sizeof buf, "%*.*g", w, prec, v); break;
    }
    cts_sb_puts(sb, buf);
}

/* Element i of a 1-d or 2-d (rows, cols) view at off, as double. */
static double cpp_at(const ct_tensor *t, int64_t off) { return ct_load_f64(elem_ptr(t, off), t->dtype); }

/* __printFormat over the elements of a matrix (or vector) view given by
 * rows x cols with strides rs, cs (cols = 1 for vectors). */
static cpp_fmt cpp_format(const ct_tensor *t, int64_t off, int64_t rows, int64_t rs, int64_t cols, int64_t cs,
                          int prec_in) {
    cpp_fmt f = {CPP_DEFAULT, prec_in, 1.0, 0};
    int64_t size = rows * cols;
    if (size == 0) {
        f.sz = 0;
        return f;
    }
#define AT(i) cpp_at(t, off + ((i) / cols) * rs + ((i) % cols) * cs)
    bool int_mode = true;
    for (int64_t i = 0; i < size; i++) {
        double z = AT(i);
        if (isfinite(z) && z != ceil(z)) {
            int_mode = false;
            break;
        }
    }
    int64_t first = 0;
    while (first < size && !isfinite(AT(first))) first++;
    double exp_min, exp_max;
    if (first == size) {
        exp_min = exp_max = 1;
    } else {
        exp_min = exp_max = fabs(AT(first));
        for (int64_t i = first; i < size; i++) {
            double v = AT(i), z = fabs(v);
            if (isfinite(z)) {
                if (z < exp_min) exp_min = z;
                if (v > exp_max) exp_max = z; /* sic: Formatting.cpp compares the signed value */
            }
        }
        exp_min = exp_min != 0 ? floor(log10(exp_min)) + 1 : 1;
        exp_max = exp_max != 0 ? floor(log10(exp_max)) + 1 : 1;
    }
#undef AT
    if (int_mode) {
        if (exp_max > 9) {
            f.sz = 11;
            f.mode = CPP_SCI;
            f.prec = 4;
        } else {
            f.sz = (int64_t)exp_max + 1;
            f.mode = CPP_DEFAULT;
        }
    } else if (exp_max - exp_min > 4) {
        f.sz = 11;
        if (fabs(exp_max) > 99 || fabs(exp_min) > 99) f.sz++;
        f.mode = CPP_SCI;
        f.prec = 4;
    } else {
        if (exp_max > 5 || exp_max < 0) {
            f.sz = 7;
            f.scale = pow(10, exp_max - 1);
        } else {
            f.sz = exp_max == 0 ? 7 : (int64_t)exp_max + 6;
        }
        f.mode = CPP_FIXED;
        f.prec = 4;
    }
    return f;
}

static void cpp_scale(cts_strbuf *sb, const cpp_fmt *f) {
    cpp_num(sb, CPP_DEFAULT, f->prec, 0, f->scale);
    cts_sb_puts(sb, " *\n");
}

/* __printMatrix; *prec is the stream's precision, which a fixed or
 * scientific matrix leaves at 4 for the next matrix of a >2-d tensor. */
static void cpp_matrix(cts_strbuf *sb, const ct_tensor *t, int64_t off, int64_t rows, int64_t rs, int64_t cols,
                       int64_t cs, int64_t indent, int *prec) {
    cpp_fmt f = cpp_format(t, off, rows, rs, cols, cs, *prec);
    *prec = f.prec;
    put_spaces(sb, indent);
    int64_t per_line = (LINEWIDTH - indent) / (f.sz + 1);
    if (per_line < 1) per_line = 1; /* Formatting.cpp never gets here (sz <= 12) */
    int64_t first = 0, last = -1;
    while (first < cols) {
        last = first + per_line <= cols ? first + per_line - 1 : cols - 1;
        if (per_line < cols) {
            if (first != 0) cts_sb_putc(sb, '\n');
            cts_sb_printf(sb, "Columns %lld to %lld", (long long)(first + 1), (long long)(last + 1));
            put_spaces(sb, indent);
        }
        if (f.scale != 1) {
            cpp_scale(sb, &f);
            put_spaces(sb, indent);
        }
        for (int64_t r = 0; r < rows; r++) {
            for (int64_t c = first; c <= last; c++) {
                cpp_num(sb, f.mode, f.prec, f.sz, cpp_at(t, off + r * rs + c * cs) / f.scale);
                if (c == last) {
                    cts_sb_putc(sb, '\n');
                    if (r != rows - 1) {
                        put_spaces(sb, indent);
                        if (f.scale != 1) cts_sb_putc(sb, ' ');
                    }
                } else {
                    cts_sb_putc(sb, ' ');
                }
            }
        }
        first = last + 1;
    }
}

/* __printTensor: every matrix of a >2-d tensor, the first index varying
 * fastest as in Formatting.cpp's counter loop */
static void cpp_nd(cts_strbuf *sb, const ct_tensor *t) {
    int nc = t->ndim - 2;
    int64_t counter[CT_MAX_DIMS];
    counter[0] = -1;
    for (int i = 1; i < nc; i++) counter[i] = 0;
    bool start = true;
    int prec = 6;
    for (;;) {
        bool finished = false;
        for (int i = 0;; i++) {
            counter[i]++;
            if (counter[i] >= t->sizes[i]) {
                if (i == nc - 1) {
                    finished = true;
                    break;
                }
                counter[i] = 0;
            } else {
                break;
            }
        }
        if (finished) break;
        if (start) start = false;
        else cts_sb_putc(sb, '\n');
        cts_sb_putc(sb, '(');
        int64_t off = 0;
        for (int i = 0; i < nc; i++) {
            off += counter[i] * t->strides[i];
            cts_sb_printf(sb, "%lld,", (long long)(counter[i] + 1));
        }
        cts_sb_puts(sb, ".,.) = \n");
        cpp_matrix(sb, t, off, t->sizes[nc], t->strides[nc], t->sizes[nc + 1], t->strides[nc + 1], 1, &prec);
    }
}

void ct_tensor_print_cpp(const ct_tensor *t, cts_strbuf *sb) {
    if (!t) {
        cts_sb_puts(sb, "[ Tensor (undefined) ]");
        return;
    }
    if (ct_dtype_is_complex(t->dtype)) {
        complex_plain(t, sb);
        return;
    }
    int64_t numel = ct_numel(t);
    if (t->ndim == 0) {
        cpp_num(sb, CPP_DEFAULT, 6, 0, cpp_at(t, 0));
        cts_sb_putc(sb, '\n');
    } else if (numel > 0) {
        if (t->ndim == 1) {
            cpp_fmt f = cpp_format(t, 0, t->sizes[0], t->strides[0], 1, 0, 6);
            if (f.scale != 1) cpp_scale(sb, &f);
            for (int64_t i = 0; i < t->sizes[0]; i++) {
                cpp_num(sb, f.mode, f.prec, f.sz, cpp_at(t, i * t->strides[0]) / f.scale);
                cts_sb_putc(sb, '\n');
            }
        } else if (t->ndim == 2) {
            int prec = 6;
            cpp_matrix(sb, t, 0, t->sizes[0], t->strides[0], t->sizes[1], t->strides[1], 0, &prec);
        } else {
            cpp_nd(sb, t);
        }
    }
    cts_sb_printf(sb, "[ CPU%sType{", ct_dtype_ir_name(t->dtype));
    for (int i = 0; i < t->ndim; i++) cts_sb_printf(sb, i ? ",%lld" : "%lld", (long long)t->sizes[i]);
    cts_sb_puts(sb, "} ]");
}
