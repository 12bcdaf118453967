/* normalize.c - PyTorch 1.13's NormalizeOps, run by the emitter after
 * ConvertToSSA: operator aliases become their canonical operator
 * (aten::clip -> aten::clamp, torch.special.expit -> aten::sigmoid, ...),
 * aten::rsub.Tensor(a, b) becomes aten::sub.Tensor(b, a), and `is`/`is not`
 * between two bools become aten::eq / aten::ne.
 *
 * As PyTorch's Node::replaceWithNewSymbol does, the replacement is a new node
 * with the same inputs whose outputs take the old outputs' types and names
 * (the renaming is a naming event, which keeps value-name suffixes equal to
 * PyTorch's); the old node is destroyed.  The new node's schema is the first
 * schema of the canonical operator that the inputs fit; an alias without one
 * is left alone. */
#include <stdio.h>
#include <string.h>

#include "../ops/schema_list.h"
#include "emit_internal.h"

/* NormalizeOps' alias map (torch/csrc/jit/passes/normalize_ops.cpp), as 1.13
 * applies it (checked against PyTorch's graphs) */
static const struct {
    const char *from, *to;
} ALIASES[] = {
    {"aten::absolute", "aten::abs"},
    {"aten::absolute_", "aten::abs_"},
    {"aten::clip", "aten::clamp"},
    {"aten::clip_", "aten::clamp_"},
    {"aten::det", "aten::linalg_det"},
    {"aten::matrix_power", "aten::linalg_matrix_power"},
    {"aten::matrix_exp", "aten::linalg_matrix_exp"},
    {"aten::ger", "aten::outer"},
    {"aten::arccos", "aten::acos"},
    {"aten::arccos_", "aten::acos_"},
    {"aten::arcsin", "aten::asin"},
    {"aten::arcsin_", "aten::asin_"},
    {"aten::arctan", "aten::atan"},
    {"aten::arctan_", "aten::atan_"},
    {"aten::arctan2", "aten::atan2"},
    {"aten::arctan2_", "aten::atan2_"},
    {"aten::arccosh", "aten::acosh"},
    {"aten::arccosh_", "aten::acosh_"},
    {"aten::arcsinh", "aten::asinh"},
    {"aten::arcsinh_", "aten::asinh_"},
    {"aten::arctanh", "aten::atanh"},
    {"aten::arctanh_", "aten::atanh_"},
    {"aten::fix", "aten::trunc"},
    {"aten::fix_", "aten::trunc_"},
    {"aten::negative", "aten::neg"},
    {"aten::negative_", "aten::neg_"},
    {"aten::subtract", "aten::sub"},
    {"aten::subtract_", "aten::sub_"},
    {"aten::greater_equal", "aten::ge"},
    {"aten::greater_equal_", "aten::ge_"},
    {"aten::greater", "aten::gt"},
    {"aten::greater_", "aten::gt_"},
    {"aten::less_equal", "aten::le"},
    {"aten::less_equal_", "aten::le_"},
    {"aten::less", "aten::lt"},
    {"aten::less_", "aten::lt_"},
    {"aten::not_equal", "aten::ne"},
    {"aten::not_equal_", "aten::ne_"},
    {"aten::divide", "aten::div"},
    {"aten::divide_", "aten::div_"},
    {"aten::multiply", "aten::mul"},
    {"aten::multiply_", "aten::mul_"},
    {"aten::linalg_matmul", "aten::matmul"},
    {"aten::inverse", "aten::linalg_inv"},
    {"aten::true_divide", "aten::div"},
    {"aten::true_divide_", "aten::div_"},
    {"aten::concat", "aten::cat"},
    {"aten::concatenate", "aten::cat"},
    {"aten::row_stack", "aten::vstack"},
    {"aten::swapdims", "aten::transpose"},
    {"aten::swapdims_", "aten::transpose_"},
    {"aten::swapaxes", "aten::transpose"},
    {"aten::swapaxes_", "aten::transpose_"},
    {"aten::moveaxis", "aten::movedim"},
    {"aten::special_erf", "aten::erf"},
    {"aten::special_erfc", "aten::erfc"},
    {"aten::special_erfinv", "aten::erfinv"},
    {"aten::special_expit", "aten::sigmoid"},
    {"aten::special_exp2", "aten::exp2"},
    {"aten::special_expm1", "aten::expm1"},
    {"aten::special_logit", "aten::logit"},
    {"aten::special_logsumexp", "aten::logsumexp"},
    {"aten::special_round", "aten::round"},
    {"aten::special_log1p", "aten::log1p"},
    {"aten::special_sinc", "aten::sinc"},
    {"aten::special_digamma", "aten::digamma"},
    {"aten::special_psi", "aten::digamma"},
    {"aten::special_i0", "aten::i0"},
    {"aten::special_xlogy", "aten::xlogy"},
    {"aten::special_log_softmax", "aten::log_softmax"},
    {"aten::orgqr", "aten::linalg_householder_product"},
    {"aten::adjoint", "aten::mH"},
    {"aten::special_multigammaln", "aten::mvlgamma"},
    {"aten::special_polygamma", "aten::polygamma"},
    {"aten::special_softmax", "aten::softmax"},
    {"aten::special_gammainc", "aten::igamma"},
    {"aten::special_gammaincc", "aten::igammac"},
    {"aten::special_gammaln", "aten::lgamma"},
};

