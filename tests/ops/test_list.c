/* test_list.c - the `list` family (lists and dicts) against PyTorch 1.13.
 *
 * Expected strings are TorchScript's str() of the same operation under
 * torch 1.13.1; errors are its RuntimeError messages. */
#include <math.h>

#include "optest.h"
#include "test.h"

extern const cts_op_def cts_ops_list[];
extern const int cts_ops_list_count;

static cv_value ints(int n, const int64_t *v) {
    cv_value l = LIST(T_INT, 0);
    cts_err err = {0};
    for (int i = 0; i < n; i++) cv_list_push(l.u.l, I(v[i]), &err);
    return l;
}
static cv_value floats(int n, const double *v) {
    cv_value l = LIST(T_FLOAT, 0);
    cts_err err = {0};
    for (int i = 0; i < n; i++) cv_list_push(l.u.l, F(v[i]), &err);
    return l;
}
#define INTS(...) ints((int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), (int64_t[]){__VA_ARGS__})
#define FLOATS(...) floats((int)(sizeof((double[]){__VA_ARGS__}) / sizeof(double)), (double[]){__VA_ARGS__})

TEST(test_list_table_keys_unique) { CHECK_EQ_INT(optest_duplicate_keys(), 0); }

TEST(test_list_getitem_and_setitem) {
    CHECK_STR(R("aten::__getitem__.t", 2, INTS(1, 2, 3), I(-1)), "3");
    CHECK_STR(R("aten::__getitem__.t", 2, INTS(1, 2, 3), I(5)), "ERR: list index out of range");
    CHECK_STR(R("aten::__getitem__.t", 2, INTS(1, 2, 3), I(-4)), "ERR: list index out of range");
    CHECK_STR(R("aten::select.t", 2, INTS(1, 2, 3), I(0)), "1");
    cv_value l = INTS(1, 2);
    CHECK_STR(R("aten::_set_item.t", 3, KEEP(l), I(-1), I(9)), "[1, 9]");
    CHECK_STR(R("aten::_set_item.t", 3, KEEP(l), I(5), I(1)), "ERR: list index out of range");
    CHECK_STR(SHOW(l), "[1, 9]");
    cv_release(l);
}

/* lists are shared: append through one reference shows in the other; a
 * copy is a new list */
TEST(test_list_mutation_aliasing) {
    cv_value a = INTS(1);
    CHECK_STR(R("aten::append.t", 2, KEEP(a), I(3)), "[1, 3]");
    cts_err err = {0};
    cv_value args[1] = {a}, c;
    CHECK_EQ_INT(optest_call("aten::copy.t", args, 1, &c, &err), 0);
    CHECK_STR(R("aten::append.t", 2, KEEP(c), I(4)), "[1, 3, 4]");
    CHECK_STR(SHOW(a), "[1, 3]");
    CHECK(c.u.l != a.u.l && c.u.l->elem == a.u.l->elem);
    CHECK_STR(R("aten::extend.t", 2, KEEP(a), KEEP(a)), "None");
    CHECK_STR(SHOW(a), "[1, 3, 1, 3]");
    CHECK_STR(R("aten::reverse.t", 1, KEEP(a)), "None");
    CHECK_STR(SHOW(a), "[3, 1, 3, 1]");
    CHECK_STR(R("aten::clear.t", 1, KEEP(a)), "None");
    CHECK_STR(SHOW(a), "[]");
    CHECK_STR(R("aten::list.t", 1, KEEP(c)), "[1, 3, 4]");
    cv_release(a);
    cv_release(c);
}

TEST(test_list_pop_delete_insert) {
    cv_value l = INTS(1, 2, 3);
    CHECK_STR(R("aten::pop.t", 2, KEEP(l), I(-2)), "2");
    CHECK_STR(R("aten::pop.t", 2, KEEP(l), I(5)), "ERR: list index out of range");
    CHECK_STR(R("aten::pop.t", 2, KEEP(l), I(-1)), "3");
    CHECK_STR(SHOW(l), "[1]");
    CHECK_STR(R("aten::pop.t", 2, INTS(), I(-1)), "ERR: pop from empty list");
    CHECK_STR(R("aten::Delete.t", 2, INTS(), I(0)), "ERR: pop index out of range");
    CHECK_STR(R("aten::Delete.t", 2, INTS(1, 2), I(5)), "ERR: list index out of range");
    cv_value m = INTS(1, 2);
    CHECK_STR(R("aten::Delete.t", 2, KEEP(m), I(-1)), "None");
    CHECK_STR(SHOW(m), "[1]");
    cv_release(m);
    /* a.insert(-10, 9); a.insert(10, 8); a.insert(1, 7) on [1, 2] */
    cv_value v = INTS(1, 2);
    R("aten::insert.t", 3, KEEP(v), I(-10), I(9));
    R("aten::insert.t", 3, KEEP(v), I(10), I(8));
    R("aten::insert.t", 3, KEEP(v), I(1), I(7));
    CHECK_STR(SHOW(v), "[9, 7, 1, 2, 8]");
    cv_release(v);
    cv_release(l);
}

