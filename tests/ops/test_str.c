/* test_str.c - the `str` family and the value printer against PyTorch 1.13.
 *
 * Expected strings are what TorchScript returned for the same call under
 * torch 1.13.1 (str() of the result where it is not a str). */
#include <math.h>

#include "optest.h"
#include "test.h"

extern const cts_op_def cts_ops_str[];
extern const int cts_ops_str_count;

#define STRS(n, ...) LIST(T_STR, n, __VA_ARGS__)

TEST(test_str_table_keys_unique) { CHECK_EQ_INT(optest_duplicate_keys(), 0); }

/* str() spells values as `ostream << IValue` does */
TEST(test_str_of_values) {
    CHECK_STR(R("aten::str", 1, F(1.0)), "1.");
    CHECK_STR(R("aten::str", 1, F(-0.0)), "0.");
    CHECK_STR(R("aten::str", 1, F(0.1)), "0.10000000000000001");
    CHECK_STR(R("aten::str", 1, F(1e10)), "10000000000.");
    CHECK_STR(R("aten::str", 1, F(1e20)), "1e+20");
    CHECK_STR(R("aten::str", 1, F(1e19)), "1e+19");
    CHECK_STR(R("aten::str", 1, F(1e-5)), "1.0000000000000001e-05");
    CHECK_STR(R("aten::str", 1, F(-1e-300)), "-1e-300");
    CHECK_STR(R("aten::str", 1, F(1152921504606846976.0)), "1152921504606846976.");
    CHECK_STR(R("aten::str", 1, F(-9223372036854775808.0)), "-9223372036854775808.");
    CHECK_STR(R("aten::str", 1, F(9223372036854775808.0)), "9.2233720368547758e+18");
    CHECK_STR(R("aten::str", 1, F(5e-324)), "4.9406564584124654e-324");
    CHECK_STR(R("aten::str", 1, F(INFINITY)), "inf");
    CHECK_STR(R("aten::str", 1, F(-INFINITY)), "-inf");
    CHECK_STR(R("aten::str", 1, TUP(1, I(1))), "(1,)");
    CHECK_STR(R("aten::str", 1, TUP(0)), "()");
    CHECK_STR(R("aten::str", 1, N()), "None");
    CHECK_STR(R("aten::str", 1, B(true)), "True");
    CHECK_STR(R("aten::str", 1, LIST(T_BOOL, 1, B(true))), "[True]");
    CHECK_STR(R("aten::str", 1, cv_device(0, -1)), "cpu");
    CHECK_STR(R("aten::str", 1, cv_device(1, 0)), "cuda:0");
    CHECK_STR(R("aten::str", 1, LIST(T_ANY, 2, F(1.0), F(0.5))), "[1., 0.5]");
    CHECK_STR(R("aten::str", 1, STRS(2, S("a"), S("a\nb"))), "[a, a\nb]");
    CHECK_STR(R("aten::str", 1, TUP(3, I(1), LIST(T_INT, 2, I(2), I(3)), S("a"))), "(1, [2, 3], a)");
    CHECK_STR(R("aten::str", 1, S("abc")), "abc");
    cv_value d;
    cts_err err = {0};
    cv_dict_new(T_STR, T_FLOAT, &d, &err);
    cv_dict_set(d.u.d, S("a"), F(1.5), &err);
    cv_dict_set(d.u.d, S("k"), F(2.0), &err);
    CHECK_STR(R("aten::str", 1, d), "{a: 1.5, k: 2.}");
    CHECK_STR(R("aten::str", 1, TEN0(CT_INT64, 1)), "1\n[ CPULongType{} ]");
    double v[2] = {1.5, 2.0};
    CHECK_STR(R("aten::str", 1, LIST(T_TENSOR, 1, TEN1(CT_FLOAT32, 2, v))), "[ 1.5000\n 2.0000\n[ CPUFloatType{2} ]]");
    CHECK_STR(R("aten::str", 1, cv_tensor(NULL)), "[ Tensor (undefined) ]");
}

TEST(test_str_format) {
    CHECK_STR(R("aten::format", 4, S("{} {} {}"), I(1), S("x"), LIST(T_FLOAT, 2, F(1.0), F(2.0))), "1 x [1., 2.]");
    CHECK_STR(R("aten::format", 2, S("{}"), N()), "None");
    CHECK_STR(R("aten::format", 3, S("{}:{}"), S("x"), F(2.5)), "x:2.5");
    CHECK_STR(R("aten::format", 2, S("{}{}"), I(1)), "ERR: Too few arguments for format string: {}{}");
    CHECK_STR(R("aten::format", 3, S("{}"), I(1), I(2)), "1");
    CHECK_STR(R("aten::format", 2, S("{x}{}"), I(1)), "{x}1");
    double v[2] = {1.0, 2.5};
    CHECK_STR(R("aten::format", 2, S("{}"), TEN1(CT_FLOAT32, 2, v)), " 1.0000\n 2.5000\n[ CPUFloatType{2} ]");
}

