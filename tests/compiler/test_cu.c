/* test_cu.c - compilation units: declaring classes and finding them again.
 *
 * Sources are TorchScript code as archives hold it (code/__torch__/m.py). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/cu.h"
#include "ir/ir.h"
#include "test.h"

static const char m_source[] =
    "class Foo:\n"
    "  x : int\n"
    "  y : List[int]\n"
    "class Bar(NamedTuple):\n"
    "  a : int\n"
    "  b : float\n";

static cts_cu *unit_with_m(cts_err *err) {
    cts_cu *cu = cts_cu_new(NULL, NULL);
    if (!cu) return NULL;
    if (cts_cu_add_source(cu, "__torch__.m", "code/__torch__/m.py", m_source, sizeof m_source - 1, err)) {
        cts_cu_free(cu);
        return NULL;
    }
    return cu;
}

/* The unit keys a class by its own copy of the name: the caller's buffer may
 * change or go away right after the call. */
TEST(test_cu_class_outlives_callers_name) {
    cts_err err = {0};
    cts_cu *cu = unit_with_m(&err);
    CHECK(cu != NULL);
    if (!cu) return;
    const char *names[2] = {"__torch__.m.Foo", "__torch__.m.Bar"};
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(names[i]) + 1;
        char *q = malloc(n);
        CHECK(q != NULL);
        if (!q) break;
        memcpy(q, names[i], n);
        cts_type *t1 = cts_cu_get_class(cu, q, &err);
        CHECK(t1 != NULL);
        memset(q, 'z', n - 1); /* the caller reuses its buffer */
        cts_type *t2 = cts_cu_get_class(cu, names[i], &err);
        free(q);
        CHECK(t1 == t2); /* found again, not declared a second time */
        cts_type *t3 = cts_cu_get_class(cu, names[i], &err);
        CHECK(t2 == t3);
    }
    cts_type *foo = cts_cu_get_class(cu, "__torch__.m.Foo", &err);
    CHECK(foo && foo->kind == TY_CLASS);
    if (foo && foo->kind == TY_CLASS) {
        CHECK_STR(foo->cls->qualname, "__torch__.m.Foo");
        CHECK_EQ_INT(cts_class_find_attr(foo->cls, "y"), 1);
    }
    cts_type *bar = cts_cu_get_class(cu, "__torch__.m.Bar", &err);
    CHECK(bar && bar->kind == TY_TUPLE && bar->name);
    if (bar && bar->name) CHECK_STR(bar->name, "__torch__.m.Bar");
    cts_cu_free(cu);
}

TEST(test_cu_unknown_class_is_an_error) {
    cts_err err = {0};
    cts_cu *cu = unit_with_m(&err);
    CHECK(cu != NULL);
    if (!cu) return;
    CHECK(cts_cu_get_class(cu, "__torch__.m.Nope", &err) == NULL);
    CHECK(err.set);
    CHECK_CONTAINS(err.msg, "__torch__.m.Nope");
    cts_cu_free(cu);
}

/* An Enum class body (as archives print it) declares an enum type whose
 * members, in order, are its constants; mixed value types are an error. */
TEST(test_cu_declares_enum_classes) {
    static const char src[] = "class Mode(Enum):\n"
                              "  TRAIN = \"train\"\n"
                              "  EVAL = \"eval\"\n"
                              "class Scale(Enum):\n"
                              "  SMALL = -0.5\n"
                              "  LARGE = 2.0\n"
                              "class Bad(Enum):\n"
                              "  A = 1\n"
                              "  B = \"b\"\n";
    cts_err err = {0};
    cts_cu *cu = cts_cu_new(NULL, NULL);
    CHECK(cu != NULL);
    if (!cu) return;
    CHECK(cts_cu_add_source(cu, "__torch__.e", "code/__torch__/e.py", src, sizeof src - 1, &err) == 0);
    cts_type *mode = cts_cu_get_class(cu, "__torch__.e.Mode", &err);
    CHECK(mode && mode->kind == TY_CLASS && mode->cls->is_enum);
    if (mode && mode->kind == TY_CLASS) {
        CHECK_EQ_INT(mode->cls->nconsts, 2);
        CHECK_STR(mode->cls->consts[1].name, "EVAL");
        CHECK(mode->cls->consts[1].type->kind == TY_STR);
    }
    cts_type *scale = cts_cu_get_class(cu, "__torch__.e.Scale", &err);
    CHECK(scale && scale->kind == TY_CLASS && scale->cls->is_enum && scale->cls->nconsts == 2);
    if (scale && scale->kind == TY_CLASS && scale->cls->nconsts == 2) {
        const cv_value *v = scale->cls->consts[0].value;
        CHECK(v->tag == CV_FLOAT && v->u.f == -0.5);
    }
    cts_err bad = {0};
    CHECK(cts_cu_get_class(cu, "__torch__.e.Bad", &bad) == NULL);
    CHECK_CONTAINS(bad.msg, "mixes value types");
    cts_cu_free(cu);
}

