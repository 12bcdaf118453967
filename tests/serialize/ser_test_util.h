/* ser_test_util.h - helpers shared by the serialization tests. */
#ifndef CTS_SER_TEST_UTIL_H
#define CTS_SER_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serialize/zip.h"
#include "test.h"

#ifndef CTS_TEST_DATA
#define CTS_TEST_DATA "tests"
#endif

/* Reads tests/serialize/data/<name>; exits the test program if missing. */
static inline uint8_t *fixture(const char *name, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/serialize/data/%s", CTS_TEST_DATA, name);
    void *buf;
    cts_err err = {0};
    if (cts_read_file(path, (size_t)1 << 26, &buf, len, &err)) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        exit(2);
    }
    return buf;
}

/* Deterministic pseudo-random numbers for the mutation tests. */
static inline uint32_t lcg(uint64_t *s) {
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

static inline void wr16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void wr32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Offset of the n-th occurrence of a 4-byte signature, or -1. */
static inline long find_sig(const uint8_t *b, size_t len, const char *sig, int n) {
    for (size_t i = 0; i + 4 <= len; i++)
        if (memcmp(b + i, sig, 4) == 0 && n-- == 0) return (long)i;
    return -1;
}

#endif
