/* test_zip.c - zip reader and writer: PyTorch's layout, round trips, and
 * archives that lie. */
#include "ser_test_util.h"
#include "serialize/zip.h"
#include "test.h"

static const char TEXT[] =
    "def forward(self, x):\n    return x + x + x + x + x + x + x + x + x + x + x + x + x + x + x\n"
    "def forward(self, x):\n    return x + x + x + x + x + x + x + x + x + x + x + x + x + x + x\n"
    "def forward(self, x):\n    return x + x + x + x + x + x + x + x + x + x + x + x + x + x + x\n";

/* A small archive: root "m", a stored binary record, a deflated text
 * record, an empty record. */
static uint8_t *make_archive(size_t *len, uint64_t zip64_threshold) {
    cts_zip_writer w;
    cts_err err = {0};
    uint8_t bin[100];
    for (int i = 0; i < 100; i++) bin[i] = (uint8_t)(i * 7);
    CHECK(cts_zipw_init(&w, "m", &err) == 0);
    if (zip64_threshold) w.zip64_threshold = w.zip64_offset_threshold = zip64_threshold;
    CHECK(cts_zipw_add(&w, "data/0", bin, sizeof bin, 0, &err) == 0);
    CHECK(cts_zipw_add(&w, "code/__torch__.py", TEXT, strlen(TEXT), 9, &err) == 0);
    CHECK(cts_zipw_add(&w, "empty", "", 0, 0, &err) == 0);
    CHECK(cts_zipw_finish(&w, &err) == 0);
    uint8_t *p = cts_zipw_take(&w, len);
    cts_zipw_free(&w);
    return p;
}

static void check_archive(const uint8_t *buf, size_t len) {
    cts_zip *z;
    cts_err err = {0};
    CHECK(cts_zip_open(&z, buf, len, &err) == 0);
    if (!z) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    CHECK_EQ_INT(cts_zip_count(z), 3);
    CHECK_STR(cts_zip_root(z, &err), "m");
    CHECK_STR(cts_zip_name(z, 1), "m/code/__torch__.py");
    long i = cts_zip_find_record(z, "data/0");
    CHECK_EQ_INT(i, 0);
    const cts_zip_entry *e = cts_zip_entry_at(z, 0);
    CHECK_EQ_INT(e->size, 100);
    CHECK_EQ_INT(e->data_off % 64, 0);
    const void *view;
    size_t n;
    CHECK(cts_zip_peek(z, 0, &view, &n, &err) == 0);
    CHECK_EQ_INT(n, 100);
    CHECK_EQ_INT(((const uint8_t *)view)[3], 21);
    e = cts_zip_entry_at(z, 1);
    CHECK_EQ_INT(e->method, CTS_ZIP_DEFLATED);
    CHECK(e->csize < e->size);
    CHECK_EQ_INT(e->data_off % 64, 0);
    void *text;
    CHECK(cts_zip_read(z, 1, &text, &n, &err) == 0);
    CHECK_EQ_INT(n, strlen(TEXT));
    CHECK(text && memcmp(text, TEXT, n) == 0);
    free(text);
    CHECK(cts_zip_peek(z, 1, &view, &n, &err) == -1);
    CHECK_CONTAINS(err.msg, "is compressed");
    CHECK_EQ_INT(cts_zip_find_record(z, "empty"), 2);
    CHECK_EQ_INT(cts_zip_entry_at(z, 2)->size, 0);
    void *emp;
    CHECK(cts_zip_read(z, 2, &emp, &n, &err) == 0 && n == 0 && emp);
    free(emp);
    for (size_t k = 0; k < 3; k++) CHECK(cts_zip_verify_crc(z, k, &err) == 0);
    CHECK_EQ_INT(cts_zip_find(z, "m/nope"), -1);
    CHECK_EQ_INT(cts_zip_find_record(z, "nope"), -1);
    cts_zip_close(z);
}

TEST(test_zip_writer_round_trip) {
    size_t len;
    uint8_t *buf = make_archive(&len, 0);
    check_archive(buf, len);
    free(buf);
}