TEST(test_list_slice) {
    CHECK_STR(R("aten::slice.t", 4, INTS(1, 2, 3), N(), N(), I(-1)), "[3, 2, 1]");
    CHECK_STR(R("aten::slice.t", 4, INTS(1, 2, 3, 4), N(), N(), I(-2)), "[4, 2]");
    CHECK_STR(R("aten::slice.t", 4, INTS(1, 2, 3, 4), I(1), N(), I(-1)), "[2, 1]");
    CHECK_STR(R("aten::slice.t", 4, INTS(1, 2, 3, 4), N(), I(1), I(-1)), "[4, 3]");
    CHECK_STR(R("aten::slice.t", 4, INTS(1, 2, 3, 4), I(-100), I(100), I(1)), "[1, 2, 3, 4]");
    CHECK_STR(R("aten::slice.t", 4, INTS(1, 2, 3, 4), I(1), I(-1), I(1)), "[2, 3]");
    CHECK_STR(R("aten::slice.t", 4, INTS(1, 2, 3, 4), I(3), I(1), I(1)), "[]");
    CHECK_STR(R("aten::slice.t", 4, INTS(1, 2, 3, 4), N(), N(), I(0)), "ERR: List slice should have non-zero step");
}

TEST(test_list_add_mul_len) {
    CHECK_STR(R("aten::add.t", 2, INTS(1), INTS(2, 3)), "[1, 2, 3]");
    cv_value l = INTS(1);
    CHECK_STR(R("aten::add_.t", 2, KEEP(l), INTS(5)), "[1, 5]");
    CHECK_STR(SHOW(l), "[1, 5]");
    CHECK_STR(R("aten::mul.left_t", 2, KEEP(l), I(2)), "[1, 5, 1, 5]");
    CHECK_STR(R("aten::mul.right_", 2, I(2), KEEP(l)), "[1, 5, 1, 5]");
    CHECK_STR(R("aten::mul.left_t", 2, KEEP(l), I(0)), "[]");
    CHECK_STR(R("aten::mul.left_t", 2, KEEP(l), I(-1)), "ERR: vector::reserve");
    CHECK_STR(R("aten::mul.left_t", 2, INTS(), I(-1)), "[]");
    CHECK_STR(R("aten::mul_.t", 2, KEEP(l), I(3)), "[1, 5, 1, 5, 1, 5]");
    CHECK_STR(R("aten::len.t", 1, KEEP(l)), "6");
    CHECK_STR(R("aten::mul_.t", 2, KEEP(l), I(-3)), "[]");
    CHECK_STR(R("aten::len.any", 1, LIST(T_ANY, 2, I(1), S("a"))), "2");
    cv_release(l);
    int64_t sz[2] = {3, 2};
    cts_err err = {0};
    CHECK_STR(R("aten::len.Tensor", 1, cv_tensor(ct_tensor_zeros(CT_FLOAT32, 2, sz, &err))), "3");
    CHECK_STR(R("aten::len.Tensor", 1, TEN0(CT_FLOAT32, 1.0)), "ERR: len() of a 0-d tensor");
    CHECK_STR(R("aten::Size", 1, INTS(2, 3)), "[2, 3]");
}

