/* test_file_views.c - tensors loaded as views into the archive's bytes
 * (runtime/import.c: a stored record of a file read by cts_rt_load is not
 * copied) outlive the module that loaded them, and writes to them stay
 * private to the process.
 *
 * param_view.pt (gen_param_view.py, written by PyTorch) returns (w, w + x)
 * with w = arange(48).reshape(6, 8) / 4, the parameter itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cts.h"
#include "test.h"

#ifndef CTS_TEST_DATA
#define CTS_TEST_DATA "tests"
#endif

static cts_value *forward(cts_module *m, float xv) {
    cts_error err;
    int64_t shape[1] = {8};
    float x[8];
    for (int i = 0; i < 8; i++) x[i] = xv;
    cts_value *arg = cts_tensor_new(CTS_FLOAT32, 1, shape, x, &err);
    cts_value *r = NULL;
    int rc = cts_module_forward(m, &arg, 1, &r, &err);
    cts_value_free(arg);
    if (rc) fprintf(stderr, "forward: %s\n", err.message);
    return rc ? NULL : r;
}

TEST(test_parameter_outlives_its_module) {
    cts_error err;
    cts_module *m = cts_module_load(CTS_TEST_DATA "/runtime/param_view.pt", NULL, &err);
    if (!m) fprintf(stderr, "load: %s\n", err.message);
    CHECK(m != NULL);
    if (!m) return;
    cts_value *r = forward(m, 1.0f);
    CHECK(r != NULL);
    cts_module_free(m); /* the returned parameter still views the archive's bytes */
    if (!r) return;
    CHECK(cts_value_kind(r) == CTS_VALUE_TUPLE && cts_value_len(r) == 2);
    cts_value *w = cts_value_get(r, 0), *s = cts_value_get(r, 1);
    CHECK_EQ_INT(cts_tensor_numel(w), 48);
    const float *wp = cts_tensor_data(w), *sp = cts_tensor_data(s);
    int bad = 0;
    for (int i = 0; i < 48; i++) bad += wp[i] != (float)i / 4.0f || sp[i] != (float)i / 4.0f + 1.0f;
    CHECK_EQ_INT(bad, 0);
    cts_value_free(w);
    cts_value_free(s);
    cts_value_free(r);
}

TEST(test_two_loads_do_not_share_parameters) {
    cts_error err;
    cts_module *a = cts_module_load(CTS_TEST_DATA "/runtime/param_view.pt", NULL, &err);
    cts_module *b = cts_module_load(CTS_TEST_DATA "/runtime/param_view.pt", NULL, &err);
    CHECK(a != NULL && b != NULL);
    if (!a || !b) {
        cts_module_free(a);
        cts_module_free(b);
        return;
    }
    cts_value *ra = forward(a, 0.0f), *rb = forward(b, 0.0f);
    CHECK(ra != NULL && rb != NULL);
    if (ra && rb) {
        cts_value *wa = cts_value_get(ra, 0), *wb = cts_value_get(rb, 0);
        CHECK(cts_tensor_data(wa) != cts_tensor_data(wb));
        cts_value_free(wa);
        cts_value_free(wb);
    }
    cts_value_free(ra);
    cts_value_free(rb);
    cts_module_free(a);
    cts_module_free(b);
}

/* The sum of the parameter w (element i is i / 4) and of w + xv, or -1. */
static int check_forward(cts_module *m, float xv) {
    cts_value *r = forward(m, xv);
    if (!r) return -1;
    cts_value *w = cts_value_get(r, 0), *s = cts_value_get(r, 1);
    const float *wp = cts_tensor_data(w), *sp = cts_tensor_data(s);
    int bad = 0;
    for (int i = 0; i < 48; i++) bad += wp[i] != (float)i / 4.0f || sp[i] != (float)i / 4.0f + xv;
    cts_value_free(w);
    cts_value_free(s);
    cts_value_free(r);
    return bad;
}

/* Copies param_view.pt to DIR/m.pt in a new temporary folder dir (a
 * mkdtemp template); 0 on success. */
static int copy_to_temp(char *dir, char *path, size_t cap) {
    if (!mkdtemp(dir)) return -1;
    snprintf(path, cap, "%s/m.pt", dir);
    FILE *in = fopen(CTS_TEST_DATA "/runtime/param_view.pt", "rb"), *out = fopen(path, "wb");
    int bad = !in || !out;
    char buf[4096];
    size_t n;
    while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0) bad = fwrite(buf, 1, n, out) != n;
    if (in) fclose(in);
    if (out && fclose(out)) bad = 1;
    return bad ? -1 : 0;
}

/* A module loaded to run maps its archive (and gives its pages back after
 * loading): saving another module over that same file replaces it whole, so
 * the first still runs on its own bytes (written in place, they would read
 * the other archive's bytes, or past its end). */
TEST(test_save_over_the_loaded_archive) {
    char dir[] = "/tmp/cts-views-XXXXXX", path[64];
    CHECK(copy_to_temp(dir, path, sizeof path) == 0);
    cts_error err;
    cts_module *m = cts_module_load(path, NULL, &err);
    CHECK(m != NULL);
    if (m) {
        CHECK_EQ_INT(check_forward(m, 2.0f), 0);
        cts_module *other = cts_module_load(CTS_TEST_DATA "/runtime/prepack.scripted.pt", NULL, &err);
        CHECK(other != NULL);
        if (other) CHECK_EQ_INT(cts_save(other, path, &err), 0);
        cts_module_free(other);
        CHECK_EQ_INT(check_forward(m, 3.0f), 0);
        CHECK_EQ_INT(cts_save(m, path, &err), 0); /* and back: saving over its own file */
        CHECK_EQ_INT(check_forward(m, 4.0f), 0);
        cts_module *again = cts_module_load(path, NULL, &err);
        CHECK(again != NULL);
        if (again) CHECK_EQ_INT(check_forward(again, 5.0f), 0);
        cts_module_free(again);
        cts_module_free(m);
    }
    remove(path);
    rmdir(dir);
}

/* With copy_archive the module holds its own copy of the file: another
 * writer may then rewrite the file in place (here: truncate it to nothing)
 * and the module still runs on what it read. */
TEST(test_copy_archive_survives_rewrite_in_place) {
    char dir[] = "/tmp/cts-views-XXXXXX", path[64];
    CHECK(copy_to_temp(dir, path, sizeof path) == 0);
    cts_error err;
    cts_options opts = {1, 1};
    cts_module *m = cts_module_load(path, &opts, &err);
    CHECK(m != NULL);
    if (m) {
        FILE *t = fopen(path, "wb"); /* rewritten in place: truncated */
        if (t) fclose(t);
        CHECK_EQ_INT(check_forward(m, 6.0f), 0);
        cts_module_free(m);
    }
    remove(path);
    rmdir(dir);
}

int main(void) {
    RUN(test_parameter_outlives_its_module);
    RUN(test_copy_archive_survives_rewrite_in_place);
    RUN(test_save_over_the_loaded_archive);
    RUN(test_two_loads_do_not_share_parameters);
    return test_summary();
}
