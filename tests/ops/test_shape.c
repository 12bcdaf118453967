/* test_shape.c - views, joins, splits and copies against PyTorch 1.13.
 *
 * Expected values and messages were checked with the system python3's
 * torch 1.13.1.  Views must share their input's storage; the aliasing tests
 * write through a view and read the base. */
#include "tensor_optest.h"

static ct_tensor *arange_f(int64_t n) {
    double v[256];
    for (int64_t i = 0; i < n; i++) v[i] = (double)i;
    return mk(CT_FLOAT32, &n, 1, v, (int)n);
}

TEST(test_view_shares_storage_and_infers_size) {
    ct_tensor *x = arange_f(6);
    ct_tensor *v = callt("aten::view", 2, tv(x), LI(2, -1));
    CHECK_T(v, CT_FLOAT32, S(2, 3), V(0, 1, 2, 3, 4, 5));
    CHECK(v && v->storage == x->storage);
    call("aten::mul_.Scalar", 2, tv(v), iv(2));
    CHECK_T(x, CT_FLOAT32, S(6), V(0, 2, 4, 6, 8, 10));
    ct_tensor *t = callt("aten::transpose.int", 3, tv(v), iv(0), iv(1));
    CHECK_STR(call_err("aten::view", 2, tv(t), LI(6)),
              "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
              "two contiguous subspaces). Use .reshape(...) instead.");
    CHECK_STR(call_err("aten::view", 2, tv(x), LI(-1, -1)), "only one dimension can be inferred");
    CHECK_STR(call_err("aten::view", 2, tv(x), LI(4)), "shape '[4]' is invalid for input of size 6");
    CHECK_STR(call_err("aten::view", 2, tv(x), LI(-1, 4)), "shape '[-1, 4]' is invalid for input of size 6");
    CHECK_STR(call_err("aten::view", 2, tv(x), LI(-2, 3)), "invalid shape dimension -2");
    CHECK_STR(call_err("aten::view", 2, tv(mk(CT_FLOAT32, S(0, 3), V(0))), LI(-1, 0)),
              "cannot reshape tensor of 0 elements into shape [-1, 0] because the unspecified dimension size -1 can "
              "be any value and is ambiguous");
    CHECK_T(callt("aten::reshape", 2, tv(mk(CT_FLOAT32, S(0, 3), V(0))), LI(-1)), CT_FLOAT32, S(0), V(0));
    CHECK_T(callt("aten::view", 2, tv(mk(CT_FLOAT32, S0, V(3))), LI(1, 1)), CT_FLOAT32, S(1, 1), V(3));
    /* reshape views when it can, copies when it must */
    ct_tensor *r = callt("aten::reshape", 2, tv(v), LI(3, 2));
    CHECK(r && r->storage == x->storage);
    r = callt("aten::reshape", 2, tv(t), LI(6));
    CHECK_T(r, CT_FLOAT32, S(6), V(0, 6, 2, 8, 4, 10));
    CHECK(r && r->storage != x->storage);
    CHECK_T(callt("aten::view_as", 2, tv(x), tv(mk(CT_INT8, S(3, 2), V(0)))), CT_FLOAT32, S(3, 2),
            V(0, 2, 4, 6, 8, 10));
    CHECK_T(callt("aten::reshape_as", 2, tv(t), tv(mk(CT_INT8, S(2, 3), V(0)))), CT_FLOAT32, S(2, 3),
            V(0, 6, 2, 8, 4, 10));
}

