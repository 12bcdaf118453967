/* str.c - kernels for string ops (family `str`) and the value printer.
 *
 * str(), "{}".format(), "%s" % x, string comparison and concatenation, and
 * the str methods TorchScript supports.  Strings are byte strings (UTF-8 in
 * practice) and every method works on bytes with C-locale <ctype.h>
 * classes, exactly as PyTorch 1.13's register_prim_ops.cpp does; for
 * non-ASCII text that is *not* Python's behaviour: upper()/lower()/isalpha()
 * and friends leave non-ASCII bytes alone, len() and indexing count bytes,
 * ord() rejects multi-byte characters, chr(i) yields the single byte i & 255,
 * and split()/splitlines() without a separator also split at the bytes 0x85,
 * 0x80, 0xa8, 0xa9 and 0xe2 (PyTorch's spelling of U+0085/U+2028/U+2029).
 * Also the Device queries prim::type / prim::index and aten::is_scripting.
 *
 * Where PyTorch never returns (count("") and replace("", x) loop forever,
 * center() with a negative width asks for ~2^64 bytes), these kernels give
 * Python's answer instead.
 *
 * cts_ivalue_str (str.h) is `std::ostream << IValue`, shared with list.c and
 * prim::Print. */
#include "str.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tensor/tensor_print.h"
#include "op.h"

#define KDEF(name) static int name(cts_kctx *k, const cv_value *a, int n, cv_value *o)

/* ---- the value printer ---- */

void cts_ivalue_float_str(double d, cts_strbuf *sb) {
    int c = fpclassify(d);
    if ((c == FP_NORMAL || c == FP_ZERO) && d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
        (double)(int64_t)d == d) {
        cts_sb_printf(sb, "%lld.", (long long)(int64_t)d);
        return;
    }
    cts_sb_printf(sb, "%.17g", d);
}

void cts_ivalue_str(cv_value v, cts_strbuf *sb) {
    switch (v.tag) {
    case CV_PY: cts_sb_puts(sb, "<object>"); break;
    case CV_NONE: cts_sb_puts(sb, "None"); break;
    case CV_BOOL: cts_sb_puts(sb, v.u.b ? "True" : "False"); break;
    case CV_INT: cts_sb_printf(sb, "%lld", (long long)v.u.i); break;
    case CV_FLOAT: cts_ivalue_float_str(v.u.f, sb); break;
    case CV_DEVICE:
        cts_sb_puts(sb, v.u.dev.type == 0 ? "cpu" : v.u.dev.type == 1 ? "cuda" : "device");
        if (v.u.dev.index >= 0) cts_sb_printf(sb, ":%d", v.u.dev.index);
        break;
    case CV_STR: cts_sb_putn(sb, v.u.s->data, v.u.s->len); break;
    case CV_TENSOR: ct_tensor_print_cpp(v.u.t, sb); break;
    case CV_LIST:
        cts_sb_putc(sb, '[');
        for (size_t i = 0; i < v.u.l->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cts_ivalue_str(v.u.l->items[i], sb);
        }
        cts_sb_putc(sb, ']');
        break;
    case CV_TUPLE:
        cts_sb_putc(sb, '(');
        for (size_t i = 0; i < v.u.tu->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cts_ivalue_str(v.u.tu->items[i], sb);
        }
        cts_sb_puts(sb, v.u.tu->len == 1 ? ",)" : ")");
        break;
    case CV_DICT:
        cts_sb_putc(sb, '{');
        for (size_t i = 0; i < v.u.d->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cts_ivalue_str(v.u.d->entries[i].key, sb);
            cts_sb_puts(sb, ": ");
            cts_ivalue_str(v.u.d->entries[i].val, sb);
        }
        cts_sb_putc(sb, '}');
        break;
    case CV_OBJECT:
        if (cv_is_enum(v)) { /* EnumHolder: Enum<Class.NAME>, the class unqualified */
            const char *q = v.u.o->type->cls->qualname, *dot = strrchr(q, '.');
            cts_sb_printf(sb, "Enum<%s.%s>", dot ? dot + 1 : q, v.u.o->slots[0].u.s->data);
            break;
        }
        cts_sb_printf(sb, "<%s object at %p>", v.u.o->type && v.u.o->type->cls ? v.u.o->type->cls->qualname : "?",
                      (void *)v.u.o);
        break;
    case CV_FUNC: cts_sb_puts(sb, "Function"); break;
    case CV_UNINIT: cts_sb_puts(sb, "Uninitialized"); break;
    case CV_COMPLEX: /* printComplex: real, sign, |imag|, j */
        cts_ivalue_float_str(v.u.c->re, sb);
        cts_sb_putc(sb, v.u.c->im >= 0 || isnan(v.u.c->im) ? '+' : '-');
        cts_ivalue_float_str(fabs(v.u.c->im), sb);
        cts_sb_putc(sb, 'j');
        break;
    }
}

/* ---- helpers ---- */

static int arg_err(cts_kctx *k, const char *fn, const char *what) {
    return cts_err_set(k->err, "%s: expected %s", fn, what);
}
#define STR_ARG(IX, var)                                                         \
    if (n <= (IX) || a[IX].tag != CV_STR) return arg_err(k, __func__, "a str");   \
    const cv_str *var = a[IX].u.s
#define INT_ARG(IX, var)                                                                             \
    if (n <= (IX) || (a[IX].tag != CV_INT && a[IX].tag != CV_BOOL)) return arg_err(k, __func__, "an int"); \
    int64_t var = a[IX].tag == CV_INT ? a[IX].u.i : (int64_t)a[IX].u.b