TEST(test_list_equality) {
    CHECK_STR(R("aten::eq.int_list", 2, INTS(1, 2), INTS(1, 2)), "True");
    CHECK_STR(R("aten::ne.int_list", 2, INTS(1, 2), INTS(1)), "True");
    CHECK_STR(R("aten::eq.float_list", 2, FLOATS(NAN), FLOATS(NAN)), "False");
    CHECK_STR(R("aten::eq.str_list", 2, LIST(T_STR, 1, S("a")), LIST(T_STR, 1, S("a"))), "True");
    CHECK_STR(R("aten::eq.bool_list", 2, LIST(T_BOOL, 1, B(true)), LIST(T_BOOL, 1, B(false))), "False");
    CHECK_STR(R("aten::eq.Tensor_list", 2, LIST(T_TENSOR, 1, TEN0(CT_INT64, 1)), LIST(T_TENSOR, 1, TEN0(CT_FLOAT32, 1))),
              "True");
    double two[2] = {1, 2};
    CHECK_STR(R("aten::eq.Tensor_list", 2, LIST(T_TENSOR, 1, TEN1(CT_FLOAT32, 2, two)),
                LIST(T_TENSOR, 1, TEN0(CT_FLOAT32, 1))),
              "ERR: Boolean value of Tensor with more than one value is ambiguous");
}

TEST(test_list_min_max) {
    CHECK_STR(R("prim::min.int_list", 2, INTS(1, 2), INTS(1, 2, 0)), "[1, 2]");
    CHECK_STR(R("prim::max.int_list", 2, INTS(1, 2), INTS(1, 2, 0)), "[1, 2, 0]");
    CHECK_STR(R("prim::max.int_list", 2, INTS(1, 2), INTS(1, 3)), "[1, 3]");
    /* the result is one of the arguments (the second on a tie) */
    cv_value x = INTS(1, 2), y = INTS(1, 2), out;
    cv_value args[2] = {x, y};
    cts_err err = {0};
    CHECK_EQ_INT(optest_call("prim::min.int_list", args, 2, &out, &err), 0);
    CHECK(out.u.l == y.u.l);
    cv_release(out);
    cv_release(x);
    cv_release(y);
    CHECK_STR(R("prim::min.self_int", 1, INTS()), "ERR: min() arg is an empty sequence");
    CHECK_STR(R("prim::max.self_float", 1, FLOATS()), "ERR: max() arg is an empty sequence");
    CHECK_STR(R("prim::max.self_int", 1, INTS(3, 1, 2)), "3");
    CHECK_STR(R("prim::min.self_float", 1, FLOATS(1.0, NAN, 0.5)), "0.5");
    CHECK_STR(R("prim::max.self_bool", 1, LIST(T_BOOL, 2, B(true), B(false))), "True");
}

TEST(test_list_find_count_remove) {
    CHECK_STR(R("aten::index.list_int", 2, INTS(1, 2), I(5)), "ERR: '5' is not in list");
    CHECK_STR(R("aten::index.list_int", 2, INTS(1, 2, 2), I(2)), "1");
    CHECK_STR(R("aten::index.list_float", 2, FLOATS(1.0, 2.0), F(5.5)), "ERR: '5.5' is not in list");
    CHECK_STR(R("aten::index.list_float", 2, FLOATS(1.0), F(0.1)), "ERR: '0.1' is not in list");
    CHECK_STR(R("aten::index.list_float", 2, FLOATS(1.0), F(1e20)), "ERR: '1e+20' is not in list");
    CHECK_STR(R("aten::index.list_str", 2, LIST(T_STR, 1, S("a")), S("x")), "ERR: 'x' is not in list");
    CHECK_STR(R("aten::index.list_bool", 2, LIST(T_BOOL, 1, B(false)), B(true)), "ERR: '1' is not in list");
    CHECK_STR(R("aten::index.list_Tensor", 2, LIST(T_TENSOR, 2, TEN0(CT_INT64, 1), TEN0(CT_INT64, 2)), TEN0(CT_INT64, 2)),
              "1");
    CHECK_STR(R("aten::count.int", 2, INTS(1, 2, 2), I(2)), "2");
    CHECK_STR(R("aten::count.float", 2, FLOATS(1.0, 2.0, NAN), F(2.0)), "1");
    CHECK_STR(R("aten::count.Tensor", 2, LIST(T_TENSOR, 2, TEN0(CT_INT64, 2), TEN0(CT_FLOAT32, 2)), TEN0(CT_INT64, 2)),
              "2");
    CHECK_STR(R("aten::__contains__.float_list", 2, FLOATS(NAN), F(NAN)), "False");
    CHECK_STR(R("aten::__contains__.str_list", 2, LIST(T_STR, 2, S("a"), S("b")), S("b")), "True");
    CHECK_STR(R("aten::__contains__.int_list", 2, INTS(1), I(2)), "False");
    cv_value l = INTS(1, 2, 1);
    CHECK_STR(R("aten::remove.int", 2, KEEP(l), I(1)), "None");
    CHECK_STR(SHOW(l), "[2, 1]");
    CHECK_STR(R("aten::remove.int", 2, KEEP(l), I(5)), "ERR: list.remove(x): x not in list");
    cv_release(l);
}

