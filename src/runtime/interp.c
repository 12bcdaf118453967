/* interp.c - lowering graphs to register code, and running it. */
#include "interp.h"
#include "interp_trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/strbuf.h"
#include "../ops/complex_tensor.h"
#include "../ops/str.h"
#include "../tensor/tensor_print.h"

static const char *const OPNAMES[OP__COUNT] = {
#define X(e, doc) #e,
    CTS_OPCODES(X)
#undef X
};

const char *cts_opcode_name(cts_opcode op) { return op < OP__COUNT ? OPNAMES[op] : "?"; }

/* ---- lowering ---- */

typedef struct lowerer {
    cts_cu *cu;
    cts_code *c;
    cts_err *err;
    cts_map regs; /* "%p" of ir_value -> register + 1 */
} lowerer;

static void code_free(void *p) {
    cts_code *c = p;
    if (!c) return;
    for (int i = 0; i < c->ncode; i++) {
        free(c->code[i].in);
        free(c->code[i].out);
        free(c->code[i].types);
        free(c->code[i].drop);
    }
    for (int i = 0; i < c->nconsts; i++) cv_release(c->consts[i]);
    free(c->code);
    free(c->consts);
    free(c);
}

static int oom(lowerer *l) { return cts_err_oom(l->err, "code", 0); }

static cts_instr *emit(lowerer *l, cts_opcode op) {
    cts_code *c = l->c;
    if (c->ncode == c->cap_code) {
        int nc = c->cap_code ? c->cap_code * 2 : 64;
        cts_instr *p = realloc(c->code, (size_t)nc * sizeof *p);
        if (!p) return NULL;
        c->code = p;
        c->cap_code = nc;
    }
    cts_instr *i = &c->code[c->ncode++];
    memset(i, 0, sizeof *i);
    i->op = op;
    return i;
}

static int reg_of(lowerer *l, const ir_value *v) {
    char key[32];
    snprintf(key, sizeof key, "%p", (const void *)v);
    intptr_t r = (intptr_t)cts_map_get(&l->regs, key);
    if (r) return (int)(r - 1);
    int nr = l->c->nregs++;
    char *k = malloc(strlen(key) + 1);
    if (!k) return -1000000;
    strcpy(k, key);
    if (cts_map_put(&l->regs, k, (void *)(intptr_t)(nr + 1))) {
        free(k);
        return -1000000;
    }
    return nr;
}

static int add_const(lowerer *l, cv_value v) {
    cts_code *c = l->c;
    if (c->nconsts == c->cap_consts) {
        int nc = c->cap_consts ? c->cap_consts * 2 : 16;
        cv_value *p = realloc(c->consts, (size_t)nc * sizeof *p);
        if (!p) return 1;
        c->consts = p;
        c->cap_consts = nc;
    }
    cv_retain(v);
    c->consts[c->nconsts] = v;
    return -1 - c->nconsts++;
}

/* operand for a value: constants go to the pool, others to registers */
static int operand(lowerer *l, const ir_value *v) {
    const ir_node *n = v->node;
    if (n->k == K_CONSTANT) {
        if (n->fn) return add_const(l, cv_func(n->fn));
        return add_const(l, n->has_value ? n->value : cv_none());
    }
    return reg_of(l, v);
}

static int set_operands(lowerer *l, cts_instr *ins, ir_value *const *in, int nin, ir_value *const *out, int nout) {
    ins->nin = nin;
    ins->nout = nout;
    if (nin) {
        ins->in = malloc((size_t)nin * sizeof *ins->in);
        if (!ins->in) return oom(l);
        for (int i = 0; i < nin; i++) ins->in[i] = operand(l, in[i]);
    }
    if (nout) {
        ins->out = malloc((size_t)nout * sizeof *ins->out);
        if (!ins->out) return oom(l);
        for (int i = 0; i < nout; i++) ins->out[i] = reg_of(l, out[i]);
    }
    return 0;
}

static int move(lowerer *l, int dst, int src) {
    if (dst == src) return 0;
    cts_instr *m = emit(l, OP_MOVE);
    if (!m) return oom(l);
    m->a = dst;
    m->b = src;
    return 0;
}

static int lower_block(lowerer *l, ir_block *b);

static int kernel_for(lowerer *l, const ir_node *n, cts_kernel_fn *fn, bool *guard, cts_kernel_fn *cfn) {
    const cts_schema *s = n->schema;
    char key[256];
    if (s->overload[0]) snprintf(key, sizeof key, "%s.%s", s->name, s->overload);
    else snprintf(key, sizeof key, "%s", s->name);
    *fn = cts_op_find_kernel(key, NULL);
    if (!*fn) return cts_err_set(l->err, "operator not implemented in cts: %s", s->text ? s->text : key);
    *guard = cts_complex_guard(s, key, cfn);
    return 0;
}

