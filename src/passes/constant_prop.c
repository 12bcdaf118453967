/* constant_prop.c - constant propagation over immutable values.
 *
 * PyTorch's ConstantPropagationImmutableTypes: a node whose inputs are all
 * constants, whose inputs and outputs are immutable (no tensors, lists,
 * dicts or objects) and that has no side effects is run at compile time and
 * its outputs replaced by new constants; an If on a constant condition is
 * replaced by the taken branch; a loop that never runs disappears; If and
 * Loop outputs that are the same value on every path are bypassed. */
#include <stdio.h>
#include <string.h>

#include "../ops/op.h"
#include "passes.h"

static bool is_constant(const ir_value *v) { return v->node->k == K_CONSTANT && !v->node->fn; }

static cv_value constant_of(const ir_value *v) { return v->node->has_value ? v->node->value : cv_none(); }

static bool supported(const ir_node *n) {
    if (n->nblocks || cts_node_has_side_effects(n)) return false;
    switch (n->k) {
    case K_OP:
    case K_TUPLECONSTRUCT:
    case K_TUPLEINDEX:
    case K_TUPLEUNPACK:
    case K_UNCHECKEDCAST:
        break;
    default:
        return false;
    }
    for (int i = 0; i < n->ninputs; i++)
        if (cts_pass_mutable_type(n->inputs[i]->type, true)) return false;
    for (int i = 0; i < n->noutputs; i++)
        if (cts_pass_mutable_type(n->outputs[i]->type, true)) return false;
    return true;
}

/* runs n on its constant inputs; returns the number of outputs or -1 */
static int run_node(ir_node *n, cv_value *outs, cts_err *err) {
    cv_value in[64];
    if (n->ninputs > 64) return -1;
    for (int i = 0; i < n->ninputs; i++) in[i] = constant_of(n->inputs[i]);
    switch (n->k) {
    case K_TUPLECONSTRUCT: {
        for (int i = 0; i < n->ninputs; i++) cv_retain(in[i]);
        cts_type *named = n->outputs[0]->type->name ? n->outputs[0]->type : NULL;
        if (cv_tuple_new(named, (size_t)n->ninputs, in, &outs[0], err)) return -1;
        return 1;
    }
    case K_TUPLEINDEX: {
        if (in[0].tag != CV_TUPLE || in[1].tag != CV_INT) return -1;
        int64_t i = in[1].u.i, len = (int64_t)in[0].u.tu->len;
        if (i < 0) i += len;
        if (i < 0 || i >= len) return -1;
        outs[0] = in[0].u.tu->items[i];
        cv_retain(outs[0]);
        return 1;
    }
    case K_TUPLEUNPACK:
        if (in[0].tag != CV_TUPLE || (int)in[0].u.tu->len != n->noutputs) return -1;
        for (int i = 0; i < n->noutputs; i++) {
            outs[i] = in[0].u.tu->items[i];
            cv_retain(outs[i]);
        }
        return n->noutputs;
    case K_UNCHECKEDCAST:
        outs[0] = in[0];
        cv_retain(outs[0]);
        return 1;
    default: break;
    }
    /* vararg operators (aten::format, aten::percentFormat, ...) take their
     * input count from the stack in PyTorch, which
     * runNodeIfInputsAreConstant does not push: they are never folded */
    if (!n->schema || n->schema->is_varret || n->schema->is_vararg) return -1;
    char key[256];
    if (n->schema->overload[0]) snprintf(key, sizeof key, "%s.%s", n->schema->name, n->schema->overload);
    else snprintf(key, sizeof key, "%s", n->schema->name);
    cts_kernel_fn fn = cts_op_find_kernel(key, NULL);
    if (!fn) return -1;
    cts_err local = {0};
    cts_kctx k = {&local, NULL, NULL};
    if (fn(&k, in, n->ninputs, outs)) return -1; /* errors are left for run time */
    return n->schema->nrets;
}

static void cp_block(ir_graph *g, ir_block *b, cts_err *err);

static void inline_if_body(ir_node *n, ir_block *body) {
    for (ir_node *x = ir_block_first(body); x != body->ret;) {
        ir_node *next = x->next;
        ir_move_before(x, n);
        x = next;
    }
    for (int i = 0; i < n->noutputs; i++) ir_replace_all_uses(n->outputs[i], ir_block_output(body, i));
    ir_destroy(n);
}

