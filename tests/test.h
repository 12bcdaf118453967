/* test.h - the tiny harness of cts's C unit tests.
 *
 *   TEST(test_name) { CHECK(cond); CHECK_EQ_INT(a, b); }
 *   int main(void) { RUN(test_name); return test_summary(); }
 *
 * A failed CHECK prints the file, line and expression and marks the test
 * failed; the summary prints "N passed, M failed". */
#ifndef CTS_TEST_H
#define CTS_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int test_failed_ = 0, test_passed_count_ = 0, test_failed_count_ = 0;

#define TEST(name) static void name(void)
#define CHECK(c)                                                                 \
    do {                                                                         \
        if (!(c)) {                                                              \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
            test_failed_ = 1;                                                    \
        }                                                                        \
    } while (0)
#define CHECK_EQ_INT(a, b)                                                                     \
    do {                                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                                    \
        if (a_ != b_) {                                                                        \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a, #b, a_, b_); \
            test_failed_ = 1;                                                                  \
        }                                                                                      \
    } while (0)
#define CHECK_NEAR(a, b, tol)                                                                  \
    do {                                                                                       \
        double a_ = (double)(a), b_ = (double)(b);                                             \
        if (!(fabs(a_ - b_) <= (tol))) {                                                       \
            fprintf(stderr, "%s:%d: %s ~= %s failed: %.9g vs %.9g\n", __FILE__, __LINE__, #a, #b, a_, b_); \
            test_failed_ = 1;                                                                  \
        }                                                                                      \
    } while (0)
#define CHECK_STR(a, b)                                                                        \
    do {                                                                                       \
        const char *a_ = (a), *b_ = (b);                                                       \
        if (!a_ || !b_ || strcmp(a_, b_)) {                                                    \
            fprintf(stderr, "%s:%d: %s == %s failed:\n  got:  %s\n  want: %s\n", __FILE__, __LINE__, #a, #b, \
                    a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                   \
            test_failed_ = 1;                                                                  \
        }                                                                                      \
    } while (0)
#define CHECK_CONTAINS(hay, needle)                                                            \
    do {                                                                                       \
        const char *h_ = (hay), *n_ = (needle);                                                \
        if (!h_ || !strstr(h_, n_)) {                                                          \
            fprintf(stderr, "%s:%d: expected \"%s\" in:\n  %s\n", __FILE__, __LINE__, n_, h_ ? h_ : "(null)"); \
            test_failed_ = 1;                                                                  \
        }                                                                                      \
    } while (0)
#define RUN(name)                                                           \
    do {                                                                    \
        test_failed_ = 0;                                                   \
        name();                                                             \
        if (test_failed_) {                                                 \
            fprintf(stderr, "FAIL %s\n", #name);                            \
            test_failed_count_++;                                           \
        } else {                                                            \
            test_passed_count_++;                                           \
        }                                                                   \
    } while (0)

static inline int test_summary(void) {
    printf("%d passed, %d failed\n", test_passed_count_, test_failed_count_);
    return test_failed_count_ ? 1 : 0;
}

#endif