static bool self_compare(const ir_node *n) {
    if (n->ninputs != 2 || n->noutputs != 1 || n->inputs[0] != n->inputs[1]) return false;
    if (strcmp(n->kind, "aten::eq") && strcmp(n->kind, "aten::ne")) return false;
    int k = n->inputs[0]->type->kind;
    return k == TY_INT || k == TY_FLOAT || k == TY_BOOL || k == TY_NONE;
}

static int lower_node(lowerer *l, ir_node *n) {
    cts_instr *ins;
    switch (n->k) {
    case K_CONSTANT: return 0;
    case K_NUMTOTENSOR: /* an ordinary operator with a kernel (nn.c) */
    case K_TOLIST:      /* likewise (scalar.c) */
    case K_OP: {
        cts_kernel_fn fn;
        if (!n->schema && n->kind[0] == '^') {
            /* a PythonOp (a call of an @torch.jit.ignore function): an error if reached */
            const char *nm = n->kind + 1, *br = strchr(nm, '[');
            char text[512];
            int len = snprintf(text, sizeof text, "cts cannot run the Python function '%.*s' (@torch.jit.ignore)",
                               (int)(br ? br - nm : (ptrdiff_t)strlen(nm)), nm);
            cv_value msg;
            if (cv_str_new(text, len < (int)sizeof text ? (size_t)len : sizeof text - 1, &msg, l->err)) return -1;
            if (!(ins = emit(l, OP_RAISE))) {
                cv_release(msg);
                return oom(l);
            }
            ins->node = n;
            ins->nin = 1;
            ins->in = malloc(sizeof *ins->in);
            int k = ins->in ? add_const(l, msg) : -1;
            cv_release(msg);
            if (!ins->in) return oom(l);
            ins->in[0] = k;
            return 0;
        }
        if (!n->schema) return cts_err_set(l->err, "node %s has no schema", n->kind);
        if (self_compare(n)) {
            /* PyTorch's executor folds eq/ne of a value with itself for
             * immutable scalars (peephole), so `x == x` is True even for a
             * NaN float; cts folds them the same way here */
            int k = add_const(l, cv_bool(strcmp(n->kind, "aten::eq") == 0));
            if (k > 0) return oom(l);
            return move(l, reg_of(l, n->outputs[0]), k);
        }
        bool guard = false;
        cts_kernel_fn cfn = NULL;
        if (kernel_for(l, n, &fn, &guard, &cfn)) return -1;
        if (!(ins = emit(l, OP_KERNEL))) return oom(l);
        ins->fn = fn;
        ins->guard_complex = guard;
        ins->cfn = cfn;
        ins->node = n;
        for (int i = 0; i < n->schema->nargs; i++) ins->writes |= n->schema->args[i].is_write;
        return set_operands(l, ins, n->inputs, n->ninputs, n->outputs, n->noutputs);
    }
    case K_IF: {
        int cond = operand(l, n->inputs[0]);
        int outs[64];
        if (n->noutputs > 64) return cts_err_set(l->err, "If with too many outputs");
        for (int i = 0; i < n->noutputs; i++) outs[i] = reg_of(l, n->outputs[i]);
        if (!(ins = emit(l, OP_JUMP_FALSE))) return oom(l);
        int jf = (int)(ins - l->c->code);
        ins->a = cond;
        if (lower_block(l, n->blocks[0])) return -1;
        for (int i = 0; i < n->noutputs; i++)
            if (move(l, outs[i], operand(l, ir_block_output(n->blocks[0], i)))) return -1;
        if (!(ins = emit(l, OP_JUMP))) return oom(l);
        int jend = (int)(ins - l->c->code);
        l->c->code[jf].b = l->c->ncode;
        if (lower_block(l, n->blocks[1])) return -1;
        for (int i = 0; i < n->noutputs; i++)
            if (move(l, outs[i], operand(l, ir_block_output(n->blocks[1], i)))) return -1;
        l->c->code[jend].a = l->c->ncode;
        return 0;
    }
    case K_LOOP: {
        ir_block *body = n->blocks[0];
        int nc = n->noutputs;
        int trip = operand(l, n->inputs[0]);
        int cond = l->c->nregs++;
        int counter = l->c->nregs++; /* hidden: the body's counter value may be released */
        int body_counter = reg_of(l, ir_block_input(body, 0));
        if (move(l, cond, operand(l, n->inputs[1]))) return -1;
        int *carried = malloc((size_t)(nc + 1) * sizeof *carried);
        int *tmp = malloc((size_t)(nc + 1) * sizeof *tmp);
        if (!carried || !tmp) {
            free(carried);
            free(tmp);
            return oom(l);
        }
        for (int i = 0; i < nc; i++) {
            carried[i] = reg_of(l, ir_block_input(body, 1 + i));
            tmp[i] = l->c->nregs++;
            if (move(l, carried[i], operand(l, n->inputs[2 + i]))) goto lfail;
        }
        {
            cts_instr *z = emit(l, OP_MOVE);
            if (!z) goto lfail_oom;
            z->a = counter;
            z->b = add_const(l, cv_int(0));
        }
        int top = l->c->ncode;
        if (!(ins = emit(l, OP_LOOP_TEST))) goto lfail_oom;
        int test = top;
        ins->a = counter;
        ins->b = trip;
        ins->c = cond;
        if (move(l, body_counter, counter)) goto lfail;
        if (lower_block(l, body)) goto lfail;
        if (move(l, cond, operand(l, ir_block_output(body, 0)))) goto lfail;
        for (int i = 0; i < nc; i++)
            if (move(l, tmp[i], operand(l, ir_block_output(body, 1 + i)))) goto lfail;
        for (int i = 0; i < nc; i++)
            if (move(l, carried[i], tmp[i])) goto lfail;
        if (!(ins = emit(l, OP_INC))) goto lfail_oom;
        ins->a = counter;
        if (!(ins = emit(l, OP_JUMP))) goto lfail_oom;
        ins->a = top;
        l->c->code[test].d = l->c->ncode;
        for (int i = 0; i < nc; i++)
            if (move(l, reg_of(l, n->outputs[i]), carried[i])) goto lfail;
        free(carried);
        free(tmp);
        return 0;
    lfail_oom:
        oom(l);
    lfail:
        free(carried);
        free(tmp);
        return -1;
    }
    case K_CALLFUNCTION: {
        ir_value *fv = n->inputs[0];
        if (fv->node->k != K_CONSTANT || !fv->node->fn)
            return cts_err_set(l->err, "calls through function values are not supported by cts yet");
        ir_function *f = fv->node->fn;
        if (cts_lower_function(l->cu, f, l->err)) return -1;
        if (!(ins = emit(l, OP_CALL))) return oom(l);
        ins->callee = f;
        ins->node = n;
        return set_operands(l, ins, n->inputs + 1, n->ninputs - 1, n->outputs, n->noutputs);
    }
    case K_CALLMETHOD: {
        cts_type *cls = n->inputs[0]->type;
        ir_function *f = cls->kind == TY_CLASS ? cts_class_find_method(cls->cls, n->attr_name) : NULL;
        if (!f) return cts_err_set(l->err, "method %s not found", n->attr_name);
        if (cts_lower_function(l->cu, f, l->err)) return -1;
        if (!(ins = emit(l, OP_CALL))) return oom(l);
        ins->callee = f;
        ins->node = n;
        return set_operands(l, ins, n->inputs, n->ninputs, n->outputs, n->noutputs);
    }
    case K_GETATTR:
    case K_SETATTR: {
        cts_type *cls = n->inputs[0]->type;
        int slot = cls->kind == TY_CLASS ? cts_class_find_attr(cls->cls, n->attr_name) : -1;
        if (slot < 0) return cts_err_set(l->err, "attribute %s not found", n->attr_name);
        if (!(ins = emit(l, n->k == K_GETATTR ? OP_GETATTR : OP_SETATTR))) return oom(l);
        ins->a = slot;
        ins->node = n;
        return set_operands(l, ins, n->inputs, n->ninputs, n->outputs, n->noutputs);
    }
    case K_LISTCONSTRUCT:
        if (!(ins = emit(l, OP_LIST))) return oom(l);
        ins->type = n->outputs[0]->type->elems[0];
        return set_operands(l, ins, n->inputs, n->ninputs, n->outputs, 1);
    case K_LISTUNPACK:
        if (!(ins = emit(l, OP_LIST_UNPACK))) return oom(l);
        ins->node = n;
        return set_operands(l, ins, n->inputs, 1, n->outputs, n->noutputs);
    case K_TUPLECONSTRUCT:
        if (!(ins = emit(l, OP_TUPLE))) return oom(l);
        ins->type = n->outputs[0]->type->name ? n->outputs[0]->type : NULL;
        return set_operands(l, ins, n->inputs, n->ninputs, n->outputs, 1);
    case K_TUPLEUNPACK:
        if (!(ins = emit(l, OP_TUPLE_UNPACK))) return oom(l);
        return set_operands(l, ins, n->inputs, 1, n->outputs, n->noutputs);
    case K_TUPLEINDEX:
        if (!(ins = emit(l, OP_TUPLE_INDEX))) return oom(l);
        ins->node = n;
        return set_operands(l, ins, n->inputs, 2, n->outputs, 1);
    case K_TUPLESLICE:
        if (!(ins = emit(l, OP_TUPLE_SLICE))) return oom(l);
        return set_operands(l, ins, n->inputs, 3, n->outputs, 1);
    case K_DICTCONSTRUCT:
        if (!(ins = emit(l, OP_DICT))) return oom(l);
        ins->type = n->outputs[0]->type->elems[0];
        ins->type2 = n->outputs[0]->type->elems[1];
        return set_operands(l, ins, n->inputs, n->ninputs, n->outputs, 1);
    case K_RAISE:
        if (!(ins = emit(l, OP_RAISE))) return oom(l);
        ins->node = n;
        return set_operands(l, ins, n->inputs, n->ninputs, NULL, 0);
    case K_PRINT:
        if (!(ins = emit(l, OP_PRINT))) return oom(l);
        return set_operands(l, ins, n->inputs, n->ninputs, NULL, 0);
    case K_UNCHECKEDCAST: return move(l, reg_of(l, n->outputs[0]), operand(l, n->inputs[0]));
    case K_UNINITIALIZED:
        if (!(ins = emit(l, OP_UNINIT))) return oom(l);
        return set_operands(l, ins, NULL, 0, n->outputs, 1);
    case K_ISINSTANCE:
        if (!(ins = emit(l, OP_ISINSTANCE))) return oom(l);
        ins->types = malloc((size_t)n->ntypes * sizeof *ins->types);
        if (!ins->types) return oom(l);
        memcpy(ins->types, n->types, (size_t)n->ntypes * sizeof *n->types);
        ins->ntypes = n->ntypes;
        return set_operands(l, ins, n->inputs, 1, n->outputs, 1);
    case K_ENTER:
    case K_EXIT: {
        cts_type *cls = n->inputs[0]->type;
        ir_function *f = cls->kind == TY_CLASS ? cts_class_find_method(cls->cls, n->k == K_ENTER ? "__enter__" : "__exit__") : NULL;
        if (!f) return cts_err_set(l->err, "with: %s has no %s", n->kind, n->k == K_ENTER ? "__enter__" : "__exit__");
        if (cts_lower_function(l->cu, f, l->err)) return -1;
        if (!(ins = emit(l, OP_CALL))) return oom(l);
        ins->callee = f;
        ins->node = n;
        if (n->k == K_ENTER) return set_operands(l, ins, n->inputs, 1, n->outputs, 1);
        /* __exit__(self, None, None, None) */
        if (set_operands(l, ins, n->inputs, 1, n->outputs, 1)) return -1;
        int *in = realloc(ins->in, 4 * sizeof *in);
        if (!in) return oom(l);
        ins->in = in;
        for (int i = 1; i < 4; i++) in[i] = add_const(l, cv_none());
        ins->nin = 4;
        return 0;
    }
    case K_CREATEOBJECT:
        if (!(ins = emit(l, OP_CREATE))) return oom(l);
        ins->type = n->outputs[0]->type;
        return set_operands(l, ins, NULL, 0, n->outputs, 1);
    default:
        return cts_err_set(l->err, "node kind %s is not supported by the cts interpreter yet", n->kind);
    }
}

