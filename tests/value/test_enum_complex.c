/* test_enum_complex.c - enum members and complex scalars as values: equality,
 * repr (the IR constant spelling), runtime type and type spelling. */
#include "test.h"
#include "value/type.h"
#include "value/value.h"

static cts_type *color_enum(const char *qualname) {
    cts_type *t = cts_type_class(qualname, false);
    if (t) t->cls->is_enum = true;
    return t;
}

static cv_value member(cts_type *t, const char *name, cv_value value) {
    cts_err err = {0};
    cv_value n, m = cv_none();
    if (cv_str_from(name, &n, &err)) return m;
    if (cv_enum_new(t, n, value, &m, &err)) m = cv_none();
    cv_release(n);
    return m;
}

TEST(test_enum_members_compare_by_class_and_name) {
    cts_type *a = color_enum("__torch__.m.Color"), *b = color_enum("__torch__.m.Other");
    CHECK(a && b);
    if (!a || !b) return;
    cv_value red1 = member(a, "RED", cv_int(1)), red2 = member(a, "RED", cv_int(1));
    cv_value green = member(a, "GREEN", cv_int(2)), other = member(b, "RED", cv_int(1));
    CHECK(cv_is_enum(red1) && cv_is_enum(green));
    CHECK(red1.u.o != red2.u.o);
    CHECK(cv_equal(red1, red2));  /* two constants of one member are equal */
    CHECK(!cv_equal(red1, green));
    CHECK(!cv_equal(red1, other)); /* same name, another enum */
    cts_strbuf sb;
    cts_sb_init(&sb);
    cv_repr(green, &sb);
    CHECK_STR(cts_sb_str(&sb), "__torch__.m.Color.GREEN");
    cts_sb_free(&sb);
    cts_sb_init(&sb);
    cts_type_str_ir(a, &sb);
    CHECK_STR(cts_sb_str(&sb), "Enum<__torch__.m.Color>");
    cts_sb_free(&sb);
    cts_sb_init(&sb);
    cts_type_str_annot(a, &sb);
    CHECK_STR(cts_sb_str(&sb), "__torch__.m.Color");
    cts_sb_free(&sb);
    /* an enum is an AnyEnumType, not an AnyClassType */
    CHECK(cts_type_subtype(a, cts_type_prim(TY_ANY_ENUM)));
    CHECK(!cts_type_subtype(a, cts_type_prim(TY_ANY_CLASS)));
    cv_release(red1);
    cv_release(red2);
    cv_release(green);
    cv_release(other);
    cts_type_release(a);
    cts_type_release(b);
}

TEST(test_complex_scalars_print_and_compare) {
    cts_err err = {0};
    cv_value z, w, u;
    CHECK(cv_complex_new(1.5, -2.0, &z, &err) == 0);
    CHECK(cv_complex_new(1.5, -2.0, &w, &err) == 0);
    CHECK(cv_complex_new(0.5, 0.25, &u, &err) == 0);
    CHECK(cv_is_heap(&z));
    CHECK(cv_equal(z, w));
    CHECK(!cv_equal(z, u));
    CHECK(!cv_equal(z, cv_float(1.5)));
    cts_type *t = cv_type_of(z);
    CHECK(t && t->kind == TY_COMPLEX);
    cts_type_release(t);
    cts_strbuf sb;
    cts_sb_init(&sb);
    cv_repr(z, &sb);
    CHECK_STR(cts_sb_str(&sb), "1.5-2.j");
    cts_sb_free(&sb);
    cts_sb_init(&sb);
    cv_repr(u, &sb);
    CHECK_STR(cts_sb_str(&sb), "0.5+0.25j");
    cts_sb_free(&sb);
    cv_retain(z);
    cv_release(z);
    cv_release(z);
    cv_release(w);
    cv_release(u);
}

int main(void) {
    RUN(test_enum_members_compare_by_class_and_name);
    RUN(test_complex_scalars_print_and_compare);
    return test_summary();
}
