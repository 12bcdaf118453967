/* test_scalar.c - the `scalar` family against PyTorch 1.13.
 *
 * Expected strings are what TorchScript's str() printed for the same
 * expression under /usr/bin/python3 with torch 1.13.1 (see the comment on
 * each group); errors are the RuntimeError messages. */
#include <math.h>

#include "optest.h"
#include "test.h"

extern const cts_op_def cts_ops_scalar[];
extern const int cts_ops_scalar_count;

TEST(test_scalar_table_keys_unique) { CHECK_EQ_INT(optest_duplicate_keys(), 0); }

/* a + b, a - b, a * b on ints wrap; floats mix */
TEST(test_scalar_add_sub_mul_wrap_and_mix) {
    CHECK_STR(R("aten::add.int", 2, I(INT64_MAX), I(1)), "-9223372036854775808");
    CHECK_STR(R("aten::sub.int", 2, I(INT64_MIN), I(1)), "9223372036854775807");
    CHECK_STR(R("aten::mul.int", 2, I(3), I(-7)), "-21");
    CHECK_STR(R("aten::mul.int", 2, I(4611686018427387904LL), I(4)), "0");
    CHECK_STR(R("aten::add.float_int", 2, F(1.5), I(2)), "3.5");
    CHECK_STR(R("aten::mul.int_float", 2, I(2), F(0.1)), "0.20000000000000001");
    CHECK_STR(R("aten::add", 2, I(2), I(3)), "5");
    CHECK_STR(R("aten::mul", 2, I(2), F(0.5)), "1.");
    CHECK_STR(R("aten::sub.float", 2, F(0.5), F(0.25)), "0.25");
}

/* true division always gives a float; by zero gives inf, no error */
TEST(test_scalar_div_is_float_and_inf_on_zero) {
    CHECK_STR(R("aten::div.int", 2, I(7), I(2)), "3.5");
    CHECK_STR(R("aten::div.int", 2, I(1), I(3)), "0.33333333333333331");
    CHECK_STR(R("aten::div.float", 2, F(1.0), F(0.0)), "inf");
    CHECK_STR(R("aten::div.int", 2, I(-1), I(0)), "-inf");
    CHECK_STR(R("aten::div", 2, I(7), I(2)), "3.5");
}

/* // floors toward -inf; int // 0 is "division by 0", float // 0 is inf */
TEST(test_scalar_floordiv_python_rounding) {
    CHECK_STR(R("aten::floordiv.int", 2, I(-7), I(2)), "-4");
    CHECK_STR(R("aten::floordiv.int", 2, I(7), I(-2)), "-4");
    CHECK_STR(R("aten::floordiv.int", 2, I(-7), I(-2)), "3");
    CHECK_STR(R("aten::floordiv.int", 2, I(7), I(0)), "ERR: division by 0");
    CHECK_STR(R("aten::floordiv.int", 2, I(INT64_MIN), I(-1)), "-9223372036854775808");
    CHECK_STR(R("aten::floordiv.int", 2, I(4611686018427387904LL), I(-1)), "-4611686018427387904");
    CHECK_STR(R("aten::floordiv.float", 2, F(-7.5), F(2.0)), "-4.");
    CHECK_STR(R("aten::floordiv.int_float", 2, I(7), F(0.5)), "14.");
    CHECK_STR(R("aten::floordiv.float_int", 2, F(2.5), I(0)), "inf");
    CHECK_STR(R("aten::floordiv", 2, I(7), I(-2)), "-4");
    CHECK_STR(R("aten::floordiv", 2, I(7), I(0)), "ERR: division by 0");
}

