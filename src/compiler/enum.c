/* enum.c - Enum classes in the language (`class Color(Enum): RED = 1`).
 *
 * An Enum class is a cts_class with is_enum set whose constants are its
 * members in declaration order (name, value); all values share one type,
 * int, float or str (PyTorch's EnumType value type).  A member at run time
 * is an object of the class with two slots, name and value (cv_enum_new).
 *
 * The emitter side replays sugared_value.cpp: `Color.RED` is a constant of
 * type Enum<...>, `x.name` / `x.value` are prim::EnumName / prim::EnumValue
 * nodes without a source range, and `for c in Color` iterates a constant
 * list of all members. */
#include <stdlib.h>
#include <string.h>

#include "../ops/schema_list.h"
#include "emit_internal.h"
#include "enum.h"

static void enum_free_const(void *p) {
    if (!p) return;
    cv_release(*(cv_value *)p);
    free(p);
}

/* a member value: an int, float or str literal, possibly negated */
static int member_value(const ast *x, const cts_source *src, cv_value *out, cts_err *err) {
    switch (x->kind) {
    case A_INT: *out = cv_int(x->ival); return 0;
    case A_FLOAT: *out = cv_float(x->fval); return 0;
    case A_STR: return cv_str_new(x->str, x->slen, out, err);
    case A_UNOP:
        if (x->op == T_MINUS && (x->a->kind == A_INT || x->a->kind == A_FLOAT)) {
            if (member_value(x->a, src, out, err)) return -1;
            if (out->tag == CV_INT) *out = cv_int((int64_t)(0u - (uint64_t)out->u.i));
            else *out = cv_float(-out->u.f);
            return 0;
        }
        break;
    default: break;
    }
    return cts_src_error(err, src, x->start, x->end,
                         "Enum member values must be int, float or str literals in cts");
}

cts_type *cts_enum_declare(cts_cu *cu, const char *qualname, const ast *c, const cts_source *src, cts_err *err) {
    cts_type *t = cts_type_class(qualname, false);
    if (!t) {
        cts_err_oom(err, "class", 0);
        return NULL;
    }
    t->cls->is_enum = true;
    t->cls->free_const = enum_free_const;
    if (cts_map_put(&cu->classes, t->cls->qualname, t)) {
        cts_type_release(t);
        cts_err_oom(err, "class", 0);
        return NULL;
    }
    cts_type_kind vk = TY_ANY;
    for (int i = 0; i < c->nlist2; i++) {
        const ast *s = c->list2[i];
        if (s->kind == S_PASS || (s->kind == S_EXPR && s->a->kind == A_STR)) continue;
        if (s->kind != S_ASSIGN || s->nlist != 1 || s->list[0]->kind != A_NAME) {
            cts_src_error(err, src, s->start, s->end, "Unsupported statement in Enum class %s: only `NAME = value` "
                          "members are supported", qualname);
            return NULL;
        }
        const char *name = s->list[0]->str;
        if (cts_class_find_const(t->cls, name) >= 0) {
            cts_src_error(err, src, s->start, s->end, "Enum member '%s' is defined twice", name);
            return NULL;
        }
        cv_value *v = malloc(sizeof *v);
        if (!v) {
            cts_err_oom(err, "enum", 0);
            return NULL;
        }
        if (member_value(s->a, src, v, err)) {
            free(v);
            return NULL;
        }
        cts_type_kind k = v->tag == CV_INT ? TY_INT : v->tag == CV_FLOAT ? TY_FLOAT : TY_STR;
        if (vk != TY_ANY && k != vk) {
            cv_release(*v);
            free(v);
            cts_src_error(err, src, s->start, s->end,
                          "Enum class %s mixes value types: TorchScript Enum values must all have one type "
                          "(int, float or str)", qualname);
            return NULL;
        }
        vk = k;
        if (cts_class_add_const(t->cls, name, cts_type_prim(k), v)) {
            cv_release(*v);
            free(v);
            cts_err_oom(err, "enum", 0);
            return NULL;
        }
    }
    return t;
}

cts_type *cts_enum_value_type(const cts_type *t) {
    if (t->kind != TY_CLASS || !t->cls->is_enum || t->cls->nconsts == 0) return NULL;
    return t->cls->consts[0].type;
}

