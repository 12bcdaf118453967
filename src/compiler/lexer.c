/* lexer.c - tokens from TorchScript / Python source (see lexer.h).
 *
 * Invariants: every read of lx->s is guarded by `< lx->end`; a reported
 * error sets lx->failed and every later call fails the same way; all memory
 * comes from the arena. */
#include "lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tok_names[] = {
#define X(e, s) s,
    CTS_TOKENS(X)
#undef X
};
_Static_assert(sizeof tok_names / sizeof tok_names[0] == T__COUNT, "token name table");

const char *cts_tok_name(cts_tok t) { return (unsigned)t < (unsigned)T__COUNT ? tok_names[t] : "?"; }

/* ---- errors ------------------------------------------------------------ */

static int lx_error(cts_lexer *lx, uint32_t start, uint32_t end, const char *fmt, ...) CTS_PRINTF(4, 5);
static int lx_error(cts_lexer *lx, uint32_t start, uint32_t end, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (end <= start) end = start + 1;
    cts_src_error(lx->err, lx->src, start, end, "%s", msg);
    lx->failed = 1;
    return -1;
}

static int lx_oom(cts_lexer *lx, size_t n) {
    cts_err_oom(lx->err, "lexer", n);
    lx->failed = 1;
    return -1;
}

/* ---- characters -------------------------------------------------------- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int hex_val(int c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

/* Decodes one well-formed UTF-8 sequence of 2..4 bytes at s[0..avail);
 * returns its length, or 0 if malformed (overlong, surrogate, > U+10FFFF). */
static int utf8_decode(const unsigned char *s, uint32_t avail, uint32_t *cp) {
    unsigned c = s[0];
    int n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) n = 2, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, v = c & 0x07, min = 0x10000;
    else return 0;
    if ((uint32_t)n > avail) return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