/* The node of block b that is, or contains, n. */
static ir_node *ancestor_in(ir_node *n, ir_block *b) {
    while (n && n->owner != b) n = n->owner ? n->owner->owning_node : NULL;
    return n;
}

/* Registers whose value dies at node n: every use of the value lies in (or
 * under) nodes of the value's own block, and n is the last of them.  The
 * value is then released right after n runs, which keeps a call's peak
 * memory near its live set.  Values used by the block's outputs (moves at
 * the block end) or defined in another block stay until overwritten. */
static int add_drops(lowerer *l, ir_node *n) {
    int regs[256];
    int nd = 0;
    for (int i = 0; i < n->ninputs && nd < 256; i++) {
        ir_value *v = n->inputs[i];
        if (v->node->k == K_CONSTANT) continue;
        ir_block *b = v->node->k == K_PARAM ? v->node->owner : v->node->owner;
        if (ancestor_in(n, b) != n) continue; /* n is not in v's block */
        bool last = true;
        for (int u = 0; u < v->nuses && last; u++) {
            ir_node *a = ancestor_in(v->uses[u].user, b);
            if (!a || a == b->ret) last = false;
            else if (a != n && ir_is_before(n, a)) last = false;
        }
        if (!last) continue;
        int r = reg_of(l, v);
        bool dup = false;
        for (int k = 0; k < nd; k++)
            if (regs[k] == r) dup = true;
        if (!dup) regs[nd++] = r;
    }
    /* also values used only inside n's blocks (If/Loop bodies) */
    if (!nd) return 0;
    cts_instr *ins;
    if (n->nblocks || l->c->ncode == 0) {
        if (!(ins = emit(l, OP_DROP))) return oom(l);
    } else {
        ins = &l->c->code[l->c->ncode - 1];
    }
    ins->drop = malloc((size_t)nd * sizeof *ins->drop);
    if (!ins->drop) return oom(l);
    memcpy(ins->drop, regs, (size_t)nd * sizeof *regs);
    ins->ndrop = nd;
    return 0;
}