/* The bytes PyTorch's writer produces (torchscript-format.md 1.1-1.2). */
TEST(test_zip_writer_uses_pytorch_layout) {
    size_t len;
    uint8_t *b = make_archive(&len, 0);
    CHECK(memcmp(b, "PK\3\4", 4) == 0);
    CHECK_EQ_INT(get16(b + 4), 0);      /* version needed: stored */
    CHECK_EQ_INT(get16(b + 6), 0x0808); /* data descriptor + UTF-8 */
    CHECK_EQ_INT(get16(b + 26), 8);     /* name "m/data/0" */
    /* name "m/data/0" (8) -> start = 30 + 8 + 4 = 42, pad 22 */
    CHECK_EQ_INT(get16(b + 28), 26);
    CHECK(memcmp(b + 38, "FB", 2) == 0);
    CHECK_EQ_INT(get16(b + 40), 22);
    CHECK_EQ_INT(b[42], 'Z');
    /* data descriptor right after the 100 data bytes */
    CHECK(memcmp(b + 64 + 100, "PK\7\x8", 4) == 0);
    /* deflated record: version needed 20, method 8 */
    long l1 = find_sig(b, len, "PK\3\4", 1);
    CHECK(l1 > 0 && get16(b + l1 + 4) == 20 && get16(b + l1 + 8) == 8);
    /* empty record: flags 0x0800, no descriptor */
    long l2 = find_sig(b, len, "PK\3\4", 2);
    CHECK(l2 > 0 && get16(b + l2 + 6) == 0x0800);
    CHECK_EQ_INT(find_sig(b, len, "PK\7\x8", 2), -1);
    /* end records: zip64 EOCD (made by 0x031E, needs 45), locator, EOCD */
    long z64 = find_sig(b, len, "PK\6\6", 0);
    CHECK(z64 > 0 && get16(b + z64 + 12) == 0x031E && get16(b + z64 + 14) == 45);
    CHECK(find_sig(b, len, "PK\6\7", 0) == z64 + 56);
    CHECK(find_sig(b, len, "PK\5\6", 0) == z64 + 76);
    CHECK_EQ_INT(len, (size_t)z64 + 76 + 22);
    free(b);
}

TEST(test_zip_writer_forced_zip64_reads_back) {
    size_t len;
    uint8_t *buf = make_archive(&len, 1); /* everything "large" */
    check_archive(buf, len);
    /* central entries hold 0xFFFFFFFF placeholders and a zip64 extra */
    long c0 = find_sig(buf, len, "PK\1\2", 0), c1 = find_sig(buf, len, "PK\1\2", 1);
    CHECK(c0 > 0 && get32(buf + c0 + 20) == 0xFFFFFFFFu && get16(buf + c0 + 30) == 4 + 16); /* offset 0 fits */
    CHECK(c1 > 0 && get32(buf + c1 + 42) == 0xFFFFFFFFu && get16(buf + c1 + 30) == 4 + 16 + 8);
    free(buf);
}

TEST(test_zip_writer_rejects_duplicates_and_late_records) {
    cts_zip_writer w;
    cts_err err = {0};
    CHECK(cts_zipw_init(&w, "a", &err) == 0);
    CHECK(cts_zipw_add(&w, "x", "1", 1, 0, &err) == 0);
    CHECK(cts_zipw_add(&w, "x", "2", 1, 0, &err) == -1);
    CHECK_CONTAINS(err.msg, "duplicate record 'a/x'");
    CHECK(cts_zipw_finish(&w, &err) == 0);
    CHECK(cts_zipw_add(&w, "y", "2", 1, 0, &err) == -1);
    CHECK_CONTAINS(err.msg, "after the archive was finished");
    cts_zipw_free(&w);
    CHECK(cts_zipw_init(&w, "a/b", &err) == -1);
    CHECK_CONTAINS(err.msg, "invalid archive folder name");
    cts_zipw_free(&w);
}

TEST(test_zip_reads_pytorch_jit_archive) {
    size_t len;
    uint8_t *buf = fixture("jit.pt", &len);
    cts_zip *z;
    cts_err err = {0};
    CHECK(cts_zip_open(&z, buf, len, &err) == 0);
    if (z) {
        CHECK_STR(cts_zip_root(z, &err), "jit");
        CHECK_EQ_INT(cts_zip_count(z), 9);
        long i = cts_zip_find_record(z, "code/__torch__.py");
        CHECK(i >= 0);
        CHECK_EQ_INT(cts_zip_entry_at(z, (size_t)i)->method, CTS_ZIP_DEFLATED);
        void *p;
        size_t n;
        CHECK(cts_zip_read(z, (size_t)i, &p, &n, &err) == 0);
        CHECK(n > 20 && memcmp(p, "class M(Module):", 16) == 0);
        free(p);
        for (size_t k = 0; k < cts_zip_count(z); k++) {
            CHECK(cts_zip_verify_crc(z, k, &err) == 0);
            if (cts_zip_entry_at(z, k)->method == CTS_ZIP_STORED) CHECK_EQ_INT(cts_zip_entry_at(z, k)->data_off % 64, 0);
        }
        i = cts_zip_find_record(z, "version");
        CHECK(i >= 0 && cts_zip_read(z, (size_t)i, &p, &n, &err) == 0);
        CHECK(n == 2 && memcmp(p, "3\n", 2) == 0);
        free(p);
        cts_zip_close(z);
    }
    free(buf);
}