static int utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Unicode white space that Python refuses inside identifiers. */
static int is_unicode_space(uint32_t cp) {
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Length of the identifier character at p (0 if none); -1 on an error. */
static int ident_char(cts_lexer *lx, uint32_t p, int first) {
    unsigned char c = (unsigned char)lx->s[p];
    if (is_alpha(c) || (!first && is_digit(c))) return 1;
    if (c < 0x80) return 0;
    uint32_t cp;
    int n = utf8_decode((const unsigned char *)lx->s + p, lx->end - p, &cp);
    if (!n) return lx_error(lx, p, p + 1, "invalid UTF-8 byte 0x%02x in source", c);
    if (is_unicode_space(cp)) return lx_error(lx, p, p + (uint32_t)n, "invalid non-printable character U+%04X", cp);
    return n;
}

/* Offset just past the newline at p ("\n" or "\r\n"), or 0 if none there. */
static uint32_t newline_at(const cts_lexer *lx, uint32_t p) {
    if (p < lx->end && lx->s[p] == '\n') return p + 1;
    if (p + 1 < lx->end && lx->s[p] == '\r' && lx->s[p + 1] == '\n') return p + 2;
    return 0;
}

/* ---- comments ---------------------------------------------------------- */

/* Skips the comment at h ('#'), recording it if it is a type comment.
 * Returns the offset of the end of the line (its '\n' or lx->end). */
static int skip_comment(cts_lexer *lx, uint32_t h, uint32_t *eol) {
    const char *s = lx->s;
    uint32_t e = h;
    while (e < lx->end && s[e] != '\n') e++;
    *eol = e;
    uint32_t q = h + 1, te = e;
    while (te > q && (s[te - 1] == '\r' || s[te - 1] == ' ' || s[te - 1] == '\t')) te--;
    while (q < te && (s[q] == ' ' || s[q] == '\t')) q++;
    if (te - q < 5 || memcmp(s + q, "type:", 5) != 0) return 0;
    q += 5;
    while (q < te && (s[q] == ' ' || s[q] == '\t')) q++;
    if (te - q >= 6 && memcmp(s + q, "ignore", 6) == 0 && (te - q == 6 || !(is_alpha(s[q + 6]) || is_digit(s[q + 6]))))
        return 0;
    if (lx->ntc == lx->captc) {
        int nc = lx->captc ? lx->captc * 2 : 8;
        cts_type_comment *n = cts_arena_alloc(lx->arena, (size_t)nc * sizeof *n);
        if (!n) return lx_oom(lx, (size_t)nc * sizeof *n);
        if (lx->ntc) memcpy(n, lx->tc, (size_t)lx->ntc * sizeof *n);
        lx->tc = n;
        lx->captc = nc;
    }
    lx->tc[lx->ntc].hash = h;
    lx->tc[lx->ntc].tstart = q;
    lx->tc[lx->ntc].tend = te;
    lx->ntc++;
    return 0;
}

/* ---- init -------------------------------------------------------------- */

int cts_lexer_init(cts_lexer *lx, cts_arena *arena, const cts_source *src, uint32_t begin, uint32_t end,
                   int expr_mode, cts_err *err) {
    memset(lx, 0, sizeof *lx);
    lx->arena = arena;
    lx->src = src;
    lx->err = err;
    if (!src || (!src->text && src->len)) {
        lx->failed = 1;
        return cts_err_set(err, "no source text");
    }
    if (src->len >= UINT32_MAX) {
        lx->failed = 1;
        return cts_err_set(err, "%s: source too large (%zu bytes)", src->name ? src->name : "<string>", src->len);
    }
    if (end > src->len) end = (uint32_t)src->len;
    if (begin > end) begin = end;
    lx->s = src->text;
    lx->pos = begin;
    lx->end = end;
    lx->expr_mode = expr_mode;
    lx->at_bol = !expr_mode;
    lx->nindent = 1;
    if (begin == 0 && end >= 3 && memcmp(lx->s, "\xEF\xBB\xBF", 3) == 0) lx->pos = 3;
    return 0;
}

/* ---- tokens ------------------------------------------------------------ */

static int mk(cts_token *t, cts_tok k, uint32_t start, uint32_t end) {
    t->kind = k;
    t->start = start;
    t->end = end;
    return 0;
}

static int tab_error(cts_lexer *lx, uint32_t p) {
    return lx_error(lx, p, p + 1, "inconsistent use of tabs and spaces in indentation");
}

/* At the start of a logical line: skips blank and comment lines and measures
 * the indentation.  Returns 1 with *t set to INDENT/DEDENT, 0 if the line
 * continues at the current level (or at end of input), -1 on error. */
static int lex_indentation(cts_lexer *lx, cts_token *t) {
    const char *s = lx->s;
    uint32_t p;
    int col, alt;
    for (;;) {
        p = lx->pos;
        col = alt = 0;
        while (p < lx->end) {
            char c = s[p];
            if (c == ' ') col++, alt++;
            else if (c == '\t') col = (col / 8 + 1) * 8, alt++;
            else if (c == '\f') col = alt = 0;
            else if (c == '\r' && !newline_at(lx, p)) {
            } else break;
            p++;
        }
        if (p >= lx->end) {
            lx->pos = p;
            lx->at_bol = 0;
            return 0;
        }
        uint32_t nl;
        if (s[p] == '#') {
            uint32_t eol;
            if (skip_comment(lx, p, &eol)) return -1;
            lx->pos = eol;
            if (eol < lx->end) lx->pos = eol + 1;
            continue;
        }
        if ((nl = newline_at(lx, p))) {
            lx->pos = nl;
            continue;
        }
        break;
    }
    lx->pos = p;
    lx->at_bol = 0;
    int top = lx->indent[lx->nindent - 1], atop = lx->altindent[lx->nindent - 1];
    if (col == top) {
        if (alt != atop) return tab_error(lx, p);
        return 0;
    }
    if (col > top) {
        if (alt <= atop) return tab_error(lx, p);
        if (lx->nindent > CTS_LEX_MAX_INDENT) return lx_error(lx, p, p + 1, "too many levels of indentation");
        lx->indent[lx->nindent] = col;
        lx->altindent[lx->nindent] = alt;
        lx->nindent++;
        mk(t, T_INDENT, p, p);
        return 1;
    }
    int k = lx->nindent;
    while (k > 1 && lx->indent[k - 1] > col) k--;
    if (lx->indent[k - 1] != col)
        return lx_error(lx, p, p + 1, "unindent does not match any outer indentation level");
    if (lx->altindent[k - 1] != alt) return tab_error(lx, p);
    lx->pending_dedents = lx->nindent - k - 1;
    lx->dedent_pos = p;
    lx->nindent = k;
    mk(t, T_DEDENT, p, p);
    return 1;
}

static int lex_eof(cts_lexer *lx, cts_token *t) {
    uint32_t e = lx->end;
    if (lx->nest > 0) {
        uint32_t bp = lx->nest_pos[lx->nest - 1];
        return lx_error(lx, bp, bp + 1, "'%c' was never closed", lx->nest_ch[lx->nest - 1]);
    }
    if (!lx->expr_mode) {
        if (lx->line_has_tokens) {
            lx->line_has_tokens = 0;
            return mk(t, T_NEWLINE, e, e);
        }
        if (lx->nindent > 1) {
            lx->nindent--;
            return mk(t, T_DEDENT, e, e);
        }
    }
    return mk(t, T_EOF, e, e);
}

/* Keywords are the alphabetic names of the token list. */
static cts_tok keyword(const char *s, size_t n) {
    if (n < 2 || n > 8) return T_NAME;
    for (int k = T_AND; k < T__COUNT; k++) {
        const char *kw = tok_names[k];
        if (strlen(kw) == n && memcmp(kw, s, n) == 0) return (cts_tok)k;
    }
    return T_NAME;
}

static int lex_name(cts_lexer *lx, cts_token *t) {
    uint32_t p = lx->pos;
    int n = ident_char(lx, p, 1);
    if (n < 0) return -1;
    p += (uint32_t)n;
    while (p < lx->end) {
        n = ident_char(lx, p, 0);
        if (n < 0) return -1;
        if (n == 0) break;
        p += (uint32_t)n;
    }
    size_t len = p - lx->pos;
    cts_tok k = keyword(lx->s + lx->pos, len);
    mk(t, k, lx->pos, p);
    if (k == T_NAME) {
        char *str = cts_arena_strndup(lx->arena, lx->s + lx->pos, len);
        if (!str) return lx_oom(lx, len + 1);
        t->str = str;
        t->slen = len;
    }
    lx->pos = p;
    return 0;
}

/* ---- numbers ----------------------------------------------------------- */

static int is_ident_byte(int c) { return is_alpha(c) || is_digit(c) || (unsigned char)c >= 0x80; }

/* Scans digits with single underscores between them, starting at a digit. */
static uint32_t scan_digits(const cts_lexer *lx, uint32_t p) {
    while (p < lx->end) {
        if (is_digit(lx->s[p])) p++;
        else if (lx->s[p] == '_' && p + 1 < lx->end && is_digit(lx->s[p + 1])) p += 2;
        else break;
    }
    return p;
}

static int int_result(cts_lexer *lx, cts_token *t, uint32_t start, uint32_t end, uint64_t v, int overflow) {
    mk(t, T_INTLIT, start, end);
    if (overflow || v > (uint64_t)INT64_MAX + 1) {
        int n = (int)(end - start);
        return lx_error(lx, start, end, "integer literal %.*s%s is out of range for int64", n > 40 ? 40 : n,
                        lx->s + start, n > 40 ? "..." : "");
    }
    if (v == (uint64_t)INT64_MAX + 1) {
        t->flags |= CTS_TOKF_INT_MIN;
        t->ival = INT64_MIN;
    } else {
        t->ival = (int64_t)v;
    }
    lx->pos = end;
    return 0;
}

/* Converts a decimal float literal without going through the C library's
 * locale-dependent radix character: the digits are written out without the
 * point and the exponent adjusted ("12.5e3" -> "125e2"), which strtod reads
 * the same under every locale and rounds correctly. */
static int float_value(cts_lexer *lx, uint32_t start, uint32_t end, double *out) {
    const char *s = lx->s;
    char *buf = cts_arena_alloc(lx->arena, (size_t)(end - start) + 32);
    if (!buf) return lx_oom(lx, (size_t)(end - start) + 32);
    size_t n = 0;
    long long frac = 0, exp = 0;
    int in_frac = 0;
    uint32_t p = start;
    for (; p < end; p++) {
        char c = s[p];
        if (is_digit(c)) {
            buf[n++] = c;
            if (in_frac) frac++;
        } else if (c == '.') {
            in_frac = 1;
        } else if (c == '_') {
        } else {
            break;
        }
    }
    if (p < end && (s[p] == 'e' || s[p] == 'E')) {
        p++;
        int neg = 0;
        if (p < end && (s[p] == '+' || s[p] == '-')) neg = s[p++] == '-';
        for (; p < end; p++) {
            if (s[p] == '_') continue;
            if (!is_digit(s[p])) break;
            if (exp < 1000000000) exp = exp * 10 + (s[p] - '0');
        }
        if (neg) exp = -exp;
    }
    if (n == 0) buf[n++] = '0';
    snprintf(buf + n, 32, "e%lld", exp - frac);
    *out = strtod(buf, NULL);
    return 0;
}

static int lex_number(cts_lexer *lx, cts_token *t) {
    const char *s = lx->s;
    uint32_t start = lx->pos, p = start;
    if (s[p] == '0' && p + 1 < lx->end && s[p + 1] && strchr("xXoObB", s[p + 1])) {
        char b = (char)(s[p + 1] | 0x20);
        int base = b == 'x' ? 16 : b == 'o' ? 8 : 2;
        const char *what = b == 'x' ? "hexadecimal" : b == 'o' ? "octal" : "binary";
        p += 2;
        uint64_t v = 0;
        int ndig = 0, overflow = 0;
        for (;;) {
            uint32_t q = p;
            if (q < lx->end && s[q] == '_') q++;
            if (q >= lx->end) break;
            int c = (unsigned char)s[q], d;
            if (base == 16 && is_hex(c)) d = hex_val(c);
            else if (base == 8 && c >= '0' && c <= '7') d = c - '0';
            else if (base == 2 && (c == '0' || c == '1')) d = c - '0';
            else break;
            if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) overflow = 1;
            else v = v * (uint64_t)base + (uint64_t)d;
            ndig++;
            p = q + 1;
        }
        if (p < lx->end && is_ident_byte(s[p])) {
            if (base != 16 && is_digit(s[p]))
                return lx_error(lx, p, p + 1, "invalid digit '%c' in %s literal", s[p], what);
            return lx_error(lx, start, p + 1, "invalid %s literal", what);
        }
        if (ndig == 0) return lx_error(lx, start, p, "invalid %s literal", what);
        return int_result(lx, t, start, p, v, overflow);
    }
    int is_float = 0, imag = 0;
    if (is_digit(s[p])) p = scan_digits(lx, p);
    if (p < lx->end && s[p] == '.') {
        is_float = 1;
        p++;
        if (p < lx->end && is_digit(s[p])) p = scan_digits(lx, p);
    }
    if (p < lx->end && (s[p] == 'e' || s[p] == 'E')) {
        uint32_t q = p + 1;
        if (q < lx->end && (s[q] == '+' || s[q] == '-')) q++;
        if (q < lx->end && is_digit(s[q])) {
            p = scan_digits(lx, q);
            is_float = 1;
        } else {
            return lx_error(lx, start, q < lx->end ? q + 1 : q, "invalid decimal literal");
        }
    }
    if (p < lx->end && (s[p] == 'j' || s[p] == 'J')) {
        imag = 1;
        p++;
    }
    if (p < lx->end && is_ident_byte(s[p])) return lx_error(lx, start, p + 1, "invalid decimal literal");
    if (is_float || imag) {
        double v;
        if (float_value(lx, start, p, &v)) return -1;
        mk(t, imag ? T_IMAG : T_FLOATLIT, start, p);
        t->fval = v;
        lx->pos = p;
        return 0;
    }
    uint64_t v = 0;
    int overflow = 0, nonzero = 0;
    for (uint32_t q = start; q < p; q++) {
        if (s[q] == '_') continue;
        uint64_t d = (uint64_t)(s[q] - '0');
        if (d) nonzero = 1;
        if (v > (UINT64_MAX - d) / 10) overflow = 1;
        else v = v * 10 + d;
    }
    if (s[start] == '0' && nonzero)
        return lx_error(lx, start, p,
                        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal "
                        "integers");
    return int_result(lx, t, start, p, v, overflow);
}

