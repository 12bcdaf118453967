/* exits.c - TransformExits: returns, breaks and continues to structured flow.
 *
 * PyTorch's exit_transforms.cpp: prim::ReturnStmt and
 * prim::LoopContinuation are removed; a block that might have exited guards
 * everything after it with an If on a "has exited" flag; a block that will
 * exit drops what follows; values flow out as block outputs. */
#include <stdlib.h>
#include <string.h>

#include "passes.h"

typedef enum { WILL, MIGHT, WONT, THROWS } exit_status;

typedef struct exit_pair {
    ir_value *has_exited;
    ir_value **vals;
    int n;
} exit_pair;

typedef struct xf {
    ir_graph *g;
    const char *exit_kind;   /* "prim::ReturnStmt" or "prim::LoopContinuation" */
    ir_kind exit_k;
    ir_value *true_val, *false_val, *throws_val;
    ir_block *target;
    /* one uninitialized value per type */
    cts_type **unit_types;
    ir_value **unit_vals;
    int nunits, cap_units;
} xf;

static ir_value *unit_value(xf *x, cts_type *t) {
    for (int i = 0; i < x->nunits; i++)
        if (cts_type_equal(x->unit_types[i], t)) return x->unit_vals[i];
    ir_node *u = ir_create(x->g, "prim::Uninitialized", 1);
    ir_set_type(u->outputs[0], t);
    ir_insert_after(u, x->g->block->param);
    if (x->nunits == x->cap_units) {
        int nc = x->cap_units ? x->cap_units * 2 : 8;
        cts_type **a = realloc(x->unit_types, (size_t)nc * sizeof *a);
        if (!a) ir_oom(x->g);
        x->unit_types = a;
        ir_value **b = realloc(x->unit_vals, (size_t)nc * sizeof *b);
        if (!b) ir_oom(x->g);
        x->unit_vals = b;
        x->cap_units = nc;
    }
    x->unit_types[x->nunits] = t;
    x->unit_vals[x->nunits++] = u->outputs[0];
    return u->outputs[0];
}

static exit_pair pair(ir_value *h, ir_value **vals, int n) {
    exit_pair p = {h, NULL, n};
    if (n) {
        p.vals = malloc((size_t)n * sizeof *p.vals);
        if (p.vals) memcpy(p.vals, vals, (size_t)n * sizeof *vals);
        else p.n = 0;
    }
    return p;
}

static void pair_free(exit_pair *p) {
    free(p->vals);
    p->vals = NULL;
    p->n = 0;
}

static exit_status status(xf *x, exit_pair *p) {
    if (p->has_exited == x->true_val) return WILL;
    if (p->has_exited == x->false_val) return WONT;
    if (p->has_exited == x->throws_val) return THROWS;
    return MIGHT;
}

/* ExitTransforms' addIfOutputs: unifyTypes(t, f, default_to_union=true),
 * so `return x` / `return None` make an `int?` output */
static void add_if_outputs(ir_node *n, ir_value **t, ir_value **f, int k) {
    for (int i = 0; i < k; i++) {
        ir_block_register_output(n->blocks[0], t[i]);
        ir_block_register_output(n->blocks[1], f[i]);
        cts_type *u = cts_type_unify(t[i]->type, f[i]->type, true);
        ir_set_type(ir_add_output(n), u);
        cts_type_release(u);
    }
}

static void replace_block_outputs(ir_block *b, ir_value **outs, int k) {
    while (ir_block_noutputs(b)) ir_block_erase_output(b, 0);
    for (int i = 0; i < k; i++) ir_block_register_output(b, outs[i]);
}

static exit_pair transform_block(xf *x, ir_block *b);

/* ---- prim::With blocks ----
 * For the transform, PyTorch wraps each prim::Enter ... prim::Exit pair in
 * a prim::With node (convertEnterExitNodesToWithBlocks): the nodes between
 * them form its body block, the Exit its exit block.  Exits in the body are
 * the With's, so an early return or break leaves the prim::Exit in place;
 * afterwards the nodes are moved back out (convertWithBlocksToEnterExitNodes). */