TEST(test_list_sum_any_all) {
    CHECK_STR(R("aten::sum.int", 1, INTS(1, 2)), "3");
    CHECK_STR(R("aten::sum.int", 1, INTS(1099511627776LL, 1)), "1");
    CHECK_STR(R("aten::sum.int", 1, INTS(2147483647, 1)), "-2147483648");
    CHECK_STR(R("aten::sum.bool", 1, LIST(T_BOOL, 3, B(true), B(true), B(false))), "2");
    CHECK_STR(R("aten::sum.float", 1, FLOATS(0.5, 2.0)), "2.5");
    CHECK_STR(R("aten::any.str", 1, LIST(T_STR, 2, S(""), S("x"))), "True");
    CHECK_STR(R("aten::any.int", 1, INTS(0, 0)), "False");
    CHECK_STR(R("aten::all.int", 1, INTS()), "True");
    CHECK_STR(R("aten::all.float", 1, FLOATS(1.0, 0.0)), "False");
}

/* sort() reproduces std::sort, so even nan-laden lists end up in
 * PyTorch's order */
TEST(test_list_sort_matches_std_sort) {
    CHECK_STR(R("aten::sorted.float", 1, FLOATS(3.0, NAN, 1.0)), "[1., 3., nan]");
    CHECK_STR(R("aten::sorted.str", 1, LIST(T_STR, 3, S("b"), S("a"), S("B"))), "[B, a, b]");
    CHECK_STR(R("aten::sorted.bool", 1, LIST(T_BOOL, 3, B(true), B(false), B(true))), "[False, True, True]");
    cv_value xs = FLOATS(4.0, -1.0, 0.0, NAN, 3.0, -0.0, 0.0, -2.0, 5.0, -5.0, -3.0, -4.0, 0.0, 2.0, -2.0, 1.0, 3.0,
                         NAN, 4.0, -2.0, -5.0, -2.0, 1.0, -1.0, -3.0, 1.0, -3.0, -4.0, -3.0, NAN, 4.0, 2.0, -3.0, -3.0,
                         -5.0, -5.0, -2.0, -2.0, -3.0, -3.0);
    CHECK_STR(R("aten::sorted.float", 1, KEEP(xs)),
              "[-5., -5., -3., -3., -3., -3., nan, -5., -5., -4., -4., -3., -3., -3., nan, -3., -2., -2., -2., -2., "
              "-2., -2., -1., -1., 0., 0., 0., 0., 1., 1., 1., 2., 2., 3., 3., 4., nan, 4., 4., 5.]");
    cv_release(xs);
    cv_value ys = INTS(-2, 0, -8, 14, 20, -7, -9, -8, 4, -1, -19, 3, 6, -10, -11, -4, -16, 1, -1, 18, 17, -20, 18, 1,
                       -16, -1, 2, -1, 10, 0, -9, 10, 10, -9, -17, -4, -19, 2, 5, -19, 15, 6, 3, 4, 17, -20, 8, -18, -9,
                       19, -8, -13, -5, 9, 2, 12, 2, 13, -4, 9, -14, 17, 3, -2, -18, 7, -15, -7, 1, 12, 19, 3, -11, 1,
                       -3, 14, -15, -1, 0, -1, -9, -15, 20, -11, -1, 10, -10, -17, -15, 18, 14, 5, -18, -5, 18, 2, -4,
                       9, 6, -11);
    CHECK_STR(R("aten::sort.int", 2, KEEP(ys), B(true)), "None");
    CHECK_STR(SHOW(ys),
              "[20, 20, 19, 19, 18, 18, 18, 18, 17, 17, 17, 15, 14, 14, 14, 13, 12, 12, 10, 10, 10, 10, 9, 9, 9, 8, 7, "
              "6, 6, 6, 5, 5, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -2, "
              "-2, -3, -4, -4, -4, -4, -5, -5, -7, -7, -8, -8, -8, -9, -9, -9, -9, -9, -10, -10, -11, -11, -11, -11, "
              "-13, -14, -15, -15, -15, -15, -16, -16, -17, -17, -18, -18, -18, -19, -19, -19, -20, -20]");
    cv_release(ys);
}