/* values used inside the blocks of n but defined outside: they die after n
 * when n is their last user in their block; collected by add_drops through
 * n's own inputs only, so gather nested uses here */
static int add_nested_drops(lowerer *l, ir_node *n, ir_block *outer) {
    /* find values defined in `outer` whose last use (by ancestor) is n,
     * but which are used only inside n's blocks (not as n's inputs) */
    int regs[256];
    int nd = 0;
    for (ir_node *d = ir_block_first(outer); d != n && nd < 256; d = d->next) {
        for (int o = 0; o < d->noutputs && nd < 256; o++) {
            ir_value *v = d->outputs[o];
            if (v->node->k == K_CONSTANT || !v->nuses) continue;
            bool used_in_n = false, last = true;
            for (int u = 0; u < v->nuses && last; u++) {
                ir_node *a = ancestor_in(v->uses[u].user, outer);
                if (!a || a == outer->ret) last = false;
                else if (a == n) used_in_n = true;
                else if (ir_is_before(n, a)) last = false;
            }
            bool direct = false;
            for (int i = 0; i < n->ninputs; i++)
                if (n->inputs[i] == v) direct = true;
            if (used_in_n && last && !direct) regs[nd++] = reg_of(l, v);
        }
    }
    if (!nd) return 0;
    cts_instr *ins = emit(l, OP_DROP);
    if (!ins) return oom(l);
    ins->drop = malloc((size_t)nd * sizeof *ins->drop);
    if (!ins->drop) return oom(l);
    memcpy(ins->drop, regs, (size_t)nd * sizeof *regs);
    ins->ndrop = nd;
    return 0;
}

