/* ssa.c - ConvertToSSA: from prim::Store / prim::Load to SSA values.
 *
 * PyTorch's convert_to_ssa.cpp, in its order:
 *   1. control-flow loads/stores: every variable an if-branch or loop body
 *      assigns (and that is visible outside) becomes a block output / loop
 *      carried value, with a Load at the block end and a Store after the node;
 *   2. loop continuations: break / continue become prim::LoopContinuation;
 *   3. the loop condition block is inlined before the loop and at the end
 *      of the body;
 *   4. loads are replaced by the stored value in scope, loads and stores erased;
 *   5. exit transforms (passes/exits.c). */
#include <stdlib.h>
#include <string.h>

#include "../core/hashmap.h"
#include "passes.h"

/* ---- a tiny scoped environment: name -> pointer ---- */

typedef struct mini_env mini_env;
struct mini_env {
    cts_map table;
    mini_env *next;
};

static mini_env *env_push(ir_graph *g, mini_env *next) {
    mini_env *e = calloc(1, sizeof *e);
    if (!e) ir_oom(g);
    cts_map_init(&e->table);
    e->next = next;
    return e;
}

static void env_free(mini_env *e) {
    cts_map_free(&e->table);
    free(e);
}

static void *env_find_any(mini_env *e, const char *name) {
    for (; e; e = e->next) {
        void *v = cts_map_get(&e->table, name);
        if (v) return v;
    }
    return NULL;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* sorted names defined in this frame (MiniEnvironment::definedVariables) */
static const char **env_defined(ir_graph *g, mini_env *e, int *n) {
    const char **out = malloc((e->table.len + 1) * sizeof *out);
    if (!out) ir_oom(g);
    int k = 0;
    for (size_t i = 0; i < e->table.cap; i++)
        if (e->table.slots[i].key && e->table.slots[i].val) out[k++] = e->table.slots[i].key;
    qsort(out, (size_t)k, sizeof *out, cmp_str);
    *n = k;
    return out;
}

static void env_set(ir_graph *g, mini_env *e, const char *name, void *v) {
    if (cts_map_put(&e->table, name, v)) ir_oom(g);
}

/* ---- 1. control-flow loads and stores ---- */

typedef struct cfls {
    ir_graph *g;
    mini_env *env;
} cfls;

static ir_node *create_store(ir_graph *g, const char *name, ir_value *v) {
    ir_node *n = ir_create(g, "prim::Store", 0);
    n->attr_name = ir_intern(g, name);
    ir_add_input(n, v);
    return n;
}

static ir_node *create_load(ir_graph *g, const char *name, cts_type *t) {
    ir_node *n = ir_create(g, "prim::Load", 1);
    n->attr_name = ir_intern(g, name);
    ir_set_type(n->outputs[0], t);
    return n;
}

static bool meaningful(const char *name) {
    if (!name[0] || name[0] == '$') return false;
    if (name[0] != '_') return true;
    for (const char *p = name + 1; *p; p++)
        if (*p < '0' || *p > '9') return true;
    return false;
}

static void add_block_input(ir_graph *g, ir_block *b, cts_type *t, const char *name) {
    ir_value *in = ir_block_add_input(b, name);
    ir_set_type(in, t);
    ir_insert_after(create_store(g, name, in), b->param);
}

static void add_block_output(ir_graph *g, ir_block *b, cts_type *t, const char *name) {
    ir_node *l = create_load(g, name, t);
    ir_insert_before(l, b->ret);
    ir_block_register_output(b, l->outputs[0]);
}

static void add_node_output(ir_graph *g, ir_node *n, cts_type *t, const char *name) {
    ir_value *o = ir_add_output(n);
    ir_set_type(o, t);
    if (meaningful(name)) ir_set_name(o, name);
    ir_insert_after(create_store(g, name, o), n);
}

static void add_node_input(ir_graph *g, ir_node *n, cts_type *t, const char *name) {
    ir_node *l = create_load(g, name, t);
    ir_insert_before(l, n);
    ir_add_input(n, l->outputs[0]);
}

/* PyTorch's ControlFlowLoadStores unifies with default_to_union; the
 * result is a new reference */
static cts_type *unify(cts_type *a, cts_type *b) { return cts_type_unify(a, b, true); }

static mini_env *cf_block(cfls *c, ir_block *b);

static void cf_if(cfls *c, ir_node *n) {
    ir_block *tb = n->blocks[0], *fb = n->blocks[1];
    mini_env *tv = cf_block(c, tb);
    mini_env *fv = cf_block(c, fb);
    int nt, nf;
    const char **tn = env_defined(c->g, tv, &nt);
    const char **fnm = env_defined(c->g, fv, &nf);
    const char **mut = malloc((size_t)(nt + nf + 1) * sizeof *mut);
    if (!mut) ir_oom(c->g);
    int nm = 0;
    for (int i = 0; i < nt; i++)
        if (env_find_any(fv, tn[i])) mut[nm++] = tn[i];
    for (int i = 0; i < nf; i++)
        if (env_find_any(tv, fnm[i])) {
            bool dup = false;
            for (int j = 0; j < nm; j++)
                if (strcmp(mut[j], fnm[i]) == 0) dup = true;
            if (!dup) mut[nm++] = fnm[i];
        }
    qsort(mut, (size_t)nm, sizeof *mut, cmp_str);
    for (int i = 0; i < nm; i++) {
        cts_type *tt = env_find_any(tv, mut[i]), *ft = env_find_any(fv, mut[i]);
        cts_type *u = unify(tt, ft);
        if (!u) continue;
        add_block_output(c->g, tb, tt, mut[i]);
        add_block_output(c->g, fb, ft, mut[i]);
        add_node_output(c->g, n, u, mut[i]);
        cts_type_release(u);
    }
    free(tn);
    free(fnm);
    free(mut);
    env_free(tv);
    env_free(fv);
}

static void cf_loop(cfls *c, ir_node *n) {
    ir_block *body = n->blocks[0];
    mini_env *lv = cf_block(c, body);
    int nv;
    const char **names = env_defined(c->g, lv, &nv);
    for (int i = 0; i < nv; i++) {
        cts_type *parent = env_find_any(c->env, names[i]);
        if (!parent) continue;
        cts_type *bt = cts_map_get(&lv->table, names[i]);
        cts_type *u = unify(parent, bt);
        if (!u) {
            cts_type_retain(parent);
            u = parent;
        }
        add_node_input(c->g, n, parent, names[i]);
        add_block_input(c->g, body, u, names[i]);
        add_block_output(c->g, body, bt, names[i]);
        add_node_output(c->g, n, u, names[i]);
        cts_type_release(u);
    }
    free(names);
    env_free(lv);
}

static mini_env *cf_block(cfls *c, ir_block *b) {
    c->env = env_push(c->g, c->env);
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        switch (n->k) {
        case K_IF: cf_if(c, n); break;
        case K_LOOP: cf_loop(c, n); break;
        case K_CLOSURE:
            for (int i = 0; i < n->nblocks; i++) env_free(cf_block(c, n->blocks[i]));
            break;
        case K_STORE: env_set(c->g, c->env, n->attr_name, n->inputs[0]->type); break;
        case K_COMPREHENSIONSCOPE: env_free(cf_block(c, n->blocks[0])); break;
        default: break;
        }
    }
    mini_env *e = c->env;
    c->env = e->next;
    return e;
}

