/* fuse_conv.c - a convolution's residual add and activation fused into its epilogue.
 *
 *     y = conv(x, W, b)            (non-transposed, numeric padding)
 *     y = aten::add_(y, r, 1)      optional: the residual, in place
 *     y = relu / relu6 / hardtanh(y, lo, hi) / clamp(y, lo, hi) / hardswish /
 *         hardsigmoid (each also in place)
 *
 * becomes one cts::conv_act(x, W, b, stride, padding, dilation, groups,
 * unbatched, r, act, lo, hi), which adds r, clamps to [lo, hi] and applies
 * act (ops/act.h) as each run of outputs is written (ops/conv.c).  Each intermediate must be used only by the
 * next step; nothing between the convolution and the last fused node may
 * write anything (the fused node runs where the last one was).  The add is
 * fused only in place: it writes into the convolution's fresh float32
 * result, which is exactly what the epilogue computes. */
#include <math.h>
#include <string.h>

#include "../compiler/cu.h"
#include "../ops/act.h"
#include "passes.h"

#define CONV_ACT_SCHEMA                                                                                            \
    "cts::conv_act(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, int " \
    "groups, bool unbatched, Tensor? residual, int act, float min, float max) -> Tensor"

/* The activation a node on y applies (act.h's code, and the clamp range),
 * or false. */
static bool activation_of(const ir_node *n, int *act, float *lo, float *hi) {
    static const struct { const char *kind; int act; } named[] = {
        {"aten::hardswish", CTS_ACT_HARDSWISH},     {"aten::hardswish_", CTS_ACT_HARDSWISH},
        {"aten::hardsigmoid", CTS_ACT_HARDSIGMOID}, {"aten::hardsigmoid_", CTS_ACT_HARDSIGMOID},
    };
    *lo = -INFINITY;
    *hi = INFINITY;
    *act = CTS_ACT_NONE;
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (cts_pass_kind_is(n, named[i].kind)) {
            *act = named[i].act;
            return n->ninputs == 1;
        }
    if (cts_pass_kind_is(n, "aten::relu") || cts_pass_kind_is(n, "aten::relu_")) {
        *lo = 0.0f;
        return n->ninputs == 1;
    }
    if (cts_pass_kind_is(n, "aten::relu6") || cts_pass_kind_is(n, "aten::relu6_")) {
        *lo = 0.0f;
        *hi = 6.0f;
        return n->ninputs == 1;
    }
    bool ht = cts_pass_kind_is(n, "aten::hardtanh") || cts_pass_kind_is(n, "aten::hardtanh_");
    bool cl = cts_pass_kind_is(n, "aten::clamp") || cts_pass_kind_is(n, "aten::clamp_");
    if (!(ht || cl) || n->ninputs != 3) return false;
    if (cl && (n->inputs[1]->type->kind == TY_TENSOR || n->inputs[2]->type->kind == TY_TENSOR)) return false;
    double v;
    if (cts_pass_const_number(n->inputs[1], &v)) *lo = (float)v;
    else if (!(cl && cts_pass_const_none(n->inputs[1]))) return false;
    if (cts_pass_const_number(n->inputs[2], &v)) *hi = (float)v;
    else if (!(cl && cts_pass_const_none(n->inputs[2]))) return false;
    /* clamp(y, None, None) is an error in PyTorch: left to say so */
    if (cl && cts_pass_const_none(n->inputs[1]) && cts_pass_const_none(n->inputs[2])) return false;
    return *lo <= *hi;
}

/* Whether any node strictly between a and b (same block), other than
 * `skip`, may write. */
static bool writes_between(const ir_node *a, const ir_node *b, const ir_node *skip) {
    for (const ir_node *n = a->next; n && n != b; n = n->next)
        if (n != skip && cts_pass_may_write(n)) return true;
    return false;
}

static void redirect(ir_value *from, ir_value *to) {
    if (from) ir_replace_all_uses(from, to);
}

/* The fused node, or NULL when c does not fuse.  It goes where c was when
 * the residual (if any) is defined before c, and then other uses of the
 * intermediates that read only shapes follow it; otherwise it goes where
 * the last fused node was, and the intermediates must have no other use. */