static bool is_with(const ir_node *n) { return n->k == K_OP && !n->schema && strcmp(n->kind, "prim::With") == 0; }

typedef struct node_vec {
    ir_node **items;
    int n, cap;
} node_vec;

static void vec_push(ir_graph *g, node_vec *v, ir_node *n) {
    if (v->n == v->cap) {
        int nc = v->cap ? v->cap * 2 : 16;
        ir_node **a = realloc(v->items, (size_t)nc * sizeof *a);
        if (!a) ir_oom(g);
        v->items = a;
        v->cap = nc;
    }
    v->items[v->n++] = n;
}

/* depth first, in graph order (DepthFirstGraphNodeIterator): the Exit of
 * each pair closes the innermost open Enter; pairs are recorded innermost
 * first.  Unmatched nodes are left alone. */
static void find_enter_exit_pairs(ir_graph *g, ir_block *b, node_vec *open, node_vec *pairs) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        if (n->k == K_ENTER) {
            vec_push(g, open, n);
        } else if (n->k == K_EXIT && open->n && open->items[open->n - 1]->ninputs && n->ninputs &&
                   open->items[open->n - 1]->inputs[0] == n->inputs[0]) {
            vec_push(g, pairs, open->items[--open->n]);
            vec_push(g, pairs, n);
        }
        for (int i = 0; i < n->nblocks; i++) find_enter_exit_pairs(g, n->blocks[i], open, pairs);
    }
}

static void enter_exit_to_with(ir_graph *g) {
    node_vec open = {0}, pairs = {0};
    find_enter_exit_pairs(g, g->block, &open, &pairs);
    for (int i = 0; i + 1 < pairs.n; i += 2) {
        ir_node *enter = pairs.items[i], *ex = pairs.items[i + 1];
        if (enter->owner != ex->owner) continue; /* not emitted as a pair */
        ir_node *with = ir_create(g, "prim::With", 0);
        ir_block *body = ir_add_block(with), *exit_block = ir_add_block(with);
        for (ir_node *cur = enter->next; cur != ex;) {
            ir_node *next = cur->next;
            ir_move_before(cur, body->ret);
            cur = next;
        }
        ir_move_before(ex, exit_block->ret);
        ir_insert_after(with, enter);
    }
    free(open.items);
    free(pairs.items);
}

static void find_withs(ir_graph *g, ir_block *b, node_vec *out) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        if (is_with(n)) vec_push(g, out, n);
        for (int i = 0; i < n->nblocks; i++) find_withs(g, n->blocks[i], out);
    }
}

static void with_to_enter_exit(ir_graph *g) {
    node_vec withs = {0};
    find_withs(g, g->block, &withs);
    for (int i = 0; i < withs.n; i++) {
        ir_node *with = withs.items[i], *cur = with->prev;
        for (int b = 0; b < 2; b++) {
            ir_block *blk = with->blocks[b];
            for (ir_node *n = ir_block_first(blk); n != blk->ret;) {
                ir_node *next = n->next;
                ir_move_after(n, cur);
                cur = n;
                n = next;
            }
        }
        ir_destroy(with);
    }
    free(withs.items);
}