/* % takes the divisor's sign */
TEST(test_scalar_remainder_sign_of_divisor) {
    CHECK_STR(R("aten::remainder.int", 2, I(-7), I(2)), "1");
    CHECK_STR(R("aten::remainder.int", 2, I(7), I(-2)), "-1");
    CHECK_STR(R("aten::remainder.int", 2, I(-7), I(-2)), "-1");
    CHECK_STR(R("aten::remainder.int", 2, I(INT64_MIN), I(-1)), "0");
    CHECK_STR(R("aten::remainder.int", 2, I(5), I(0)), "ERR: ZeroDivisionError: integer division or modulo by zero");
    CHECK_STR(R("aten::remainder.float", 2, F(-7.5), F(2.0)), "0.5");
    CHECK_STR(R("aten::remainder.float", 2, F(7.5), F(-2.0)), "-0.5");
    CHECK_STR(R("aten::remainder.int_float", 2, I(5), F(1.5)), "0.5");
    CHECK_STR(R("aten::remainder.float", 2, F(-0.0), F(2.0)), "0.");
    CHECK_STR(R("aten::remainder", 2, I(-7), I(2)), "1");
    CHECK_STR(R("aten::remainder", 2, F(7.0), I(-2)), "-1.");
    cts_err err = {0};
    cv_value args[2] = {F(1.0), F(0.0)}, out;
    CHECK_EQ_INT(optest_call("aten::remainder.float", args, 2, &out, &err), 0);
    CHECK(out.tag == CV_FLOAT && isnan(out.u.f));
}

/* ** returns a float; 0 ** negative fails except for Scalar operands */
TEST(test_scalar_pow) {
    CHECK_STR(R("aten::pow.int", 2, I(2), I(10)), "1024.");
    CHECK_STR(R("aten::pow.int", 2, I(2), I(-2)), "0.25");
    CHECK_STR(R("aten::pow.int", 2, I(0), I(-1)), "ERR: 0.0 cannot be raised to a negative power");
    CHECK_STR(R("aten::pow.float", 2, F(2.0), F(0.5)), "1.4142135623730951");
    CHECK_STR(R("aten::pow.float_int", 2, F(0.0), I(-2)), "ERR: 0.0 cannot be raised to a negative power");
    CHECK_STR(R("aten::pow.Scalar_Scalar", 2, I(0), I(-1)), "inf");
    CHECK_STR(R("aten::pow.Scalar_Scalar", 2, I(2), I(3)), "8.");
    CHECK_STR(R("aten::pow.int_to_int", 2, I(3), I(4)), "81");
}

TEST(test_scalar_divmod) {
    CHECK_STR(R("aten::divmod.int", 2, I(-7), I(2)), "(-4, 1)");
    CHECK_STR(R("aten::divmod.int", 2, I(7), I(0)), "ERR: ZeroDivisionError: integer division or modulo by zero");
    CHECK_STR(R("aten::divmod.float", 2, F(7.5), F(-2.0)), "(-4., -0.5)");
    CHECK_STR(R("aten::divmod.float", 2, F(0.0), F(1.0)), "(0., 0.)");
    CHECK_STR(R("aten::divmod.int_float", 2, I(7), F(2.5)), "(2., 2.)");
    CHECK_STR(R("aten::divmod.int_float", 2, I(7), F(-2.5)), "(-3., -0.5)");
    CHECK_STR(R("aten::divmod.float_int", 2, F(-7.0), I(2)), "(-4., 1.)");
    CHECK_STR(R("aten::divmod.float", 2, F(7.0), F(0.0)), "ERR: ZeroDivisionError: float divmod()");
}

/* min/max: `a < b ? a : b`, mixed int/float gives a float */
TEST(test_scalar_min_max) {
    CHECK_STR(R("prim::min.int", 2, I(3), I(2)), "2");
    CHECK_STR(R("prim::max.int_float", 2, I(3), F(2.5)), "3.");
    CHECK_STR(R("prim::min.float", 2, F(NAN), F(1.0)), "1.");
    CHECK(strstr(R("prim::max.float", 2, F(1.0), F(NAN)), "nan") != NULL);
    CHECK_STR(R("prim::max", 2, I(1099511627776LL), F(1.5)), "1099511627776.");
    CHECK_STR(R("prim::min", 2, I(4), I(-4)), "-4");
}

TEST(test_scalar_comparisons) {
    CHECK_STR(R("aten::lt.int_float", 2, I(1), F(2.5)), "True");
    CHECK_STR(R("aten::ge.float_int", 2, F(2.0), I(2)), "True");
    CHECK_STR(R("aten::eq.int_float", 2, I(1), F(1.0)), "True");
    CHECK_STR(R("aten::ne.float", 2, F(NAN), F(NAN)), "True");
    CHECK_STR(R("aten::eq", 2, I(2), F(2.0)), "True");
    CHECK_STR(R("aten::gt.int", 2, I(-1), I(0)), "False");
    CHECK_STR(R("aten::le", 2, F(0.5), I(0)), "False");
    CHECK_STR(R("aten::eq.bool", 2, B(true), B(true)), "True");
    CHECK_STR(R("aten::ne.device", 2, cv_device(0, -1), cv_device(1, 0)), "True");
    CHECK_STR(R("aten::eq.device", 2, cv_device(1, 0), cv_device(1, 0)), "True");
}