static void remove_extra_if_outputs(ir_node *n) {
    for (int i = 0; i < n->noutputs;) {
        ir_value *t = ir_block_output(n->blocks[0], i), *f = ir_block_output(n->blocks[1], i);
        if (t != f) {
            i++;
            continue;
        }
        ir_replace_all_uses(n->outputs[i], t);
        ir_block_erase_output(n->blocks[0], i);
        ir_block_erase_output(n->blocks[1], i);
        ir_erase_output(n, i);
    }
}

static void remove_extra_loop_outputs(ir_node *n) {
    ir_block *body = n->blocks[0];
    for (int i = n->noutputs - 1; i >= 0; i--) {
        if (ir_block_input(body, 1 + i) != ir_block_output(body, 1 + i)) continue;
        ir_value *in = n->inputs[2 + i];
        ir_replace_all_uses(n->outputs[i], in);
        ir_replace_all_uses(ir_block_input(body, 1 + i), in);
        ir_erase_output(n, i);
        ir_remove_input(n, 2 + i);
        ir_block_erase_input(body, 1 + i);
        ir_block_erase_output(body, 1 + i);
    }
}

static bool loop_will_not_run(const ir_node *n) {
    const ir_value *trip = n->inputs[0], *cond = n->inputs[1];
    if (is_constant(trip) && n->inputs[0]->node->has_value && constant_of(trip).tag == CV_INT && constant_of(trip).u.i <= 0)
        return true;
    if (is_constant(cond) && cond->node->has_value && constant_of(cond).tag == CV_BOOL && !constant_of(cond).u.b)
        return true;
    return false;
}

static void remove_loop(ir_node *n) {
    for (int i = 0; i < n->noutputs; i++) ir_replace_all_uses(n->outputs[i], n->inputs[2 + i]);
    ir_destroy(n);
}

static void cp_node(ir_graph *g, ir_node *n, cts_err *err) {
    bool all_const = true;
    for (int i = 0; i < n->ninputs; i++)
        if (!is_constant(n->inputs[i])) all_const = false;
    if (n->k == K_IF) {
        if (all_const && constant_of(n->inputs[0]).tag == CV_BOOL) {
            ir_block *taken = n->blocks[constant_of(n->inputs[0]).u.b ? 0 : 1];
            cp_block(g, taken, err);
            inline_if_body(n, taken);
        } else {
            for (int i = 0; i < n->nblocks; i++) cp_block(g, n->blocks[i], err);
            remove_extra_if_outputs(n);
        }
        return;
    }
    if (n->k == K_LOOP) {
        if (loop_will_not_run(n)) {
            remove_loop(n);
        } else {
            for (int i = 0; i < n->nblocks; i++) cp_block(g, n->blocks[i], err);
            remove_extra_loop_outputs(n);
        }
        return;
    }
    if (all_const && supported(n)) {
        cv_value outs[16];
        if (n->noutputs > 16) return;
        int k = run_node(n, outs, err);
        if (k != n->noutputs) {
            for (int i = 0; i < k; i++) cv_release(outs[i]);
            return;
        }
        ir_node *saved = g->insert_before;
        g->insert_before = n;
        for (int i = 0; i < k; i++) {
            ir_value *c = ir_insert_constant(g, outs[i], NULL, 0, 0);
            if (outs[i].tag == CV_NONE || outs[i].tag == CV_TUPLE) ir_set_type(c, n->outputs[i]->type);
            cv_release(outs[i]);
            ir_replace_all_uses(n->outputs[i], c);
        }
        g->insert_before = saved;
        return;
    }
    for (int i = 0; i < n->nblocks; i++) cp_block(g, n->blocks[i], err);
}

static void cp_block(ir_graph *g, ir_block *b, cts_err *err) {
    for (ir_node *n = ir_block_first(b); n != b->ret;) {
        ir_node *next = n->next;
        cp_node(g, n, err);
        n = next;
    }
}

int cts_pass_constant_prop_immutable(ir_graph *g, cts_err *err) {
    cp_block(g, g->block, err);
    cts_pass_dce(g);
    return 0;
}