static exit_pair transform_if(xf *x, ir_node *n) {
    exit_pair tp = transform_block(x, n->blocks[0]);
    exit_pair fp = transform_block(x, n->blocks[1]);
    exit_status ts = status(x, &tp), fs = status(x, &fp);
    exit_status is;
    if (ts == THROWS) is = fs;
    else if (fs == THROWS) is = ts;
    else if (ts == WONT && fs == WONT) is = WONT;
    else if (ts == WILL && fs == WILL) is = WILL;
    else is = MIGHT;
    if (is == THROWS || is == WONT) {
        pair_free(&tp);
        pair_free(&fp);
        return pair(is == THROWS ? x->throws_val : x->false_val, NULL, 0);
    }
    if (ts == WONT || ts == THROWS) {
        ir_value **u = malloc((size_t)(fp.n + 1) * sizeof *u);
        if (!u) ir_oom(x->g);
        for (int i = 0; i < fp.n; i++) u[i] = unit_value(x, fp.vals[i]->type);
        free(tp.vals);
        tp.vals = u;
        tp.n = fp.n;
    } else if (fs == WONT || fs == THROWS) {
        ir_value **u = malloc((size_t)(tp.n + 1) * sizeof *u);
        if (!u) ir_oom(x->g);
        for (int i = 0; i < tp.n; i++) u[i] = unit_value(x, tp.vals[i]->type);
        free(fp.vals);
        fp.vals = u;
        fp.n = tp.n;
    }
    ir_value *has_exited;
    if (is == WILL) {
        has_exited = x->true_val;
    } else {
        add_if_outputs(n, &tp.has_exited, &fp.has_exited, 1);
        has_exited = n->outputs[n->noutputs - 1];
    }
    add_if_outputs(n, tp.vals, fp.vals, tp.n);
    int k = tp.n;
    exit_pair r = pair(has_exited, n->outputs + n->noutputs - k, k);
    pair_free(&tp);
    pair_free(&fp);
    return r;
}

static exit_pair transform_loop(xf *x, ir_node *n) {
    ir_block *body = n->blocks[0];
    exit_pair p = transform_block(x, body);
    exit_status s = status(x, &p);
    if (s == WONT || s == THROWS) {
        pair_free(&p);
        return pair(x->false_val, NULL, 0);
    }
    ir_node *saved = x->g->insert_before;
    x->g->insert_before = body->ret;
    ir_node *nif = ir_insert(x->g, ir_create(x->g, "prim::If", 0));
    x->g->insert_before = saved;
    ir_add_input(nif, p.has_exited);
    ir_block_register_output(ir_add_block(nif), x->false_val);
    ir_block_register_output(ir_add_block(nif), ir_block_output(body, 0));
    ir_value *new_cond = ir_add_output(nif);
    ir_set_type(new_cond, T_BOOL);
    ir_block_erase_output(body, 0);
    ir_insert_input(body->ret, 0, new_cond);
    ir_add_input(n, x->false_val);
    ir_value *bi = ir_block_add_input(body, NULL);
    ir_set_type(bi, T_BOOL);
    ir_block_register_output(body, p.has_exited);
    ir_value *new_has_exited = ir_add_output(n);
    ir_set_type(new_has_exited, T_BOOL);
    for (int i = 0; i < p.n; i++) {
        cts_type *t = p.vals[i]->type;
        ir_add_input(n, unit_value(x, t));
        ir_set_type(ir_add_output(n), t);
        ir_value *in = ir_block_add_input(body, NULL);
        ir_set_type(in, t);
        ir_block_register_output(body, p.vals[i]);
    }
    int k = p.n;
    exit_pair r = pair(new_has_exited, n->outputs + n->noutputs - k, k);
    pair_free(&p);
    return r;
}

static void destroy_after_exit(xf *x, ir_node *n) {
    for (int i = 0; i < n->noutputs; i++)
        if (n->outputs[i]->nuses) ir_replace_all_uses(n->outputs[i], unit_value(x, n->outputs[i]->type));
    ir_destroy(n);
}

static void delete_after_exit(xf *x, ir_block *b, ir_node *from) {
    if (from == b->ret) return;
    /* destroy in reverse so nodes have no uses when destroyed */
    for (ir_node *n = b->ret->prev; n != from;) {
        ir_node *p = n->prev;
        destroy_after_exit(x, n);
        n = p;
    }
    destroy_after_exit(x, from);
}