/* bit ops; shift counts are taken modulo 64 (x86) */
TEST(test_scalar_bit_and_bool_ops) {
    CHECK_STR(R("aten::__and__.bool", 2, B(true), B(false)), "False");
    CHECK_STR(R("aten::__or__.bool", 2, B(true), B(false)), "True");
    CHECK_STR(R("aten::__xor__.bool", 2, B(true), B(true)), "False");
    CHECK_STR(R("aten::__and__.int", 2, I(12), I(10)), "8");
    CHECK_STR(R("aten::__or__.int", 2, I(12), I(10)), "14");
    CHECK_STR(R("aten::__xor__.int", 2, I(12), I(10)), "6");
    CHECK_STR(R("aten::__lshift__.int", 2, I(1), I(62)), "4611686018427387904");
    CHECK_STR(R("aten::__lshift__.int", 2, I(1), I(64)), "1");
    CHECK_STR(R("aten::__lshift__.int", 2, I(1), I(-1)), "-9223372036854775808");
    CHECK_STR(R("aten::__rshift__.int", 2, I(-17), I(2)), "-5");
    CHECK_STR(R("aten::__rshift__.int", 2, I(-8), I(70)), "-1");
    CHECK_STR(R("aten::__not__", 1, B(true)), "False");
}

TEST(test_scalar_gcd_factorial) {
    CHECK_STR(R("aten::gcd.int", 2, I(0), I(-5)), "5");
    CHECK_STR(R("aten::gcd.int", 2, I(12), I(18)), "6");
    CHECK_STR(R("aten::gcd.int", 2, I(-12), I(18)), "6");
    CHECK_STR(R("aten::factorial.int", 1, I(0)), "1");
    CHECK_STR(R("aten::factorial.int", 1, I(20)), "2432902008176640000");
    CHECK_STR(R("aten::factorial.int", 1, I(21)), "-4249290049419214848");
    CHECK_STR(R("aten::factorial.int", 1, I(25)), "7034535277573963776");
    CHECK_STR(R("aten::factorial.int", 1, I(65)), "-9223372036854775808");
    CHECK_STR(R("aten::factorial.int", 1, I(66)), "6605845161573735467");
    CHECK_STR(R("aten::factorial.int", 1, I(67)), "-130231943588962495");
    CHECK_STR(R("aten::factorial.int", 1, I(100)), "2825382156216303616");
    CHECK_STR(R("aten::factorial.int", 1, I(4294967301LL)), "120");
    CHECK_STR(R("aten::factorial.int", 1, I(-1)), "ERR: factorial() not defined for negative values");
}

/* .Scalar overloads round through C float / C int like PyTorch's casts */
TEST(test_scalar_unary_scalar_overload_casts) {
    CHECK_STR(R("aten::neg.int", 1, I(5)), "-5");
    CHECK_STR(R("aten::neg.float", 1, F(0.0)), "0.");
    CHECK_STR(R("aten::neg.int", 1, I(INT64_MIN)), "-9223372036854775808");
    CHECK_STR(R("aten::neg.Scalar", 1, I(1099511627776LL)), "0");
    CHECK_STR(R("aten::neg.Scalar", 1, F(0.1)), "-0.10000000149011612");
    CHECK_STR(R("prim::abs.int", 1, I(-4)), "4");
    CHECK_STR(R("prim::abs.int", 1, I(INT64_MIN)), "-9223372036854775808");
    CHECK_STR(R("prim::abs.float", 1, F(-0.0)), "0.");
    CHECK_STR(R("prim::abs.Scalar", 1, I(-1099511627776LL)), "0");
    CHECK_STR(R("prim::abs.Scalar", 1, F(-2.5)), "2.5");
    CHECK_STR(R("aten::sqrt.Scalar", 1, I(2)), "1.4142135381698608");
    CHECK_STR(R("aten::sqrt.Scalar", 1, F(2.0)), "1.4142135381698608");
    CHECK_STR(R("aten::exp.Scalar", 1, I(1)), "2.7182817459106445");
    CHECK_STR(R("aten::degrees.Scalar", 1, I(1)), "57.295780181884766");
    CHECK_STR(R("aten::floor.Scalar", 1, F(2.5)), "2");
    CHECK_STR(R("aten::floor.Scalar", 1, F(3e9)), "-1294967296");
    CHECK_STR(R("aten::round.Scalar", 1, I(1099511627776LL)), "1099511627776.");
}