static cv_value tup_is(int64_t i, const char *s) { return TUP(2, I(i), S(s)); }

TEST(test_list_sort_tuples_and_tensors) {
    cts_type *el[2] = {T_INT, T_STR};
    cts_type *tt = cts_type_tuple(2, el);
    CHECK_STR(R("aten::sorted.any", 1, LIST(tt, 3, tup_is(2, "a"), tup_is(1, "b"), tup_is(1, "a"))),
              "[(1, a), (1, b), (2, a)]");
    cv_value l = LIST(tt, 3, tup_is(1, "a"), tup_is(2, "b"), tup_is(1, "c"));
    CHECK_STR(R("aten::sort.any", 2, KEEP(l), B(true)), "None");
    CHECK_STR(SHOW(l), "[(2, b), (1, c), (1, a)]");
    cv_release(l);
    static const int64_t ti[30] = {0, 0, 2, 1, 1, 3, 1, 2, 0, 2, 3, 1, 3, 2, 2, 3, 1, 3, 1, 3, 1, 3, 2, 2, 0, 2, 2, 2, 2, 1};
    static const char ts[] = "cbaccababaccbbbbaccbabacbcbcbc";
    cv_value big = LIST(tt, 0);
    cts_err err = {0};
    for (int i = 0; i < 30; i++) {
        char c[2] = {ts[i], 0};
        cv_list_push(big.u.l, tup_is(ti[i], c), &err);
    }
    CHECK_STR(R("aten::sorted.any", 1, big),
              "[(0, b), (0, b), (0, b), (0, c), (1, a), (1, a), (1, b), (1, c), (1, c), (1, c), (1, c), (1, c), "
              "(2, a), (2, a), (2, a), (2, a), (2, b), (2, b), (2, b), (2, b), (2, c), (2, c), (2, c), (3, a), (3, b), "
              "(3, b), (3, b), (3, b), (3, c), (3, c)]");
    cts_type_release(tt);
    cts_type *li = cts_type_list(T_INT);
    CHECK_STR(R("aten::sort.any", 2, LIST(li, 2, INTS(1), INTS(0)), B(false)),
              "ERR: Only list of Tensors, ints, floats, bools, strs, a User Defined Class that defines the __lt__ "
              "compare method or Tuples of aforementioned types can be sorted, got list of List[int]");
    cts_type_release(li);
    cv_value t3 = TEN0(CT_INT64, 3), t1 = TEN0(CT_INT64, 1), out;
    cv_value args[1] = {LIST(T_TENSOR, 2, KEEP(t3), KEEP(t1))};
    CHECK_EQ_INT(optest_call("aten::sorted.Tensor", args, 1, &out, &err), 0);
    CHECK(out.u.l->len == 2 && out.u.l->items[0].u.t == t1.u.t && out.u.l->items[1].u.t == t3.u.t);
    cv_release(out);
    CHECK_STR(R("aten::sort.Tensor", 2, KEEP(args[0]), B(true)), "None");
    CHECK(args[0].u.l->items[0].u.t == t3.u.t);
    cv_release(args[0]);
    cv_release(t3);
    cv_release(t1);
}

static cv_value dict_si(int n, const char *const *k, const int64_t *v) {
    cv_value d;
    cts_err err = {0};
    cv_dict_new(T_STR, T_INT, &d, &err);
    for (int i = 0; i < n; i++) cv_dict_set(d.u.d, S(k[i]), I(v[i]), &err);
    return d;
}
#define DICT_BA() dict_si(2, (const char *const[]){"b", "a"}, (int64_t[]){2, 1})