int cts_enum_member(cts_type *t, int i, cv_value *out, cts_err *err) {
    const cts_class *c = t->cls;
    cv_value name;
    if (cv_str_from(c->consts[i].name, &name, err)) return -1;
    int r = cv_enum_new(t, name, *(const cv_value *)c->consts[i].value, out, err);
    cv_release(name);
    return r;
}

int cts_enum_from_value(cts_type *t, cv_value value, cv_value *out, cts_err *err) {
    if (t->kind != TY_CLASS || !t->cls->is_enum) return cts_err_set(err, "class '%s' is not an Enum",
                                                                    t->kind == TY_CLASS ? t->cls->qualname : "?");
    /* the pickler reduces a member as Class((value,)) */
    if (value.tag == CV_TUPLE && value.u.tu->len == 1) value = value.u.tu->items[0];
    for (int i = 0; i < t->cls->nconsts; i++) {
        cv_value mv = *(const cv_value *)t->cls->consts[i].value;
        if (mv.tag == value.tag && cv_equal(mv, value)) return cts_enum_member(t, i, out, err);
    }
    cts_strbuf sb;
    cts_sb_init(&sb);
    cv_repr(value, &sb);
    cts_err_set(err, "%s is not a valid %s", sb.oom ? "value" : cts_sb_str(&sb), t->cls->qualname);
    cts_sb_free(&sb);
    return -1;
}

/* ---- emitter side ---- */

static ir_value *enum_const(emitter *e, cts_type *t, int i, uint32_t start, uint32_t end) {
    cv_value m;
    if (cts_enum_member(t, i, &m, e->err)) em_fail(e);
    ir_value *v = em_const(e, m, start, end);
    cv_release(m);
    return v;
}

sv *em_enum_class_attr(emitter *e, cts_type *t, const char *field, uint32_t start, uint32_t end) {
    int i = cts_class_find_const(t->cls, field);
    if (i < 0) em_error(e, start, end, "'%s' is not a member of Enum %s", field, t->cls->qualname);
    return sv_simple(e, enum_const(e, t, i, start, end));
}

/* the schema named "name.overload" (parsed once per unit) */
static const cts_schema *find_schema(emitter *e, const char *name, const char *overload) {
    int idx[8];
    int n = cts_schema_find(name, idx, 8);
    if (n > 8) n = 8;
    for (int i = 0; i < n; i++) {
        const cts_schema *s = cts_cu_schema(e->cu, cts_schema_text(idx[i]), e->err);
        if (!s) em_fail(e);
        if (strcmp(s->overload, overload) == 0) return s;
    }
    cts_err_set(e->err, "internal error: no schema %s.%s", name, overload);
    em_fail(e);
}

sv *em_enum_value_attr(emitter *e, ir_value *v, const char *field, uint32_t start, uint32_t end) {
    cts_type *t = v->type;
    bool is_name = strcmp(field, "name") == 0;
    if (!is_name && strcmp(field, "value") != 0)
        em_error(e, start, end, "'%s' object has no attribute or method '%s'.", em_type_str(e, t), field);
    cts_type *vt = is_name ? T_STR : cts_enum_value_type(t);
    if (!vt) em_error(e, start, end, "Enum %s has no members, so it has no value type", t->cls->qualname);
    const char *ov = is_name ? "" : vt->kind == TY_INT ? "int" : vt->kind == TY_FLOAT ? "float" : "str";
    /* Graph::createEnumName / createEnumValue: inserted without a source range */
    ir_node *n = ir_insert(e->g, ir_create(e->g, is_name ? "prim::EnumName" : "prim::EnumValue", 1));
    n->schema = find_schema(e, is_name ? "prim::EnumName" : "prim::EnumValue", ov);
    ir_add_input(n, v);
    ir_set_type(n->outputs[0], vt);
    return sv_simple(e, n->outputs[0]);
}

sv *em_enum_iter(emitter *e, cts_type *t, uint32_t start, uint32_t end) {
    cv_value l;
    if (cv_list_new(t, (size_t)t->cls->nconsts, &l, e->err)) em_fail(e);
    for (int i = 0; i < t->cls->nconsts; i++) {
        cv_value m;
        if (cts_enum_member(t, i, &m, e->err) || cv_list_push(l.u.l, m, e->err)) {
            cv_release(l);
            em_fail(e);
        }
    }
    ir_value *v = em_const(e, l, start, end);
    cv_release(l);
    return sv_simple(e, v);
}