static int ret_str(cts_kctx *k, const char *p, size_t len, cv_value *o) { return cv_str_new(p, len, o, k->err); }

static int ret_sb(cts_kctx *k, cts_strbuf *sb, cv_value *o) {
    int rc;
    if (sb->oom) rc = cts_err_oom(k->err, "string", sb->len);
    else rc = cv_str_new(sb->s ? sb->s : "", sb->len, o, k->err);
    cts_sb_free(sb);
    return rc;
}

static int new_str_list(cts_kctx *k, cv_value *o) { return cv_list_new(T_STR, 0, o, k->err); }

/* Appends s[lo, hi) to a str list; frees the list on failure. */
static int push_sub(cts_kctx *k, cv_value *list, const char *s, size_t lo, size_t hi) {
    cv_value v;
    if (cv_str_new(s + lo, hi - lo, &v, k->err) || cv_list_push(list->u.l, v, k->err)) {
        cv_release(*list);
        return -1;
    }
    return 0;
}

/* std::string::find(needle, from) on bytes: position or -1 */
static int64_t find_bytes(const char *h, size_t hn, const char *nd, size_t nn, size_t from) {
    if (from > hn || nn > hn - from) return -1;
    if (nn == 0) return (int64_t)from;
    for (size_t i = from; i + nn <= hn; i++)
        if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0) return (int64_t)i;
    return -1;
}

static bool in_set(unsigned char c, const char *set, size_t n) { return memchr(set, c, n) != NULL; }

static int cmp_str(const cv_str *x, const cv_str *y) {
    size_t m = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->data, y->data, m);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
}

/* ---- str(), format ---- */

KDEF(k_str) {
    if (n < 1) return arg_err(k, __func__, "a value");
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_ivalue_str(a[0], &sb);
    return ret_sb(k, &sb, o);
}

/* "...{}...".format(args): each "{}" takes the next argument; anything
 * inside braces is left as text, as PyTorch's aten::format does. */
KDEF(k_format) {
    STR_ARG(0, f);
    cts_strbuf sb;
    cts_sb_init(&sb);
    size_t begin = 0;
    for (int used = 0;; used++) {
        int64_t loc = find_bytes(f->data, f->len, "{}", 2, begin);
        if (loc < 0) {
            cts_sb_putn(&sb, f->data + begin, f->len - begin);
            break;
        }
        cts_sb_putn(&sb, f->data + begin, (size_t)loc - begin);
        if (used + 1 >= n) {
            cts_sb_free(&sb);
            return cts_err_set(k->err, "Too few arguments for format string: %s", f->data);
        }
        cts_ivalue_str(a[used + 1], &sb);
        begin = (size_t)loc + 2;
    }
    return ret_sb(k, &sb, o);
}

static const char *tag_kind(cv_value v) {
    switch (v.tag) {
    case CV_NONE: return "None";
    case CV_BOOL: return "Bool";
    case CV_INT: return "Int";
    case CV_FLOAT: return "Double";
    case CV_DEVICE: return "Device";
    case CV_STR: return "String";
    case CV_TENSOR: return "Tensor";
    case CV_LIST: return "GenericList";
    case CV_TUPLE: return "Tuple";
    case CV_DICT: return "GenericDict";
    case CV_OBJECT: return "Object";
    case CV_COMPLEX: return "ComplexDouble";
    default: return "Uninitialized";
    }
}

/* One %-conversion of aten::percentFormat (PyTorch's addFormattedArg):
 * %e/%f go through C float with precision 6. */
static int percent_arg(cts_kctx *k, char key, cv_value v, cts_strbuf *sb) {
    bool num = v.tag == CV_INT || v.tag == CV_FLOAT || v.tag == CV_BOOL;
    double d = v.tag == CV_FLOAT ? v.u.f : v.tag == CV_INT ? (double)v.u.i : v.tag == CV_BOOL ? v.u.b : 0;
    switch (key) {
    case 'd':
    case 'i':
        if (!num) return cts_err_set(k->err, "%%%c requires a number for formatting, but got %s", key, tag_kind(v));
        if (v.tag == CV_FLOAT) {
            /* static_cast<int>: out-of-range gives INT_MIN on x86 */
            int32_t r = d > -2147483649.0 && d < 2147483648.0 ? (int32_t)d : INT32_MIN;
            cts_sb_printf(sb, "%d", r);
        } else {
            cts_sb_printf(sb, "%lld", (long long)(v.tag == CV_INT ? v.u.i : v.u.b));
        }
        return 0;
    case 'e':
    case 'E':
        if (!num) return cts_err_set(k->err, "%%%c requires a number for formatting, but got %s", key, tag_kind(v));
        cts_sb_printf(sb, key == 'e' ? "%.6e" : "%.6E", (double)(float)d);
        return 0;
    case 'f':
    case 'F':
        if (!num) return cts_err_set(k->err, "%%%c requires a number for formatting, but got %s", key, tag_kind(v));
        cts_sb_printf(sb, key == 'f' ? "%.6f" : "%.6F", (double)(float)d);
        return 0;
    case 'c':
        if (v.tag == CV_INT) {
            cts_sb_putc(sb, (char)(unsigned char)(uint64_t)v.u.i);
            return 0;
        }
        if (v.tag == CV_STR && v.u.s->len == 1) {
            cts_sb_putc(sb, v.u.s->data[0]);
            return 0;
        }
        return cts_err_set(k->err, "%%c requires an int or char for formatting, but got %s", tag_kind(v));
    case 's': cts_ivalue_str(v, sb); return 0;
    default: return cts_err_set(k->err, "The specifier %%%c is not supported in TorchScript format strings", key);
    }
}