TEST(test_dict_lookup) {
    cv_value d = DICT_BA();
    CHECK_STR(SHOW(d), "{b: 2, a: 1}");
    CHECK_STR(R("aten::__getitem__.Dict_str", 2, KEEP(d), S("a")), "1");
    CHECK_STR(R("aten::__getitem__.Dict_str", 2, KEEP(d), S("x")), "ERR: KeyError: x");
    CHECK_STR(R("aten::get.str", 2, KEEP(d), S("x")), "None");
    CHECK_STR(R("aten::get.default_str", 3, KEEP(d), S("x"), I(5)), "5");
    CHECK_STR(R("aten::get.default_str", 3, KEEP(d), S("b"), I(5)), "2");
    CHECK_STR(R("aten::__contains__.str", 2, KEEP(d), S("x")), "False");
    CHECK_STR(R("aten::__contains__.str", 2, KEEP(d), S("a")), "True");
    CHECK_STR(R("aten::len.Dict_str", 1, KEEP(d)), "2");
    CHECK_STR(R("aten::keys.str", 1, KEEP(d)), "[b, a]");
    CHECK_STR(R("aten::values.str", 1, KEEP(d)), "[2, 1]");
    CHECK_STR(R("aten::items.str", 1, KEEP(d)), "[(b, 2), (a, 1)]");
    cts_err err = {0};
    cv_value args[1] = {d}, items;
    CHECK_EQ_INT(optest_call("aten::items.str", args, 1, &items, &err), 0);
    CHECK(items.u.l->elem->kind == TY_TUPLE && items.u.l->elem->n == 2);
    cv_release(items);
    cv_release(d);
    cv_value di;
    cv_dict_new(T_INT, T_INT, &di, &err);
    CHECK_STR(R("aten::__getitem__.Dict_int", 2, KEEP(di), I(3)), "ERR: KeyError: 3");
    cv_release(di);
    cv_value df;
    cv_dict_new(T_FLOAT, T_INT, &df, &err);
    cv_dict_set(df.u.d, F(1.0), I(2), &err);
    cv_dict_set(df.u.d, F(0.5), I(1), &err);
    CHECK_STR(SHOW(df), "{1.: 2, 0.5: 1}");
    CHECK_STR(R("aten::__getitem__.Dict_float", 2, KEEP(df), F(3.5)), "ERR: KeyError: 3.5");
    cv_release(df);
}

TEST(test_dict_mutation) {
    cv_value d = DICT_BA();
    CHECK_STR(R("aten::popitem.str", 1, KEEP(d)), "(b, 2)");
    CHECK_STR(SHOW(d), "{a: 1}");
    CHECK_STR(R("aten::clear.str", 1, KEEP(d)), "None");
    R("aten::_set_item.str", 3, KEEP(d), S("z"), I(1));
    CHECK_STR(SHOW(d), "{z: 1}");
    CHECK_STR(R("aten::popitem.str", 1, d), "(z, 1)");
    d = DICT_BA();
    CHECK_STR(R("aten::popitem.str", 1, dict_si(0, NULL, NULL)), "ERR: popitem(): dictionary is empty");
    R("aten::_set_item.str", 3, KEEP(d), S("b"), I(5));
    R("aten::_set_item.str", 3, KEEP(d), S("c"), I(6));
    CHECK_STR(SHOW(d), "{b: 5, a: 1, c: 6}");
    CHECK_STR(R("aten::Delete.Dict_str", 2, KEEP(d), S("b")), "None");
    R("aten::_set_item.str", 3, KEEP(d), S("b"), I(7));
    CHECK_STR(SHOW(d), "{a: 1, c: 6, b: 7}");
    CHECK_STR(R("aten::Delete.Dict_str", 2, KEEP(d), S("zz")), "ERR: KeyError: zz");
    CHECK_STR(R("aten::pop.Dict_str", 2, KEEP(d), S("x")), "ERR: KeyError: x");
    CHECK_STR(R("aten::pop.Dict_default_str", 3, KEEP(d), S("x"), I(0)), "0");
    CHECK_STR(R("aten::pop.Dict_str", 2, KEEP(d), S("c")), "6");
    CHECK_STR(R("aten::setdefault.str", 3, KEEP(d), S("x"), I(5)), "5");
    CHECK_STR(R("aten::setdefault.str", 3, KEEP(d), S("a"), I(9)), "1");
    CHECK_STR(SHOW(d), "{a: 1, b: 7, x: 5}");
    cv_release(d);
    cv_value u = DICT_BA();
    CHECK_STR(R("aten::update.str", 2, KEEP(u), dict_si(2, (const char *const[]){"a", "c"}, (int64_t[]){5, 3})),
              "None");
    CHECK_STR(SHOW(u), "{b: 2, a: 5, c: 3}");
    CHECK_STR(R("aten::copy.Dict_str", 1, KEEP(u)), "{b: 2, a: 5, c: 3}");
    CHECK_STR(R("aten::dict.Dict_str", 1, KEEP(u)), "{b: 2, a: 5, c: 3}");
    cv_release(u);
}