/* ---- 2. loop continuations ---- */

typedef struct lc {
    ir_graph *g;
    ir_value *false_val;
    ir_node *cur_loop;
} lc;

static void add_loop_carried_outputs(lc *c, ir_node *n) {
    ir_block *body = c->cur_loop->blocks[0];
    for (int i = 0; i < ir_block_noutputs(body); i++) {
        ir_value *out = ir_block_output(body, i);
        ir_node *load = out->node; /* a prim::Load */
        ir_node *nl = create_load(c->g, load->attr_name, load->outputs[0]->type);
        if (load->outputs[0]->name) ir_set_name(nl->outputs[0], load->outputs[0]->name);
        ir_insert_before(nl, n);
        ir_add_input(n, nl->outputs[0]);
    }
}

static void lc_block(lc *c, ir_block *b) {
    for (ir_node *n = ir_block_first(b); n != b->ret;) {
        ir_node *next = n->next;
        switch (n->k) {
        case K_IF:
            lc_block(c, n->blocks[0]);
            lc_block(c, n->blocks[1]);
            break;
        case K_LOOP: {
            ir_node *prev = c->cur_loop;
            c->cur_loop = n;
            lc_block(c, n->blocks[0]);
            c->cur_loop = prev;
            break;
        }
        case K_CONTINUESTMT: {
            ir_node *cont = ir_create(c->g, "prim::LoopContinuation", 0);
            ir_insert_after(cont, n);
            ir_block *header = ir_add_block(cont);
            ir_block_clone_from(header, c->cur_loop->blocks[1]);
            /* inline the header before the continue statement */
            for (ir_node *h = ir_block_first(header); h != header->ret;) {
                ir_node *hn = h->next;
                ir_move_before(h, n);
                h = hn;
            }
            ir_add_input(cont, ir_block_output(header, 0));
            ir_erase_block(cont, 0);
            add_loop_carried_outputs(c, cont);
            ir_destroy(n);
            break;
        }
        case K_BREAKSTMT: {
            ir_node *ex = ir_create(c->g, "prim::LoopContinuation", 0);
            ir_insert_after(ex, n);
            ir_add_input(ex, c->false_val);
            add_loop_carried_outputs(c, ex);
            ir_destroy(n);
            break;
        }
        default: break;
        }
        n = next;
    }
}