TEST(test_str_percent_format) {
    CHECK_STR(R("aten::percentFormat", 2, S("%d %s %f %e %c %%"), TUP(5, I(3), S("ab"), F(2.5), F(1234.5), I(65))),
              "3 ab 2.500000 1.234500e+03 A %");
    CHECK_STR(R("aten::percentFormat", 2, S("%s"), F(2.5)), "2.5");
    CHECK_STR(R("aten::percentFormat", 2, S("%d"), F(7.9)), "7");
    CHECK_STR(R("aten::percentFormat", 2, S("%i"), F(3e10)), "-2147483648");
    CHECK_STR(R("aten::percentFormat", 2, S("%s"), LIST(T_INT, 2, I(1), I(2))), "[1, 2]");
    CHECK_STR(R("aten::percentFormat", 2, S("%e"), F(0.1)), "1.000000e-01");
    CHECK_STR(R("aten::percentFormat", 2, S("%f"), F(0.1)), "0.100000");
    CHECK_STR(R("aten::percentFormat", 2, S("%f"), F(1e10)), "10000000000.000000");
    CHECK_STR(R("aten::percentFormat", 2, S("%E %F"), TUP(2, F(1.5), F(1.5))), "1.500000E+00 1.500000");
    CHECK_STR(R("aten::percentFormat", 2, S("%s"), TUP(1, N())), "None");
    CHECK_STR(R("aten::percentFormat", 2, S("100%%"), TUP(0)), "100%");
    CHECK_STR(R("aten::percentFormat", 2, S("%s %s"), TUP(1, I(1))), "ERR: Too few arguments for format string");
    CHECK_STR(R("aten::percentFormat", 2, S("%s"), TUP(2, I(1), I(2))), "ERR: Too many arguments for format string");
    CHECK_STR(R("aten::percentFormat", 2, S("%x"), I(1)),
              "ERR: The specifier %x is not supported in TorchScript format strings");
    CHECK_STR(R("aten::percentFormat", 2, S("%.2f"), F(1.0)),
              "ERR: The specifier %. is not supported in TorchScript format strings");
    CHECK_STR(R("aten::percentFormat", 2, S("%"), I(1)), "ERR: Incomplete format specifier");
    CHECK_STR(R("aten::percentFormat", 2, S("%d"), S("x")),
              "ERR: %d requires a number for formatting, but got String");
    CHECK_STR(R("aten::percentFormat", 2, S("%c"), S("ab")),
              "ERR: %c requires an int or char for formatting, but got String");
}

TEST(test_str_operators) {
    CHECK_STR(R("aten::add.str", 2, S("ab"), S("cd")), "abcd");
    CHECK_STR(R("aten::eq.str", 2, S("ab"), S("ab")), "True");
    CHECK_STR(R("aten::ne.str", 2, S("ab"), S("ab")), "False");
    CHECK_STR(R("aten::le.str", 2, S("ab"), S("abc")), "True");
    CHECK_STR(R("aten::gt.str", 2, S("b"), S("abc")), "True");
    CHECK_STR(R("aten::lt.str", 2, S("a"), S("B")), "False");
    CHECK_STR(R("aten::ge.str", 2, S(""), S("")), "True");
    CHECK_STR(R("aten::len.str", 1, S("h\xc3\xa9llo")), "6");
    CHECK_STR(R("aten::__getitem__.str", 2, S("abc"), I(1)), "b");
    CHECK_STR(R("aten::__getitem__.str", 2, S("abc"), I(-1)), "c");
    CHECK_STR(R("aten::__getitem__.str", 2, S("abc"), I(5)),
              "ERR: basic_string::at: __n (which is 5) >= this->size() (which is 3)");
    CHECK_STR(R("aten::__getitem__.str", 2, S("abc"), I(-4)),
              "ERR: basic_string::at: __n (which is 18446744073709551615) >= this->size() (which is 3)");
    CHECK_STR(R("prim::StringIndex", 2, S("abc"), I(0)), "a");
    CHECK_STR(R("aten::slice.str", 4, S("abcd"), N(), N(), I(-1)), "dcba");
    CHECK_STR(R("aten::slice.str", 4, S("abcd"), N(), N(), I(-2)), "db");
    CHECK_STR(R("aten::slice.str", 4, S("abcd"), I(1), N(), I(1)), "bcd");
    CHECK_STR(R("aten::slice.str", 4, S("abcd"), N(), I(-1), I(1)), "abc");
    CHECK_STR(R("aten::slice.str", 4, S("abcd"), N(), N(), I(0)), "ERR: List slice should have non-zero step");
    CHECK_STR(R("aten::list", 1, S("ab")), "[a, b]");
}