static int lower_block(lowerer *l, ir_block *b) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        int before = l->c->ncode;
        if (lower_node(l, n)) return -1;
        if (n->k == K_CONSTANT || n->k == K_UNCHECKEDCAST) continue;
        if (l->c->ncode == before && !n->nblocks) continue;
        if (add_drops(l, n)) return -1;
        if (n->nblocks && add_nested_drops(l, n, b)) return -1;
    }
    return 0;
}

int cts_lower_function(cts_cu *cu, ir_function *fn, cts_err *err) {
    if (fn->exec) return 0;
    if (cts_cu_ensure_compiled(cu, fn, err)) return -1;
    if (!fn->graph) return cts_err_set(err, "function %s has no graph", fn->qualname);
    cts_code *c = calloc(1, sizeof *c);
    if (!c) return cts_err_oom(err, "code", 0);
    c->fn = fn;
    fn->exec = c; /* set first: recursive calls find it */
    fn->exec_free = code_free;
    lowerer l = {cu, c, err, {0}};
    cts_map_init(&l.regs);
    ir_block *top = fn->graph->block;
    int rc = 0;
    for (int i = 0; i < ir_block_ninputs(top); i++) reg_of(&l, ir_block_input(top, i));
    c->nparams = ir_block_ninputs(top);
    if (lower_block(&l, top)) rc = -1;
    if (!rc) {
        cts_instr *r = emit(&l, OP_RETURN);
        if (!r) rc = oom(&l);
        else {
            r->nin = 1;
            r->in = malloc(sizeof *r->in);
            if (!r->in) rc = oom(&l);
            else r->in[0] = operand(&l, ir_block_output(top, 0));
        }
    }
    for (size_t i = 0; i < l.regs.cap; i++) free((void *)l.regs.slots[i].key);
    cts_map_free(&l.regs);
    if (rc) {
        code_free(c);
        fn->exec = NULL;
        fn->exec_free = NULL;
        return cts_err_prefix(err, "%s: ", fn->qualname);
    }
    return 0;
}

/* ---- execution ---- */

#define MAX_DEPTH 200

static inline cv_value get(const cts_code *c, const cv_value *R, int x) { return x >= 0 ? R[x] : c->consts[-1 - x]; }

static inline void put(cv_value *R, int x, cv_value v) {
    cv_value old = R[x];
    R[x] = v;
    cv_release(old);
}

