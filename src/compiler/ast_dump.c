/* ast_dump.c - S-expression printing of the AST (see ast_dump.h).
 *
 *   A_NAME x            A_INT 1          A_FLOAT 1.5        A_IMAG 2.0j
 *   A_STR "a\n"         True False None ...
 *   A_ATTR (. obj name)                 A_CALL (call f a (= k v))
 *   A_STARRED (* a)                     A_SUBSCRIPT ([] x i (: a b c))
 *   A_SLICE (: start stop step), _ when absent
 *   A_BINOP (+ a b)     A_UNOP (- a) (not a)    A_BOOLOP (and a b)
 *   A_CMP (cmp a < b not in c)          A_IFEXP (ifexp cond then else)
 *   A_TUPLE (tuple ...) A_LIST (list ...)   A_DICT (dict k1 v1 k2 v2)
 *   A_LISTCOMP (listcomp elt (for target iter) (if cond))
 *   A_DICTCOMP (dictcomp key value (for target iter) (if cond))
 *   A_LAMBDA (lambda (params) body)
 *   S_EXPR (expr e)     S_ASSIGN (= t1 t2 value (type T))
 *   S_ANNASSIGN (ann target T value)    S_AUGASSIGN (+= target value)
 *   S_IF (if c {body} {else})  S_WHILE (while c {body} {else})
 *   S_FOR (for t iter {body} {else})    S_RETURN (return v)
 *   (break) (continue) (pass) (raise e (from c)) (assert t msg) (del t ...)
 *   S_WITH (with (item e t) {body})
 *   S_DEF (def name (params) -> R (type (tuple A) R) (@ dec) {body})
 *   A_PARAM x | (x : T = default kwonly), *args, **kw
 *   S_CLASS (class Name (bases) (@ dec) {body})
 *   S_IMPORT (import a.b (as c d))      S_IMPORTFROM (from .m x (as y z))
 *   S_GLOBAL (global a b)  S_NONLOCAL (nonlocal a b)  A_MODULE (module s ...)
 */
#include "ast_dump.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void dump(const ast *n, cts_strbuf *sb);

static void put_str(cts_strbuf *sb, const char *s, size_t n) {
    cts_sb_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') cts_sb_printf(sb, "\\%c", c);
        else if (c == '\n') cts_sb_puts(sb, "\\n");
        else if (c == '\t') cts_sb_puts(sb, "\\t");
        else if (c < 0x20 || c >= 0x7F) cts_sb_printf(sb, "\\x%02x", c);
        else cts_sb_putc(sb, (char)c);
    }
    cts_sb_putc(sb, '"');
}

static void put_float(cts_strbuf *sb, double d) {
    char buf[64];
    if (isnan(d)) {
        cts_sb_puts(sb, "nan");
        return;
    }
    if (isinf(d)) {
        cts_sb_puts(sb, d < 0 ? "-inf" : "inf");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) break;
    }
    cts_sb_puts(sb, buf);
    if (!strpbrk(buf, ".e")) cts_sb_puts(sb, ".0");
}

static void sp(const ast *n, cts_strbuf *sb) {
    if (!n) return;
    cts_sb_putc(sb, ' ');
    dump(n, sb);
}

static void each(ast *const *v, int n, cts_strbuf *sb) {
    for (int i = 0; i < n; i++) sp(v[i], sb);
}

static void block(ast *const *v, int n, cts_strbuf *sb) {
    cts_sb_putc(sb, '{');
    for (int i = 0; i < n; i++) {
        if (i) cts_sb_putc(sb, ' ');
        dump(v[i], sb);
    }
    cts_sb_putc(sb, '}');
}

static void opt_or_blank(const ast *n, cts_strbuf *sb) {
    cts_sb_putc(sb, ' ');
    if (n) dump(n, sb);
    else cts_sb_putc(sb, '_');
}

static void decorators(const ast *n, cts_strbuf *sb) {
    for (int i = 0; i < n->nlist3; i++) {
        cts_sb_puts(sb, " (@ ");
        dump(n->list3[i], sb);
        cts_sb_putc(sb, ')');
    }
}

static void params(ast *const *v, int n, cts_strbuf *sb) {
    cts_sb_putc(sb, '(');
    for (int i = 0; i < n; i++) {
        if (i) cts_sb_putc(sb, ' ');
        dump(v[i], sb);
    }
    cts_sb_putc(sb, ')');
}