/* ---- strings ----------------------------------------------------------- */

int cts_lex_unescape(const cts_source *src, uint32_t start, uint32_t end, int raw, char *out, size_t *outlen,
                     cts_err *err) {
    const char *s = src->text;
    size_t n = 0;
    uint32_t i = start;
    while (i < end) {
        char c = s[i];
        if (c == '\r' && i + 1 < end && s[i + 1] == '\n') {
            out[n++] = '\n';
            i += 2;
            continue;
        }
        if (c != '\\' || raw || i + 1 >= end) {
            out[n++] = c;
            i++;
            continue;
        }
        char e = s[i + 1];
        uint32_t cp;
        int nd;
        switch (e) {
        case '\n': i += 2; continue;
        case '\r': i += (i + 2 < end && s[i + 2] == '\n') ? 3 : 2; continue;
        case '\\': case '\'': case '"': out[n++] = e; i += 2; continue;
        case 'a': out[n++] = '\a'; i += 2; continue;
        case 'b': out[n++] = '\b'; i += 2; continue;
        case 'f': out[n++] = '\f'; i += 2; continue;
        case 'n': out[n++] = '\n'; i += 2; continue;
        case 'r': out[n++] = '\r'; i += 2; continue;
        case 't': out[n++] = '\t'; i += 2; continue;
        case 'v': out[n++] = '\v'; i += 2; continue;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
            cp = 0;
            nd = 0;
            while (nd < 3 && i + 1 + (uint32_t)nd < end && s[i + 1 + nd] >= '0' && s[i + 1 + nd] <= '7') {
                cp = cp * 8 + (uint32_t)(s[i + 1 + nd] - '0');
                nd++;
            }
            n += (size_t)utf8_encode(cp, out + n);
            i += 1 + (uint32_t)nd;
            continue;
        case 'x': case 'u': case 'U': {
            int want = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            cp = 0;
            for (nd = 0; nd < want; nd++) {
                uint32_t q = i + 2 + (uint32_t)nd;
                if (q >= end || !is_hex(s[q])) {
                    return cts_src_error(err, src, i, q < end ? q + 1 : q,
                                         "invalid \\%c escape: expected %d hex digits", e, want);
                }
                cp = cp * 16 + (uint32_t)hex_val(s[q]);
            }
            uint32_t ee = i + 2 + (uint32_t)want;
            if (cp > 0x10FFFF)
                return cts_src_error(err, src, i, ee, "invalid \\U escape: U+%X is not a Unicode character", cp);
            if (cp >= 0xD800 && cp <= 0xDFFF)
                return cts_src_error(err, src, i, ee,
                                     "invalid \\%c escape: surrogate U+%04X cannot be encoded as UTF-8", e, cp);
            n += (size_t)utf8_encode(cp, out + n);
            i = ee;
            continue;
        }
        case 'N':
            return cts_src_error(err, src, i, i + 2, "\\N{...} escapes (Unicode character names) are not supported");
        default:
            /* Python keeps an unknown escape as is (with a warning). */
            out[n++] = '\\';
            i++;
            continue;
        }
    }
    out[n] = 0;
    *outlen = n;
    return 0;
}