TEST(test_str_strip_split_join) {
    CHECK_STR(R("aten::strip", 2, S(" \r x \r "), S(" \n\t\f\v")), "\r x \r");
    CHECK_STR(R("aten::strip", 2, S("xyaxyx"), S("xy")), "a");
    CHECK_STR(R("aten::lstrip", 2, S("abcab"), S("ab")), "cab");
    CHECK_STR(R("aten::rstrip", 2, S("ab \n\t"), S(" \n\t\f\v")), "ab");
    CHECK_STR(R("aten::strip", 2, S("aaa"), S("a")), "");
    CHECK_STR(R("aten::split.str", 3, S("  a b\tc  "), N(), I(-1)), "[a, b, c]");
    CHECK_STR(R("aten::split.str", 3, S("a,b,,c"), S(","), I(-1)), "[a, b, , c]");
    CHECK_STR(R("aten::split.str", 3, S("a,b,,c"), S(","), I(1)), "[a, b,,c]");
    CHECK_STR(R("aten::split.str", 3, S("a,b,c"), S(","), I(0)), "[a,b,c]");
    CHECK_STR(R("aten::split.str", 3, S(",a,"), S(","), I(-1)), "[, a, ]");
    CHECK_STR(R("aten::split.str", 3, S("a"), S(""), I(-1)), "ERR: ValueError: empty separator");
    /* PyTorch splits "a\xc3\xa9b" at the 0xa9 byte of the e-acute */
    CHECK_STR(R("aten::split.str", 3, S("a\xc3\xa9" "b"), N(), I(-1)), "[a\xc3, b]");
    CHECK_STR(R("aten::rsplit", 3, S("a,b,,c"), S(","), I(1)), "[a,b,, c]");
    CHECK_STR(R("aten::rsplit", 3, S("a b  c"), S(" "), I(-1)), "[a, b, , c]");
    CHECK_STR(R("aten::rsplit", 3, S("a,b,c"), S(","), I(0)), "[a,b,c]");
    CHECK_STR(R("aten::rsplit", 3, S(",a,"), S(","), I(-1)), "[, a, ]");
    CHECK_STR(R("aten::rsplit", 3, S("aaa"), S("aa"), I(-1)), "[a, ]");
    CHECK_STR(R("aten::splitlines", 2, S("a\r\nb\n"), B(false)), "[a, , b]");
    CHECK_STR(R("aten::splitlines", 2, S("a\nb\r\nc"), B(true)), "[a, \n, b, \r, , \n, c]");
    CHECK_STR(R("aten::join", 2, S("-"), STRS(3, S("a"), S("b"), S("c"))), "a-b-c");
    CHECK_STR(R("aten::join", 2, S("-"), LIST(T_STR, 0)), "");
}

TEST(test_str_case_and_padding) {
    CHECK_STR(R("aten::upper", 1, S("aBc1\xc3\xa9")), "ABC1\xc3\xa9");
    CHECK_STR(R("aten::lower", 1, S("ABC")), "abc");
    CHECK_STR(R("aten::swapcase", 1, S("aB1")), "Ab1");
    CHECK_STR(R("aten::capitalize", 1, S("hELLO")), "Hello");
    CHECK_STR(R("aten::title", 1, S("hello wORLD x1y")), "Hello World X1Y");
    CHECK_STR(R("aten::title", 1, S("they're bill's")), "They'Re Bill'S");
    CHECK_STR(R("aten::center", 3, S("abc"), I(6), S("*")), "*abc**");
    CHECK_STR(R("aten::center", 3, S("ab"), I(5), S("*")), "**ab*");
    CHECK_STR(R("aten::center", 3, S("abc"), I(7), S(" ")), "  abc  ");
    CHECK_STR(R("aten::center", 3, S("ab"), I(-1), S(" ")), "ab");
    CHECK_STR(R("aten::center", 3, S("abc"), I(4), S("xy")),
              "ERR: TypeError: The fill character must be exactly one character long");
    CHECK_STR(R("aten::ljust", 3, S("ab"), I(5), S("-")), "ab---");
    CHECK_STR(R("aten::rjust", 3, S("abc"), I(1), S(" ")), "abc");
    CHECK_STR(R("aten::rjust", 3, S("ab"), I(4), S("0")), "00ab");
    CHECK_STR(R("aten::zfill", 2, S("-5"), I(4)), "00-5");
    CHECK_STR(R("aten::zfill", 2, S("42"), I(5)), "00042");
    CHECK_STR(R("aten::expandtabs", 2, S("\tab\tc"), I(8)), "        ab      c");
    CHECK_STR(R("aten::expandtabs", 2, S("a\tb\n\tc"), I(4)), "a   b\n  c");
    CHECK_STR(R("aten::expandtabs", 2, S("a\tb"), I(0)), "ab");
}

