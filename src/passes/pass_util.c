/* pass_util.c - small queries the optimization passes share. */
#include <string.h>

#include "passes.h"

static const char *const CONV_KINDS[] = {"aten::_convolution", "aten::convolution", "aten::conv1d", "aten::conv2d",
                                         "aten::conv3d"};

bool cts_pass_kind_in(const ir_node *n, const char *const *kinds, size_t nk) {
    if (n->k != K_OP || !n->schema) return false;
    for (size_t i = 0; i < nk; i++)
        if (!strcmp(n->kind, kinds[i])) return true;
    return false;
}

bool cts_pass_kind_is(const ir_node *n, const char *kind) { return cts_pass_kind_in(n, &kind, 1); }

ct_tensor *cts_pass_const_tensor(const ir_value *v) {
    const ir_node *n = v->node;
    return n->k == K_CONSTANT && n->has_value && n->value.tag == CV_TENSOR ? n->value.u.t : NULL;
}

bool cts_pass_const_none(const ir_value *v) { return v->node->k == K_CONSTANT && !v->node->has_value; }

bool cts_pass_const_bool(const ir_value *v, bool *out) {
    const ir_node *n = v->node;
    if (n->k != K_CONSTANT || !n->has_value || n->value.tag != CV_BOOL) return false;
    *out = n->value.u.b;
    return true;
}

bool cts_pass_const_number(const ir_value *v, double *out) {
    const ir_node *n = v->node;
    if (n->k != K_CONSTANT || !n->has_value) return false;
    if (n->value.tag == CV_FLOAT) *out = n->value.u.f;
    else if (n->value.tag == CV_INT) *out = (double)n->value.u.i;
    else return false;
    return true;
}

bool cts_pass_is_conv(const ir_node *n) {
    if (!cts_pass_kind_in(n, CONV_KINDS, sizeof CONV_KINDS / sizeof *CONV_KINDS) || n->ninputs < 7) return false;
    if (n->kind[6] == '_' || !strcmp(n->kind, "aten::convolution")) {
        bool transposed = true;
        return n->ninputs >= 9 && cts_pass_const_bool(n->inputs[6], &transposed) && !transposed;
    }
    return true;
}

bool cts_pass_mutable_type(const cts_type *t, bool tensors) {
    switch (t->kind) {
    case TY_CLASS:
        return !t->cls || !t->cls->is_enum; /* enum members are immutable */
    case TY_TENSOR: return tensors;
    case TY_LIST:
    case TY_DICT:
    case TY_FUTURE:
    case TY_ANY:
    case TY_ANY_CLASS:
    case TY_CAPSULE:
    case TY_STORAGE:
    case TY_GENERATOR:
        return true;
    case TY_OPTIONAL:
    case TY_TUPLE:
    case TY_UNION:
        for (int i = 0; i < t->n; i++)
            if (cts_pass_mutable_type(t->elems[i], tensors)) return true;
        return false;
    default: return false;
    }
}

/* Uses that read only a tensor's shape or kind, not its values. */
static bool shape_only(const ir_node *u) {
    static const char *const kinds[] = {"aten::dim", "aten::size", "aten::numel", "aten::len", "prim::dtype",
                                        "prim::device"};
    return cts_pass_kind_in(u, kinds, sizeof kinds / sizeof *kinds);
}

ir_node *cts_pass_sole_value_use(const ir_value *v) {
    ir_node *user = NULL;
    for (int i = 0; i < v->nuses; i++) {
        ir_node *u = v->uses[i].user;
        if (shape_only(u)) continue;
        if (user || v->uses[i].offset != 0) return NULL;
        user = u;
    }
    return user;
}

/* Whether n may write anything (its nested blocks included). */
bool cts_pass_may_write(const ir_node *n) {
    if (n->k == K_CALLMETHOD || n->k == K_CALLFUNCTION || n->k == K_SETATTR) return true;
    if (n->k == K_OP) {
        if (!n->schema || cts_pass_hidden_writes(n)) return true;
        for (int i = 0; i < n->schema->nargs; i++)
            if (n->schema->args[i].is_write) return true;
    }
    for (int b = 0; b < n->nblocks; b++)
        for (const ir_node *m = ir_block_first(n->blocks[b]); m != n->blocks[b]->ret; m = m->next)
            if (cts_pass_may_write(m)) return true;
    return false;
}


/* Writes a schema does not annotate: batch_norm and instance_norm update
 * their running statistics (inputs 3 and 4) unless `training` (input 5) is
 * the constant False (PyTorch's AliasDb special-cases them too). */
bool cts_pass_hidden_writes(const ir_node *n) {
    static const char *const kinds[] = {"aten::batch_norm", "aten::instance_norm"};
    if (!cts_pass_kind_in(n, kinds, sizeof kinds / sizeof *kinds) || n->ninputs < 6) return false;
    bool training = true;
    return !(cts_pass_const_bool(n->inputs[5], &training) && !training);
}