static void dump(const ast *n, cts_strbuf *sb) {
    if (!n) {
        cts_sb_puts(sb, "_");
        return;
    }
    switch (n->kind) {
    case A_NAME: cts_sb_puts(sb, n->str ? n->str : "?"); break;
    case A_INT: cts_sb_put_i64(sb, (long long)n->ival); break;
    case A_FLOAT: put_float(sb, n->fval); break;
    case A_IMAG: put_float(sb, n->fval); cts_sb_putc(sb, 'j'); break;
    case A_STR: put_str(sb, n->str ? n->str : "", n->str ? n->slen : 0); break;
    case A_TRUE: cts_sb_puts(sb, "True"); break;
    case A_FALSE: cts_sb_puts(sb, "False"); break;
    case A_NONE: cts_sb_puts(sb, "None"); break;
    case A_ELLIPSIS: cts_sb_puts(sb, "..."); break;
    case A_ATTR:
        cts_sb_puts(sb, "(.");
        sp(n->a, sb);
        cts_sb_printf(sb, " %s)", n->str);
        break;
    case A_CALL:
        cts_sb_puts(sb, "(call");
        sp(n->a, sb);
        each(n->list, n->nlist, sb);
        for (int i = 0; i < n->nlist2 && i < n->nnames; i++) {
            cts_sb_printf(sb, " (= %s ", n->names[i]);
            dump(n->list2[i], sb);
            cts_sb_putc(sb, ')');
        }
        cts_sb_putc(sb, ')');
        break;
    case A_STARRED: cts_sb_puts(sb, "(*"); sp(n->a, sb); cts_sb_putc(sb, ')'); break;
    case A_SUBSCRIPT:
        cts_sb_puts(sb, "([]");
        sp(n->a, sb);
        each(n->list, n->nlist, sb);
        cts_sb_putc(sb, ')');
        break;
    case A_SLICE:
        cts_sb_puts(sb, "(:");
        opt_or_blank(n->a, sb);
        opt_or_blank(n->b, sb);
        opt_or_blank(n->c, sb);
        cts_sb_putc(sb, ')');
        break;
    case A_BINOP: case A_BOOLOP:
        cts_sb_printf(sb, "(%s", cts_tok_name((cts_tok)n->op));
        sp(n->a, sb);
        sp(n->b, sb);
        cts_sb_putc(sb, ')');
        break;
    case A_UNOP:
        cts_sb_printf(sb, "(%s", cts_tok_name((cts_tok)n->op));
        sp(n->a, sb);
        cts_sb_putc(sb, ')');
        break;
    case A_CMP:
        cts_sb_puts(sb, "(cmp");
        for (int i = 0; i < n->nlist; i++) {
            sp(n->list[i], sb);
            if (i < n->nops) cts_sb_printf(sb, " %s", cts_tok_name((cts_tok)n->ops[i]));
        }
        cts_sb_putc(sb, ')');
        break;
    case A_IFEXP:
        cts_sb_puts(sb, "(ifexp");
        sp(n->a, sb);
        sp(n->b, sb);
        sp(n->c, sb);
        cts_sb_putc(sb, ')');
        break;
    case A_TUPLE: case A_LIST:
        cts_sb_puts(sb, n->kind == A_TUPLE ? "(tuple" : "(list");
        each(n->list, n->nlist, sb);
        cts_sb_putc(sb, ')');
        break;
    case A_DICT:
        cts_sb_puts(sb, "(dict");
        for (int i = 0; i < n->nlist && i < n->nlist2; i++) {
            sp(n->list[i], sb);
            sp(n->list2[i], sb);
        }
        cts_sb_putc(sb, ')');
        break;
    case A_LISTCOMP: case A_DICTCOMP:
        cts_sb_puts(sb, n->kind == A_LISTCOMP ? "(listcomp" : "(dictcomp");
        sp(n->a, sb);
        if (n->kind == A_DICTCOMP) sp(n->e, sb);
        cts_sb_puts(sb, " (for");
        sp(n->b, sb);
        sp(n->c, sb);
        cts_sb_putc(sb, ')');
        if (n->d) {
            cts_sb_puts(sb, " (if");
            sp(n->d, sb);
            cts_sb_putc(sb, ')');
        }
        cts_sb_putc(sb, ')');
        break;
    case A_LAMBDA:
        cts_sb_puts(sb, "(lambda ");
        params(n->list, n->nlist, sb);
        sp(n->a, sb);
        cts_sb_putc(sb, ')');
        break;
    case S_EXPR: cts_sb_puts(sb, "(expr"); sp(n->a, sb); cts_sb_putc(sb, ')'); break;
    case S_ASSIGN:
        cts_sb_puts(sb, "(=");
        each(n->list, n->nlist, sb);
        sp(n->a, sb);
        if (n->b) {
            cts_sb_puts(sb, " (type");
            sp(n->b, sb);
            cts_sb_putc(sb, ')');
        }
        cts_sb_putc(sb, ')');
        break;
    case S_ANNASSIGN:
        cts_sb_puts(sb, "(ann");
        sp(n->a, sb);
        sp(n->b, sb);
        sp(n->c, sb);
        cts_sb_putc(sb, ')');
        break;
    case S_AUGASSIGN:
        cts_sb_printf(sb, "(%s=", cts_tok_name((cts_tok)n->op));
        sp(n->a, sb);
        sp(n->b, sb);
        cts_sb_putc(sb, ')');
        break;
    case S_IF: case S_WHILE: case S_FOR:
        cts_sb_puts(sb, n->kind == S_IF ? "(if" : n->kind == S_WHILE ? "(while" : "(for");
        sp(n->a, sb);
        if (n->kind == S_FOR) sp(n->b, sb);
        cts_sb_putc(sb, ' ');
        block(n->list, n->nlist, sb);
        if (n->nlist2) {
            cts_sb_putc(sb, ' ');
            block(n->list2, n->nlist2, sb);
        }
        cts_sb_putc(sb, ')');
        break;
    case S_RETURN: cts_sb_puts(sb, "(return"); sp(n->a, sb); cts_sb_putc(sb, ')'); break;
    case S_BREAK: cts_sb_puts(sb, "(break)"); break;
    case S_CONTINUE: cts_sb_puts(sb, "(continue)"); break;
    case S_PASS: cts_sb_puts(sb, "(pass)"); break;
    case S_RAISE:
        cts_sb_puts(sb, "(raise");
        sp(n->a, sb);
        if (n->b) {
            cts_sb_puts(sb, " (from");
            sp(n->b, sb);
            cts_sb_putc(sb, ')');
        }
        cts_sb_putc(sb, ')');
        break;
    case S_ASSERT: cts_sb_puts(sb, "(assert"); sp(n->a, sb); sp(n->b, sb); cts_sb_putc(sb, ')'); break;
    case S_DEL: cts_sb_puts(sb, "(del"); each(n->list, n->nlist, sb); cts_sb_putc(sb, ')'); break;
    case S_WITH:
        cts_sb_puts(sb, "(with");
        each(n->list, n->nlist, sb);
        cts_sb_putc(sb, ' ');
        block(n->list2, n->nlist2, sb);
        cts_sb_putc(sb, ')');
        break;
    case A_WITHITEM: cts_sb_puts(sb, "(item"); sp(n->a, sb); sp(n->b, sb); cts_sb_putc(sb, ')'); break;
    case S_DEF:
        cts_sb_printf(sb, "(def %s ", n->str);
        params(n->list, n->nlist, sb);
        if (n->a) {
            cts_sb_puts(sb, " ->");
            sp(n->a, sb);
        }
        if (n->str2) {
            cts_sb_puts(sb, " (type");
            sp(n->c, sb);
            sp(n->d, sb);
            cts_sb_putc(sb, ')');
        }
        decorators(n, sb);
        cts_sb_putc(sb, ' ');
        block(n->list2, n->nlist2, sb);
        cts_sb_putc(sb, ')');
        break;
    case A_PARAM: {
        const char *pre = n->flags & P_VARARGS ? "*" : n->flags & P_KWARGS ? "**" : "";
        if (!n->a && !n->b && !(n->flags & P_KWONLY)) {
            cts_sb_printf(sb, "%s%s", pre, n->str);
            break;
        }
        cts_sb_printf(sb, "(%s%s", pre, n->str);
        if (n->a) {
            cts_sb_puts(sb, " :");
            sp(n->a, sb);
        }
        if (n->b) {
            cts_sb_puts(sb, " =");
            sp(n->b, sb);
        }
        if (n->flags & P_KWONLY) cts_sb_puts(sb, " kwonly");
        cts_sb_putc(sb, ')');
        break;
    }
    case S_CLASS:
        cts_sb_printf(sb, "(class %s ", n->str);
        params(n->list, n->nlist, sb);
        decorators(n, sb);
        cts_sb_putc(sb, ' ');
        block(n->list2, n->nlist2, sb);
        cts_sb_putc(sb, ')');
        break;
    case S_IMPORT: cts_sb_puts(sb, "(import"); each(n->list, n->nlist, sb); cts_sb_putc(sb, ')'); break;
    case S_IMPORTFROM:
        cts_sb_printf(sb, "(from %s", n->str);
        each(n->list, n->nlist, sb);
        cts_sb_putc(sb, ')');
        break;
    case A_ALIAS:
        if (n->str2) cts_sb_printf(sb, "(as %s %s)", n->str, n->str2);
        else cts_sb_puts(sb, n->str);
        break;
    case S_GLOBAL: case S_NONLOCAL:
        cts_sb_puts(sb, n->kind == S_GLOBAL ? "(global" : "(nonlocal");
        for (int i = 0; i < n->nnames; i++) cts_sb_printf(sb, " %s", n->names[i]);
        cts_sb_putc(sb, ')');
        break;
    case A_MODULE: cts_sb_puts(sb, "(module"); each(n->list, n->nlist, sb); cts_sb_putc(sb, ')'); break;
    default: cts_sb_printf(sb, "(?%d)", (int)n->kind); break;
    }
}

void cts_ast_dump(const ast *n, cts_strbuf *sb) { dump(n, sb); }