/* "fmt" % arg, where a tuple argument supplies one value per conversion */
KDEF(k_percentFormat) {
    STR_ARG(0, f);
    if (n < 2) return arg_err(k, __func__, "a value to format");
    cv_value args = a[1];
    size_t nargs = args.tag == CV_TUPLE ? args.u.tu->len : 1;
    cts_strbuf sb;
    cts_sb_init(&sb);
    size_t used = 0, begin = 0;
    for (;;) {
        const char *pct = memchr(f->data + begin, '%', f->len - begin);
        if (!pct) {
            cts_sb_putn(&sb, f->data + begin, f->len - begin);
            break;
        }
        size_t at = (size_t)(pct - f->data);
        if (at + 1 >= f->len) {
            cts_sb_free(&sb);
            return cts_err_set(k->err, "Incomplete format specifier");
        }
        cts_sb_putn(&sb, f->data + begin, at - begin);
        char key = f->data[at + 1];
        begin = at + 2;
        if (key == '%') {
            cts_sb_putc(&sb, '%');
            continue;
        }
        if (used >= nargs) {
            cts_sb_free(&sb);
            return cts_err_set(k->err, "Too few arguments for format string");
        }
        cv_value v = args.tag == CV_TUPLE ? args.u.tu->items[used] : args;
        if (percent_arg(k, key, v, &sb)) {
            cts_sb_free(&sb);
            return -1;
        }
        used++;
    }
    if (used != nargs) {
        cts_sb_free(&sb);
        return cts_err_set(k->err, "Too many arguments for format string");
    }
    return ret_sb(k, &sb, o);
}

/* ---- operators ---- */

KDEF(k_add_str) {
    STR_ARG(0, x);
    STR_ARG(1, y);
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_sb_putn(&sb, x->data, x->len);
    cts_sb_putn(&sb, y->data, y->len);
    return ret_sb(k, &sb, o);
}

#define STR_CMP(NAME, OP)                  \
    KDEF(NAME) {                           \
        STR_ARG(0, x);                     \
        STR_ARG(1, y);                     \
        *o = cv_bool(cmp_str(x, y) OP 0);  \
        return 0;                          \
    }
STR_CMP(k_eq_str, ==)
STR_CMP(k_ne_str, !=)
STR_CMP(k_lt_str, <)
STR_CMP(k_gt_str, >)
STR_CMP(k_le_str, <=)
STR_CMP(k_ge_str, >=)

KDEF(k_len_str) {
    STR_ARG(0, s);
    *o = cv_int((int64_t)s->len);
    return 0;
}

/* s[i]: one byte; out of range reports std::string::at's message */
KDEF(k_getitem_str) {
    STR_ARG(0, s);
    INT_ARG(1, idx);
    uint64_t i = (uint64_t)(idx < 0 ? (int64_t)((uint64_t)idx + s->len) : idx);
    if (i >= s->len)
        return cts_err_set(k->err, "basic_string::at: __n (which is %" PRIu64 ") >= this->size() (which is %zu)", i,
                           s->len);
    return ret_str(k, s->data + i, 1, o);
}
KDEF(k_prim_StringIndex) { return k_getitem_str(k, a, n, o); }

KDEF(k_slice_str) {
    STR_ARG(0, s);
    if (n < 4) return arg_err(k, __func__, "start, end and step");
    INT_ARG(3, step);
    if (step == 0) return cts_err_set(k->err, "List slice should have non-zero step");
    if (step < -INT64_MAX) return cts_err_set(k->err, "List slice step is out of bounds");
    int64_t st = a[1].tag == CV_INT ? a[1].u.i : INT64_MAX, en = a[2].tag == CV_INT ? a[2].u.i : INT64_MAX;
    int64_t cnt = cv_slice_adjust((int64_t)s->len, &st, &en, step);
    cts_strbuf sb;
    cts_sb_init(&sb);
    for (int64_t i = 0; i < cnt; i++) cts_sb_putc(&sb, s->data[st + i * step]);
    return ret_sb(k, &sb, o);
}

/* list(s): one string per byte */
KDEF(k_list) {
    STR_ARG(0, s);
    if (new_str_list(k, o)) return -1;
    for (size_t i = 0; i < s->len; i++)
        if (push_sub(k, o, s->data, i, i + 1)) return -1;
    return 0;
}

/* ---- strip / split / join ---- */

static int strip_impl(cts_kctx *k, const cv_value *a, int n, cv_value *o, bool left, bool right) {
    STR_ARG(0, s);
    STR_ARG(1, chars);
    size_t lo = 0, hi = s->len;
    if (right)
        while (hi > 0 && in_set((unsigned char)s->data[hi - 1], chars->data, chars->len)) hi--;
    if (left)
        while (lo < hi && in_set((unsigned char)s->data[lo], chars->data, chars->len)) lo++;
    return ret_str(k, s->data + lo, hi - lo, o);
}
KDEF(k_strip) { return strip_impl(k, a, n, o, true, true); }
KDEF(k_lstrip) { return strip_impl(k, a, n, o, true, false); }
KDEF(k_rstrip) { return strip_impl(k, a, n, o, false, true); }