TEST(test_dict_construct) {
    cts_type *el[2] = {T_STR, T_INT};
    cts_type *tt = cts_type_tuple(2, el);
    cv_value pairs = LIST(tt, 3, TUP(2, S("a"), I(1)), TUP(2, S("b"), I(2)), TUP(2, S("a"), I(3)));
    cts_err err = {0};
    cv_value args[1] = {pairs}, d;
    CHECK_EQ_INT(optest_call("aten::dict.str", args, 1, &d, &err), 0);
    CHECK_STR(SHOW(d), "{a: 3, b: 2}");
    CHECK(d.u.d->key_type == T_STR && d.u.d->val_type == T_INT);
    cv_release(d);
    cv_release(pairs);
    cts_type_release(tt);
    CHECK_STR(R("aten::dict", 0), "{}");
    /* Tensor keys hash by identity */
    cv_value t = TEN0(CT_FLOAT32, 1.0), td;
    cv_dict_new(T_TENSOR, T_INT, &td, &err);
    cv_dict_set(td.u.d, KEEP(t), I(1), &err);
    CHECK_STR(R("aten::__contains__.Tensor", 2, KEEP(td), KEEP(t)), "True");
    CHECK_STR(R("aten::__contains__.Tensor", 2, KEEP(td), TEN0(CT_FLOAT32, 1.0)), "False");
    cv_release(td);
    cv_release(t);
}

/* many deletions keep lookups and insertion order right */
TEST(test_dict_delete_many) {
    cv_value d;
    cts_err err = {0};
    cv_dict_new(T_INT, T_INT, &d, &err);
    for (int i = 0; i < 1000; i++) R("aten::_set_item.int", 3, KEEP(d), I(i), I(i * 10));
    for (int i = 0; i < 1000; i += 2) R("aten::Delete.Dict_int", 2, KEEP(d), I(i));
    CHECK_STR(R("aten::len.Dict_int", 1, KEEP(d)), "500");
    CHECK_STR(R("aten::__getitem__.Dict_int", 2, KEEP(d), I(999)), "9990");
    CHECK_STR(R("aten::__contains__.int", 2, KEEP(d), I(998)), "False");
    CHECK_STR(R("aten::popitem.int", 1, KEEP(d)), "(1, 10)");
    R("aten::_set_item.int", 3, KEEP(d), I(0), I(-1));
    CHECK_STR(R("aten::__getitem__.Dict_int", 2, KEEP(d), I(0)), "-1");
    CHECK(d.u.d->len == 500 && d.u.d->entries[499].key.u.i == 0);
    CHECK_STR(R("aten::clear.int", 1, KEEP(d)), "None");
    CHECK_STR(R("aten::get.int", 2, KEEP(d), I(3)), "None");
    R("aten::_set_item.int", 3, KEEP(d), I(3), I(4));
    CHECK_STR(SHOW(d), "{3: 4}");
    cv_release(d);
}

TEST(test_list_rejects_wrong_argument_kinds) {
    CHECK_CONTAINS(R("aten::__getitem__.t", 2, I(1), I(0)), "ERR:");
    CHECK_CONTAINS(R("aten::append.t", 1, INTS()), "ERR:");
    CHECK_CONTAINS(R("aten::len.Dict_str", 1, INTS()), "ERR:");
    CHECK_CONTAINS(R("aten::slice.t", 2, INTS(), N()), "ERR:");
}

int main(void) {
    OPS(cts_ops_list, cts_ops_list_count);
    RUN(test_list_table_keys_unique);
    RUN(test_list_getitem_and_setitem);
    RUN(test_list_mutation_aliasing);
    RUN(test_list_pop_delete_insert);
    RUN(test_list_slice);
    RUN(test_list_add_mul_len);
    RUN(test_list_equality);
    RUN(test_list_min_max);
    RUN(test_list_find_count_remove);
    RUN(test_list_sum_any_all);
    RUN(test_list_sort_matches_std_sort);
    RUN(test_list_sort_tuples_and_tensors);
    RUN(test_dict_lookup);
    RUN(test_dict_mutation);
    RUN(test_dict_construct);
    RUN(test_dict_delete_many);
    RUN(test_list_rejects_wrong_argument_kinds);
    return test_summary();
}