/* `2.j` is a complex constant (emitConst), and arithmetic on complex
 * constants folds as in PyTorch: `1. + 2.j` is the constant 1.+2.j. */
TEST(test_cu_imaginary_literals_are_complex_constants) {
    static const char src[] = "def f() -> complex:\n"
                              "  return 1. + 2.j\n";
    cts_err err = {0};
    cts_cu *cu = cts_cu_new(NULL, NULL);
    CHECK(cu && cts_cu_add_source(cu, "__torch__.c", "code/__torch__/c.py", src, sizeof src - 1, &err) == 0);
    if (!cu) return;
    ir_function *f = cts_cu_get_function(cu, "__torch__.c.f", &err);
    CHECK(f && cts_cu_ensure_compiled(cu, f, &err) == 0);
    if (!f || !f->graph) {
        fprintf(stderr, "%s\n", err.msg);
        cts_cu_free(cu);
        return;
    }
    ir_value *r = ir_block_output(f->graph->block, 0);
    CHECK(r->node->k == K_CONSTANT && r->type->kind == TY_COMPLEX);
    CHECK(r->node->value.tag == CV_COMPLEX && r->node->value.u.c->re == 1.0 && r->node->value.u.c->im == 2.0);
    cts_cu_free(cu);
}

/* `f(**kw)` parses (cts exec expands it in eager code) and is a compile
 * error in TorchScript, with PyTorch's message at the expansion. */
/* Compiles function f of the source src (in module __torch__); the result
 * of cts_cu_ensure_compiled, or -2 when f is not even declared. */
static int compile_f(const char *src, cts_err *err) {
    cts_cu *cu = cts_cu_new(NULL, NULL);
    if (!cu) return -2;
    int rc = -2;
    if (cts_cu_add_source(cu, "__torch__", "m.py", src, strlen(src), err) == 0) {
        ir_function *f = cts_cu_get_function(cu, "__torch__.f", err);
        if (f) rc = cts_cu_ensure_compiled(cu, f, err);
    }
    cts_cu_free(cu);
    return rc;
}

TEST(test_cu_keyword_expansion_is_a_compile_error) {
    cts_err err = {0};
    CHECK_EQ_INT(compile_f("def g(a: int) -> int:\n  return a\ndef f(d: Dict[str, int]) -> int:\n  return g(**d)\n", &err),
                 -1);
    CHECK_CONTAINS(err.msg, "keyword-arg expansion is not supported");
    CHECK_CONTAINS(err.msg, "line 4");
}

/* An unrolled loop (over a tuple of tuples) with several targets unpacks
 * each item into them (it read past its one item before). */
TEST(test_cu_unrolled_loop_with_tuple_targets) {
    cts_err err = {0};
    int rc = compile_f("def f(x: int) -> int:\n  s = 0\n  for a, b in ((1, 2), (3, 4)):\n    s += a * b + x\n  return s\n",
                       &err);
    if (rc) fprintf(stderr, "%s\n", err.msg);
    CHECK_EQ_INT(rc, 0);
}

int main(void) {
    RUN(test_cu_imaginary_literals_are_complex_constants);
    RUN(test_cu_keyword_expansion_is_a_compile_error);
    RUN(test_cu_unrolled_loop_with_tuple_targets);
    RUN(test_cu_declares_enum_classes);
    RUN(test_cu_class_outlives_callers_name);
    RUN(test_cu_unknown_class_is_an_error);
    return test_summary();
}