TEST(test_zip_reads_python_zipfile_archive) {
    size_t len;
    uint8_t *buf = fixture("plain.zip", &len);
    cts_zip *z;
    cts_err err = {0};
    CHECK(cts_zip_open(&z, buf, len, &err) == 0);
    if (z) {
        CHECK_STR(cts_zip_root(z, &err), "top");
        long i = cts_zip_find_record(z, "hello.txt");
        void *p = NULL;
        size_t n = 0;
        CHECK(i >= 0 && cts_zip_read(z, (size_t)i, &p, &n, &err) == 0);
        CHECK_EQ_INT(n, 36 * 4);
        CHECK(memcmp(p, "hello hello", 11) == 0);
        free(p);
        i = cts_zip_find_record(z, "stored.bin");
        const void *v;
        CHECK(i >= 0 && cts_zip_peek(z, (size_t)i, &v, &n, &err) == 0);
        CHECK(n == 16 && ((const uint8_t *)v)[15] == 15);
        CHECK(cts_zip_verify_crc(z, 0, &err) == 0 && cts_zip_verify_crc(z, 1, &err) == 0);
        cts_zip_close(z);
    }
    free(buf);
}

TEST(test_zip_root_rule) {
    cts_zip_writer w;
    cts_err err = {0};
    CHECK(cts_zipw_init(&w, NULL, &err) == 0);
    CHECK(cts_zipw_add(&w, "version", "3\n", 2, 0, &err) == 0);
    CHECK(cts_zipw_add(&w, "m/data.pkl", "x", 1, 0, &err) == 0);
    CHECK(cts_zipw_finish(&w, &err) == 0);
    cts_zip *z;
    CHECK(cts_zip_open(&z, w.buf, w.len, &err) == 0);
    if (z) {
        CHECK(cts_zip_root(z, &err) == NULL);
        CHECK_CONTAINS(err.msg, "file in archive is not in a subdirectory: 'version'");
        CHECK_EQ_INT(cts_zip_find_record(z, "data.pkl"), -1);
        cts_zip_close(z);
    }
    cts_zipw_free(&w);
}

static void expect_open_error(const uint8_t *buf, size_t len, const char *needle) {
    cts_zip *z = NULL;
    cts_err err = {0};
    CHECK(cts_zip_open(&z, buf, len, &err) == -1);
    CHECK(z == NULL);
    CHECK_CONTAINS(err.msg, needle);
    cts_zip_close(z);
}

TEST(test_zip_rejects_truncated_archive) {
    size_t len;
    uint8_t *buf = make_archive(&len, 0);
    expect_open_error(buf, 10, "too small to hold an end record");
    expect_open_error(buf, len - 1, "no end-of-central-directory record");
    expect_open_error(buf, len / 2, "no end-of-central-directory record");
    /* every prefix fails cleanly */
    for (size_t n = 0; n < len; n++) {
        cts_zip *z = NULL;
        cts_err err = {0};
        CHECK(cts_zip_open(&z, buf, n, &err) == -1);
        CHECK(err.set);
    }
    /* cut out the middle (records and all), keeping the end records */
    long cd = find_sig(buf, len, "PK\1\2", 0);
    size_t keep = len - (size_t)cd;
    uint8_t *tail = malloc(keep);
    memcpy(tail, buf + cd, keep);
    expect_open_error(tail, keep, "outside the file");
    free(tail);
    free(buf);
}