static bool isinstance(cv_value v, cts_type *t) {
    switch (t->kind) {
    case TY_ANY: return true;
    case TY_TENSOR: return v.tag == CV_TENSOR;
    case TY_INT: return v.tag == CV_INT;
    case TY_FLOAT: return v.tag == CV_FLOAT;
    case TY_BOOL: return v.tag == CV_BOOL;
    case TY_STR: return v.tag == CV_STR;
    case TY_NONE: return v.tag == CV_NONE;
    case TY_DEVICE: return v.tag == CV_DEVICE;
    case TY_NUMBER: return v.tag == CV_INT || v.tag == CV_FLOAT;
    case TY_OPTIONAL: return v.tag == CV_NONE || isinstance(v, t->elems[0]);
    case TY_LIST:
        if (v.tag != CV_LIST) return false;
        return t->elems[0]->kind == TY_ANY || cts_type_subtype(v.u.l->elem, t->elems[0]);
    case TY_DICT: return v.tag == CV_DICT;
    case TY_ANY_LIST: return v.tag == CV_LIST;
    case TY_ANY_TUPLE: return v.tag == CV_TUPLE;
    case TY_TUPLE:
        if (v.tag != CV_TUPLE) return false;
        if (t->n == 0 && !t->name) return true;
        if ((int)v.u.tu->len != t->n) return false;
        for (int i = 0; i < t->n; i++)
            if (!isinstance(v.u.tu->items[i], t->elems[i])) return false;
        return true;
    case TY_UNION:
        for (int i = 0; i < t->n; i++)
            if (isinstance(v, t->elems[i])) return true;
        return false;
    case TY_CLASS: return v.tag == CV_OBJECT && cts_type_equal(v.u.o->type, t);
    default: return false;
    }
}

typedef struct run_state {
    int depth;
} run_state;

static int run(ir_function *fn, const cv_value *args, int nargs, cv_value *out, cts_kctx *k, int depth);

/* After a kernel that writes arguments: the written tensors' storages get a
 * new version, so data derived from them (packed weights, tensor.h) is not
 * reused stale. */
static void bump_written(const cts_schema *s, const cv_value *in, int nin) {
    for (int i = 0; i < s->nargs && i < nin; i++) {
        if (!s->args[i].is_write) continue;
        if (in[i].tag == CV_TENSOR && in[i].u.t) ct_storage_bump_version(in[i].u.t->storage);
        else if (in[i].tag == CV_LIST)
            for (size_t j = 0; j < in[i].u.l->len; j++) {
                cv_value e = in[i].u.l->items[j];
                if (e.tag == CV_TENSOR && e.u.t) ct_storage_bump_version(e.u.t->storage);
            }
    }
}