TEST(test_str_search) {
    CHECK_STR(R("aten::find", 4, S("abcb"), S("b"), I(-2), I(-1)), "3");
    CHECK_STR(R("aten::find", 4, S("abcb"), S("b"), I(1), I(-1)), "1");
    CHECK_STR(R("aten::find", 4, S("abc"), S("zz"), I(0), I(-1)), "-1");
    CHECK_STR(R("aten::find", 4, S("abc"), S("b"), I(5), I(-1)), "-1");
    CHECK_STR(R("aten::find", 4, S("abc"), S(""), I(1), I(-1)), "1");
    CHECK_STR(R("aten::find", 4, S("abc"), S("a"), I(5), I(9)),
              "ERR: basic_string::substr: __pos (which is 5) > this->size() (which is 3)");
    CHECK_STR(R("aten::rfind", 4, S("abcb"), S("b"), I(0), I(3)), "1");
    CHECK_STR(R("aten::rfind", 4, S("abcb"), S("b"), I(0), I(-1)), "3");
    CHECK_STR(R("aten::rfind", 4, S("abc"), S(""), I(0), I(-1)), "3");
    CHECK_STR(R("aten::index.str", 4, S("abc"), S("z"), I(0), I(-1)), "ERR: ValueError: substring not found");
    CHECK_STR(R("aten::rindex", 4, S("abcb"), S("b"), I(0), I(-1)), "3");
    CHECK_STR(R("aten::count", 4, S("abcbb"), S("b"), I(1), I(-1)), "3");
    CHECK_STR(R("aten::count", 4, S("bbbbb"), S("bb"), I(0), I(-1)), "2");
    CHECK_STR(R("aten::count", 4, S("abcbb"), S("b"), I(0), I(2)), "1");
    CHECK_STR(R("aten::count", 4, S("abc"), S("b"), I(9), I(-1)), "0");
    CHECK_STR(R("aten::count", 4, S("abcbb"), S("b"), I(-2), I(-1)), "2");
    CHECK_STR(R("aten::count", 4, S("abc"), S(""), I(0), I(-1)), "4");
    CHECK_STR(R("aten::startswith", 4, S("abc"), S("b"), I(5), I(-1)),
              "ERR: basic_string::substr: __pos (which is 5) > this->size() (which is 3)");
    CHECK_STR(R("aten::startswith", 4, S("abc"), S(""), I(0), I(-1)), "True");
    CHECK_STR(R("aten::startswith", 4, S("abc"), S("b"), I(1), I(0)), "True");
    CHECK_STR(R("aten::endswith", 4, S("abc"), S("b"), I(0), I(2)), "True");
    CHECK_STR(R("aten::endswith", 4, S("abc"), S("c"), I(-1), I(-1)), "True");
    CHECK_STR(R("aten::endswith", 4, S("abc"), S("abcd"), I(0), I(-1)), "False");
    CHECK_STR(R("aten::replace", 4, S("aaa"), S("a"), S("xy"), I(1)), "xyaa");
    CHECK_STR(R("aten::replace", 4, S("aaa"), S("a"), S("b"), I(0)), "aaa");
    CHECK_STR(R("aten::replace", 4, S("aaaaa"), S("aa"), S("b"), I(-1)), "bba");
    CHECK_STR(R("aten::replace", 4, S("banana"), S("a"), S(""), I(-1)), "bnn");
    CHECK_STR(R("aten::replace", 4, S("ab"), S(""), S("-"), I(-1)), "-a-b-");
    CHECK_STR(R("aten::partition", 2, S("abcbd"), S("b")), "(a, b, cbd)");
    CHECK_STR(R("aten::partition", 2, S("abc"), S("x")), "(abc, , )");
    CHECK_STR(R("aten::rpartition", 2, S("abcbd"), S("b")), "(abc, b, d)");
    CHECK_STR(R("aten::rpartition", 2, S("abc"), S("x")), "(, , abc)");
    CHECK_STR(R("aten::rpartition", 2, S("abc"), S("")), "(abc, , )");
}