/* The bytes PyTorch's split()/splitlines() treat as separators (its
 * "\x85\u2028\u2029" became UTF-8 bytes in a narrow C++ literal). */
static const char WS_BYTES[] = " \t\n\r\v\f\x1c\x1d\x1e\x85\xe2\x80\xa8\xa9";
static const char LINE_BYTES[] = "\n\r\v\f\x1c\x1d\x1e\x85\xe2\x80\xa8\xa9";

KDEF(k_split_str) {
    STR_ARG(0, s);
    INT_ARG(2, max);
    if (new_str_list(k, o)) return -1;
    if (a[1].tag != CV_STR) { /* None: runs of whitespace, no empty strings */
        size_t prev = 0;
        for (size_t i = 0; i < s->len; i++) {
            if (!in_set((unsigned char)s->data[i], WS_BYTES, sizeof WS_BYTES - 1)) continue;
            if (i > prev && push_sub(k, o, s->data, prev, i)) return -1;
            prev = i + 1;
        }
        if (prev != s->len && push_sub(k, o, s->data, prev, s->len)) return -1;
        return 0;
    }
    const cv_str *sep = a[1].u.s;
    if (sep->len == 0) {
        cv_release(*o);
        return cts_err_set(k->err, "ValueError: empty separator");
    }
    size_t prev = 0;
    int64_t count = 0, pos;
    while ((pos = find_bytes(s->data, s->len, sep->data, sep->len, prev)) >= 0) {
        if (max >= 0 && ++count > max) break;
        if (push_sub(k, o, s->data, prev, (size_t)pos)) return -1;
        prev = (size_t)pos + sep->len;
    }
    return push_sub(k, o, s->data, prev, s->len);
}

/* rsplit(sep, max): splits from the right (PyTorch searches the reversed
 * string for the reversed separator, which is the same thing) */
KDEF(k_rsplit) {
    STR_ARG(0, s);
    STR_ARG(1, sep);
    INT_ARG(2, max);
    if (sep->len == 0) return cts_err_set(k->err, "ValueError: empty separator");
    /* collect cut points right to left, then emit left to right */
    size_t ncuts = 0, cap = 8;
    size_t *cuts = malloc(cap * sizeof *cuts);
    if (!cuts) return cts_err_oom(k->err, "rsplit", cap);
    size_t end = s->len;
    int64_t count = 0;
    while (end >= sep->len) {
        size_t i = end - sep->len, found = SIZE_MAX;
        for (size_t j = i + 1; j-- > 0;)
            if (memcmp(s->data + j, sep->data, sep->len) == 0) {
                found = j;
                break;
            }
        if (found == SIZE_MAX) break;
        if (max >= 0 && ++count > max) break;
        if (ncuts == cap) {
            size_t *p = realloc(cuts, 2 * cap * sizeof *cuts);
            if (!p) {
                free(cuts);
                return cts_err_oom(k->err, "rsplit", cap);
            }
            cuts = p;
            cap *= 2;
        }
        cuts[ncuts++] = found;
        end = found;
    }
    if (new_str_list(k, o)) {
        free(cuts);
        return -1;
    }
    size_t prev = 0;
    for (size_t c = ncuts; c-- > 0;) {
        if (push_sub(k, o, s->data, prev, cuts[c])) {
            free(cuts);
            return -1;
        }
        prev = cuts[c] + sep->len;
    }
    free(cuts);
    return push_sub(k, o, s->data, prev, s->len);
}

/* splitlines: every delimiter byte ends a line ("\r\n" gives an empty one) */
KDEF(k_splitlines) {
    STR_ARG(0, s);
    bool keepends = n > 1 && a[1].tag == CV_BOOL && a[1].u.b;
    if (new_str_list(k, o)) return -1;
    size_t prev = 0;
    for (size_t i = 0; i < s->len; i++) {
        if (!in_set((unsigned char)s->data[i], LINE_BYTES, sizeof LINE_BYTES - 1)) continue;
        if (push_sub(k, o, s->data, prev, i)) return -1;
        if (keepends && push_sub(k, o, s->data, i, i + 1)) return -1;
        prev = i + 1;
    }
    if (prev != s->len && push_sub(k, o, s->data, prev, s->len)) return -1;
    return 0;
}

KDEF(k_join) {
    STR_ARG(0, sep);
    if (n < 2 || a[1].tag != CV_LIST) return arg_err(k, __func__, "a list of str");
    const cv_list *l = a[1].u.l;
    cts_strbuf sb;
    cts_sb_init(&sb);
    for (size_t i = 0; i < l->len; i++) {
        if (l->items[i].tag != CV_STR) {
            cts_sb_free(&sb);
            return arg_err(k, __func__, "a list of str");
        }
        if (i) cts_sb_putn(&sb, sep->data, sep->len);
        cts_sb_putn(&sb, l->items[i].u.s->data, l->items[i].u.s->len);
    }
    return ret_sb(k, &sb, o);
}

/* ---- case mapping ---- */