static exit_pair guard_block_nodes(xf *x, ir_block *b, exit_pair *ep, ir_node *from) {
    ir_node *nif = ir_create(x->g, "prim::If", 0);
    ir_insert_before(nif, from);
    ir_add_input(nif, ep->has_exited);
    ir_block *exit_block = ir_add_block(nif);
    ir_block *guard = ir_add_block(nif);
    for (ir_node *n = from; n != b->ret;) {
        ir_node *next = n->next;
        ir_move_before(n, guard->ret);
        n = next;
    }
    int k = ir_block_noutputs(b);
    for (int i = 0; i < k; i++) {
        ir_block_register_output(exit_block, unit_value(x, ir_block_output(b, i)->type));
        ir_block_register_output(guard, ir_block_output(b, i));
        ir_set_type(ir_add_output(nif), ir_block_output(b, i)->type);
    }
    while (ir_block_noutputs(b)) ir_block_erase_output(b, 0);
    for (int i = 0; i < nif->noutputs; i++) ir_block_register_output(b, nif->outputs[i]);
    ir_node *ex = ir_create(x->g, x->exit_kind, 0);
    for (int i = 0; i < ep->n; i++) ir_add_input(ex, ep->vals[i]);
    ir_insert_before(ex, exit_block->ret);
    return transform_if(x, nif);
}

static void update_target(xf *x, ir_block *b) {
    ir_node *owner = b->owning_node;
    if (owner && owner->k == K_LOOP && x->exit_k == K_LOOPCONTINUATION) x->target = b;
    else if ((!owner || owner->k == K_CLOSURE) && x->exit_k == K_RETURNSTMT) x->target = b;
}

static exit_pair transform_block(xf *x, ir_block *b) {
    ir_block *prev_target = x->target;
    update_target(x, b);
    exit_pair ep = pair(x->false_val, NULL, 0);
    for (ir_node *n = ir_block_first(b); n != b->ret;) {
        ir_node *next = n->next;
        switch (n->k) {
        case K_RAISE:
            pair_free(&ep);
            ep = pair(x->throws_val, NULL, 0);
            break;
        case K_RETURNSTMT:
        case K_LOOPCONTINUATION:
            if (n->k == x->exit_k) {
                pair_free(&ep);
                ep = pair(x->true_val, n->inputs, n->ninputs);
                ir_destroy(n);
            }
            break;
        case K_IF:
            pair_free(&ep);
            ep = transform_if(x, n);
            break;
        case K_CLOSURE: {
            exit_pair c = transform_block(x, n->blocks[0]);
            pair_free(&c);
            break;
        }
        case K_LOOP:
            pair_free(&ep);
            ep = transform_loop(x, n);
            break;
        default:
            if (is_with(n)) { /* transformWith: the body's exits are the With's */
                pair_free(&ep);
                ep = transform_block(x, n->blocks[0]);
            }
            break;
        }
        exit_status s = status(x, &ep);
        if (s == WILL || s == THROWS) {
            delete_after_exit(x, b, next);
            break;
        }
        if (s == MIGHT) {
            if (next != b->ret) {
                exit_pair g = guard_block_nodes(x, b, &ep, next);
                pair_free(&ep);
                ep = g;
            }
            break;
        }
        n = next;
    }
    if (x->target == b) {
        exit_status s = status(x, &ep);
        if (s == MIGHT) {
            ir_node *nif = ir_create(x->g, "prim::If", 0);
            ir_insert_before(nif, b->ret);
            ir_add_block(nif);
            ir_add_block(nif);
            ir_add_input(nif, ep.has_exited);
            int k = ir_block_noutputs(b);
            ir_value **cur = malloc((size_t)(k + 1) * sizeof *cur);
            if (!cur) ir_oom(x->g);
            for (int i = 0; i < k; i++) cur[i] = ir_block_output(b, i);
            add_if_outputs(nif, ep.vals, cur, ep.n);
            free(cur);
            replace_block_outputs(b, nif->outputs, nif->noutputs);
        } else if (s == WILL) {
            replace_block_outputs(b, ep.vals, ep.n);
        }
        pair_free(&ep);
        ep = pair(x->false_val, NULL, 0);
    }
    x->target = prev_target;
    return ep;
}

