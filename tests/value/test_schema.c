/* test_schema.c - schema parsing as PyTorch's function_schema_parser. */
#include "ops/schema_list.h"
#include "test.h"
#include "value/schema.h"

TEST(test_every_pytorch_1_13_schema_parses) {
    int n = cts_schema_count(), bad = 0;
    for (int i = 0; i < n; i++) {
        cts_err err = {0};
        cts_schema *s = cts_schema_parse(cts_schema_text(i), &err);
        if (!s) {
            if (bad++ < 5) fprintf(stderr, "%s\n", err.msg);
        }
        cts_schema_free(s);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(n > 4000);
}

TEST(test_schema_arguments_defaults_and_kwarg_only) {
    cts_err err = {0};
    cts_schema *s = cts_schema_parse("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", &err);
    CHECK(s != NULL);
    if (!s) return;
    CHECK_STR(s->name, "aten::add");
    CHECK_STR(s->overload, "Tensor");
    CHECK_EQ_INT(s->nargs, 3);
    CHECK(s->args[2].kwarg_only);
    CHECK(s->args[2].has_default && s->args[2].default_val.tag == CV_INT && s->args[2].default_val.u.i == 1);
    CHECK_EQ_INT(s->args[2].type->kind, TY_NUMBER);
    CHECK_EQ_INT(s->nrets, 1);
    cts_schema_free(s);
}

TEST(test_sized_list_default_repeats) {
    cts_err err = {0};
    cts_schema *s = cts_schema_parse(
        "aten::conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] "
        "dilation=1, int groups=1) -> Tensor",
        &err);
    CHECK(s != NULL);
    if (!s) return;
    CHECK_EQ_INT(s->args[3].N, 2);
    cv_value d = s->args[3].default_val;
    CHECK(d.tag == CV_LIST && d.u.l->len == 2 && d.u.l->items[1].u.i == 1);
    CHECK_EQ_INT(s->args[2].type->kind, TY_OPTIONAL);
    cts_schema_free(s);
}

TEST(test_type_variables_alias_sets_and_multiple_returns) {
    cts_err err = {0};
    cts_schema *s = cts_schema_parse("aten::append.t(t[](a!) self, t(c -> *) el) -> t[](a!)", &err);
    CHECK(s != NULL);
    if (s) {
        CHECK(s->args[0].is_write);
        CHECK_EQ_INT(s->args[0].type->kind, TY_LIST);
        CHECK_EQ_INT(s->args[0].type->elems[0]->kind, TY_VAR);
    }
    cts_schema_free(s);
    s = cts_schema_parse("aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)", &err);
    CHECK(s != NULL);
    if (s) {
        CHECK_EQ_INT(s->nrets, 2);
        CHECK_STR(s->rets[1].name, "indices");
    }
    cts_schema_free(s);
}

TEST(test_malformed_schema_is_an_error) {
    cts_err err = {0};
    cts_schema *s = cts_schema_parse("aten::foo(Tensor self -> Tensor", &err);
    CHECK(s == NULL);
    CHECK_CONTAINS(err.msg, "schema parse error");
    cts_schema_free(s);
}

TEST(test_schema_lookup_keeps_registry_order) {
    int idx[64];
    int n = cts_schema_find("aten::add", idx, 64);
    CHECK(n >= 4);
    CHECK_CONTAINS(cts_schema_text(idx[0]), "aten::add.Tensor(");
    CHECK_CONTAINS(cts_schema_text(idx[1]), "aten::add.Scalar(");
    CHECK_EQ_INT(cts_schema_find("aten::no_such_op", idx, 64), 0);
}

int main(void) {
    RUN(test_every_pytorch_1_13_schema_parses);
    RUN(test_schema_arguments_defaults_and_kwarg_only);
    RUN(test_sized_list_default_repeats);
    RUN(test_type_variables_alias_sets_and_multiple_returns);
    RUN(test_malformed_schema_is_an_error);
    RUN(test_schema_lookup_keeps_registry_order);
    return test_summary();
}