TEST(test_zip_rejects_lying_central_directory) {
    size_t len;
    uint8_t *good = make_archive(&len, 0);
    uint8_t *b = malloc(len);
    long c0 = find_sig(good, len, "PK\1\2", 0), c1 = find_sig(good, len, "PK\1\2", 1);
    long eocd = find_sig(good, len, "PK\5\6", 0), z64 = find_sig(good, len, "PK\6\6", 0);

    /* compressed size running past the records */
    memcpy(b, good, len);
    wr32(b + c0 + 20, 0x7FFFFFF0u);
    wr32(b + c0 + 24, 0x7FFFFFF0u);
    expect_open_error(b, len, "run past the records area");

    /* stored record whose sizes disagree */
    memcpy(b, good, len);
    wr32(b + c0 + 24, 99);
    expect_open_error(b, len, "stored zip entry 'm/data/0' has 100 bytes in the file but claims 99");

    /* local header offset pointing at nothing */
    memcpy(b, good, len);
    wr32(b + c0 + 42, 7);
    expect_open_error(b, len, "no local header at offset 7");

    /* local header offset beyond the records */
    memcpy(b, good, len);
    wr32(b + c1 + 42, 0x7FFFFFFFu);
    expect_open_error(b, len, "outside the records area");

    /* two entries over the same bytes: grow record 0 into record 1 */
    memcpy(b, good, len);
    wr32(b + c0 + 20, 200);
    wr32(b + c0 + 24, 200);
    expect_open_error(b, len, "overlap");

    /* central directory offset (zip64 end record) out of range */
    memcpy(b, good, len);
    b[z64 + 48] = 0xFF;
    b[z64 + 52] = 0x7F;
    expect_open_error(b, len, "lies outside the file");

    /* absurd entry count */
    memcpy(b, good, len);
    b[z64 + 32] = 0xFF;
    b[z64 + 33] = 0xFF;
    b[z64 + 34] = 0xFF;
    b[z64 + 24] = 0xFF;
    b[z64 + 25] = 0xFF;
    b[z64 + 26] = 0xFF;
    expect_open_error(b, len, "end record claims 16777215 entries");

    /* classic end record only (zip64 locator destroyed): values still checked */
    memcpy(b, good, len);
    memset(b + eocd - 20, 0, 4);
    wr32(b + eocd + 16, 0x10000);
    expect_open_error(b, len, "lies outside the file");

    /* unsupported method, encryption, multi-disk */
    memcpy(b, good, len);
    wr16(b + c0 + 10, 12);
    expect_open_error(b, len, "compression method 12");
    memcpy(b, good, len);
    wr16(b + c0 + 8, 0x0809);
    expect_open_error(b, len, "is encrypted");
    memcpy(b, good, len);
    wr16(b + c0 + 34, 1);
    expect_open_error(b, len, "multi-disk");

    /* name running past the directory */
    memcpy(b, good, len);
    wr16(b + c1 + 28, 0xFFFF);
    expect_open_error(b, len, "runs past the directory's end");

    /* zip64 placeholder without the extra field */
    memcpy(b, good, len);
    wr32(b + c0 + 24, 0xFFFFFFFFu);
    expect_open_error(b, len, "zip64 extra field, which is missing");

    /* duplicate names */
    memcpy(b, good, len);
    memcpy(b + c1 + 46, "m/data/0", 8);
    wr16(b + c1 + 28, 8);
    expect_open_error(b, len, ""); /* local-name mismatch or duplicate, either is an error */
    free(b);
    free(good);
}

TEST(test_zip_rejects_disagreeing_local_header) {
    size_t len;
    uint8_t *good = make_archive(&len, 0);
    uint8_t *b = malloc(len);
    long l1 = find_sig(good, len, "PK\3\4", 1);
    memcpy(b, good, len);
    b[l1 + 30 + 2] = 'X'; /* m/Xode/__torch__.py */
    expect_open_error(b, len, "names a different record ('m/Xode/__torch__.py')");
    memcpy(b, good, len);
    wr16(b + l1 + 8, 0);
    expect_open_error(b, len, "local header says compression method 0, central directory 8");
    /* without a data descriptor the local sizes must agree */
    memcpy(b, good, len);
    wr16(b + 6, 0x0800);
    wr32(b + 18, 5);
    wr32(b + 22, 5);
    expect_open_error(b, len, "disagrees with the central directory");
    free(b);
    free(good);
}