static int lex_string(cts_lexer *lx, cts_token *t, uint32_t q, int flags) {
    const char *s = lx->s;
    uint32_t start = lx->pos;
    char quote = s[q];
    int triple = q + 2 < lx->end && s[q + 1] == quote && s[q + 2] == quote;
    uint32_t cs = q + (triple ? 3 : 1), i = cs;
    for (;;) {
        if (i >= lx->end) {
            int line, col;
            cts_src_linecol(lx->src, lx->end, &line, &col);
            return lx_error(lx, start, q + 1, "unterminated %sstring literal (detected at line %d)",
                            triple ? "triple-quoted " : "", line);
        }
        char c = s[i];
        if (c == '\\') {
            i++;
            if (i < lx->end) i = newline_at(lx, i) ? newline_at(lx, i) : i + 1;
            continue;
        }
        if (c == '\n' && !triple) {
            int line, col;
            cts_src_linecol(lx->src, i, &line, &col);
            return lx_error(lx, start, q + 1, "unterminated string literal (detected at line %d)", line);
        }
        if (c == quote) {
            if (!triple) break;
            if (i + 2 < lx->end && s[i + 1] == quote && s[i + 2] == quote) break;
        }
        i++;
    }
    uint32_t ce = i, end = i + (triple ? 3 : 1);
    mk(t, T_STRING, start, end);
    t->flags = flags | (triple ? CTS_TOKF_TRIPLE : 0);
    t->cstart = cs;
    t->cend = ce;
    lx->pos = end;
    if (flags & CTS_TOKF_FSTRING) return 0;
    char *out = cts_arena_alloc(lx->arena, (size_t)(ce - cs) + 1);
    if (!out) return lx_oom(lx, (size_t)(ce - cs) + 1);
    if (cts_lex_unescape(lx->src, cs, ce, flags & CTS_TOKF_RAW, out, &t->slen, lx->err)) {
        lx->failed = 1;
        return -1;
    }
    t->str = out;
    return 0;
}

