/* test_save.c - cts_save (runtime/save.c) through the C API: the
 * archive cts writes loads back in cts and computes what the original
 * computes, bit for bit; saving twice writes the same bytes; the root
 * folder is named after the file; a path that cannot be written is a clear
 * error naming it.  (That PyTorch loads what cts writes, with the same
 * outputs, is checked against PyTorch by conformance/<case>/save,
 * models/<m>/<kind>/save and language/save.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cts.h"
#include "serialize/zip.h"
#include "test.h"

#ifndef CTS_TEST_DATA
#define CTS_TEST_DATA "tests"
#endif

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc(n > 0 ? (size_t)n : 1);
    *len = b ? fread(b, 1, (size_t)n, f) : 0;
    fclose(f);
    return b;
}

static cts_value *forward(cts_module *m, cts_value *x) {
    cts_error err;
    cts_value *y = NULL;
    if (cts_module_forward(m, &x, 1, &y, &err)) fprintf(stderr, "forward: %s\n", err.message);
    return y;
}

TEST(saved_archive_runs_the_same_and_is_deterministic) {
    cts_error err;
    cts_module *m = cts_module_load(CTS_TEST_DATA "/runtime/prepack.scripted.pt", NULL, &err);
    CHECK(m != NULL);
    if (!m) return;
    char dir[] = "/tmp/cts-test-save-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "%s/net.pt", dir);
    char sub[128];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    CHECK_EQ_INT(mkdir(sub, 0700), 0);
    snprintf(p2, sizeof p2, "%s/net.pt", sub);
    CHECK_EQ_INT(cts_save(m, p1, &err), 0);
    CHECK_EQ_INT(cts_save(m, p1, &err), 0); /* overwrite: same bytes below */
    size_t n1 = 0, n2 = 0;
    char *b1 = slurp(p1, &n1);
    CHECK_EQ_INT(cts_save(m, p1, &err), 0);
    char *b2 = slurp(p1, &n2);
    CHECK(b1 && b2 && n1 == n2 && n1 > 0 && !memcmp(b1, b2, n1));
    /* the root folder is the file's base name */
    cts_zip *z = NULL;
    cts_err e = {0};
    CHECK_EQ_INT(cts_zip_open(&z, b1, n1, &e), 0);
    CHECK_STR(z ? cts_zip_root(z, &e) : NULL, "net");
    CHECK(z && cts_zip_find_record(z, "data.pkl") >= 0 && cts_zip_find_record(z, "constants.pkl") >= 0 &&
          cts_zip_find_record(z, "version") >= 0 && cts_zip_find_record(z, "code/__torch__.py") >= 0);
    cts_zip_close(z);
    /* the copy computes what the original computes */
    cts_module *c = cts_module_load(p1, NULL, &err);
    CHECK(c != NULL);
    cts_value *args = cts_value_load_file(CTS_TEST_DATA "/runtime/prepack.args.pt", &err);
    cts_value *x = args ? cts_value_get(args, 0) : NULL;
    cts_value *y0 = x ? forward(m, x) : NULL, *y1 = x && c ? forward(c, x) : NULL;
    CHECK(y0 && y1 && cts_tensor_numel(y0) == 10 && cts_tensor_numel(y1) == 10);
    if (y0 && y1) CHECK(!memcmp(cts_tensor_data(y0), cts_tensor_data(y1), 10 * sizeof(float)));
    /* and saving the copy (under the same file name) writes the same bytes */
    CHECK(c && cts_save(c, p2, &err) == 0);
    size_t n3 = 0;
    char *b3 = slurp(p2, &n3);
    CHECK(b3 != NULL && n3 == n1 && !memcmp(b1, b3, n1));
    cts_value_free(y0);
    cts_value_free(y1);
    cts_value_free(x);
    cts_value_free(args);
    cts_module_free(c);
    free(b1), free(b2), free(b3);
    unlink(p1);
    unlink(p2);
    rmdir(sub);
    rmdir(dir);
    cts_module_free(m);
}

TEST(unwritable_path_is_a_clear_error) {
    cts_error err;
    cts_module *m = cts_module_load(CTS_TEST_DATA "/runtime/prepack.traced.pt", NULL, &err);
    CHECK(m != NULL);
    if (!m) return;
    CHECK_EQ_INT(cts_save(m, "/nonexistent-dir-of-cts/x.pt", &err), -1);
    CHECK_CONTAINS(err.message, "/nonexistent-dir-of-cts/x.pt");
    CHECK_EQ_INT(cts_save(m, NULL, &err), -1);
    CHECK_CONTAINS(err.message, "path");
    cts_module_free(m);
}

int main(void) {
    RUN(saved_archive_runs_the_same_and_is_deterministic);
    RUN(unwritable_path_is_a_clear_error);
    return test_summary();
}