static int map_bytes(cts_kctx *k, const cv_value *a, int n, cv_value *o, int mode) {
    STR_ARG(0, s);
    cts_strbuf sb;
    cts_sb_init(&sb);
    bool prev_alpha = false;
    for (size_t i = 0; i < s->len; i++) {
        int c = (unsigned char)s->data[i], r = c;
        switch (mode) {
        case 0: r = toupper(c); break;
        case 1: r = tolower(c); break;
        case 2: r = toupper(c) == c ? tolower(c) : toupper(c); break; /* swapcase */
        case 3: r = i == 0 ? toupper(c) : tolower(c); break;          /* capitalize */
        case 4:                                                         /* title */
            r = prev_alpha ? tolower(c) : toupper(c);
            prev_alpha = isalpha(c) != 0;
            break;
        }
        cts_sb_putc(&sb, (char)r);
    }
    return ret_sb(k, &sb, o);
}
KDEF(k_upper) { return map_bytes(k, a, n, o, 0); }
KDEF(k_lower) { return map_bytes(k, a, n, o, 1); }
KDEF(k_swapcase) { return map_bytes(k, a, n, o, 2); }
KDEF(k_capitalize) { return map_bytes(k, a, n, o, 3); }
KDEF(k_title) { return map_bytes(k, a, n, o, 4); }

/* ---- padding ---- */

static int fill_char(cts_kctx *k, const cv_str *fill) {
    if (fill->len != 1) return cts_err_set(k->err, "TypeError: The fill character must be exactly one character long");
    return 0;
}

static int pad(cts_kctx *k, const cv_str *s, int64_t left, int64_t right, char c, cv_value *o) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    for (int64_t i = 0; i < left && !sb.oom; i++) cts_sb_putc(&sb, c);
    cts_sb_putn(&sb, s->data, s->len);
    for (int64_t i = 0; i < right && !sb.oom; i++) cts_sb_putc(&sb, c);
    return ret_sb(k, &sb, o);
}

KDEF(k_center) {
    STR_ARG(0, s);
    INT_ARG(1, width);
    STR_ARG(2, fill);
    if (fill_char(k, fill)) return -1;
    if (width < 0 || (uint64_t)s->len > (uint64_t)width) return ret_str(k, s->data, s->len, o);
    int64_t full = width - (int64_t)s->len, l = full / 2, r = (full + 1) / 2;
    if (width % 2) {
        int64_t t = r;
        r = l;
        l = t;
    }
    return pad(k, s, l, r, fill->data[0], o);
}

KDEF(k_ljust) {
    STR_ARG(0, s);
    INT_ARG(1, width);
    STR_ARG(2, fill);
    if (fill_char(k, fill)) return -1;
    int64_t extra = width - (int64_t)s->len;
    return pad(k, s, 0, extra > 0 ? extra : 0, fill->data[0], o);
}

KDEF(k_rjust) {
    STR_ARG(0, s);
    INT_ARG(1, width);
    STR_ARG(2, fill);
    if (fill_char(k, fill)) return -1;
    int64_t extra = width - (int64_t)s->len;
    return pad(k, s, extra > 0 ? extra : 0, 0, fill->data[0], o);
}

/* zfill pads with '0' in front of everything, a sign included ("0-5") */
KDEF(k_zfill) {
    STR_ARG(0, s);
    INT_ARG(1, width);
    int64_t extra = width - (int64_t)s->len;
    return pad(k, s, extra > 0 ? extra : 0, 0, '0', o);
}

/* expandtabs: the column counts every byte so far, newlines included */
KDEF(k_expandtabs) {
    STR_ARG(0, s);
    INT_ARG(1, tabsize);
    cts_strbuf sb;
    cts_sb_init(&sb);
    uint64_t col = 0;
    for (size_t i = 0; i < s->len && !sb.oom; i++) {
        if (s->data[i] != '\t') {
            cts_sb_putc(&sb, s->data[i]);
            col++;
        } else if (tabsize > 0) {
            do {
                cts_sb_putc(&sb, ' ');
                col++;
            } while (col % (uint64_t)tabsize && !sb.oom);
        }
    }
    return ret_sb(k, &sb, o);
}

/* ---- searching ---- */

/* std::string::substr's complaint when the start is past the end */
static int substr_err(cts_kctx *k, int64_t pos, size_t size) {
    return cts_err_set(k->err, "basic_string::substr: __pos (which is %lld) > this->size() (which is %zu)",
                       (long long)pos, size);
}

/* PyTorch's stringFindImpl: start/end clamp like slices (end=-1 is the
 * end of the string); returns the position or -1. */
static int find_impl(cts_kctx *k, const cv_str *s, const cv_str *sub, int64_t start, int64_t end, bool reverse,
                     int64_t *res) {
    int64_t size = (int64_t)s->len;
    if (start < 0) start = size + start > 0 ? size + start : 0;
    if (end < 0) end = size + end + 1 > 0 ? size + end + 1 : 0;
    size_t lo = 0, len = 0;
    if (end > start) {
        if (start > size) return substr_err(k, start, s->len);
        lo = (size_t)start;
        len = (size_t)(end - start) < s->len - lo ? (size_t)(end - start) : s->len - lo;
    }
    *res = -1;
    if (len < sub->len) return 0;
    int64_t pos = find_bytes(s->data + lo, len, sub->data, sub->len, 0);
    if (reverse && pos >= 0) {
        int64_t r;
        while ((r = find_bytes(s->data + lo, len, sub->data, sub->len, (size_t)pos + 1)) >= 0) pos = r;
    }
    if (pos >= 0) *res = pos + (int64_t)lo;
    return 0;
}