TEST(test_scalar_floor_ceil_round) {
    CHECK_STR(R("aten::floor.float", 1, F(-2.5)), "-3");
    CHECK_STR(R("aten::ceil.float", 1, F(-2.5)), "-2");
    CHECK_STR(R("aten::floor.int", 1, I(7)), "7");
    CHECK_STR(R("aten::floor.float", 1, F(3e9)), "3000000000");
    CHECK_STR(R("aten::ceil.float", 1, F(INFINITY)), "ERR: Cannot convert float inf to integer");
    CHECK_STR(R("aten::ceil.float", 1, F(NAN)), "ERR: Cannot convert float nan to integer");
    CHECK_STR(R("aten::floor.float", 1, F(1e20)), "ERR: Cannot convert float 100000000000000000000.000000 to integer");
    CHECK_STR(R("aten::floor.int", 1, I(INT64_MAX)), "-9223372036854775808");
    CHECK_STR(R("aten::ceil.int", 1, I(INT64_MIN)), "-9223372036854775808");
    CHECK_STR(R("aten::round.float", 1, F(0.5)), "0.");
    CHECK_STR(R("aten::round.float", 1, F(1.5)), "2.");
    CHECK_STR(R("aten::round.float", 1, F(2.5)), "2.");
    CHECK_STR(R("aten::round.float", 1, F(-2.5)), "-2.");
    CHECK_STR(R("aten::round.float", 1, F(-0.5)), "0.");
    CHECK_STR(R("aten::round.float", 1, F(2.675)), "3.");
    CHECK_STR(R("aten::round.int", 1, I(7)), "7.");
}

/* math.* (values from PyTorch) */
TEST(test_scalar_math_functions) {
    CHECK_STR(R("aten::sqrt.float", 1, F(2.0)), "1.4142135623730951");
    CHECK_STR(R("aten::sqrt.int", 1, I(16)), "4.");
    CHECK_STR(R("aten::log.int", 1, I(10)), "2.3025850929940459");
    CHECK_STR(R("aten::log.int", 1, I(0)), "-inf");
    CHECK_STR(R("aten::exp.float", 1, F(1.0)), "2.7182818284590451");
    CHECK_STR(R("aten::log10.int", 1, I(1000)), "3.");
    CHECK_STR(R("aten::log1p.float", 1, F(1e-10)), "9.9999999995000007e-11");
    CHECK_STR(R("aten::sin.int", 1, I(1)), "0.8414709848078965");
    CHECK_STR(R("aten::atan2.float", 2, F(1.0), F(-1.0)), "2.3561944901923448");
    CHECK_STR(R("aten::atan2.int", 2, I(1), I(2)), "0.46364760900080609");
    CHECK_STR(R("aten::log.int_int", 2, I(100), I(10)), "2.");
    CHECK_STR(R("aten::log.int_int", 2, I(8), I(2)), "3.");
    CHECK_STR(R("aten::fmod.float_int", 2, F(-7.0), I(2)), "-1.");
    CHECK_STR(R("aten::fmod.int", 2, I(-7), I(2)), "-1.");
    CHECK_STR(R("aten::mathremainder.int", 2, I(5), I(2)), "1.");
    CHECK_STR(R("aten::mathremainder.int", 2, I(7), I(2)), "-1.");
    CHECK_STR(R("aten::copysign.int", 2, I(1), I(-2)), "-1.");
    CHECK_STR(R("aten::copysign.int_float", 2, I(3), F(-0.0)), "-3.");
    CHECK_STR(R("aten::degrees.float", 1, F(3.141592653589793)), "180.");
    CHECK_STR(R("aten::degrees.int", 1, I(1)), "57.295779513082323");
    CHECK_STR(R("aten::radians.int", 1, I(180)), "3.1415926535897931");
    CHECK_STR(R("aten::gamma.int", 1, I(5)), "24.");
    CHECK_STR(R("aten::lgamma.float", 1, F(0.5)), "0.57236494292470008");
    CHECK_STR(R("aten::lgamma.float", 1, F(-1.0)), "inf");
    CHECK_STR(R("aten::erf.float", 1, F(0.5)), "0.52049987781304652");
    CHECK_STR(R("aten::erfc.float", 1, F(0.5)), "0.47950012218695348");
    CHECK_STR(R("aten::expm1.float", 1, F(1e-10)), "1.00000000005e-10");
    CHECK_STR(R("aten::fabs.int", 1, I(-2)), "2.");
    CHECK_STR(R("aten::angle.float", 1, F(-2.0)), "3.1415926535897931");
    CHECK_STR(R("aten::angle.int", 1, I(3)), "0.");
    CHECK_STR(R("aten::isinf.float", 1, F(-INFINITY)), "True");
    CHECK_STR(R("aten::isfinite.float", 1, F(1.0)), "True");
    CHECK_STR(R("aten::isnan.float", 1, F(1.0)), "False");
    CHECK_STR(R("aten::modf", 1, F(3.25)), "(0.25, 3.)");
    CHECK_STR(R("aten::modf", 1, F(-2.5)), "(-0.5, -2.)");
    CHECK_STR(R("aten::frexp", 1, F(8.0)), "(0.5, 4)");
    CHECK_STR(R("aten::frexp", 1, F(-0.0)), "(0., 0)");
    CHECK_STR(R("aten::ldexp", 2, F(0.75), I(-2)), "0.1875");
    CHECK_STR(R("aten::ldexp", 2, F(1.5), I(4294967299LL)), "12.");
}