static int exec_code(const cts_code *c, cv_value *R, cv_value *out, cts_kctx *k, int depth) {
    cts_err *err = k->err;
    cts_call_state *cs = k->frame;
    cts_trace_frame *tf = cs ? cs->trace : NULL; /* recording this function (cts trace) */
    cv_value in[128];
    int pc = 0;
    for (;;) {
        const cts_instr *ins = &c->code[pc++];
        switch (ins->op) {
        case OP_DROP: break;
        case OP_KERNEL: {
            cv_value outs[16];
            for (int i = 0; i < ins->nin; i++) in[i] = get(c, R, ins->in[i]);
            cts_kernel_fn fn = ins->fn;
            if (ins->guard_complex && cts_has_complex_tensor(in, ins->nin)) {
                if (!ins->cfn)
                    return cts_err_set(err, "%s: complex tensors are not supported by this operator in cts",
                                       ins->node ? ins->node->kind : "operator");
                fn = ins->cfn;
            }
            int krc = fn(k, in, ins->nin, outs);
            if (ins->writes) bump_written(ins->node->schema, in, ins->nin);
            if (krc) return -1;
            if (tf) cts_trace_kernel(tf, ins, in, outs);
            for (int i = 0; i < ins->nout; i++) put(R, ins->out[i], outs[i]);
            break;
        }
        case OP_MOVE: {
            cv_value v = get(c, R, ins->b);
            cv_retain(v);
            put(R, ins->a, v);
            if (tf) cts_trace_move(tf, ins->a, ins->b);
            break;
        }
        case OP_JUMP: pc = ins->a; break;
        case OP_JUMP_FALSE: {
            cv_value v = get(c, R, ins->a);
            if (!(v.tag == CV_BOOL && v.u.b)) pc = ins->b;
            break;
        }
        case OP_LOOP_TEST: {
            cv_value cnt = R[ins->a], trip = get(c, R, ins->b), cond = R[ins->c];
            if (!(cnt.u.i < trip.u.i && cond.tag == CV_BOOL && cond.u.b)) pc = ins->d;
            break;
        }
        case OP_INC:
            R[ins->a].u.i++;
            if (tf) cts_trace_move(tf, ins->a, -1);
            break;
        case OP_CALL: {
            for (int i = 0; i < ins->nin; i++) in[i] = get(c, R, ins->in[i]);
            cv_value r;
            cts_trace_frame *child = tf ? cts_trace_call_begin(tf, ins, in, ins->nin) : NULL;
            if (tf) cs->trace = child;
            int crc = run(ins->callee, in, ins->nin, &r, k, depth + 1);
            if (tf) cs->trace = tf;
            if (crc) {
                cts_trace_frame_free(child);
                return -1;
            }
            if (tf) cts_trace_call_end(tf, child, ins, in, ins->nin, r);
            put(R, ins->out[0], r);
            break;
        }
        case OP_CALL_METHOD: break;
        case OP_GETATTR: {
            cv_value o = get(c, R, ins->in[0]);
            if (o.tag != CV_OBJECT || (size_t)ins->a >= o.u.o->nslots)
                return cts_err_set(err, "GetAttr on a value that is not an object");
            cv_value v = o.u.o->slots[ins->a];
            cv_retain(v);
            put(R, ins->out[0], v);
            if (tf) cts_trace_getattr(tf, ins, o, v);
            break;
        }
        case OP_SETATTR: {
            cv_value o = get(c, R, ins->in[0]);
            if (o.tag != CV_OBJECT || (size_t)ins->a >= o.u.o->nslots)
                return cts_err_set(err, "SetAttr on a value that is not an object");
            cv_assign(&o.u.o->slots[ins->a], get(c, R, ins->in[1]));
            break;
        }
        case OP_LIST: {
            cv_value l;
            if (cv_list_new(ins->type, (size_t)ins->nin, &l, err)) return -1;
            for (int i = 0; i < ins->nin; i++) {
                cv_value v = get(c, R, ins->in[i]);
                cv_retain(v);
                l.u.l->items[i] = v;
            }
            l.u.l->len = (size_t)ins->nin;
            put(R, ins->out[0], l);
            if (tf) cts_trace_construct(tf, ins, l);
            break;
        }
        case OP_LIST_UNPACK: {
            cv_value l = get(c, R, ins->in[0]);
            if (l.tag != CV_LIST || l.u.l->len != (size_t)ins->nout)
                return cts_err_set(err, "Expected %d elements in a list but found %zu", ins->nout,
                                   l.tag == CV_LIST ? l.u.l->len : (size_t)0);
            for (int i = 0; i < ins->nout; i++) {
                cv_value v = l.u.l->items[i];
                cv_retain(v);
                put(R, ins->out[i], v);
            }
            if (tf) cts_trace_unpack(tf, ins, l, l.u.l->items);
            break;
        }
        case OP_TUPLE: {
            cv_value t;
            for (int i = 0; i < ins->nin; i++) {
                in[i] = get(c, R, ins->in[i]);
                cv_retain(in[i]);
            }
            if (cv_tuple_new(ins->type, (size_t)ins->nin, in, &t, err)) return -1;
            put(R, ins->out[0], t);
            if (tf) cts_trace_construct(tf, ins, t);
            break;
        }
        case OP_TUPLE_UNPACK: {
            cv_value t = get(c, R, ins->in[0]);
            if (t.tag != CV_TUPLE || t.u.tu->len != (size_t)ins->nout) return cts_err_set(err, "tuple unpack: wrong length");
            for (int i = 0; i < ins->nout; i++) {
                cv_value v = t.u.tu->items[i];
                cv_retain(v);
                put(R, ins->out[i], v);
            }
            if (tf) cts_trace_unpack(tf, ins, t, t.u.tu->items);
            break;
        }
        case OP_TUPLE_INDEX: {
            cv_value t = get(c, R, ins->in[0]), i = get(c, R, ins->in[1]);
            int64_t idx = i.u.i, len = t.tag == CV_TUPLE ? (int64_t)t.u.tu->len : 0;
            if (idx < 0) idx += len;
            if (t.tag != CV_TUPLE || idx < 0 || idx >= len) return cts_err_set(err, "tuple index out of range");
            cv_value v = t.u.tu->items[idx];
            cv_retain(v);
            put(R, ins->out[0], v);
            if (tf) cts_trace_tuple_index(tf, ins, t, i, v);
            break;
        }
        case OP_TUPLE_SLICE: {
            cv_value t = get(c, R, ins->in[0]);
            int64_t a = get(c, R, ins->in[1]).u.i, b = get(c, R, ins->in[2]).u.i;
            if (t.tag != CV_TUPLE || a < 0 || b < a || (size_t)b > t.u.tu->len) return cts_err_set(err, "bad tuple slice");
            for (int64_t j = a; j < b; j++) {
                in[j - a] = t.u.tu->items[j];
                cv_retain(in[j - a]);
            }
            cv_value r;
            if (cv_tuple_new(NULL, (size_t)(b - a), in, &r, err)) return -1;
            put(R, ins->out[0], r);
            if (tf) cts_trace_forget(tf, ins);
            break;
        }
        case OP_DICT: {
            cv_value d;
            if (cv_dict_new(ins->type, ins->type2, &d, err)) return -1;
            for (int i = 0; i + 1 < ins->nin; i += 2) {
                cv_value kk = get(c, R, ins->in[i]), vv = get(c, R, ins->in[i + 1]);
                cv_retain(kk);
                cv_retain(vv);
                if (cv_dict_set(d.u.d, kk, vv, err)) {
                    cv_release(d);
                    return -1;
                }
            }
            put(R, ins->out[0], d);
            if (tf) cts_trace_forget(tf, ins);
            break;
        }
        case OP_RAISE: {
            cv_value msg = get(c, R, ins->in[0]);
            cv_value cls = ins->nin > 1 ? get(c, R, ins->in[1]) : cv_none();
            const char *m = msg.tag == CV_STR ? msg.u.s->data : "";
            if (cls.tag == CV_STR) return cts_err_set(err, "%s: %s", cls.u.s->data, m);
            return cts_err_set(err, "RuntimeError: %s", m);
        }
        case OP_PRINT: {
            cts_strbuf sb;
            cts_sb_init(&sb);
            /* prim::Print prints with PyTorch's C++ value printer */
            for (int i = 0; i < ins->nin; i++) {
                if (i) cts_sb_putc(&sb, ' ');
                cts_ivalue_str(get(c, R, ins->in[i]), &sb);
            }
            cts_sb_putc(&sb, '\n');
            fputs(cts_sb_str(&sb), stdout);
            cts_sb_free(&sb);
            break;
        }
        case OP_ISINSTANCE: {
            cv_value v = get(c, R, ins->in[0]);
            bool r = false;
            for (int i = 0; i < ins->ntypes && !r; i++) r = isinstance(v, ins->types[i]);
            put(R, ins->out[0], cv_bool(r));
            if (tf) cts_trace_forget(tf, ins);
            break;
        }
        case OP_CREATE: {
            cv_value o;
            if (cv_object_new(ins->type, &o, err)) return -1;
            put(R, ins->out[0], o);
            if (tf) cts_trace_forget(tf, ins);
            break;
        }
        case OP_UNINIT:
            put(R, ins->out[0], cv_uninit());
            if (tf) cts_trace_forget(tf, ins);
            break;
        case OP_RETURN: {
            cv_value v = get(c, R, ins->in[0]);
            cv_retain(v);
            *out = v;
            return 0;
        }
        default: return cts_err_set(err, "bad opcode %d", (int)ins->op);
        }
        for (int i = 0; i < ins->ndrop; i++) put(R, ins->drop[i], cv_none());
    }
}