/* ---- 3. inline loop conditions ---- */

static void inline_loop_condition(ir_graph *g, ir_node *n) {
    ir_block *body = n->blocks[0];
    ir_block *pre_header = n->blocks[1];
    ir_block *header = ir_add_block(n);
    ir_block_clone_from(header, pre_header);
    for (ir_node *h = ir_block_first(header); h != header->ret;) {
        ir_node *hn = h->next;
        ir_move_before(h, n);
        h = hn;
    }
    ir_insert_input(n, 1, ir_block_output(header, 0));
    ir_erase_block(n, 2);
    /* move the pre-header into the end of the body */
    for (ir_node *h = ir_block_first(pre_header); h != pre_header->ret;) {
        ir_node *hn = h->next;
        ir_move_before(h, body->ret);
        h = hn;
    }
    ir_insert_input(body->ret, 0, ir_block_output(pre_header, 0));
    ir_erase_block(n, 1);
    (void)g;
}

static void inline_loop_conditions(ir_graph *g, ir_block *b) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        for (int i = 0; i < n->nblocks; i++) inline_loop_conditions(g, n->blocks[i]);
        if (n->k == K_LOOP) inline_loop_condition(g, n);
    }
}

/* ---- 4. erase loads and stores ---- */

static void erase_block(ir_graph *g, ir_block *b, mini_env *parent) {
    mini_env *e = env_push(g, parent);
    for (ir_node *n = ir_block_first(b); n != b->ret;) {
        ir_node *next = n->next;
        switch (n->k) {
        case K_STORE:
            env_set(g, e, n->attr_name, n->inputs[0]);
            ir_destroy(n);
            break;
        case K_LOAD: {
            ir_value *v = env_find_any(e, n->attr_name);
            /* A load of a name no frame set means the emitter went wrong:
             * keep the node (its uses stay valid) so that lowering reports
             * prim::Load as unsupported instead of leaving dangling uses. */
            if (!v) break;
            ir_replace_all_uses(n->outputs[0], v);
            ir_destroy(n);
            break;
        }
        case K_COMPREHENSIONSCOPE: {
            ir_block *body = n->blocks[0];
            erase_block(g, body, e);
            for (ir_node *x = ir_block_first(body); x != body->ret;) {
                ir_node *xn = x->next;
                ir_move_before(x, n);
                x = xn;
            }
            ir_destroy(n);
            break;
        }
        default:
            for (int i = 0; i < n->nblocks; i++) erase_block(g, n->blocks[i], e);
        }
        n = next;
    }
    env_free(e);
}

/* ---- CanonicalizeModifiedLoops: a loop with both a trip count and a
 * condition (a for loop with break or return) becomes a while loop with an
 * explicit counter, as PyTorch does so it can be printed as Python ---- */