static void run(ir_graph *g, const char *kind, ir_kind k) {
    xf x;
    memset(&x, 0, sizeof x);
    x.g = g;
    x.exit_kind = kind;
    x.exit_k = k;
    ir_node *saved = g->insert_before;
    g->insert_before = ir_block_first(g->block);
    x.true_val = ir_insert_constant(g, cv_bool(true), NULL, 0, 0);
    x.false_val = ir_insert_constant(g, cv_bool(false), NULL, 0, 0);
    g->insert_before = saved;
    x.throws_val = unit_value(&x, T_BOOL);
    exit_pair p = transform_block(&x, g->block);
    pair_free(&p);
    free(x.unit_types);
    free(x.unit_vals);
}

/* uses of first's outputs anywhere in b (nested blocks included) become
 * the matching outputs of fb: the value_map of Block::cloneFrom, which
 * applies to the nodes of nested blocks as well */
static void remap_first_if_outputs(ir_block *b, ir_node *first, ir_block *fb) {
    for (ir_node *c = ir_block_first(b);; c = c->next) {
        for (int j = 0; j < c->ninputs; j++)
            if (c->inputs[j]->node == first) ir_replace_input(c, j, ir_block_output(fb, c->inputs[j]->offset));
        if (c == b->ret) break;
        for (int i = 0; i < c->nblocks; i++) remap_first_if_outputs(c->blocks[i], first, fb);
    }
}

/* if x: return 1 / return 2 as one If (inlineConsecutiveIfs) */
static bool inline_consecutive_ifs(ir_node *n) {
    if (n->k != K_IF || n->next->k != K_IF) return false;
    ir_node *second = n->next;
    ir_value *cond = second->inputs[0];
    if (cond->node != n) return false;
    int off = cond->offset;
    ir_value *tv = ir_block_output(n->blocks[0], off), *fv = ir_block_output(n->blocks[1], off);
    if (tv->node->k != K_CONSTANT || fv->node->k != K_CONSTANT || !tv->node->has_value || !fv->node->has_value ||
        tv->node->value.tag != CV_BOOL || fv->node->value.tag != CV_BOOL || tv->node->value.u.b == fv->node->value.u.b)
        return false;
    bool then_value = tv->node->value.u.b, else_value = fv->node->value.u.b;
    for (int i = 0; i < 2; i++) {
        ir_block *fb = n->blocks[i];
        ir_block *sb = (i == 0 ? then_value : else_value) ? second->blocks[0] : second->blocks[1];
        /* clone sb's nodes into the end of fb, mapping uses of n's outputs to fb's outputs */
        ir_block *tmp = ir_add_block(n);
        ir_block_clone_from(tmp, sb);
        remap_first_if_outputs(tmp, n, fb);
        for (ir_node *c = ir_block_first(tmp); c != tmp->ret;) {
            ir_node *cn = c->next;
            ir_move_before(c, fb->ret);
            c = cn;
        }
        for (int j = 0; j < ir_block_noutputs(tmp); j++) ir_block_register_output(fb, ir_block_output(tmp, j));
        ir_erase_block(n, n->nblocks - 1);
    }
    for (int i = 0; i < second->noutputs; i++) {
        ir_value *o = ir_add_output(n);
        ir_set_type(o, second->outputs[i]->type);
        if (second->outputs[i]->name) ir_set_name(o, second->outputs[i]->name);
        ir_replace_all_uses(second->outputs[i], o);
    }
    ir_destroy(second);
    return true;
}

static void inline_consecutive_ifs_block(ir_block *b) {
    for (ir_node *n = ir_block_first(b); n != b->ret;) {
        for (int i = 0; i < n->nblocks; i++) inline_consecutive_ifs_block(n->blocks[i]);
        if (!inline_consecutive_ifs(n)) n = n->next;
    }
}

void cts_pass_transform_exits(ir_graph *g) {
    enter_exit_to_with(g);
    run(g, "prim::LoopContinuation", K_LOOPCONTINUATION);
    run(g, "prim::ReturnStmt", K_RETURNSTMT);
    inline_consecutive_ifs_block(g->block);
    with_to_enter_exit(g);
}