static int run(ir_function *fn, const cv_value *args, int nargs, cv_value *out, cts_kctx *k, int depth) {
    const cts_code *c = fn->exec;
    if (!c) return cts_err_set(k->err, "function %s was not prepared to run", fn->qualname);
    if (depth > MAX_DEPTH) return cts_err_set(k->err, "maximum recursion depth exceeded in %s", fn->qualname);
    if (nargs != c->nparams)
        return cts_err_set(k->err, "%s() expected %d arguments but got %d", fn->name, c->nparams, nargs);
    cv_value stack_regs[64];
    cv_value *R = c->nregs <= 64 ? stack_regs : malloc((size_t)c->nregs * sizeof *R);
    if (!R) return cts_err_oom(k->err, "frame", (size_t)c->nregs);
    for (int i = 0; i < c->nregs; i++) R[i] = cv_none();
    for (int i = 0; i < nargs; i++) {
        R[i] = args[i];
        cv_retain(args[i]);
    }
    int rc = exec_code(c, R, out, k, depth);
    for (int i = 0; i < c->nregs; i++) cv_release(R[i]);
    if (R != stack_regs) free(R);
    return rc;
}

int cts_run_function(ir_function *fn, const cv_value *args, int nargs, cv_value *out, cts_kctx *k) {
    cts_call_state state = {false};
    void *saved = k->frame;
    if (!saved) k->frame = &state;
    int rc = run(fn, args, nargs, out, k, 0);
    k->frame = saved;
    return rc;
}