/* If a string prefix (r, u, f, b, br, rb, fr, rf in any case) followed by a
 * quote starts at lx->pos, returns the offset of the quote; else 0. */
static uint32_t string_prefix(const cts_lexer *lx, int *flags, int *bytes) {
    int r = 0, u = 0, f = 0, b = 0;
    uint32_t p = lx->pos;
    while (p < lx->end && p - lx->pos < 3) {
        char c = (char)(lx->s[p] | 0x20);
        if (c == 'r') r++;
        else if (c == 'u') u++;
        else if (c == 'f') f++;
        else if (c == 'b') b++;
        else break;
        p++;
    }
    if (p == lx->pos || p >= lx->end || (lx->s[p] != '\'' && lx->s[p] != '"')) return 0;
    int n = r + u + f + b;
    if (r > 1 || u > 1 || f > 1 || b > 1 || n > 2 || (u && n > 1) || (f && b)) return 0;
    *flags = (r ? CTS_TOKF_RAW : 0) | (f ? CTS_TOKF_FSTRING : 0);
    *bytes = b;
    return p;
}

/* ---- operators --------------------------------------------------------- */

static int lex_op(cts_lexer *lx, cts_token *t) {
    const char *s = lx->s;
    uint32_t p = lx->pos;
    char c = s[p];
    char c1 = p + 1 < lx->end ? s[p + 1] : 0;
    char c2 = p + 2 < lx->end ? s[p + 2] : 0;
    cts_tok k;
    int n = 1;
    switch (c) {
    case '(': case '[': case '{':
        if (lx->nest >= CTS_LEX_MAX_NEST) return lx_error(lx, p, p + 1, "too many nested parentheses");
        lx->nest_ch[lx->nest] = c;
        lx->nest_pos[lx->nest] = p;
        lx->nest++;
        k = c == '(' ? T_LPAREN : c == '[' ? T_LBRACK : T_LBRACE;
        break;
    case ')': case ']': case '}': {
        if (lx->nest == 0) return lx_error(lx, p, p + 1, "unmatched '%c'", c);
        char open = lx->nest_ch[lx->nest - 1];
        char want = open == '(' ? ')' : open == '[' ? ']' : '}';
        if (c != want) {
            int line, col, oline;
            cts_src_linecol(lx->src, p, &line, &col);
            cts_src_linecol(lx->src, lx->nest_pos[lx->nest - 1], &oline, &col);
            if (line != oline)
                return lx_error(lx, p, p + 1,
                                "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c, open,
                                oline);
            return lx_error(lx, p, p + 1, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open);
        }
        lx->nest--;
        k = c == ')' ? T_RPAREN : c == ']' ? T_RBRACK : T_RBRACE;
        break;
    }
    case ',': k = T_COMMA; break;
    case ';': k = T_SEMI; break;
    case '~': k = T_TILDE; break;
    case ':':
        if (c1 == '=') return lx_error(lx, p, p + 2, "assignment expressions (':=') aren't supported");
        k = T_COLON;
        break;
    case '.':
        if (c1 == '.' && c2 == '.') k = T_ELLIPSIS, n = 3;
        else k = T_DOT;
        break;
    case '@': if (c1 == '=') k = T_ATEQ, n = 2; else k = T_AT; break;
    case '=': if (c1 == '=') k = T_EQ, n = 2; else k = T_ASSIGN; break;
    case '+': if (c1 == '=') k = T_PLUSEQ, n = 2; else k = T_PLUS; break;
    case '-':
        if (c1 == '=') k = T_MINUSEQ, n = 2;
        else if (c1 == '>') k = T_ARROW, n = 2;
        else k = T_MINUS;
        break;
    case '*':
        if (c1 == '*') {
            if (c2 == '=') k = T_POWEQ, n = 3;
            else k = T_POW, n = 2;
        } else if (c1 == '=') k = T_STAREQ, n = 2;
        else k = T_STAR;
        break;
    case '/':
        if (c1 == '/') {
            if (c2 == '=') k = T_DSLASHEQ, n = 3;
            else k = T_DSLASH, n = 2;
        } else if (c1 == '=') k = T_SLASHEQ, n = 2;
        else k = T_SLASH;
        break;
    case '%': if (c1 == '=') k = T_PERCENTEQ, n = 2; else k = T_PERCENT; break;
    case '&': if (c1 == '=') k = T_AMPEQ, n = 2; else k = T_AMP; break;
    case '|': if (c1 == '=') k = T_PIPEEQ, n = 2; else k = T_PIPE; break;
    case '^': if (c1 == '=') k = T_CARETEQ, n = 2; else k = T_CARET; break;
    case '<':
        if (c1 == '<') {
            if (c2 == '=') k = T_LSHIFTEQ, n = 3;
            else k = T_LSHIFT, n = 2;
        } else if (c1 == '=') k = T_LE, n = 2;
        else k = T_LT;
        break;
    case '>':
        if (c1 == '>') {
            if (c2 == '=') k = T_RSHIFTEQ, n = 3;
            else k = T_RSHIFT, n = 2;
        } else if (c1 == '=') k = T_GE, n = 2;
        else k = T_GT;
        break;
    case '!':
        if (c1 == '=') {
            k = T_NE;
            n = 2;
            break;
        }
        return lx_error(lx, p, p + 1, "invalid syntax: '!' is not an operator (use 'not' or '!=')");
    default: {
        unsigned char uc = (unsigned char)c;
        if (uc >= 0x80) {
            uint32_t cp;
            int m = utf8_decode((const unsigned char *)s + p, lx->end - p, &cp);
            if (!m) return lx_error(lx, p, p + 1, "invalid UTF-8 byte 0x%02x in source", uc);
            return lx_error(lx, p, p + (uint32_t)m, "invalid character U+%04X", cp);
        }
        if (uc >= 0x21 && uc < 0x7F) return lx_error(lx, p, p + 1, "invalid character '%c' (U+%04X)", c, uc);
        return lx_error(lx, p, p + 1, "invalid non-printable character U+%04X", uc);
    }
    }
    mk(t, k, p, p + (uint32_t)n);
    lx->pos = p + (uint32_t)n;
    return 0;
}