/* torch.device("...") in TorchScript (traced code spells devices this way) */
TEST(test_str_device) {
    CHECK_STR(R("aten::device", 1, S("cpu")), "cpu");
    CHECK_STR(R("aten::device", 1, S("cuda:1")), "cuda:1");
    CHECK_STR(R("aten::device", 1, S("tpu")),
              "ERR: Expected one of cpu, cuda device type at start of device string: tpu");
    CHECK_STR(R("aten::device", 1, S("cpu:x")), "ERR: Invalid device string: 'cpu:x'");
    CHECK_STR(R("aten::device", 1, S("cuda:")), "ERR: Invalid device string: 'cuda:'");
}

TEST(test_str_classification) {
    CHECK_STR(R("aten::isdigit", 1, S("")), "False");
    CHECK_STR(R("aten::isdigit", 1, S("123")), "True");
    CHECK_STR(R("aten::isspace", 1, S(" \t")), "True");
    CHECK_STR(R("aten::isalnum", 1, S("a1")), "True");
    CHECK_STR(R("aten::isalpha", 1, S("a1")), "False");
    CHECK_STR(R("aten::isdecimal", 1, S("12")), "True");
    CHECK_STR(R("aten::isnumeric", 1, S("1a")), "False");
    CHECK_STR(R("aten::isupper", 1, S("A1")), "True");
    CHECK_STR(R("aten::islower", 1, S("abc1")), "True");
    CHECK_STR(R("aten::islower", 1, S("123")), "False");
    CHECK_STR(R("aten::istitle", 1, S("Hello World")), "True");
    CHECK_STR(R("aten::istitle", 1, S("Hello world")), "False");
    CHECK_STR(R("aten::istitle", 1, S("")), "False");
    CHECK_STR(R("aten::isidentifier", 1, S("ab1")), "True");
    CHECK_STR(R("aten::isidentifier", 1, S("a_b")), "False");
    CHECK_STR(R("aten::isidentifier", 1, S("1ab")), "False");
    CHECK_STR(R("aten::isprintable", 1, S("")), "True");
    CHECK_STR(R("aten::isprintable", 1, S("a\tb")), "False");
}

TEST(test_str_chars_and_bases) {
    CHECK_STR(R("aten::ord", 1, S("A")), "65");
    CHECK_STR(R("aten::ord", 1, S("\xc3\xa9")), "ERR: String for ord() must be 1 character, found 2");
    CHECK_STR(R("aten::chr", 1, I(65)), "A");
    CHECK_STR(R("aten::chr", 1, I(300)), ",");
    CHECK_STR(R("aten::chr", 1, I(-1)), "ERR: chr() arg not in range(0x110000), found -1");
    CHECK_STR(R("aten::hex", 1, I(-255)), "-0xff");
    CHECK_STR(R("aten::hex", 1, I(INT64_MIN)), "-0x8000000000000000");
    CHECK_STR(R("aten::oct", 1, I(8)), "0o10");
    CHECK_STR(R("aten::bin", 1, I(-5)), "-0b101");
    CHECK_STR(R("aten::bin", 1, I(0)), "0b0");
}

TEST(test_str_rejects_wrong_argument_kinds) {
    CHECK_CONTAINS(R("aten::upper", 1, I(1)), "ERR:");
    CHECK_CONTAINS(R("aten::join", 2, S("-"), LIST(T_ANY, 1, I(1))), "ERR:");
    CHECK_CONTAINS(R("aten::format", 1, I(1)), "ERR:");
    CHECK_CONTAINS(R("aten::percentFormat", 1, S("%d")), "ERR:");
}

int main(void) {
    OPS(cts_ops_str, cts_ops_str_count);
    RUN(test_str_table_keys_unique);
    RUN(test_str_of_values);
    RUN(test_str_format);
    RUN(test_str_percent_format);
    RUN(test_str_operators);
    RUN(test_str_strip_split_join);
    RUN(test_str_case_and_padding);
    RUN(test_str_search);
    RUN(test_str_device);
    RUN(test_str_classification);
    RUN(test_str_chars_and_bases);
    RUN(test_str_rejects_wrong_argument_kinds);
    return test_summary();
}
