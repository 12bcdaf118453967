/* test_block_cache.c - reuse of large tensor buffers (tensor/block_cache.h):
 * a returned block is handed out again for a request of its size class; the
 * cache never holds more than its limit (CTS_BLOCK_CACHE_MB, set to 2 here);
 * trim frees everything; a reused block is 64-byte aligned and, asked for
 * zeros, zeroed; threads racing on it lose nothing.  Under AddressSanitizer
 * the cache keeps nothing (limit 0) and the tests check that instead. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tensor/block_cache.h"
#include "tensor/tensor.h"
#include "test.h"

TEST(block_is_reused_by_its_class) {
    ct_block_cache_trim();
    int c1, c2, c3;
    char *a = ct_block_get(100000, &c1);
    CHECK(a != NULL && c1 >= 0 && ((uintptr_t)a % 64) == 0);
    memset(a, 0x5a, 100000);
    ct_block_put(a, c1);
    char *b = ct_block_get(100000 + 100, &c2); /* same class */
    if (ct_block_cache_limit()) {
        CHECK(b == a);
        CHECK_EQ_INT(c2, c1);
    } else {
        CHECK_EQ_INT(ct_block_cache_bytes(), 0);
    }
    char *c = ct_block_get(1000000, &c3); /* another class: a new block */
    CHECK(c != NULL && c != b && c3 > c2);
    ct_block_put(b, c2);
    ct_block_put(c, c3);
    CHECK(ct_block_cache_trim() <= ct_block_cache_limit());
    CHECK_EQ_INT(ct_block_cache_bytes(), 0);
}

TEST(cache_holds_at_most_its_limit) {
    ct_block_cache_trim();
    enum { N = 40 };
    void *p[N];
    int cls[N];
    for (int i = 0; i < N; i++) p[i] = ct_block_get(200000, &cls[i]); /* 40 x ~200 KB = 8 MB */
    for (int i = 0; i < N; i++) ct_block_put(p[i], cls[i]);
    CHECK(ct_block_cache_bytes() <= ct_block_cache_limit());
    if (ct_block_cache_limit()) CHECK(ct_block_cache_bytes() > 0);
    ct_block_cache_trim();
    CHECK_EQ_INT(ct_block_cache_bytes(), 0);
}

TEST(storage_from_a_reused_block_is_zeroed_on_request) {
    ct_block_cache_trim();
    cts_err err = {0};
    ct_storage *s = ct_storage_new(300000, false, &err);
    CHECK(s != NULL);
    memset(s->data, 0xff, 300000);
    ct_storage_release(s);
    s = ct_storage_new(300000, true, &err);
    CHECK(s != NULL && ((uintptr_t)s->data % 64) == 0);
    int nonzero = 0;
    for (size_t i = 0; i < 300000; i++) nonzero += ((unsigned char *)s->data)[i] != 0;
    CHECK_EQ_INT(nonzero, 0);
    ct_storage_release(s);
    ct_block_cache_trim();
}

static void *churn(void *arg) {
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        int c;
        size_t n = 65536 + (size_t)(i % 7) * 50000;
        unsigned char *p = ct_block_get(n, &c);
        if (!p) return (void *)1;
        p[0] = (unsigned char)i, p[n - 1] = (unsigned char)i;
        ct_block_put(p, c);
    }
    return NULL;
}

TEST(threads_share_the_cache) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, churn, NULL);
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += r != NULL;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(ct_block_cache_bytes() <= ct_block_cache_limit());
    ct_block_cache_trim();
}

int main(void) {
    setenv("CTS_BLOCK_CACHE_MB", "2", 1); /* read at the first use */
    RUN(block_is_reused_by_its_class);
    RUN(cache_holds_at_most_its_limit);
    RUN(storage_from_a_reused_block_is_zeroed_on_request);
    RUN(threads_share_the_cache);
    return test_summary();
}