static bool const_bool(const ir_value *v, bool *out) {
    if (v->node->k != K_CONSTANT || !v->node->has_value || v->node->value.tag != CV_BOOL) return false;
    *out = v->node->value.u.b;
    return true;
}

static bool is_max_int(const ir_value *v) {
    return v->node->k == K_CONSTANT && v->node->has_value && v->node->value.tag == CV_INT &&
           v->node->value.u.i == INT64_MAX;
}

static ir_value *insert_op2(ir_graph *g, const char *kind, const char *schema_key, ir_value *a, ir_value *b,
                            cts_type *rt, const cts_schema *schema) {
    (void)schema_key;
    ir_node *n = ir_create(g, kind, 1);
    n->schema = schema;
    ir_add_input(n, a);
    ir_add_input(n, b);
    ir_set_type(n->outputs[0], rt);
    ir_insert(g, n);
    return n->outputs[0];
}

static void canonicalize_modified_loop(ir_graph *g, ir_node *n, const cts_schema *const *sch) {
    ir_block *body = n->blocks[0];
    bool ci, cn;
    bool always_true = const_bool(n->inputs[1], &ci) && ci && const_bool(ir_block_output(body, 0), &cn) && cn;
    bool trip_specified = !is_max_int(n->inputs[0]);
    if (always_true || !trip_specified) return; /* For or While */
    ir_node *saved = g->insert_before;
    g->insert_before = n;
    ir_value *zero = ir_insert_constant(g, cv_int(0), NULL, 0, 0);
    ir_value *one = ir_insert_constant(g, cv_int(1), NULL, 0, 0);
    ir_value *max_int = ir_insert_constant(g, cv_int(INT64_MAX), NULL, 0, 0);
    ir_value *max_trip = n->inputs[0];
    ir_value *cond = insert_op2(g, "aten::gt", NULL, max_trip, zero, T_BOOL, sch[0]);
    ir_replace_input(n, 0, max_int);
    bool ic;
    if (!const_bool(n->inputs[1], &ic) || !ic) cond = insert_op2(g, "aten::__and__", NULL, cond, n->inputs[1], T_BOOL, sch[1]);
    ir_replace_input(n, 1, cond);
    ir_set_type(ir_add_output(n), T_INT);
    ir_add_input(n, zero);
    ir_value *new_iter = ir_block_add_input(body, NULL);
    ir_set_type(new_iter, T_INT);
    ir_value *trip = ir_block_input(body, 0);
    ir_set_name(trip, NULL);
    ir_replace_all_uses(trip, new_iter);
    g->insert_before = body->ret;
    ir_value *inc = insert_op2(g, "aten::add", NULL, new_iter, one, T_INT, sch[2]);
    ir_block_register_output(body, inc);
    ir_value *lt = insert_op2(g, "aten::lt", NULL, inc, max_trip, T_BOOL, sch[3]);
    ir_value *next = ir_block_output(body, 0);
    ir_value *nc = insert_op2(g, "aten::__and__", NULL, lt, next, T_BOOL, sch[1]);
    ir_block_erase_output(body, 0);
    ir_insert_input(body->ret, 0, nc);
    g->insert_before = saved;
}

static void canonicalize_modified_loops(ir_graph *g, ir_block *b, const cts_schema *const *sch) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        for (int i = 0; i < n->nblocks; i++) canonicalize_modified_loops(g, n->blocks[i], sch);
        if (n->k == K_LOOP) canonicalize_modified_loop(g, n, sch);
    }
}

void cts_pass_canonicalize_modified_loops(ir_graph *g, const cts_schema *const *schemas) {
    canonicalize_modified_loops(g, g->block, schemas);
}

int cts_pass_convert_to_ssa(ir_graph *g, cts_err *err) {
    (void)err;
    cfls c = {g, NULL};
    env_free(cf_block(&c, g->block));
    lc l = {g, NULL, NULL};
    ir_node *saved = g->insert_before;
    g->insert_before = ir_block_first(g->block);
    l.false_val = ir_insert_constant(g, cv_bool(false), NULL, 0, 0);
    g->insert_before = saved;
    lc_block(&l, g->block);
    inline_loop_conditions(g, g->block);
    erase_block(g, g->block, NULL);
    cts_pass_transform_exits(g);
    return 0;
}