static int find_kernel(cts_kctx *k, const cv_value *a, int n, cv_value *o, bool reverse, bool raise) {
    STR_ARG(0, s);
    STR_ARG(1, sub);
    INT_ARG(2, start);
    INT_ARG(3, end);
    int64_t r = -1;
    if (find_impl(k, s, sub, start, end, reverse, &r)) return -1;
    if (raise && r < 0) return cts_err_set(k->err, "ValueError: substring not found");
    *o = cv_int(r);
    return 0;
}
KDEF(k_find) { return find_kernel(k, a, n, o, false, false); }
KDEF(k_rfind) { return find_kernel(k, a, n, o, true, false); }
KDEF(k_index_str) { return find_kernel(k, a, n, o, false, true); }
KDEF(k_rindex) { return find_kernel(k, a, n, o, true, true); }

/* count(sub, start, end): non-overlapping matches starting before end */
KDEF(k_count) {
    STR_ARG(0, s);
    STR_ARG(1, sub);
    INT_ARG(2, start);
    INT_ARG(3, end);
    int64_t size = (int64_t)s->len;
    if (start > size) {
        *o = cv_int(0);
        return 0;
    }
    if (start < 0) start = size + start > 0 ? size + start : 0;
    if (end < 0) end = size + end + 1 > 0 ? size + end + 1 : 0;
    int64_t c = 0;
    if (sub->len == 0) {
        /* PyTorch loops forever here; Python counts the empty positions */
        int64_t hi = end < size ? end : size;
        c = hi >= start ? hi - start + 1 : 0;
    } else {
        int64_t pos = start;
        while ((pos = find_bytes(s->data, s->len, sub->data, sub->len, (size_t)pos)) >= 0 && pos < end) {
            c++;
            pos += (int64_t)sub->len;
        }
    }
    *o = cv_int(c);
    return 0;
}

/* startswith/endswith on s[start:end] (std::string::substr semantics) */
static int affix(cts_kctx *k, const cv_value *a, int n, cv_value *o, bool ends) {
    STR_ARG(0, s);
    STR_ARG(1, sub);
    INT_ARG(2, start);
    INT_ARG(3, end);
    int64_t size = (int64_t)s->len;
    if (start < 0) start = size + start > 0 ? size + start : 0;
    if (end < 0) end = size + end + 1 > 0 ? size + end + 1 : 0;
    if (start > size) return substr_err(k, start, s->len);
    uint64_t want = (uint64_t)(end - start); /* negative means "to the end", as size_t */
    size_t len = want < (uint64_t)(size - start) ? (size_t)want : (size_t)(size - start);
    const char *p = s->data + start;
    bool r = false;
    if (len >= sub->len) r = memcmp(ends ? p + len - sub->len : p, sub->data, sub->len) == 0;
    *o = cv_bool(r);
    return 0;
}
KDEF(k_startswith) { return affix(k, a, n, o, false); }
KDEF(k_endswith) { return affix(k, a, n, o, true); }

KDEF(k_replace) {
    STR_ARG(0, s);
    STR_ARG(1, old);
    STR_ARG(2, rep);
    INT_ARG(3, max);
    cts_strbuf sb;
    cts_sb_init(&sb);
    int64_t count = 0;
    if (old->len == 0) {
        /* PyTorch never returns; Python inserts rep around every byte */
        for (size_t i = 0; i <= s->len; i++) {
            if (max < 0 || count < max) {
                cts_sb_putn(&sb, rep->data, rep->len);
                count++;
            }
            if (i < s->len) cts_sb_putc(&sb, s->data[i]);
        }
        return ret_sb(k, &sb, o);
    }
    size_t prev = 0;
    int64_t pos;
    while ((pos = find_bytes(s->data, s->len, old->data, old->len, prev)) >= 0) {
        if (max >= 0 && ++count > max) break;
        cts_sb_putn(&sb, s->data + prev, (size_t)pos - prev);
        cts_sb_putn(&sb, rep->data, rep->len);
        prev = (size_t)pos + old->len;
    }
    cts_sb_putn(&sb, s->data + prev, s->len - prev);
    return ret_sb(k, &sb, o);
}

/* "-> (str, str, str)": three results, one output each */
static int triple(cts_kctx *k, const cv_str *s, size_t pre, size_t sep_at, size_t sep_len, cv_value *o) {
    if (cv_str_new(s->data, pre, &o[0], k->err)) return -1;
    if (cv_str_new(s->data + sep_at, sep_len, &o[1], k->err)) {
        cv_release(o[0]);
        o[0] = cv_none();
        return -1;
    }
    size_t post = sep_at + sep_len;
    if (cv_str_new(s->data + post, s->len - post, &o[2], k->err)) {
        cv_release(o[0]);
        cv_release(o[1]);
        o[0] = o[1] = cv_none();
        return -1;
    }
    return 0;
}

KDEF(k_device_str) {
    STR_ARG(0, d);
    return cv_device_parse(d->data, d->len, o, k->err);
}

/* prim::type(Device) -> "cpu" / "cuda"; prim::index(Device) -> int? */
KDEF(k_device_type) {
    if (n < 1 || a[0].tag != CV_DEVICE) return cts_err_set(k->err, "prim::type: expected a Device");
    const char *t = a[0].u.dev.type == 0 ? "cpu" : "cuda";
    return cv_str_new(t, strlen(t), o, k->err);
}

KDEF(k_device_index) {
    if (n < 1 || a[0].tag != CV_DEVICE) return cts_err_set(k->err, "prim::index: expected a Device");
    o[0] = a[0].u.dev.index >= 0 ? cv_int(a[0].u.dev.index) : cv_none();
    return 0;
}