static ir_node *fuse_one(ir_node *c, cts_cu *cu) {
    if (!cts_pass_is_conv(c) || c->inputs[4]->type->kind != TY_LIST) return NULL;
    /* a convolution's result has its input's rank: dim() asks the input
     * (scripted BatchNorm's check) when nothing between could reshape it
     * in place, which frees the result of that use */
    for (int i = c->outputs[0]->nuses - 1; i >= 0; i--) {
        ir_node *user = c->outputs[0]->uses[i].user;
        ir_node *at = ir_node_in_block(user, c->owner); /* user, or the node whose block holds it */
        if (cts_pass_kind_is(user, "aten::dim") && user->ninputs == 1 && at && !writes_between(c, at, NULL) &&
            (at == user || !cts_pass_may_write(at)))
            ir_replace_input(user, 0, c->inputs[0]);
    }
    ir_node *last = c, *add = NULL, *act = NULL, *u;
    ir_value *residual = NULL;
    float lo = -INFINITY, hi = INFINITY;
    int act_code = CTS_ACT_NONE;
    if ((u = cts_pass_sole_value_use(c->outputs[0])) && cts_pass_kind_is(u, "aten::add_") && u->ninputs == 3 &&
        u->owner == c->owner) {
        double alpha;
        if (u->inputs[1]->type->kind == TY_TENSOR && u->inputs[1] != c->outputs[0] &&
            cts_pass_const_number(u->inputs[2], &alpha) && alpha == 1.0) {
            add = last = u;
            residual = u->inputs[1];
        }
    }
    if ((u = cts_pass_sole_value_use(last->outputs[0])) && u->owner == c->owner && activation_of(u, &act_code, &lo, &hi))
        act = last = u;
    if (last == c || writes_between(c, last, add)) return NULL;
    bool early = !residual || residual->node->k == K_PARAM || ir_is_before(residual->node, c);
    if (!early && (c->outputs[0]->nuses != 1 || (add && act && add->outputs[0]->nuses != 1))) return NULL;
    cts_err err = {0};
    const cts_schema *s = cts_cu_schema(cu, CONV_ACT_SCHEMA, &err);
    if (!s) return NULL;
    ir_graph *g = c->graph;
    ir_node *saved = g->insert_before;
    ir_set_insert_before(g, early ? c : last);
    bool nd = c->kind[6] != '_' && strcmp(c->kind, "aten::convolution");
    ir_value *groups = c->inputs[nd ? 6 : 8];
    ir_value *unbatched = ir_insert_constant(g, cv_bool(nd), NULL, 0, 0);
    ir_value *res = residual ? residual : ir_insert_none(g);
    ir_value *vact = ir_insert_constant(g, cv_int(act_code), NULL, 0, 0);
    ir_value *vlo = ir_insert_constant(g, cv_float(lo), NULL, 0, 0);
    ir_value *vhi = ir_insert_constant(g, cv_float(hi), NULL, 0, 0);
    ir_node *f = ir_create(g, "cts::conv_act", 1);
    f->schema = s;
    f->src = c->src;
    f->src_start = c->src_start;
    f->src_end = c->src_end;
    ir_value *ins[] = {c->inputs[0], c->inputs[1], c->inputs[2], c->inputs[3], c->inputs[4], c->inputs[5],
                       groups,       unbatched,    res,          vact,         vlo,          vhi};
    for (size_t i = 0; i < sizeof ins / sizeof *ins; i++) ir_add_input(f, ins[i]);
    ir_insert(g, f);
    g->insert_before = saved;
    /* the in-place steps return the convolution's own result: every name
     * of it is now f's */
    redirect(act ? act->outputs[0] : NULL, f->outputs[0]);
    redirect(add ? add->outputs[0] : NULL, f->outputs[0]);
    redirect(c->outputs[0], f->outputs[0]);
    if (act) ir_destroy(act);
    if (add) ir_destroy(add);
    ir_destroy(c);
    return f;
}

static int fuse_block(ir_block *b, cts_cu *cu) {
    int fused = 0;
    ir_node *next;
    for (ir_node *n = ir_block_first(b); n != b->ret; n = next) {
        next = n->next;
        for (int i = 0; i < n->nblocks; i++) fused += fuse_block(n->blocks[i], cu);
        ir_node *f = fuse_one(n, cu);
        if (f) {
            fused++;
            next = f->next; /* n and the nodes fused with it are gone */
        }
    }
    return fused;
}

int cts_pass_fuse_conv(ir_graph *g, cts_cu *cu) { return fuse_block(g->block, cu); }