/* ---- the token stream --------------------------------------------------- */

int cts_lex_next(cts_lexer *lx, cts_token *t) {
    memset(t, 0, sizeof *t);
    if (lx->failed) {
        mk(t, T_EOF, lx->end, lx->end);
        return -1;
    }
    if (lx->pending_dedents > 0) {
        lx->pending_dedents--;
        return mk(t, T_DEDENT, lx->dedent_pos, lx->dedent_pos);
    }
    if (lx->at_bol) {
        int r = lex_indentation(lx, t);
        if (r) return r < 0 ? -1 : 0;
    }
    const char *s = lx->s;
    for (;;) {
        while (lx->pos < lx->end) {
            char c = s[lx->pos];
            if (c == ' ' || c == '\t' || c == '\f' || (c == '\r' && !newline_at(lx, lx->pos))) lx->pos++;
            else break;
        }
        if (lx->pos >= lx->end) return lex_eof(lx, t);
        char c = s[lx->pos];
        uint32_t nl;
        if (c == '#') {
            uint32_t eol;
            if (skip_comment(lx, lx->pos, &eol)) return -1;
            lx->pos = eol;
            continue;
        }
        if (c == '\\') {
            uint32_t q = lx->pos + 1;
            if ((nl = newline_at(lx, q))) {
                if (nl >= lx->end && !lx->expr_mode)
                    return lx_error(lx, lx->pos, q, "unexpected end of file after line continuation character");
                lx->pos = nl;
                continue;
            }
            if (q >= lx->end)
                return lx_error(lx, lx->pos, q, "unexpected end of file after line continuation character");
            return lx_error(lx, lx->pos, q, "unexpected character after line continuation character");
        }
        if ((nl = newline_at(lx, lx->pos))) {
            uint32_t at = lx->pos;
            lx->pos = nl;
            if (lx->nest > 0 || lx->expr_mode) continue;
            lx->at_bol = 1;
            if (lx->line_has_tokens) {
                lx->line_has_tokens = 0;
                return mk(t, T_NEWLINE, at, at + 1);
            }
            int r = lex_indentation(lx, t);
            if (r) return r < 0 ? -1 : 0;
            continue;
        }
        break;
    }
    lx->line_has_tokens = 1;
    unsigned char c = (unsigned char)s[lx->pos];
    int flags = 0, bytes = 0;
    uint32_t q;
    if (c == '\'' || c == '"') return lex_string(lx, t, lx->pos, 0);
    if ((q = string_prefix(lx, &flags, &bytes))) {
        if (bytes) return lx_error(lx, lx->pos, q + 1, "bytes literals aren't supported");
        return lex_string(lx, t, q, flags);
    }
    if (is_alpha(c) || c >= 0x80) {
        if (c >= 0x80) {
            uint32_t cp;
            int m = utf8_decode((const unsigned char *)s + lx->pos, lx->end - lx->pos, &cp);
            if (!m || is_unicode_space(cp)) return lex_op(lx, t); /* reports the character */
        }
        return lex_name(lx, t);
    }
    if (is_digit(c) || (c == '.' && lx->pos + 1 < lx->end && is_digit(s[lx->pos + 1]))) return lex_number(lx, t);
    return lex_op(lx, t);
}