TEST(test_flatten_transpose_permute) {
    ct_tensor *x = mk(CT_FLOAT32, S(2, 3, 4), V(0));
    CHECK_T(callt("aten::flatten.using_ints", 3, tv(x), iv(1), iv(-1)), CT_FLOAT32, S(2, 12), V(0));
    CHECK_T(callt("aten::flatten.using_ints", 3, tv(x), iv(0), iv(-1)), CT_FLOAT32, S(24), V(0));
    cv_value same = call("aten::flatten.using_ints", 3, tv(x), iv(1), iv(1));
    CHECK(same.tag == CV_TENSOR && same.u.t == x);
    CHECK_T(callt("aten::flatten.using_ints", 3, tv(mk(CT_FLOAT32, S0, V(1))), iv(0), iv(-1)), CT_FLOAT32, S(1), V(1));
    CHECK_STR(call_err("aten::flatten.using_ints", 3, tv(x), iv(2), iv(1)),
              "flatten() has invalid args: start_dim cannot come after end_dim");
    ct_tensor *xt = callt("aten::transpose.int", 3, tv(x), iv(0), iv(1));
    CHECK_T(callt("aten::flatten.using_ints", 3, tv(xt), iv(1), iv(-1)), CT_FLOAT32, S(3, 8), V(0));
    CHECK_STR(call_err("aten::transpose.int", 3, tv(mk(CT_FLOAT32, S(2, 3), V(0))), iv(0), iv(2)),
              "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
    ct_tensor *y = mk(CT_FLOAT32, S(2, 3), V(0, 1, 2, 3, 4, 5));
    CHECK_T(callt("aten::transpose.int", 3, tv(y), iv(-1), iv(-2)), CT_FLOAT32, S(3, 2), V(0, 3, 1, 4, 2, 5));
    ct_tensor *p = callt("aten::permute", 2, tv(x), LI(-1, 0, 1));
    CHECK(p && p->sizes[0] == 4 && p->sizes[1] == 2 && p->sizes[2] == 3 && p->strides[0] == 1 && p->strides[1] == 12 &&
          p->strides[2] == 4);
    CHECK_STR(call_err("aten::permute", 2, tv(y), LI(0)),
              "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired "
              "ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1");
    CHECK_STR(call_err("aten::permute", 2, tv(y), LI(0, 0)), "permute(): duplicate dims are not allowed.");
}

TEST(test_select_slice_narrow) {
    ct_tensor *x = mk(CT_INT64, S(3, 4), V(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
    CHECK_T(callt("aten::select.int", 3, tv(x), iv(0), iv(-1)), CT_INT64, S(4), V(8, 9, 10, 11));
    CHECK_T(callt("aten::select.int", 3, tv(x), iv(1), iv(2)), CT_INT64, S(3), V(2, 6, 10));
    CHECK_STR(call_err("aten::select.int", 3, tv(x), iv(0), iv(5)),
              "select(): index 5 out of range for tensor of size [3, 4] at dimension 0");
    CHECK_STR(call_err("aten::select.int", 3, tv(x), iv(1), iv(-5)),
              "select(): index -5 out of range for tensor of size [3, 4] at dimension 1");
    CHECK_STR(call_err("aten::select.int", 3, tv(mk(CT_INT64, S0, V(1))), iv(0), iv(0)),
              "select() cannot be applied to a 0-dim tensor.");
    ct_tensor *r = arange_f(10);
    CHECK_T(callt("aten::slice.Tensor", 5, tv(r), iv(0), iv(2), iv(8), iv(3)), CT_FLOAT32, S(2), V(2, 5));
    CHECK_T(callt("aten::slice.Tensor", 5, tv(r), iv(0), iv(-3), nv(), iv(1)), CT_FLOAT32, S(3), V(7, 8, 9));
    CHECK_T(callt("aten::slice.Tensor", 5, tv(r), iv(0), iv(-100), iv(100), iv(1)), CT_FLOAT32, S(10),
            V(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    CHECK_T(callt("aten::slice.Tensor", 5, tv(r), iv(0), iv(7), iv(2), iv(1)), CT_FLOAT32, S(0), V(0));
    CHECK_T(callt("aten::slice.Tensor", 5, tv(r), iv(0), nv(), nv(), iv(3)), CT_FLOAT32, S(4), V(0, 3, 6, 9));
    CHECK_STR(call_err("aten::slice.Tensor", 5, tv(r), iv(0), iv(0), iv(5), iv(0)), "slice step must be positive");
    CHECK_STR(call_err("aten::slice.Tensor", 5, tv(mk(CT_INT64, S0, V(1))), iv(0), iv(0), iv(5), iv(1)),
              "slice() cannot be applied to a 0-dim tensor.");
    ct_tensor *s = callt("aten::slice.Tensor", 5, tv(x), iv(1), iv(1), iv(3), iv(1));
    CHECK_T(s, CT_INT64, S(3, 2), V(1, 2, 5, 6, 9, 10));
    CHECK(s && s->storage == x->storage);
    CHECK_T(callt("aten::narrow", 4, tv(r), iv(0), iv(-3), iv(2)), CT_FLOAT32, S(2), V(7, 8));
    CHECK_T(callt("aten::narrow", 4, tv(r), iv(0), iv(10), iv(0)), CT_FLOAT32, S(0), V(0));
    CHECK_STR(call_err("aten::narrow", 4, tv(r), iv(0), iv(8), iv(5)), "start (8) + length (5) exceeds dimension size (10).");
    CHECK_STR(call_err("aten::narrow", 4, tv(r), iv(0), iv(11), iv(0)),
              "Dimension out of range (expected to be in range of [-10, 9], but got 11)");
    CHECK_STR(call_err("aten::narrow", 4, tv(r), iv(0), iv(2), iv(-1)), "start (2) + length (-1) exceeds dimension size (10).");
    CHECK_STR(call_err("aten::narrow", 4, tv(mk(CT_INT64, S0, V(1))), iv(0), iv(0), iv(1)),
              "narrow() cannot be applied to a 0-dim tensor.");
}

TEST(test_expand_squeeze_unsqueeze) {
    ct_tensor *c = mk(CT_FLOAT32, S(3, 1), V(1, 2, 3));
    ct_tensor *e = callt("aten::expand", 3, tv(c), LI(-1, 4), bv(false));
    CHECK_T(e, CT_FLOAT32, S(3, 4), V(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3));
    CHECK(e && e->strides[1] == 0 && e->storage == c->storage);
    ct_tensor *e2 = callt("aten::expand", 3, tv(c), LI(2, 3, 2), bv(false));
    CHECK(e2 && e2->strides[0] == 0 && e2->sizes[0] == 2);
    CHECK_T(callt("aten::expand_as", 2, tv(c), tv(mk(CT_INT8, S(3, 2), V(0)))), CT_FLOAT32, S(3, 2), V(1, 1, 2, 2, 3, 3));
    ct_tensor *x = mk(CT_FLOAT32, S(2, 3), V(0));
    CHECK_STR(call_err("aten::expand", 3, tv(x), LI(3, 3), bv(false)),
              "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  "
              "Target sizes: [3, 3].  Tensor sizes: [2, 3]");
    CHECK_STR(call_err("aten::expand", 3, tv(mk(CT_FLOAT32, S(3), V(0))), LI(-1, 3), bv(false)),
              "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0");
    CHECK_STR(call_err("aten::expand", 3, tv(x), LI(3), bv(false)),
              "expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal "
              "to the number of dimensions in the tensor (2)");
    ct_tensor *z = mk(CT_FLOAT32, S(1, 3, 1), V(0));
    CHECK_T(callt("aten::squeeze", 1, tv(z)), CT_FLOAT32, S(3), V(0));
    CHECK_T(callt("aten::squeeze.dim", 2, tv(z), iv(1)), CT_FLOAT32, S(1, 3, 1), V(0));
    CHECK_T(callt("aten::squeeze.dim", 2, tv(z), iv(-1)), CT_FLOAT32, S(1, 3), V(0));
    CHECK_STR(call_err("aten::squeeze.dim", 2, tv(z), iv(3)),
              "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    CHECK_T(callt("aten::squeeze", 1, tv(mk(CT_FLOAT32, S(1), V(7)))), CT_FLOAT32, S0, V(7));
    CHECK_T(callt("aten::squeeze.dim", 2, tv(mk(CT_FLOAT32, S0, V(7))), iv(0)), CT_FLOAT32, S0, V(7));
    ct_tensor *y = mk(CT_FLOAT32, S(2, 3, 4), V(0));
    ct_tensor *u = callt("aten::unsqueeze", 2, tv(y), iv(-1));
    CHECK(u && u->ndim == 4 && u->sizes[3] == 1 && u->strides[3] == 1);
    u = callt("aten::unsqueeze", 2, tv(y), iv(0));
    CHECK(u && u->ndim == 4 && u->sizes[0] == 1 && u->strides[0] == 24);
    CHECK_STR(call_err("aten::unsqueeze", 2, tv(z), iv(4)),
              "Dimension out of range (expected to be in range of [-4, 3], but got 4)");
    CHECK_T(callt("aten::unsqueeze", 2, tv(mk(CT_FLOAT32, S0, V(7))), iv(0)), CT_FLOAT32, S(1), V(7));
}

TEST(test_size_queries) {
    ct_tensor *x = mk(CT_FLOAT32, S(2, 3), V(0));
    cv_value v = call("aten::size.int", 2, tv(x), iv(-1));
    CHECK(v.tag == CV_INT && v.u.i == 3);
    CHECK_STR(call_err("aten::size.int", 2, tv(x), iv(2)),
              "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
    CHECK_STR(call_err("aten::size.int", 2, tv(mk(CT_FLOAT32, S0, V(0))), iv(0)),
              "Dimension specified as 0 but tensor has no dimensions");
    CHECK_STR(call_err("aten::size.int", 2, tv(mk(CT_FLOAT32, S0, V(0))), iv(-1)),
              "Dimension specified as -1 but tensor has no dimensions");
    v = call("aten::size", 1, tv(x));
    CHECK(v.tag == CV_LIST && v.u.l->len == 2 && v.u.l->items[0].u.i == 2 && v.u.l->items[1].u.i == 3);
    v = call("aten::dim", 1, tv(x));
    CHECK(v.tag == CV_INT && v.u.i == 2);
    v = call("aten::numel", 1, tv(x));
    CHECK(v.tag == CV_INT && v.u.i == 6);
    v = call("aten::is_floating_point", 1, tv(x));
    CHECK(v.tag == CV_BOOL && v.u.b);
    v = call("aten::is_contiguous", 1, tv(callt("aten::transpose.int", 3, tv(x), iv(0), iv(1))));
    CHECK(v.tag == CV_BOOL && !v.u.b);
}

TEST(test_cat_and_stack) {
    ct_tensor *a = mk(CT_FLOAT32, S(2, 2), V(1, 2, 3, 4)), *b = mk(CT_FLOAT32, S(1, 2), V(5, 6));
    CHECK_T(callt("aten::cat", 2, ltv(2, a, b), iv(0)), CT_FLOAT32, S(3, 2), V(1, 2, 3, 4, 5, 6));
    ct_tensor *c = mk(CT_INT32, S(2, 1), V(7, 8));
    CHECK_T(callt("aten::cat", 2, ltv(2, a, c), iv(-1)), CT_FLOAT32, S(2, 3), V(1, 2, 7, 3, 4, 8));
    ct_tensor *at_ = callt("aten::transpose.int", 3, tv(a), iv(0), iv(1));
    CHECK_T(callt("aten::cat", 2, ltv(2, at_, a), iv(1)), CT_FLOAT32, S(2, 4), V(1, 3, 1, 2, 2, 4, 3, 4));
    CHECK_T(callt("aten::cat", 2, ltv(2, mk(CT_INT32, S(2), V(0)), mk(CT_FLOAT16, S(2), V(1))), iv(0)), CT_FLOAT16, S(4),
            V(0, 0, 1, 1));
    CHECK_T(callt("aten::cat", 2, ltv(2, mk(CT_BOOL, S(2), V(1)), mk(CT_UINT8, S(2), V(3))), iv(0)), CT_UINT8, S(4),
            V(1, 1, 3, 3));
    CHECK_T(callt("aten::cat", 2, ltv(2, mk(CT_INT32, S(0), V(0)), mk(CT_FLOAT32, S(2, 3), V(1))), iv(1)), CT_FLOAT32,
            S(2, 3), V(1));
    CHECK_T(callt("aten::cat", 2, ltv(2, mk(CT_FLOAT32, S(0), V(0)), mk(CT_FLOAT32, S(0), V(0))), iv(0)), CT_FLOAT32,
            S(0), V(0));
    CHECK_STR(call_err("aten::cat", 2, ltv(0), iv(0)), "torch.cat(): expected a non-empty list of Tensors");
    CHECK_STR(call_err("aten::cat", 2, ltv(2, mk(CT_FLOAT32, S(2, 3), V(0)), mk(CT_FLOAT32, S(2, 4), V(0))), iv(0)),
              "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 "
              "in the list.");
    CHECK_STR(call_err("aten::cat", 2, ltv(2, mk(CT_FLOAT32, S(2, 3), V(0)), mk(CT_FLOAT32, S(2), V(0))), iv(0)),
              "Tensors must have same number of dimensions: got 2 and 1");
    CHECK_STR(call_err("aten::cat", 2, ltv(2, mk(CT_FLOAT32, S0, V(1)), mk(CT_FLOAT32, S0, V(2))), iv(0)),
              "zero-dimensional tensor (at position 0) cannot be concatenated");
    CHECK_STR(call_err("aten::cat", 2, ltv(1, a), iv(2)),
              "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
    CHECK_T(callt("aten::stack", 2, ltv(2, a, a), iv(2)), CT_FLOAT32, S(2, 2, 2), V(1, 1, 2, 2, 3, 3, 4, 4));
    CHECK_T(callt("aten::stack", 2, ltv(2, a, a), iv(0)), CT_FLOAT32, S(2, 2, 2), V(1, 2, 3, 4, 1, 2, 3, 4));
    CHECK_T(callt("aten::stack", 2, ltv(2, mk(CT_INT32, S(2), V(1)), mk(CT_FLOAT32, S(2), V(2))), iv(-1)), CT_FLOAT32,
            S(2, 2), V(1, 2, 1, 2));
    CHECK_T(callt("aten::stack", 2, ltv(2, mk(CT_FLOAT32, S0, V(1)), mk(CT_FLOAT32, S0, V(2))), iv(0)), CT_FLOAT32, S(2),
            V(1, 2));
    CHECK_STR(call_err("aten::stack", 2, ltv(2, mk(CT_FLOAT32, S(2), V(0)), mk(CT_FLOAT32, S(3), V(0))), iv(0)),
              "stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1");
    CHECK_STR(call_err("aten::stack", 2, ltv(0), iv(0)), "stack expects a non-empty TensorList");
    CHECK_STR(call_err("aten::stack", 2, ltv(2, a, a), iv(4)),
              "Dimension out of range (expected to be in range of [-3, 2], but got 4)");
}

static int list_shapes_are(cv_value l, int n, const int64_t *rows, const int64_t *cols) {
    if (l.tag != CV_LIST || (int)l.u.l->len != n) return 0;
    for (int i = 0; i < n; i++) {
        const ct_tensor *t = l.u.l->items[i].u.t;
        if (t->sizes[0] != rows[i] || (cols && t->sizes[1] != cols[i])) return 0;
    }
    return 1;
}

TEST(test_chunk_split_unbind) {
    ct_tensor *x = mk(CT_FLOAT32, S(5, 2), V(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    cv_value l = call("aten::chunk", 3, tv(x), iv(3), iv(0));
    CHECK(list_shapes_are(l, 3, (int64_t[]){2, 2, 1}, NULL));
    if (l.tag == CV_LIST) CHECK_T(l.u.l->items[2].u.t, CT_FLOAT32, S(1, 2), V(8, 9));
    CHECK(list_shapes_are(call("aten::chunk", 3, tv(x), iv(7), iv(0)), 5, (int64_t[]){1, 1, 1, 1, 1}, NULL));
    CHECK(list_shapes_are(call("aten::chunk", 3, tv(mk(CT_FLOAT32, S(0, 2), V(0))), iv(3), iv(0)), 3,
                          (int64_t[]){0, 0, 0}, NULL));
    CHECK(list_shapes_are(call("aten::chunk", 3, tv(mk(CT_FLOAT32, S(6), V(0))), iv(4), iv(0)), 3,
                          (int64_t[]){2, 2, 2}, NULL));
    CHECK_STR(call_err("aten::chunk", 3, tv(x), iv(0), iv(0)), "chunk expects `chunks` to be greater than 0, got: 0");
    CHECK_STR(call_err("aten::chunk", 3, tv(mk(CT_FLOAT32, S0, V(0))), iv(2), iv(0)),
              "chunk expects at least a 1-dimensional tensor");
    l = call("aten::chunk", 3, tv(x), iv(2), iv(1));
    if (l.tag == CV_LIST && l.u.l->len == 2) {
        CHECK_T(l.u.l->items[1].u.t, CT_FLOAT32, S(5, 1), V(1, 3, 5, 7, 9));
        CHECK(l.u.l->items[1].u.t->storage == x->storage);
    } else {
        CHECK(!"chunk along dim 1");
    }
    CHECK(list_shapes_are(call("aten::split.Tensor", 3, tv(x), iv(2), iv(0)), 3, (int64_t[]){2, 2, 1}, NULL));
    CHECK(list_shapes_are(call("aten::split.Tensor", 3, tv(mk(CT_FLOAT32, S(0, 2), V(0))), iv(0), iv(0)), 1,
                          (int64_t[]){0}, NULL));
    CHECK(list_shapes_are(call("aten::split.Tensor", 3, tv(mk(CT_FLOAT32, S(5), V(0))), iv(10), iv(0)), 1,
                          (int64_t[]){5}, NULL));
    CHECK_STR(call_err("aten::split.Tensor", 3, tv(x), iv(0), iv(0)),
              "split_size can only be 0 if dimension size is 0, but got dimension size of 5");
    CHECK_STR(call_err("aten::split.Tensor", 3, tv(x), iv(-1), iv(0)),
              "split expects split_size be non-negative, but got split_size=-1");
    CHECK_STR(call_err("aten::split.Tensor", 3, tv(mk(CT_FLOAT32, S0, V(0))), iv(1), iv(0)),
              "split expects at least a 1-dimensional tensor");
    CHECK(list_shapes_are(call("aten::split.sizes", 3, tv(x), LI(2, 3), iv(0)), 2, (int64_t[]){2, 3}, NULL));
    CHECK(list_shapes_are(call("aten::split", 3, tv(x), LI(1, 0, 4), iv(0)), 3, (int64_t[]){1, 0, 4}, NULL));
    CHECK(list_shapes_are(call("aten::split_with_sizes", 3, tv(x), LI(5), iv(0)), 1, (int64_t[]){5}, NULL));
    CHECK_STR(call_err("aten::split.sizes", 3, tv(x), LI(2, 2), iv(0)),
              "split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 0), but got "
              "split_sizes=[2, 2]");
    CHECK_STR(call_err("aten::split.sizes", 3, tv(x), LI(6, -1), iv(0)),
              "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[6, -1]");
    l = call("aten::unbind.int", 2, tv(x), iv(1));
    CHECK(l.tag == CV_LIST && l.u.l->len == 2);
    if (l.tag == CV_LIST && l.u.l->len == 2) CHECK_T(l.u.l->items[0].u.t, CT_FLOAT32, S(5), V(0, 2, 4, 6, 8));
    CHECK_STR(call_err("aten::unbind.int", 2, tv(mk(CT_FLOAT32, S0, V(0))), iv(0)),
              "Dimension specified as 0 but tensor has no dimensions");
    l = call("aten::unbind.int", 2, tv(mk(CT_FLOAT32, S(0, 3), V(0))), iv(0));
    CHECK(l.tag == CV_LIST && l.u.l->len == 0);
}

TEST(test_to_clone_contiguous_detach) {
    ct_tensor *x = mk(CT_FLOAT32, S(2, 3), V(0.5, -1.5, 2.7, NAN, 1e20, -3.7));
    cv_value same = call("aten::to.dtype", 5, tv(x), iv(CT_FLOAT32), bv(false), bv(false), nv());
    CHECK(same.tag == CV_TENSOR && same.u.t == x);
    ct_tensor *cp = callt("aten::to.dtype", 5, tv(x), iv(CT_FLOAT32), bv(false), bv(true), nv());
    CHECK(cp && cp != x && cp->storage != x->storage);
    CHECK_T(callt("aten::to.dtype", 5, tv(x), iv(CT_INT32), bv(false), bv(false), nv()), CT_INT32, S(2, 3),
            V(0, -1, 2, -2147483648.0, -2147483648.0, -3));
    CHECK_T(callt("aten::to.dtype", 5, tv(x), iv(CT_INT16), bv(false), bv(false), nv()), CT_INT16, S(2, 3),
            V(0, -1, 2, 0, 0, -3));
    CHECK_T(callt("aten::to.dtype", 5, tv(mk(CT_FLOAT32, S(3), V(-1, -3.7, 300))), iv(CT_UINT8), bv(false), bv(false),
                  nv()),
            CT_UINT8, S(3), V(255, 253, 44));
    CHECK_T(callt("aten::to.dtype", 5, tv(mk(CT_FLOAT32, S(4), V(3e9, -3e9, 40000, 1e10))), iv(CT_INT32), bv(false),
                  bv(false), nv()),
            CT_INT32, S(4), V(-2147483648.0, -2147483648.0, 40000, -2147483648.0));
    CHECK_T(callt("aten::to.dtype", 5, tv(x), iv(CT_BOOL), bv(false), bv(false), nv()), CT_BOOL, S(2, 3), V(1));
    CHECK_T(callt("aten::to.device", 6, tv(x), dv(0), iv(CT_FLOAT64), bv(false), bv(false), nv()), CT_FLOAT64, S(2, 3),
            V(0.5, -1.5, (double)2.7f, NAN, (double)1e20f, (double)-3.7f));
    CHECK_STR(call_err("aten::to.device", 6, tv(x), dv(1), iv(CT_FLOAT32), bv(false), bv(false), nv()),
              "cts runs on the CPU only: device 'cuda' is not available");
    CHECK_T(callt("aten::to.other", 5, tv(x), tv(mk(CT_FLOAT16, S(1), V(0))), bv(false), bv(false), nv()), CT_FLOAT16,
            S(2, 3), V(0.5, -1.5, 2.69921875, NAN, INFINITY, -3.69921875));
    same = call("aten::to.dtype_layout", 8, tv(x), nv(), nv(), nv(), nv(), bv(false), bv(false), nv());
    CHECK(same.tag == CV_TENSOR && same.u.t == x);
    CHECK_STR(call_err("aten::to.dtype_layout", 8, tv(x), nv(), iv(1), nv(), nv(), bv(false), bv(false), nv()),
              "cts supports only the strided layout (got layout 1)");
    CHECK_T(callt("aten::to.prim_dtype", 4, tv(x), iv(CT_INT64), bv(false), bv(false)), CT_INT64, S(2, 3),
            V(0, -1, 2, (double)INT64_MIN, (double)INT64_MIN, -3));
    same = call("aten::to.prim_Device", 5, tv(x), nv(), nv(), bv(false), bv(false));
    CHECK(same.tag == CV_TENSOR && same.u.t == x);
    ct_tensor *po = callt("aten::to.prim_other", 3, tv(x), bv(false), bv(true));
    CHECK(po && po != x);
    CHECK_T(callt("aten::type_as", 2, tv(x), tv(mk(CT_INT8, S(1), V(0)))), CT_INT8, S(2, 3), V(0, -1, 2, 0, 0, -3));
    /* contiguous returns self or a copy; channels_last on request */
    ct_tensor *xt = callt("aten::transpose.int", 3, tv(x), iv(0), iv(1));
    same = call("aten::contiguous", 2, tv(x), iv(0));
    CHECK(same.tag == CV_TENSOR && same.u.t == x);
    ct_tensor *xc = callt("aten::contiguous", 2, tv(xt), iv(0));
    CHECK(xc && ct_is_contiguous(xc) && xc->storage != x->storage);
    CHECK_T(xc, CT_FLOAT32, S(3, 2), V(0.5, NAN, -1.5, (double)1e20f, (double)2.7f, (double)-3.7f));
    ct_tensor *img = mk(CT_FLOAT32, S(1, 2, 2, 2), V(0, 1, 2, 3, 4, 5, 6, 7));
    ct_tensor *cl = callt("aten::contiguous", 2, tv(img), iv(2));
    CHECK(cl && cl->strides[1] == 1 && cl->strides[3] == 2 && cl->strides[2] == 4);
    CHECK_T(cl, CT_FLOAT32, S(1, 2, 2, 2), V(0, 1, 2, 3, 4, 5, 6, 7));
    if (cl) CHECK(((float *)ct_data(cl))[1] == 4);
    same = call("aten::contiguous", 2, tv(cl), iv(2));
    CHECK(same.tag == CV_TENSOR && same.u.t == cl);
    ct_tensor *cl2 = callt("aten::to.dtype", 5, tv(img), iv(CT_FLOAT32), bv(false), bv(false), iv(2));
    CHECK(cl2 && cl2->strides[1] == 1);
    ct_tensor *cln = callt("aten::clone", 2, tv(xt), nv());
    CHECK_T(cln, CT_FLOAT32, S(3, 2), V(0.5, NAN, -1.5, (double)1e20f, (double)2.7f, (double)-3.7f));
    CHECK(cln && cln->storage != x->storage);
    ct_tensor *d = callt("aten::detach", 1, tv(x));
    CHECK(d && d != x && d->storage == x->storage);
}

TEST(test_copy_and_repeat) {
    ct_tensor *x = mk(CT_FLOAT32, S(2, 3), V(0));
    cv_value r = call("aten::copy_", 3, tv(x), tv(mk(CT_INT64, S(3), V(0, 1, 2))), bv(false));
    CHECK(r.tag == CV_TENSOR && r.u.t == x);
    CHECK_T(x, CT_FLOAT32, S(2, 3), V(0, 1, 2, 0, 1, 2));
    CHECK_STR(call_err("aten::copy_", 3, tv(x), tv(mk(CT_FLOAT32, S(2), V(0))), bv(false)),
              "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
    CHECK_STR(call_err("aten::copy_", 3, tv(mk(CT_FLOAT32, S(3), V(0))), tv(x), bv(false)),
              "output with shape [3] doesn't match the broadcast shape [2, 3]");
    ct_tensor *b = mk(CT_BOOL, S(3), V(0));
    call("aten::copy_", 3, tv(b), tv(mk(CT_FLOAT32, S(3), V(0, 0.5, NAN))), bv(false));
    CHECK_T(b, CT_BOOL, S(3), V(0, 1, 1));
    ct_tensor *sq = mk(CT_FLOAT32, S(2, 2), V(0, 1, 2, 3));
    CHECK_STR(call_err("aten::copy_", 3, tv(sq), tv(callt("aten::transpose.int", 3, tv(sq), iv(0), iv(1))), bv(false)),
              "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
              "memory location. Please clone() the tensor before performing the operation.");
    CHECK_STR(call_err("aten::add_.Tensor", 3, tv(sq), tv(callt("aten::transpose.int", 3, tv(sq), iv(0), iv(1))), iv(1)),
              "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
              "memory location. Please clone() the tensor before performing the operation.");
    CHECK_STR(call_err("aten::add_.Scalar", 3, tv(callt("aten::expand", 3, tv(mk(CT_FLOAT32, S(1), V(0))), LI(3), bv(false))),
                       iv(1), iv(1)),
              "unsupported operation: more than one element of the written-to tensor refers to a single memory "
              "location. Please clone() the tensor before performing the operation.");
    cv_value self_copy = call("aten::copy_", 3, tv(sq), tv(sq), bv(false));
    CHECK(self_copy.tag == CV_TENSOR && self_copy.u.t == sq);
    call("aten::copy_.int", 2, tv(sq), iv(7));
    CHECK_T(sq, CT_FLOAT32, S(2, 2), V(7));
    call("aten::copy_.float", 2, tv(sq), fv(0.25));
    CHECK_T(sq, CT_FLOAT32, S(2, 2), V(0.25));
    /* repeat */
    ct_tensor *a = mk(CT_INT64, S(3), V(0, 1, 2));
    CHECK_T(callt("aten::repeat", 2, tv(a), LI(2, 2)), CT_INT64, S(2, 6), V(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2));
    CHECK_T(callt("aten::repeat", 2, tv(a), LI(2, 1, 2)), CT_INT64, S(2, 1, 6), V(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2));
    CHECK_T(callt("aten::repeat", 2, tv(mk(CT_INT64, S0, V(5))), LI(3)), CT_INT64, S(3), V(5, 5, 5));
    CHECK_T(callt("aten::repeat", 2, tv(mk(CT_INT64, S0, V(5))), lv_empty()), CT_INT64, S0, V(5));
    ct_tensor *m = mk(CT_FLOAT32, S(2, 2), V(1, 2, 3, 4));
    CHECK_T(callt("aten::repeat", 2, tv(callt("aten::transpose.int", 3, tv(m), iv(0), iv(1))), LI(1, 2)), CT_FLOAT32,
            S(2, 4), V(1, 3, 1, 3, 2, 4, 2, 4));
    CHECK_T(callt("aten::repeat", 2, tv(a), LI(0)), CT_INT64, S(0), V(0));
    CHECK_STR(call_err("aten::repeat", 2, tv(mk(CT_FLOAT32, S(2, 3), V(0))), LI(2)),
              "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
    CHECK_STR(call_err("aten::repeat", 2, tv(mk(CT_FLOAT32, S(2, 3), V(0))), LI(2, -1)),
              "Trying to create tensor with negative dimension -3: [4, -3]");
}

/* big transposing copies take a tiled path; compare with element reads */
TEST(test_transposed_copies_of_large_tensors) {
    enum { A = 100, B = 77, N = A * B };
    static double v[3 * N];
    for (int i = 0; i < 3 * N; i++) v[i] = i;
    ct_tensor *x = mk(CT_FLOAT32, S(A, B), v, N);
    ct_tensor *xt = callt("aten::transpose.int", 3, tv(x), iv(0), iv(1));
    ct_tensor *c = callt("aten::contiguous", 2, tv(xt), iv(0));
    int ok = c && ct_is_contiguous(c) && c->sizes[0] == B && c->sizes[1] == A;
    for (int i = 0; ok && i < B; i++)
        for (int j = 0; ok && j < A; j++) ok = at(c, (int64_t)i * A + j) == j * B + i;
    CHECK(ok);
    /* batched, with a dtype conversion on the way */
    ct_tensor *y = mk(CT_INT64, S(3, A, B), v, 3 * N);
    ct_tensor *yt = callt("aten::transpose.int", 3, tv(y), iv(1), iv(2));
    ct_tensor *d = callt("aten::to.dtype", 5, tv(yt), iv(CT_FLOAT64), bv(false), bv(false), nv());
    ok = d && d->sizes[1] == B;
    for (int b = 0; ok && b < 3; b++)
        for (int i = 0; ok && i < B; i++)
            for (int j = 0; ok && j < A; j++) ok = at(d, ((int64_t)b * B + i) * A + j) == b * N + j * B + i;
    CHECK(ok);
}

/* Expected values from torch 1.13.1. */
TEST(test_flip_broadcast_tensors_element_size) {
    ct_tensor *x = mk(CT_INT64, S(2, 3), V(0, 1, 2, 3, 4, 5));
    CHECK_T(callt("aten::flip", 2, tv(x), LI(0, 1)), CT_INT64, S(2, 3), V(5, 4, 3, 2, 1, 0));
    CHECK_T(callt("aten::flip", 2, tv(x), LI(-1)), CT_INT64, S(2, 3), V(2, 1, 0, 5, 4, 3));
    CHECK_T(callt("aten::flip", 2, tv(x), lv_empty()), CT_INT64, S(2, 3), V(0, 1, 2, 3, 4, 5));
    ct_tensor *xt = callt("aten::transpose.int", 3, tv(x), iv(0), iv(1));
    CHECK_T(callt("aten::flip", 2, tv(xt), LI(0)), CT_INT64, S(3, 2), V(2, 5, 1, 4, 0, 3));
    CHECK_T(callt("aten::flip", 2, tv(mk(CT_FLOAT32, S0, V(3))), LI(0)), CT_FLOAT32, S0, V(3));
    CHECK_T(callt("aten::flip", 2, tv(mk(CT_BOOL, S(3), V(1, 0, 0))), LI(0)), CT_BOOL, S(3), V(0, 0, 1));
    CHECK_STR(call_err("aten::flip", 2, tv(x), LI(0, 0)), "dim 0 appears multiple times in the list of dims");
    CHECK_STR(call_err("aten::flip", 2, tv(x), LI(2)),
              "Dimension out of range (expected to be in range of [-2, 1], but got 2)");

    cv_value r = call("aten::broadcast_tensors", 1, ltv(3, mk(CT_FLOAT32, S(2, 1), V(1, 2)), mk(CT_INT64, S(3), V(7, 8, 9)),
                                                       mk(CT_BOOL, S0, V(1))));
    CHECK(r.tag == CV_LIST && r.u.l->len == 3);
    if (r.tag == CV_LIST && r.u.l->len == 3) {
        CHECK_T(r.u.l->items[0].u.t, CT_FLOAT32, S(2, 3), V(1, 1, 1, 2, 2, 2));
        CHECK_T(r.u.l->items[1].u.t, CT_INT64, S(2, 3), V(7, 8, 9, 7, 8, 9));
        CHECK_T(r.u.l->items[2].u.t, CT_BOOL, S(2, 3), V(1));
    }
    CHECK_STR(call_err("aten::broadcast_tensors", 1, ltv(2, mk(CT_FLOAT32, S(2), V(1)), mk(CT_FLOAT32, S(3), V(1)))),
              "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");

    CHECK(call("aten::element_size", 1, tv(x)).u.i == 8);
    CHECK(call("aten::element_size", 1, tv(mk(CT_FLOAT16, S(1), V(1)))).u.i == 2);
    CHECK(call("aten::element_size", 1, tv(mk(CT_BOOL, S(1), V(1)))).u.i == 1);
    CHECK(call("aten::element_size", 1, tv(mk(CT_FLOAT32, S(1), V(1)))).u.i == 4);
}

int main(void) {
    RUN_OP(test_view_shares_storage_and_infers_size);
    RUN_OP(test_flatten_transpose_permute);
    RUN_OP(test_select_slice_narrow);
    RUN_OP(test_expand_squeeze_unsqueeze);
    RUN_OP(test_size_queries);
    RUN_OP(test_cat_and_stack);
    RUN_OP(test_chunk_split_unbind);
    RUN_OP(test_to_clone_contiguous_detach);
    RUN_OP(test_copy_and_repeat);
    RUN_OP(test_transposed_copies_of_large_tensors);
    RUN_OP(test_flip_broadcast_tensors_element_size);
    return test_summary();
}