/* torch.jit.is_scripting(): always True in compiled code */
KDEF(k_is_scripting) {
    (void)k, (void)a, (void)n;
    o[0] = cv_bool(true);
    return 0;
}

KDEF(k_partition) {
    STR_ARG(0, s);
    STR_ARG(1, sep);
    int64_t pos = find_bytes(s->data, s->len, sep->data, sep->len, 0);
    if (pos < 0) return triple(k, s, s->len, s->len, 0, o);
    return triple(k, s, (size_t)pos, (size_t)pos, sep->len, o);
}

KDEF(k_rpartition) {
    STR_ARG(0, s);
    STR_ARG(1, sep);
    int64_t pos = find_bytes(s->data, s->len, sep->data, sep->len, 0), r;
    if (pos < 0) return triple(k, s, 0, 0, 0, o);
    while ((r = find_bytes(s->data, s->len, sep->data, sep->len, (size_t)pos + 1)) >= 0) pos = r;
    return triple(k, s, (size_t)pos, (size_t)pos, sep->len, o);
}

/* ---- classification ---- */

/* Python's str.isX: false for "", else every byte in the class */
static int all_bytes(cts_kctx *k, const cv_value *a, int n, cv_value *o, int (*cls)(int)) {
    STR_ARG(0, s);
    bool r = s->len != 0;
    for (size_t i = 0; i < s->len && r; i++) r = cls((unsigned char)s->data[i]) != 0;
    *o = cv_bool(r);
    return 0;
}
static int is_digit(int c) { return isdigit(c); }
static int is_space(int c) { return isspace(c); }
static int is_alnum(int c) { return isalnum(c); }
static int is_alpha(int c) { return isalpha(c); }
KDEF(k_isdigit) { return all_bytes(k, a, n, o, is_digit); }
KDEF(k_isspace) { return all_bytes(k, a, n, o, is_space); }
KDEF(k_isalnum) { return all_bytes(k, a, n, o, is_alnum); }
KDEF(k_isalpha) { return all_bytes(k, a, n, o, is_alpha); }
KDEF(k_isdecimal) { return all_bytes(k, a, n, o, is_digit); }
KDEF(k_isnumeric) { return all_bytes(k, a, n, o, is_digit); }

/* isupper/islower: at least one letter, and no letter of the other case */
static int case_check(cts_kctx *k, const cv_value *a, int n, cv_value *o, bool upper) {
    STR_ARG(0, s);
    bool found = false, ok = true;
    for (size_t i = 0; i < s->len && ok; i++) {
        int c = (unsigned char)s->data[i];
        found |= isalpha(c) != 0;
        ok = !isalpha(c) || (upper ? isupper(c) : islower(c));
    }
    *o = cv_bool(found && ok);
    return 0;
}
KDEF(k_isupper) { return case_check(k, a, n, o, true); }
KDEF(k_islower) { return case_check(k, a, n, o, false); }

KDEF(k_istitle) {
    STR_ARG(0, s);
    bool r = false, prev_alpha = false;
    for (size_t i = 0; i < s->len; i++) {
        int c = (unsigned char)s->data[i];
        if (prev_alpha) {
            if (c != tolower(c)) {
                r = false;
                break;
            }
        } else {
            if (c != toupper(c)) {
                r = false;
                break;
            }
            if (isalpha(c)) r = true;
        }
        prev_alpha = isalpha(c) != 0;
    }
    *o = cv_bool(r);
    return 0;
}

/* PyTorch's Python-2 style isidentifier: alphanumeric only, no leading
 * digit (so "a_b" is not an identifier) */
KDEF(k_isidentifier) {
    STR_ARG(0, s);
    bool r = s->len > 0 && !isdigit((unsigned char)s->data[0]);
    for (size_t i = 0; i < s->len && r; i++) r = isalnum((unsigned char)s->data[i]) != 0;
    *o = cv_bool(r);
    return 0;
}

KDEF(k_isprintable) {
    STR_ARG(0, s);
    bool r = true;
    for (size_t i = 0; i < s->len && r; i++) {
        int c = (unsigned char)s->data[i];
        r = isalnum(c) || ispunct(c) || c == ' ';
    }
    *o = cv_bool(r);
    return 0;
}

/* ---- characters and number bases ---- */

KDEF(k_ord) {
    STR_ARG(0, s);
    if (s->len != 1) return cts_err_set(k->err, "String for ord() must be 1 character, found %zu", s->len);
    *o = cv_int((unsigned char)s->data[0]);
    return 0;
}

KDEF(k_chr) {
    INT_ARG(0, i);
    if (i < 0 || i >= 1114111) return cts_err_set(k->err, "chr() arg not in range(0x110000), found %lld", (long long)i);
    char c = (char)(unsigned char)i;
    return ret_str(k, &c, 1, o);
}

/* "-0x1f": the magnitude of INT64_MIN wraps to itself and prints unsigned */
static int base_str(cts_kctx *k, const cv_value *a, int n, cv_value *o, char base) {
    INT_ARG(0, i);
    char buf[80];
    uint64_t m = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
    const char *sign = i < 0 ? "-" : "";
    if (base == 'x') {
        snprintf(buf, sizeof buf, "%s0x%" PRIx64, sign, m);
    } else if (base == 'o') {
        snprintf(buf, sizeof buf, "%s0o%" PRIo64, sign, m);
    } else {
        char bits[65];
        int nb = 0;
        do {
            bits[nb++] = (char)('0' + (m & 1));
            m >>= 1;
        } while (m);
        int w = snprintf(buf, sizeof buf, "%s0b", sign);
        while (nb > 0) buf[w++] = bits[--nb];
        buf[w] = 0;
    }
    return ret_str(k, buf, strlen(buf), o);
}
KDEF(k_hex) { return base_str(k, a, n, o, 'x'); }
KDEF(k_oct) { return base_str(k, a, n, o, 'o'); }
KDEF(k_bin) { return base_str(k, a, n, o, 'b'); }