static const char *canonical(const char *kind) {
    for (size_t i = 0; i < sizeof ALIASES / sizeof *ALIASES; i++)
        if (strcmp(ALIASES[i].from, kind) == 0) return ALIASES[i].to;
    return NULL;
}

static bool fits(const cts_type *actual, const cts_type *formal) {
    if (formal->kind == TY_VAR || formal->kind == TY_ANY) return true;
    if (formal->kind == TY_LIST && actual->kind == TY_LIST && formal->elems[0]->kind == TY_VAR) return true;
    return cts_type_subtype(actual, formal);
}

/* the first schema of `name` whose arguments the node's inputs fill exactly */
static const cts_schema *schema_for(emitter *e, const char *name, ir_value *const *in, int nin, int nout) {
    int idx[64];
    int n = cts_schema_find(name, idx, 64);
    if (n > 64) n = 64;
    for (int i = 0; i < n; i++) {
        const cts_schema *s = cts_cu_schema(e->cu, cts_schema_text(idx[i]), e->err);
        if (!s) em_fail(e);
        if (s->nargs != nin || s->nrets != nout || s->is_vararg || s->is_varret) continue;
        bool ok = true;
        for (int a = 0; a < nin && ok; a++) ok = fits(in[a]->type, s->args[a].type);
        if (ok) return s;
    }
    return NULL;
}

/* replaceWithNewSymbol: a new node of `kind` before n, outputs renamed after
 * n's, uses moved; n is destroyed */
static ir_node *replace(emitter *e, ir_node *n, const char *kind, const cts_schema *s, ir_value *const *in) {
    ir_node *r = ir_create(e->g, kind, n->noutputs);
    r->src = n->src;
    r->src_start = n->src_start;
    r->src_end = n->src_end;
    r->schema = s;
    ir_insert_before(r, n);
    for (int i = 0; i < n->ninputs; i++) ir_add_input(r, in[i]);
    for (int i = 0; i < n->noutputs; i++) {
        ir_set_type(r->outputs[i], n->outputs[i]->type);
        if (n->outputs[i]->name) ir_set_name(r->outputs[i], n->outputs[i]->name);
        ir_replace_all_uses(n->outputs[i], r->outputs[i]);
    }
    ir_destroy(n);
    return r;
}

static void normalize_block(emitter *e, ir_block *b) {
    for (ir_node *n = ir_block_first(b), *next; n != b->ret; n = next) {
        next = n->next;
        for (int i = 0; i < n->nblocks; i++) normalize_block(e, n->blocks[i]);
        if (n->k != K_OP || !n->schema) continue;
        ir_value *in[64];
        if (n->ninputs > 64) continue;
        for (int i = 0; i < n->ninputs; i++) in[i] = n->inputs[i];
        if (strcmp(n->kind, "aten::rsub") == 0 && strcmp(n->schema->overload, "Tensor") == 0 && n->ninputs == 3) {
            ir_value *t = in[0];
            in[0] = in[1];
            in[1] = t;
            const cts_schema *s = schema_for(e, "aten::sub", in, n->ninputs, n->noutputs);
            if (s) replace(e, n, "aten::sub", s, in);
            continue;
        }
        const char *to = canonical(n->kind);
        if (!to && n->ninputs == 2 && in[0]->type->kind == TY_BOOL && in[1]->type->kind == TY_BOOL) {
            if (strcmp(n->kind, "aten::__is__") == 0) to = "aten::eq";
            else if (strcmp(n->kind, "aten::__isnot__") == 0) to = "aten::ne";
        }
        if (!to) continue;
        const cts_schema *s = schema_for(e, to, in, n->ninputs, n->noutputs);
        if (s) replace(e, n, to, s, in);
    }
}

void em_normalize_ops(emitter *e) { normalize_block(e, e->g->block); }
