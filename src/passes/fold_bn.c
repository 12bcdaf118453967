/* fold_bn.c - evaluation-mode batch norm folded into the convolution before it.
 *
 * aten::batch_norm(conv(x, W, b), gamma, beta, mean, var, training=False,
 * momentum, eps, cudnn) with every parameter a constant float32 tensor that
 * nothing changes in place, and the convolution's values used only there
 * (other uses of it may read its shape: aten::dim, size...) becomes
 * conv(x, W', b') with, per output channel o,
 *     s = gamma[o] / sqrt(var[o] + eps)
 *     W'[o] = W[o] * s,   b'[o] = (b[o] - mean[o]) * s + beta[o]
 * (torch.nn.utils.fuse_conv_bn_weights; missing gamma/beta/b count as
 * 1/0/0).  Results change by float rounding only.  The new weights are
 * marked as module weights, so load-time packing packs them. */
#include <math.h>
#include <string.h>

#include "../tensor/tensor.h"
#include "passes.h"

/* A 1-D float32 constant of k elements, or NULL (for optional ones: *ok
 * stays true when the value is None). */
static const float *channel_vec(const ir_value *v, int64_t k, bool optional, bool *ok) {
    if (optional && cts_pass_const_none(v)) return NULL;
    ct_tensor *t = cts_pass_const_tensor(v);
    if (!t || t->dtype != CT_FLOAT32 || t->ndim != 1 || t->sizes[0] != k || (k > 1 && t->strides[0] != 1)) {
        *ok = false;
        return NULL;
    }
    return ct_data(t);
}

static ir_value *weight_constant(ir_graph *g, ct_tensor *t, ir_node *before) {
    t->storage->weight = true;
    ir_node *saved = g->insert_before;
    ir_set_insert_before(g, before);
    ir_value *v = ir_insert_constant(g, cv_tensor(t), NULL, 0, 0);
    g->insert_before = saved;
    return v;
}

static bool fold_one(ir_node *bn, cts_mutation *mut, const cts_fold_hooks *hooks) {
    bool training = true;
    double eps;
    if (bn->ninputs != 9 || !cts_pass_const_bool(bn->inputs[5], &training) || training ||
        !cts_pass_const_number(bn->inputs[7], &eps))
        return false;
    ir_value *y = bn->inputs[0];
    ir_node *c = y->node;
    if (!cts_pass_is_conv(c) || cts_pass_sole_value_use(y) != bn) return false;
    ct_tensor *w = cts_pass_const_tensor(c->inputs[1]);
    if (!w || w->dtype != CT_FLOAT32 || w->ndim < 3 || !ct_is_contiguous(w)) return false;
    int64_t k = w->sizes[0];
    bool ok = true;
    const float *cb = channel_vec(c->inputs[2], k, true, &ok);
    const float *gw = channel_vec(bn->inputs[1], k, true, &ok);
    const float *gb = channel_vec(bn->inputs[2], k, true, &ok);
    const float *mean = channel_vec(bn->inputs[3], k, false, &ok);
    const float *var = channel_vec(bn->inputs[4], k, false, &ok);
    if (!ok) return false;
    const ir_value *params[] = {c->inputs[1], c->inputs[2], bn->inputs[1], bn->inputs[2], bn->inputs[3], bn->inputs[4]};
    for (size_t i = 0; i < sizeof params / sizeof *params; i++) {
        if (cts_mutation_may_change(mut, params[i])) return false;
        ct_tensor *t = cts_pass_const_tensor(params[i]);
        if (t && hooks && hooks->written && hooks->written(hooks->ctx, t)) return false;
    }
    cts_err err = {0};
    ct_tensor *nw = ct_tensor_empty(CT_FLOAT32, w->ndim, w->sizes, &err);
    ct_tensor *nb = ct_tensor_empty(CT_FLOAT32, 1, &k, &err);
    if (!nw || !nb) {
        ct_tensor_release(nw);
        ct_tensor_release(nb);
        return false;
    }
    int64_t per = ct_numel(w) / (k ? k : 1);
    const float *src = ct_data(w);
    float *dw = ct_data(nw), *db = ct_data(nb);
    for (int64_t o = 0; o < k; o++) {
        float inv = 1.0f / sqrtf(var[o] + (float)eps);
        float s = (gw ? gw[o] : 1.0f) * inv;
        for (int64_t i = 0; i < per; i++) dw[o * per + i] = src[o * per + i] * s;
        db[o] = ((cb ? cb[o] : 0.0f) - mean[o]) * s + (gb ? gb[o] : 0.0f);
    }
    if (hooks && hooks->release) hooks->release(hooks->ctx, w); /* read for the last time here */
    ir_graph *g = bn->graph;
    ir_replace_input(c, 1, weight_constant(g, nw, c));
    ir_replace_input(c, 2, weight_constant(g, nb, c));
    ct_tensor_release(nw);
    ct_tensor_release(nb);
    ir_replace_all_uses(bn->outputs[0], y);
    ir_destroy(bn);
    return true;
}

static int fold_block(ir_block *b, cts_mutation *mut, const cts_fold_hooks *hooks) {
    int folded = 0;
    ir_node *next;
    for (ir_node *n = ir_block_first(b); n != b->ret; n = next) {
        next = n->next;
        for (int i = 0; i < n->nblocks; i++) folded += fold_block(n->blocks[i], mut, hooks);
        if (cts_pass_kind_is(n, "aten::batch_norm") && fold_one(n, mut, hooks)) folded++;
    }
    return folded;
}

int cts_pass_fold_batch_norm(ir_graph *g, const cts_fold_hooks *hooks) {
    cts_mutation *mut = cts_mutation_analyze(g);
    if (!mut) return 0;
    int n = fold_block(g->block, mut, hooks);
    cts_mutation_free(mut);
    return n;
}