int cts_lex_all(cts_arena *arena, const cts_source *src, cts_token **toks, int *ntoks, cts_err *err) {
    cts_lexer lx;
    *toks = NULL;
    *ntoks = 0;
    if (cts_lexer_init(&lx, arena, src, 0, src ? (uint32_t)(src->len < UINT32_MAX ? src->len : 0) : 0, 0, err))
        return -1;
    cts_token *v = NULL;
    int n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            int nc = cap ? cap * 2 : 64;
            cts_token *nv = cts_arena_alloc(arena, (size_t)nc * sizeof *nv);
            if (!nv) return cts_err_oom(err, "lexer", (size_t)nc * sizeof *nv);
            if (n) memcpy(nv, v, (size_t)n * sizeof *nv);
            v = nv;
            cap = nc;
        }
        if (cts_lex_next(&lx, &v[n])) return -1;
        if (v[n++].kind == T_EOF) break;
    }
    *toks = v;
    *ntoks = n;
    return 0;
}

static void dump_bytes(cts_strbuf *sb, const char *s, size_t n) {
    cts_sb_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') cts_sb_printf(sb, "\\%c", c);
        else if (c == '\n') cts_sb_puts(sb, "\\n");
        else if (c == '\t') cts_sb_puts(sb, "\\t");
        else if (c < 0x20 || c == 0x7F) cts_sb_printf(sb, "\\x%02x", c);
        else cts_sb_putc(sb, (char)c);
    }
    cts_sb_putc(sb, '"');
}

void cts_tokens_dump(const cts_source *src, const cts_token *toks, int ntoks, cts_strbuf *sb) {
    for (int i = 0; i < ntoks; i++) {
        const cts_token *t = &toks[i];
        int line, col;
        cts_src_linecol(src, t->start, &line, &col);
        cts_sb_printf(sb, "%d:%d %s", line, col, cts_tok_name(t->kind));
        switch (t->kind) {
        case T_NAME: cts_sb_printf(sb, " %s", t->str); break;
        case T_INTLIT: cts_sb_printf(sb, " %lld", (long long)t->ival); break;
        case T_FLOATLIT: case T_IMAG: cts_sb_printf(sb, " %.17g", t->fval); break;
        case T_STRING:
            cts_sb_putc(sb, ' ');
            if (t->flags & CTS_TOKF_FSTRING) {
                cts_sb_putc(sb, 'f');
                dump_bytes(sb, src->text + t->cstart, t->cend - t->cstart);
            } else {
                dump_bytes(sb, t->str, t->slen);
            }
            break;
        default: break;
        }
        cts_sb_putc(sb, '\n');
    }
}