TEST(test_scalar_range_helpers) {
    CHECK_STR(R("aten::__range_length", 3, I(0), I(10), I(3)), "4");
    CHECK_STR(R("aten::__range_length", 3, I(10), I(0), I(-3)), "4");
    CHECK_STR(R("aten::__range_length", 3, I(0), I(10), I(-1)), "0");
    CHECK_STR(R("aten::__range_length", 3, I(1), I(5), I(0)), "ERR: range() arg 3 must not be zero");
    CHECK_STR(R("aten::__range_length", 3, I(INT64_MIN), I(INT64_MAX), I(INT64_MAX)), "3");
    CHECK_STR(R("aten::__derive_index", 3, I(2), I(10), I(-3)), "4");
    CHECK_STR(R("aten::__round_to_zero_floordiv.int", 2, I(-7), I(2)), "-3");
}

/* int(), float(), bool() of numbers and strings */
TEST(test_scalar_number_conversions) {
    CHECK_STR(R("aten::Int.float", 1, F(2.9)), "2");
    CHECK_STR(R("aten::Int.float", 1, F(-2.9)), "-2");
    CHECK_STR(R("aten::Int.float", 1, F(NAN)), "-9223372036854775808");
    CHECK_STR(R("aten::Int.float", 1, F(INFINITY)), "-9223372036854775808");
    CHECK_STR(R("aten::Int.float", 1, F(1e30)), "-9223372036854775808");
    CHECK_STR(R("aten::Int.bool", 1, B(true)), "1");
    CHECK_STR(R("aten::Int.Scalar", 1, F(2.7)), "2");
    CHECK_STR(R("aten::Int.Scalar", 1, B(true)), "1");
    CHECK_STR(R("aten::Int.Scalar", 1, F(3e9)), "ERR: value cannot be converted to type int without overflow");
    CHECK_STR(R("aten::Int.Scalar", 1, F(NAN)), "ERR: value cannot be converted to type int without overflow");
    CHECK_STR(R("aten::Int.Scalar", 1, I(1LL << 40)), "1099511627776");
    CHECK_STR(R("aten::Float.int", 1, I(16777217)), "16777217.");
    CHECK_STR(R("aten::Float.bool", 1, B(false)), "0.");
    CHECK_STR(R("aten::Float.Scalar", 1, I(3)), "3.");
    CHECK_STR(R("aten::Bool.int", 1, I(0)), "False");
    CHECK_STR(R("aten::Bool.float", 1, F(-0.0)), "False");
    CHECK_STR(R("aten::Bool.float", 1, F(NAN)), "True");
    CHECK_STR(R("aten::Bool.int", 1, I(3)), "True");
}