/* ---- the table ---- */

const cts_op_def cts_ops_str[] = {
    {"aten::str(t elem) -> str", k_str},
    {"aten::format(str self, ...) -> str", k_format},
    {"aten::percentFormat(str self, ...) -> str", k_percentFormat},
    {"aten::add.str(str a, str b) -> str", k_add_str},
    {"aten::eq.str(str a, str b) -> bool", k_eq_str},
    {"aten::ne.str(str a, str b) -> bool", k_ne_str},
    {"aten::lt.str(str a, str b) -> bool", k_lt_str},
    {"aten::gt.str(str a, str b) -> bool", k_gt_str},
    {"aten::le.str(str a, str b) -> bool", k_le_str},
    {"aten::ge.str(str a, str b) -> bool", k_ge_str},
    {"aten::len.str(str s) -> int", k_len_str},
    {"aten::__getitem__.str(str s, int index) -> str", k_getitem_str},
    {"prim::StringIndex(str string, int index) -> str", k_prim_StringIndex},
    {"aten::slice.str(str string, int? start=None, int? end=None, int step=1) -> str", k_slice_str},
    {"aten::list(str t) -> str[]", k_list},
    {"aten::strip(str self, str chars=\" \\n\\t\\f\\v\") -> str", k_strip},
    {"aten::lstrip(str self, str chars=\" \\n\\t\\f\\v\") -> str", k_lstrip},
    {"aten::rstrip(str self, str chars=\" \\n\\t\\f\\v\") -> str", k_rstrip},
    {"aten::split.str(str self, str? separator=None, int max=-1) -> str[]", k_split_str},
    {"aten::rsplit(str self, str separator=\" \", int max=-1) -> str[]", k_rsplit},
    {"aten::splitlines(str self, bool keepends=False) -> str[]", k_splitlines},
    {"aten::join(str self, str[] values) -> str", k_join},
    {"aten::upper(str self) -> str", k_upper},
    {"aten::lower(str self) -> str", k_lower},
    {"aten::swapcase(str self) -> str", k_swapcase},
    {"aten::capitalize(str self) -> str", k_capitalize},
    {"aten::title(str self) -> str", k_title},
    {"aten::center(str self, int width, str fillchar=\" \") -> str", k_center},
    {"aten::ljust(str self, int width, str fillchar=\" \") -> str", k_ljust},
    {"aten::rjust(str self, int width, str fillchar=\" \") -> str", k_rjust},
    {"aten::zfill(str self, int width) -> str", k_zfill},
    {"aten::expandtabs(str self, int tabsize=8) -> str", k_expandtabs},
    {"aten::count(str self, str substr, int start=0, int end=-1) -> int", k_count},
    {"aten::find(str self, str substr, int start=0, int end=-1) -> int", k_find},
    {"aten::rfind(str self, str substr, int start=0, int end=-1) -> int", k_rfind},
    {"aten::index.str(str self, str substr, int start=0, int end=-1) -> int", k_index_str},
    {"aten::rindex(str self, str substr, int start=0, int end=-1) -> int", k_rindex},
    {"aten::startswith(str self, str substr, int start=0, int end=-1) -> bool", k_startswith},
    {"aten::endswith(str self, str substr, int start=0, int end=-1) -> bool", k_endswith},
    {"aten::replace(str self, str old, str new, int max=-1) -> str", k_replace},
    {"aten::device(str a) -> Device", k_device_str},
    {"prim::type(Device self) -> str", k_device_type},
    {"prim::index(Device self) -> int?", k_device_index},
    {"aten::is_scripting() -> bool", k_is_scripting},
    {"aten::partition(str self, str separator) -> (str, str, str)", k_partition},
    {"aten::rpartition(str self, str separator) -> (str, str, str)", k_rpartition},
    {"aten::isdigit(str self) -> bool", k_isdigit},
    {"aten::isspace(str self) -> bool", k_isspace},
    {"aten::isalnum(str self) -> bool", k_isalnum},
    {"aten::isalpha(str self) -> bool", k_isalpha},
    {"aten::isdecimal(str self) -> bool", k_isdecimal},
    {"aten::isnumeric(str self) -> bool", k_isnumeric},
    {"aten::isupper(str self) -> bool", k_isupper},
    {"aten::islower(str self) -> bool", k_islower},
    {"aten::istitle(str self) -> bool", k_istitle},
    {"aten::isidentifier(str self) -> bool", k_isidentifier},
    {"aten::isprintable(str self) -> bool", k_isprintable},
    {"aten::ord(str string) -> int", k_ord},
    {"aten::chr(int i) -> str", k_chr},
    {"aten::hex(int i) -> str", k_hex},
    {"aten::oct(int i) -> str", k_oct},
    {"aten::bin(int i) -> str", k_bin},
};
const int cts_ops_str_count = (int)(sizeof cts_ops_str / sizeof *cts_ops_str);
