/* ir_print.c - graphs printed as PyTorch's `print(graph)` does. */
#include "ir.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void ir_print_value_name(const ir_value *v, cts_strbuf *sb) {
    if (v->name) cts_sb_printf(sb, "%%%s", v->name);
    else cts_sb_printf(sb, "%%%d", v->id);
}

static void print_value_list(const ir_value *const *vs, int n, cts_strbuf *sb) {
    for (int i = 0; i < n; i++) {
        if (i) cts_sb_puts(sb, ", ");
        ir_print_value_name(vs[i], sb);
    }
}

static void print_typed_list(ir_value *const *vs, int n, cts_strbuf *sb) {
    for (int i = 0; i < n; i++) {
        if (i) cts_sb_puts(sb, ", ");
        ir_print_value_name(vs[i], sb);
        cts_sb_puts(sb, " : ");
        cts_type_str_ir(vs[i]->type, sb);
    }
}

/* ostream's default formatting of a double: %g with 6 significant digits */
static void print_ostream_double(double d, cts_strbuf *sb) {
    if (isnan(d)) cts_sb_puts(sb, signbit(d) ? "-nan" : "nan");
    else if (isinf(d)) cts_sb_puts(sb, d < 0 ? "-inf" : "inf");
    else cts_sb_printf(sb, "%g", d);
}

static void print_tensor_attr(const ct_tensor *t, cts_strbuf *sb) {
    if (!t) {
        cts_sb_puts(sb, "<Tensor>");
        return;
    }
    int64_t n = ct_numel(t);
    if (n == 1) {
        /* a single element: `{0.5}` */
        const char *p = ct_data(t);
        cts_sb_putc(sb, '{');
        if (ct_dtype_is_float(t->dtype)) print_ostream_double(ct_load_f64(p, t->dtype), sb);
        else cts_sb_printf(sb, "%lld", (long long)ct_load_i64(p, t->dtype));
        cts_sb_putc(sb, '}');
        return;
    }
    cts_sb_puts(sb, "<Tensor>");
}

static void print_attr_value(const ir_node *n, cts_strbuf *sb) {
    cv_value v = n->value;
    switch (v.tag) {
    case CV_BOOL: cts_sb_printf(sb, "%d", v.u.b ? 1 : 0); break;
    case CV_INT: cts_sb_printf(sb, "%lld", (long long)v.u.i); break;
    case CV_FLOAT: cv_float_repr(v.u.f, sb); break;
    case CV_STR: cv_str_quote(v.u.s->data, v.u.s->len, sb); break;
    case CV_DEVICE: {
        cts_strbuf d;
        cts_sb_init(&d);
        cv_repr(v, &d);
        cts_sb_printf(sb, "\"%s\"", cts_sb_str(&d));
        cts_sb_free(&d);
        break;
    }
    case CV_TENSOR: print_tensor_attr(v.u.t, sb); break;
    case CV_LIST:
        /* IValue's printer annotates a list whose element type its items
         * cannot tell: an empty one, or one of optionals (printMaybeAnnotatedList) */
        if (v.u.l->elem && (v.u.l->len == 0 || v.u.l->elem->kind == TY_OPTIONAL)) {
            cts_sb_puts(sb, "annotate(List[");
            cts_type_str_annot(v.u.l->elem, sb);
            cts_sb_puts(sb, "], ");
            cv_repr(v, sb);
            cts_sb_putc(sb, ')');
            break;
        }
        cv_repr(v, sb);
        break;
    default: cv_repr(v, sb); break;
    }
}

static void print_attrs(const ir_node *n, cts_strbuf *sb) {
    bool any = false;
#define SEP() (cts_sb_puts(sb, any ? ", " : "["), any = true)
    if (n->k == K_CONSTANT && n->has_value) {
        SEP();
        cts_sb_puts(sb, "value=");
        print_attr_value(n, sb);
    }
    if (n->k == K_CONSTANT && n->fn) {
        SEP();
        cts_sb_printf(sb, "name=\"%s\"", n->attr_name ? n->attr_name : "");
    } else if (n->attr_name) {
        SEP();
        cts_sb_printf(sb, "name=\"%s\"", n->attr_name);
    }
    if (n->ntypes) {
        SEP();
        cts_sb_puts(sb, "types=[");
        for (int i = 0; i < n->ntypes; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cts_type_str_ir(n->types[i], sb);
        }
        cts_sb_putc(sb, ']');
    }
    if (n->warn_id) {
        SEP();
        cts_sb_printf(sb, "warn_id=%d", n->warn_id);
    }
#undef SEP
    if (any) cts_sb_putc(sb, ']');
}

static void indent(cts_strbuf *sb, int level) {
    for (int i = 0; i < level; i++) cts_sb_puts(sb, "  ");
}

static void print_block(const ir_block *b, cts_strbuf *sb, int level, bool with_source);

static void print_node(const ir_node *n, cts_strbuf *sb, int level, bool with_source) {
    indent(sb, level);
    print_typed_list(n->outputs, n->noutputs, sb);
    cts_sb_puts(sb, n->noutputs ? " = " : " = ");
    cts_sb_puts(sb, n->kind);
    print_attrs(n, sb);
    cts_sb_putc(sb, '(');
    print_value_list((const ir_value *const *)n->inputs, n->ninputs, sb);
    cts_sb_putc(sb, ')');
    if (with_source && n->src && n->src->name) {
        int line, col;
        cts_src_linecol(n->src, n->src_start, &line, &col);
        cts_sb_printf(sb, " # %s:%d:%d", n->src->name, line, col);
    }
    cts_sb_putc(sb, '\n');
    for (int i = 0; i < n->nblocks; i++) {
        const ir_block *b = n->blocks[i];
        indent(sb, level + 1);
        cts_sb_printf(sb, "block%d(", i);
        print_typed_list(b->param->outputs, b->param->noutputs, sb);
        cts_sb_puts(sb, "):\n");
        print_block(b, sb, level + 2, with_source);
        indent(sb, level + 2);
        cts_sb_puts(sb, "-> (");
        print_value_list((const ir_value *const *)b->ret->inputs, b->ret->ninputs, sb);
        cts_sb_puts(sb, ")\n");
    }
}

static void print_block(const ir_block *b, cts_strbuf *sb, int level, bool with_source) {
    for (const ir_node *n = b->param->next; n != b->ret; n = n->next) print_node(n, sb, level, with_source);
}

void ir_print_graph(const ir_graph *g, cts_strbuf *sb, bool with_source) {
    const ir_block *b = g->block;
    cts_sb_puts(sb, "graph(");
    for (int i = 0; i < b->param->noutputs; i++) {
        if (i) cts_sb_puts(sb, ",\n      ");
        ir_value *v = b->param->outputs[i];
        ir_print_value_name(v, sb);
        cts_sb_puts(sb, " : ");
        cts_type_str_ir(v->type, sb);
    }
    cts_sb_puts(sb, "):\n");
    print_block(b, sb, 1, with_source);
    cts_sb_puts(sb, "  return (");
    print_value_list((const ir_value *const *)b->ret->inputs, b->ret->ninputs, sb);
    cts_sb_puts(sb, ")\n");
}