TEST(test_zip_rejects_bad_compressed_data) {
    size_t len;
    uint8_t *good = make_archive(&len, 0);
    uint8_t *b = malloc(len);
    cts_err err = {0};
    cts_zip *z;
    long c1 = find_sig(good, len, "PK\1\2", 1);
    const uint8_t *cd = good + c1;
    uint32_t csize = get32(cd + 20);

    /* garbage stream */
    memcpy(b, good, len);
    CHECK(cts_zip_open(&z, b, len, &err) == 0);
    if (z) {
        uint8_t *data = b + cts_zip_entry_at(z, 1)->data_off;
        memset(data, 0xFF, csize);
        void *p;
        size_t n;
        CHECK(cts_zip_read(z, 1, &p, &n, &err) == -1);
        CHECK_CONTAINS(err.msg, "zip entry 'm/code/__torch__.py'");
        cts_zip_close(z);
    }

    /* declared size larger than the stream produces */
    memcpy(b, good, len);
    wr32(b + c1 + 24, (uint32_t)strlen(TEXT) + 10);
    CHECK(cts_zip_open(&z, b, len, &err) == 0);
    if (z) {
        void *p;
        size_t n;
        CHECK(cts_zip_read(z, 1, &p, &n, &err) == -1);
        CHECK_CONTAINS(err.msg, "inflates to 273 bytes but declares 283");
        cts_zip_close(z);
    }

    /* declared size smaller than the stream produces */
    memcpy(b, good, len);
    wr32(b + c1 + 24, 100);
    CHECK(cts_zip_open(&z, b, len, &err) == 0);
    if (z) {
        void *p;
        size_t n;
        CHECK(cts_zip_read(z, 1, &p, &n, &err) == -1);
        CHECK_CONTAINS(err.msg, "inflates to more than its declared 100 bytes");
        cts_zip_close(z);
    }

    /* a size deflate cannot reach from so few bytes */
    memcpy(b, good, len);
    wr32(b + c1 + 24, 0xF0000000u);
    CHECK(cts_zip_open(&z, b, len, &err) == 0);
    if (z) {
        void *p;
        size_t n;
        CHECK(cts_zip_read(z, 1, &p, &n, &err) == -1);
        CHECK_CONTAINS(err.msg, "more than deflate can produce");
        cts_zip_close(z);
    }

    /* truncated stream: claim fewer compressed bytes */
    memcpy(b, good, len);
    wr32(b + c1 + 20, csize / 2);
    CHECK(cts_zip_open(&z, b, len, &err) == 0);
    if (z) {
        void *p;
        size_t n;
        CHECK(cts_zip_read(z, 1, &p, &n, &err) == -1);
        CHECK_CONTAINS(err.msg, "truncated");
        cts_zip_close(z);
    }

    /* CRC mismatch is found on request only */
    memcpy(b, good, len);
    b[64] ^= 1;
    CHECK(cts_zip_open(&z, b, len, &err) == 0);
    if (z) {
        CHECK(cts_zip_verify_crc(z, 0, &err) == -1);
        CHECK_CONTAINS(err.msg, "CRC-32 mismatch");
        cts_zip_close(z);
    }
    free(b);
    free(good);
}

/* Random damage must give errors, never crashes (run under ASan). */
TEST(test_zip_survives_random_damage) {
    size_t len;
    uint8_t *good = make_archive(&len, 0);
    uint8_t *b = malloc(len);
    uint64_t seed = 12345;
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(b, good, len);
        int flips = 1 + (int)(lcg(&seed) % 4);
        for (int k = 0; k < flips; k++) b[lcg(&seed) % len] = (uint8_t)lcg(&seed);
        cts_zip *z;
        cts_err err = {0};
        if (cts_zip_open(&z, b, len, &err) == 0) {
            for (size_t i = 0; i < cts_zip_count(z); i++) {
                void *p;
                size_t n;
                if (cts_zip_read(z, i, &p, &n, &err) == 0) free(p);
                cts_zip_verify_crc(z, i, &err);
            }
            cts_zip_close(z);
        } else {
            CHECK(err.set && err.msg[0]);
        }
    }
    free(b);
    free(good);
}

TEST(test_read_file_errors_name_the_file) {
    void *p;
    size_t n;
    cts_err err = {0};
    CHECK(cts_read_file("/nonexistent/x.pt", 100, &p, &n, &err) == -1);
    CHECK_CONTAINS(err.msg, "cannot open '/nonexistent/x.pt'");
    char path[512];
    snprintf(path, sizeof path, "%s/serialize/data/jit.pt", CTS_TEST_DATA);
    CHECK(cts_read_file(path, 1000, &p, &n, &err) == -1);
    CHECK_CONTAINS(err.msg, "larger than the limit of 1000 bytes");
    CHECK(cts_read_file(path, 1 << 20, &p, &n, &err) == 0);
    CHECK(n > 1000);
    free(p);
}

int main(void) {
    RUN(test_zip_writer_round_trip);
    RUN(test_zip_writer_uses_pytorch_layout);
    RUN(test_zip_writer_forced_zip64_reads_back);
    RUN(test_zip_writer_rejects_duplicates_and_late_records);
    RUN(test_zip_reads_pytorch_jit_archive);
    RUN(test_zip_reads_python_zipfile_archive);
    RUN(test_zip_root_rule);
    RUN(test_zip_rejects_truncated_archive);
    RUN(test_zip_rejects_lying_central_directory);
    RUN(test_zip_rejects_disagreeing_local_header);
    RUN(test_zip_rejects_bad_compressed_data);
    RUN(test_zip_survives_random_damage);
    RUN(test_read_file_errors_name_the_file);
    return test_summary();
}