TEST(test_scalar_string_conversions) {
    CHECK_STR(R("aten::Int.str", 1, S("-12")), "-12");
    CHECK_STR(R("aten::Int.str", 1, S("+7")), "7");
    CHECK_STR(R("aten::Int.str", 1, S(" 42")), "42");
    CHECK_STR(R("aten::Int.str", 1, S(" 12 ")), "ERR: invalid literal for int() with base 10: ' 12 '");
    CHECK_STR(R("aten::Int.str", 1, S("1_0")), "ERR: invalid literal for int() with base 10: '1_0'");
    CHECK_STR(R("aten::Int.str", 1, S("x")), "ERR: stoll");
    CHECK_STR(R("aten::Int.str", 1, S("")), "ERR: stoll");
    CHECK_STR(R("aten::Int.str", 1, S("99999999999999999999")), "ERR: stoll");
    CHECK_STR(R("aten::Float.str", 1, S("1e3")), "1000.");
    CHECK_STR(R("aten::Float.str", 1, S("-.5")), "-0.5");
    CHECK_STR(R("aten::Float.str", 1, S(" 1.5")), "1.5");
    CHECK_STR(R("aten::Float.str", 1, S("0x10")), "16.");
    CHECK_STR(R("aten::Float.str", 1, S("inf")), "inf");
    CHECK_STR(R("aten::Float.str", 1, S("abc")), "ERR: stod");
    CHECK_STR(R("aten::Float.str", 1, S("1e400")), "ERR: stod");
    CHECK_STR(R("aten::Float.str", 1, S("1.0x")), "ERR: could not convert string to float: '1.0x'");
    CHECK_STR(R("aten::Float.str", 1, S("1.5 ")), "ERR: could not convert string to float: '1.5 '");
}

/* tensor -> number: item(), int(t), float(t), bool(t) and the implicit forms */
TEST(test_scalar_tensor_conversions) {
    double two[2] = {3.7, 1.0};
    CHECK_STR(R("aten::Int.Tensor", 1, TEN0(CT_FLOAT32, 3.7)), "3");
    CHECK_STR(R("aten::Int.Tensor", 1, TEN0(CT_FLOAT32, -2.5)), "-2");
    CHECK_STR(R("aten::Int.Tensor", 1, TEN0(CT_BOOL, 1)), "1");
    CHECK_STR(R("aten::Int.Tensor", 1, TEN0(CT_FLOAT64, NAN)),
              "ERR: value cannot be converted to type int64_t without overflow");
    CHECK_STR(R("aten::Int.Tensor", 1, TEN0(CT_FLOAT64, 9223372036854775808.0)), "-9223372036854775808");
    CHECK_STR(R("aten::Int.Tensor", 1, TEN1(CT_FLOAT32, 2, two)),
              "ERR: a Tensor with 2 elements cannot be converted to Scalar");
    CHECK_STR(R("aten::Int.Tensor", 1, TEN1(CT_FLOAT32, 1, two)), "3");
    CHECK_STR(R("aten::Float.Tensor", 1, TEN0(CT_INT64, 3)), "3.");
    CHECK_STR(R("aten::Float.Tensor", 1, TEN0(CT_BOOL, 1)), "1.");
    CHECK_STR(R("aten::Float.Tensor", 1, TEN1(CT_FLOAT32, 0, two)),
              "ERR: a Tensor with 0 elements cannot be converted to Scalar");
    CHECK_STR(R("aten::Bool.Tensor", 1, TEN1(CT_FLOAT32, 1, (double[]){0.0})), "False");
    CHECK_STR(R("aten::Bool.Tensor", 1, TEN0(CT_INT64, 2)), "True");
    CHECK_STR(R("aten::Bool.Tensor", 1, TEN1(CT_FLOAT32, 2, two)),
              "ERR: Boolean value of Tensor with more than one value is ambiguous");
    CHECK_STR(R("aten::Bool.Tensor", 1, TEN1(CT_FLOAT32, 0, two)),
              "ERR: Boolean value of Tensor with no values is ambiguous");
    CHECK_STR(R("aten::item", 1, TEN0(CT_FLOAT32, 0.1)), "0.10000000149011612");
    CHECK_STR(R("aten::item", 1, TEN0(CT_INT16, 7)), "7");
    CHECK_STR(R("aten::item", 1, TEN0(CT_UINT8, 2)), "2");
    CHECK_STR(R("aten::item", 1, TEN0(CT_FLOAT16, 0.25)), "0.25");
    CHECK_STR(R("aten::item", 1, TEN0(CT_BOOL, 1)), "True");
    CHECK_STR(R("aten::IntImplicit", 1, TEN0(CT_INT32, 5)), "5");
    CHECK_STR(R("aten::IntImplicit", 1, TEN0(CT_FLOAT32, 5)),
              "ERR: Cannot input a tensor of type Float as an integral argument");
    CHECK_STR(R("aten::IntImplicit", 1, TEN0(CT_BOOL, 1)),
              "ERR: Cannot input a tensor of type Bool as an integral argument");
    CHECK_STR(R("aten::FloatImplicit", 1, TEN1(CT_FLOAT32, 1, two)),
              "ERR: Cannot input a tensor of dimension other than 0 as a scalar argument");
    CHECK_STR(R("aten::FloatImplicit", 1, TEN0(CT_INT64, 2)), "2.");
    CHECK_STR(R("aten::ScalarImplicit", 1, TEN0(CT_INT64, 2)), "2");
    cv_value g = TEN0(CT_FLOAT32, 1.0);
    g.u.t->requires_grad = true;
    CHECK_STR(R("aten::ScalarImplicit", 1, g), "ERR: Cannot input a tensor that requires grad as a scalar argument");
}

TEST(test_scalar_is_isnot) {
    cv_value s = S("x"), t = TEN0(CT_FLOAT32, 1.0);
    CHECK_STR(R("aten::__is__", 2, N(), N()), "True");
    CHECK_STR(R("aten::__is__", 2, I(1), I(1)), "True");
    CHECK_STR(R("aten::__is__", 2, I(1), N()), "False");
    CHECK_STR(R("aten::__isnot__", 2, I(3), N()), "True");
    CHECK_STR(R("aten::__is__", 2, KEEP(s), KEEP(s)), "True");
    CHECK_STR(R("aten::__is__", 2, KEEP(s), S("x")), "False");
    CHECK_STR(R("aten::__is__", 2, KEEP(t), KEEP(t)), "True");
    CHECK_STR(R("aten::__is__", 2, cv_tensor(NULL), N()), "True");
    cv_release(s);
    cv_release(t);
}

TEST(test_scalar_rejects_wrong_argument_kinds) {
    CHECK_CONTAINS(R("aten::add.int", 2, S("a"), I(1)), "ERR:");
    CHECK_CONTAINS(R("aten::add.int", 1, I(1)), "ERR:");
    CHECK_CONTAINS(R("aten::item", 1, I(1)), "ERR:");
    CHECK_CONTAINS(R("aten::item", 1, cv_tensor(NULL)), "ERR:");
    CHECK_CONTAINS(R("aten::Int.str", 1, I(1)), "ERR:");
}

int main(void) {
    OPS(cts_ops_scalar, cts_ops_scalar_count);
    RUN(test_scalar_table_keys_unique);
    RUN(test_scalar_add_sub_mul_wrap_and_mix);
    RUN(test_scalar_div_is_float_and_inf_on_zero);
    RUN(test_scalar_floordiv_python_rounding);
    RUN(test_scalar_remainder_sign_of_divisor);
    RUN(test_scalar_pow);
    RUN(test_scalar_divmod);
    RUN(test_scalar_min_max);
    RUN(test_scalar_comparisons);
    RUN(test_scalar_bit_and_bool_ops);
    RUN(test_scalar_gcd_factorial);
    RUN(test_scalar_unary_scalar_overload_casts);
    RUN(test_scalar_floor_ceil_round);
    RUN(test_scalar_math_functions);
    RUN(test_scalar_range_helpers);
    RUN(test_scalar_number_conversions);
    RUN(test_scalar_string_conversions);
    RUN(test_scalar_tensor_conversions);
    RUN(test_scalar_is_isnot);
    RUN(test_scalar_rejects_wrong_argument_kinds);
    return test_summary();
}
