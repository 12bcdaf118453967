/* zip.c - zip reader (validating, over a memory buffer) and PyTorch-style writer.
 *
 * Reader invariant: after cts_zip_open succeeds, every entry's data range
 * [data_off, data_off + csize) lies inside the buffer, before the central
 * directory, and does not overlap another entry's local header or data; so
 * later reads index the buffer without further checks.  All arithmetic on
 * values from the file is done in uint64_t and compared by subtraction so it
 * cannot overflow. */
#include "zip.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_Z64_EOCD 0x06064b50u
#define SIG_Z64_LOC 0x07064b50u
#define SIG_DESCRIPTOR 0x08074b50u

#define LOCAL_HDR 30
#define CENTRAL_HDR 46
#define EOCD_LEN 22
#define Z64_EOCD_LEN 56
#define Z64_LOC_LEN 20
#define MAX32 0xFFFFFFFFu
#define ALIGN 64
/* A deflate stream expands at most ~1032:1; a record claiming more is a lie. */
#define MAX_INFLATE_RATIO 1032u

/* ---- little-endian access ---- */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* ---- files ---- */

int cts_read_file(const char *path, size_t max_bytes, void **out, size_t *len, cts_err *err) {
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return cts_err_set(err, "cannot open '%s': %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    /* a regular file is read into one buffer of its size (+1 to see the
     * end): growing by doubling would copy and touch up to twice the bytes
     * of a large archive; pipes and files that grow still take the loop */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0) {
        if ((uint64_t)st.st_size > max_bytes) {
            fclose(f);
            return cts_err_set(err, "'%s' is larger than the limit of %zu bytes", path, max_bytes);
        }
        cap = (size_t)st.st_size + 1;
    }
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return cts_err_oom(err, path, cap);
    }
    for (;;) {
        if (n == cap) {
            if (cap > max_bytes) break; /* reported below */
            size_t nc = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
            char *p = realloc(buf, nc);
            if (!p) {
                free(buf);
                fclose(f);
                return cts_err_oom(err, path, nc);
            }
            buf = p;
            cap = nc;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
        if (n > max_bytes) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return cts_err_set(err, "error reading '%s'", path);
    }
    if (n > max_bytes) {
        free(buf);
        return cts_err_set(err, "'%s' is larger than the limit of %zu bytes", path, max_bytes);
    }
    *out = buf;
    *len = n;
    return 0;
}

static int write_to(const char *path, const char *shown, const void *data, size_t len, const char *mode,
                    cts_err *err) {
    FILE *f = fopen(path, mode);
    if (!f) return cts_err_set(err, "cannot create '%s': %s", shown, strerror(errno));
    size_t put = len ? fwrite(data, 1, len, f) : 0;
    int bad = put != len || ferror(f);
    if (fclose(f) != 0) bad = 1;
    if (bad) return cts_err_set(err, "error writing '%s' (%zu bytes)", shown, len);
    return 0;
}

int cts_write_file(const char *path, const void *data, size_t len, cts_err *err) {
    /* A regular file (or a new one) is replaced whole: written next to it
     * and renamed over it, so a module still reading the old file (a loaded
     * archive is mapped, runtime/import.c) keeps its bytes.  Written in
     * place instead: anything but a regular file (a device, a pipe), a file
     * with other hard links (they would keep the old bytes), a symbolic link
     * to nothing yet, and a folder where no file can be created. */
    struct stat st, lst;
    char real[PATH_MAX];
    bool exists = stat(path, &st) == 0;
    if (exists && (!S_ISREG(st.st_mode) || st.st_nlink > 1)) return write_to(path, path, data, len, "wb", err);
    if (!exists && lstat(path, &lst) == 0) return write_to(path, path, data, len, "wb", err); /* dangling link */
    const char *target = exists && realpath(path, real) ? real : path; /* through a symbolic link, to its file */
    static _Atomic unsigned long serial;
    size_t n = strlen(target) + 64;
    char *tmp = malloc(n);
    if (!tmp) return cts_err_oom(err, "file name", n);
    snprintf(tmp, n, "%s.cts-tmp-%ld-%lu", target, (long)getpid(), (unsigned long)serial++);
    FILE *probe = fopen(tmp, "wbx");
    if (!probe) {
        free(tmp);
        return write_to(path, path, data, len, "wb", err); /* no file can be made beside it */
    }
    fclose(probe);
    int rc = write_to(tmp, path, data, len, "wb", err);
    if (!rc && exists) {
        /* the file keeps its permissions and, where allowed, its owner */
        chmod(tmp, st.st_mode & 07777);
        int owner_kept = chown(tmp, st.st_uid, st.st_gid) == 0; /* not ours to give: the writer's stays */
        (void)owner_kept;
    }
    if (!rc && rename(tmp, target) != 0) rc = cts_err_set(err, "cannot create '%s': %s", path, strerror(errno));
    if (rc) remove(tmp);
    free(tmp);
    return rc;
}

/* ---- reader ---- */

struct cts_zip {
    const uint8_t *buf;
    uint64_t len;
    size_t n;
    cts_zip_entry *ents;
    char *names; /* every name, NUL-terminated, back to back */
    cts_map index;
    char *root;  /* archive root folder, or NULL when the first entry has no '/' */
};

void cts_zip_close(cts_zip *z) {
    if (!z) return;
    cts_map_free(&z->index);
    free(z->ents);
    free(z->names);
    free(z->root);
    free(z);
}

size_t cts_zip_count(const cts_zip *z) { return z->n; }
const cts_zip_entry *cts_zip_entry_at(const cts_zip *z, size_t i) { return i < z->n ? &z->ents[i] : NULL; }
const char *cts_zip_name(const cts_zip *z, size_t i) { return i < z->n ? z->ents[i].name : NULL; }

long cts_zip_find(const cts_zip *z, const char *name) {
    void *v = cts_map_get(&z->index, name);
    return v ? (long)((uintptr_t)v - 1) : -1;
}

const char *cts_zip_root(const cts_zip *z, cts_err *err) {
    if (z->n == 0) {
        cts_err_set(err, "zip archive has no records");
        return NULL;
    }
    if (!z->root) cts_err_set(err, "file in archive is not in a subdirectory: '%s'", z->ents[0].name);
    return z->root;
}

long cts_zip_find_record(const cts_zip *z, const char *record) {
    if (!z->root) return -1;
    size_t rl = strlen(z->root), n = rl + 1 + strlen(record);
    char small[256];
    char *full = n < sizeof small ? small : malloc(n + 1);
    if (!full) return -1;
    memcpy(full, z->root, rl);
    full[rl] = '/';
    memcpy(full + rl + 1, record, strlen(record) + 1);
    long i = cts_zip_find(z, full);
    if (full != small) free(full);
    return i;
}

static int cmp_by_offset(const void *a, const void *b) {
    const cts_zip_entry *x = *(const cts_zip_entry *const *)a, *y = *(const cts_zip_entry *const *)b;
    return x->local_off < y->local_off ? -1 : x->local_off > y->local_off;
}

/* Locates the end records; fills the central directory's offset, size and
 * entry count and the offset where the directory must end. */
static int find_end(const uint8_t *buf, uint64_t len, uint64_t *cd_off, uint64_t *cd_size, uint64_t *count,
                    uint64_t *cd_limit, cts_err *err) {
    if (len < EOCD_LEN)
        return cts_err_set(err, "not a zip archive: %llu bytes is too small to hold an end record",
                           (unsigned long long)len);
    uint64_t lo = len > EOCD_LEN + 0xFFFFu ? len - EOCD_LEN - 0xFFFFu : 0;
    uint64_t pos = len - EOCD_LEN;
    for (;; pos--) {
        if (rd32(buf + pos) == SIG_EOCD && rd16(buf + pos + 20) <= len - pos - EOCD_LEN) break;
        if (pos == lo)
            return cts_err_set(err, "not a zip archive (or truncated): no end-of-central-directory record "
                                    "in the last %llu bytes", (unsigned long long)(len - lo));
    }
    const uint8_t *e = buf + pos;
    uint32_t disk = rd16(e + 4), cd_disk = rd16(e + 6);
    uint64_t n_disk = rd16(e + 8), n = rd16(e + 10);
    *cd_size = rd32(e + 12);
    *cd_off = rd32(e + 16);
    *cd_limit = pos;
    if (pos >= Z64_LOC_LEN && rd32(buf + pos - Z64_LOC_LEN) == SIG_Z64_LOC) {
        const uint8_t *l = buf + pos - Z64_LOC_LEN;
        uint64_t z64 = rd64(l + 8);
        if (rd32(l + 4) != 0 || rd32(l + 16) > 1)
            return cts_err_set(err, "multi-disk zip archives are not supported");
        if (z64 > pos - Z64_LOC_LEN || pos - Z64_LOC_LEN - z64 < Z64_EOCD_LEN)
            return cts_err_set(err, "zip64 end-record locator points outside the file (offset %llu)",
                               (unsigned long long)z64);
        const uint8_t *r = buf + z64;
        if (rd32(r) != SIG_Z64_EOCD)
            return cts_err_set(err, "no zip64 end record at offset %llu named by the locator",
                               (unsigned long long)z64);
        disk = rd32(r + 16);
        cd_disk = rd32(r + 20);
        n_disk = rd64(r + 24);
        n = rd64(r + 32);
        *cd_size = rd64(r + 40);
        *cd_off = rd64(r + 48);
        *cd_limit = z64;
    }
    if (disk != 0 || cd_disk != 0 || n_disk != n)
        return cts_err_set(err, "multi-disk zip archives are not supported");
    if (*cd_off > *cd_limit || *cd_size > *cd_limit - *cd_off)
        return cts_err_set(err, "central directory (offset %llu, %llu bytes) lies outside the file "
                                "(its end records start at %llu)",
                           (unsigned long long)*cd_off, (unsigned long long)*cd_size,
                           (unsigned long long)*cd_limit);
    if (n > *cd_size / CENTRAL_HDR)
        return cts_err_set(err, "end record claims %llu entries but the central directory of %llu bytes "
                                "holds at most %llu",
                           (unsigned long long)n, (unsigned long long)*cd_size,
                           (unsigned long long)(*cd_size / CENTRAL_HDR));
    *count = n;
    return 0;
}

/* Reads the zip64 extra field (id 1) of a central entry for the fields whose
 * 32-bit value is the 0xFFFFFFFF placeholder. */
static int read_zip64_extra(const uint8_t *x, size_t xlen, cts_zip_entry *e, bool need_size, bool need_csize,
                            bool need_off, bool need_disk, cts_err *err) {
    size_t p = 0;
    while (p + 4 <= xlen) {
        uint16_t id = rd16(x + p), n = rd16(x + p + 2);
        if (n > xlen - p - 4) break;
        if (id == 1) {
            const uint8_t *d = x + p + 4;
            size_t need = 8 * ((size_t)need_size + need_csize + need_off) + 4 * (size_t)need_disk;
            if (n < need)
                return cts_err_set(err, "zip entry '%s': zip64 extra field too short (%u bytes, need %zu)",
                                   e->name, n, need);
            if (need_size) e->size = rd64(d), d += 8;
            if (need_csize) e->csize = rd64(d), d += 8;
            if (need_off) e->local_off = rd64(d), d += 8;
            if (need_disk && rd32(d) != 0) return cts_err_set(err, "multi-disk zip archives are not supported");
            return 0;
        }
        p += 4 + (size_t)n;
    }
    return cts_err_set(err, "zip entry '%s': sizes need a zip64 extra field, which is missing", e->name);
}

/* Checks the local header of e against the central directory and sets
 * e->data_off.  cd_off bounds everything that belongs to records. */
static int check_local(const uint8_t *buf, uint64_t cd_off, cts_zip_entry *e, cts_err *err) {
    if (e->local_off > cd_off || cd_off - e->local_off < LOCAL_HDR)
        return cts_err_set(err, "zip entry '%s': local header offset %llu is outside the records area "
                                "(central directory at %llu)",
                           e->name, (unsigned long long)e->local_off, (unsigned long long)cd_off);
    const uint8_t *h = buf + e->local_off;
    if (rd32(h) != SIG_LOCAL)
        return cts_err_set(err, "zip entry '%s': no local header at offset %llu", e->name,
                           (unsigned long long)e->local_off);
    uint16_t flags = rd16(h + 6), method = rd16(h + 8), nlen = rd16(h + 26), xlen = rd16(h + 28);
    uint64_t hdr_end = e->local_off + LOCAL_HDR + nlen + xlen;
    if (hdr_end > cd_off)
        return cts_err_set(err, "zip entry '%s': local header at %llu runs into the central directory",
                           e->name, (unsigned long long)e->local_off);
    size_t name_len = strlen(e->name);
    if (nlen != name_len || memcmp(h + LOCAL_HDR, e->name, name_len) != 0)
        return cts_err_set(err, "zip entry '%s': local header at %llu names a different record ('%.*s')",
                           e->name, (unsigned long long)e->local_off, (int)(nlen > 200 ? 200 : nlen),
                           (const char *)h + LOCAL_HDR);
    if (method != e->method)
        return cts_err_set(err, "zip entry '%s': local header says compression method %u, central directory %u",
                           e->name, method, e->method);
    if (!(flags & 8)) {
        /* sizes are in the local header: they must agree where present */
        uint32_t crc = rd32(h + 14), cs = rd32(h + 18), us = rd32(h + 22);
        if ((crc && crc != e->crc) || (cs != MAX32 && cs && cs != e->csize) || (us != MAX32 && us && us != e->size))
            return cts_err_set(err, "zip entry '%s': local header (crc %08x, %u/%u bytes) disagrees with the "
                                    "central directory (crc %08x, %llu/%llu bytes)",
                               e->name, crc, cs, us, e->crc, (unsigned long long)e->csize,
                               (unsigned long long)e->size);
    }
    e->data_off = hdr_end;
    if (e->csize > cd_off - hdr_end)
        return cts_err_set(err, "zip entry '%s': %llu bytes of data at offset %llu run past the records area "
                                "(central directory at %llu)",
                           e->name, (unsigned long long)e->csize, (unsigned long long)hdr_end,
                           (unsigned long long)cd_off);
    return 0;
}

int cts_zip_open(cts_zip **out, const void *data, size_t len, cts_err *err) {
    *out = NULL;
    const uint8_t *buf = data;
    uint64_t cd_off = 0, cd_size = 0, count = 0, cd_limit = 0;
    if (find_end(buf, len, &cd_off, &cd_size, &count, &cd_limit, err)) return -1;

    cts_zip *z = calloc(1, sizeof *z);
    if (!z) return cts_err_oom(err, "zip reader", sizeof *z);
    z->buf = buf;
    z->len = len;
    cts_map_init(&z->index);
    z->ents = calloc(count ? (size_t)count : 1, sizeof *z->ents);
    z->names = malloc((size_t)cd_size + 1);
    const cts_zip_entry **order = calloc(count ? (size_t)count : 1, sizeof *order);
    if (!z->ents || !z->names || !order) {
        free(order);
        cts_zip_close(z);
        return cts_err_oom(err, "zip central directory", (size_t)cd_size);
    }
    const uint8_t *cd = buf + cd_off;
    uint64_t pos = 0;
    size_t names_used = 0;
    for (uint64_t i = 0; i < count; i++) {
        cts_zip_entry *e = &z->ents[i];
        if (cd_size - pos < CENTRAL_HDR || rd32(cd + pos) != SIG_CENTRAL) {
            cts_err_set(err, "central directory entry %llu (offset %llu) is missing or truncated",
                        (unsigned long long)i, (unsigned long long)(cd_off + pos));
            goto fail;
        }
        const uint8_t *h = cd + pos;
        uint16_t nlen = rd16(h + 28), xlen = rd16(h + 30), clen = rd16(h + 32);
        if (cd_size - pos - CENTRAL_HDR < (uint64_t)nlen + xlen + clen) {
            cts_err_set(err, "central directory entry %llu (offset %llu) runs past the directory's end",
                        (unsigned long long)i, (unsigned long long)(cd_off + pos));
            goto fail;
        }
        if (nlen == 0 || memchr(h + CENTRAL_HDR, 0, nlen)) {
            cts_err_set(err, "central directory entry %llu has an empty or invalid name", (unsigned long long)i);
            goto fail;
        }
        char *name = z->names + names_used;
        memcpy(name, h + CENTRAL_HDR, nlen);
        name[nlen] = 0;
        names_used += (size_t)nlen + 1;
        e->name = name;
        e->flags = rd16(h + 8);
        e->method = rd16(h + 10);
        e->crc = rd32(h + 16);
        e->csize = rd32(h + 20);
        e->size = rd32(h + 24);
        e->local_off = rd32(h + 42);
        uint16_t disk = rd16(h + 34);
        bool ns = e->size == MAX32, nc = e->csize == MAX32, no = e->local_off == MAX32, nd = disk == 0xFFFF;
        if ((ns || nc || no || nd) &&
            read_zip64_extra(h + CENTRAL_HDR + nlen, xlen, e, ns, nc, no, nd, err))
            goto fail;
        if (!nd && disk != 0) {
            cts_err_set(err, "multi-disk zip archives are not supported (entry '%s')", name);
            goto fail;
        }
        if (e->flags & 1) {
            cts_err_set(err, "zip entry '%s' is encrypted", name);
            goto fail;
        }
        if (e->method != CTS_ZIP_STORED && e->method != CTS_ZIP_DEFLATED) {
            cts_err_set(err, "zip entry '%s' uses compression method %u (only stored and deflate are supported)",
                        name, e->method);
            goto fail;
        }
        if (e->method == CTS_ZIP_STORED && e->csize != e->size) {
            cts_err_set(err, "stored zip entry '%s' has %llu bytes in the file but claims %llu", name,
                        (unsigned long long)e->csize, (unsigned long long)e->size);
            goto fail;
        }
        if (e->size > SIZE_MAX / 2) {
            cts_err_set(err, "zip entry '%s' claims an impossible size of %llu bytes", name,
                        (unsigned long long)e->size);
            goto fail;
        }
        if (check_local(buf, cd_off, e, err)) goto fail;
        if (cts_map_get(&z->index, name)) {
            cts_err_set(err, "duplicate zip entry name '%s'", name);
            goto fail;
        }
        if (cts_map_put(&z->index, name, (void *)(uintptr_t)(i + 1))) {
            cts_err_oom(err, "zip index", (size_t)i);
            goto fail;
        }
        order[i] = e;
        pos += CENTRAL_HDR + (uint64_t)nlen + xlen + clen;
    }
    z->n = (size_t)count;
    /* no two records may share bytes */
    qsort(order, z->n, sizeof *order, cmp_by_offset);
    for (size_t i = 0; i + 1 < z->n; i++) {
        if (order[i]->data_off + order[i]->csize > order[i + 1]->local_off) {
            cts_err_set(err, "zip entries '%s' and '%s' overlap (offsets %llu and %llu)", order[i]->name,
                        order[i + 1]->name, (unsigned long long)order[i]->local_off,
                        (unsigned long long)order[i + 1]->local_off);
            goto fail;
        }
    }
    free(order);
    if (z->n) {
        const char *slash = strchr(z->ents[0].name, '/');
        if (slash) {
            size_t rl = (size_t)(slash - z->ents[0].name);
            if (!(z->root = malloc(rl + 1))) {
                cts_zip_close(z);
                return cts_err_oom(err, "zip reader", rl);
            }
            memcpy(z->root, z->ents[0].name, rl);
            z->root[rl] = 0;
        }
    }
    *out = z;
    return 0;
fail:
    free(order);
    cts_zip_close(z);
    return -1;
}

int cts_zip_peek(const cts_zip *z, size_t i, const void **data, size_t *len, cts_err *err) {
    *data = NULL;
    *len = 0;
    if (i >= z->n) return cts_err_set(err, "zip entry index %zu out of range", i);
    const cts_zip_entry *e = &z->ents[i];
    if (e->method != CTS_ZIP_STORED)
        return cts_err_set(err, "zip entry '%s' is compressed and cannot be viewed in place", e->name);
    *data = z->buf + e->data_off;
    *len = (size_t)e->size;
    return 0;
}

static int inflate_into(const cts_zip_entry *e, const uint8_t *src, uint8_t *dst, cts_err *err) {
    if (e->size / MAX_INFLATE_RATIO > e->csize + 1)
        return cts_err_set(err, "zip entry '%s' claims %llu bytes from %llu compressed bytes, more than "
                                "deflate can produce",
                           e->name, (unsigned long long)e->size, (unsigned long long)e->csize);
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK) return cts_err_oom(err, "inflate", 0);
    uint64_t in_left = e->csize, out_left = e->size;
    int rc = Z_OK;
    s.next_in = (Bytef *)src;
    s.next_out = dst;
    for (;;) {
        if (s.avail_in == 0 && in_left) {
            s.avail_in = in_left > UINT_MAX ? UINT_MAX : (uInt)in_left;
            in_left -= s.avail_in;
        }
        if (s.avail_out == 0 && out_left) {
            s.avail_out = out_left > UINT_MAX ? UINT_MAX : (uInt)out_left;
            out_left -= s.avail_out;
        }
        uInt had_in = s.avail_in, had_out = s.avail_out;
        rc = inflate(&s, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) break;
        if (rc == Z_BUF_ERROR && had_in == s.avail_in && had_out == s.avail_out) {
            /* no progress: out of input or of output space */
            if (s.avail_out == 0 && out_left == 0) {
                inflateEnd(&s);
                return cts_err_set(err, "zip entry '%s' inflates to more than its declared %llu bytes",
                                   e->name, (unsigned long long)e->size);
            }
            inflateEnd(&s);
            return cts_err_set(err, "zip entry '%s': compressed data is truncated (%llu bytes)", e->name,
                               (unsigned long long)e->csize);
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const char *m = s.msg ? s.msg : "error";
            char msg[128];
            snprintf(msg, sizeof msg, "%s", m);
            inflateEnd(&s);
            return cts_err_set(err, "zip entry '%s': corrupt deflate data (%s)", e->name, msg);
        }
    }
    uint64_t produced = (uint64_t)s.total_out;
    inflateEnd(&s);
    if (produced != e->size || s.avail_out != 0 || out_left != 0)
        return cts_err_set(err, "zip entry '%s' inflates to %llu bytes but declares %llu", e->name,
                           (unsigned long long)produced, (unsigned long long)e->size);
    return 0;
}

int cts_zip_read_into(const cts_zip *z, size_t i, void *dst, size_t cap, cts_err *err) {
    if (i >= z->n) return cts_err_set(err, "zip entry index %zu out of range", i);
    const cts_zip_entry *e = &z->ents[i];
    if (cap < e->size)
        return cts_err_set(err, "zip entry '%s' has %llu bytes, more than the %zu-byte buffer", e->name,
                           (unsigned long long)e->size, cap);
    const uint8_t *src = z->buf + e->data_off;
    if (e->method == CTS_ZIP_STORED) {
        if (e->size) memcpy(dst, src, (size_t)e->size);
        return 0;
    }
    return inflate_into(e, src, dst, err);
}

int cts_zip_read(const cts_zip *z, size_t i, void **out, size_t *len, cts_err *err) {
    *out = NULL;
    *len = 0;
    if (i >= z->n) return cts_err_set(err, "zip entry index %zu out of range", i);
    const cts_zip_entry *e = &z->ents[i];
    void *p = malloc(e->size ? (size_t)e->size : 1);
    if (!p) return cts_err_oom(err, e->name, (size_t)e->size);
    if (cts_zip_read_into(z, i, p, (size_t)e->size, err)) {
        free(p);
        return -1;
    }
    *out = p;
    *len = (size_t)e->size;
    return 0;
}

static uint32_t crc_of(const uint8_t *p, uint64_t n) {
    uLong c = crc32(0L, Z_NULL, 0);
    while (n) {
        uInt k = n > UINT_MAX ? UINT_MAX : (uInt)n;
        c = crc32(c, p, k);
        p += k;
        n -= k;
    }
    return (uint32_t)c;
}

int cts_zip_verify_crc(const cts_zip *z, size_t i, cts_err *err) {
    if (i >= z->n) return cts_err_set(err, "zip entry index %zu out of range", i);
    const cts_zip_entry *e = &z->ents[i];
    uint32_t c;
    if (e->method == CTS_ZIP_STORED) {
        c = crc_of(z->buf + e->data_off, e->size);
    } else {
        void *p;
        size_t n;
        if (cts_zip_read(z, i, &p, &n, err)) return -1;
        c = crc_of(p, n);
        free(p);
    }
    if (c != e->crc)
        return cts_err_set(err, "zip entry '%s': CRC-32 mismatch (stored %08x, computed %08x)", e->name, e->crc, c);
    return 0;
}

/* ---- writer ---- */

static char *dupstr(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

int cts_zipw_init(cts_zip_writer *w, const char *root, cts_err *err) {
    memset(w, 0, sizeof *w);
    cts_map_init(&w->names);
    w->zip64_threshold = w->zip64_offset_threshold = MAX32;
    if (root) {
        if (!*root || strchr(root, '/')) return cts_err_set(err, "zip writer: invalid archive folder name '%s'", root);
        if (!(w->root = dupstr(root))) return cts_err_oom(err, "zip writer", strlen(root));
    }
    return 0;
}

void cts_zipw_free(cts_zip_writer *w) {
    for (size_t i = 0; i < w->nents; i++) free(w->ents[i].name);
    free(w->ents);
    free(w->buf);
    free(w->root);
    cts_map_free(&w->names);
    memset(w, 0, sizeof *w);
}

static int reserve(cts_zip_writer *w, size_t more, cts_err *err) {
    if (more > SIZE_MAX - w->len) return cts_err_set(err, "zip writer: archive too large");
    size_t need = w->len + more;
    if (need <= w->cap) return 0;
    size_t nc = w->cap ? w->cap : 4096;
    while (nc < need) nc = nc > SIZE_MAX / 2 ? need : nc * 2;
    uint8_t *p = realloc(w->buf, nc);
    if (!p) return cts_err_oom(err, "zip archive", nc);
    w->buf = p;
    w->cap = nc;
    return 0;
}

/* Appends without checking capacity (callers reserve first). */
static void put(cts_zip_writer *w, const void *p, size_t n) {
    if (n) memcpy(w->buf + w->len, p, n);
    w->len += n;
}
static void put16(cts_zip_writer *w, uint16_t v) {
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(w, b, 2);
}
static void put32(cts_zip_writer *w, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(w, b, 4);
}
static void put64(cts_zip_writer *w, uint64_t v) {
    put32(w, (uint32_t)v);
    put32(w, (uint32_t)(v >> 32));
}
static void set16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void set64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Raw deflate of src into dst (capacity cap); returns the compressed size,
 * or 0 when it does not fit (the caller then stores). */
static size_t deflate_to(const uint8_t *src, size_t n, uint8_t *dst, size_t cap, int level, int *oom) {
    z_stream s;
    memset(&s, 0, sizeof s);
    if (deflateInit2(&s, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        *oom = 1;
        return 0;
    }
    size_t in_left = n, out_left = cap;
    s.next_in = (Bytef *)src;
    s.next_out = dst;
    int rc;
    for (;;) {
        if (s.avail_in == 0 && in_left) {
            s.avail_in = in_left > UINT_MAX ? UINT_MAX : (uInt)in_left;
            in_left -= s.avail_in;
        }
        if (s.avail_out == 0) {
            if (!out_left) break;
            s.avail_out = out_left > UINT_MAX ? UINT_MAX : (uInt)out_left;
            out_left -= s.avail_out;
        }
        rc = deflate(&s, in_left || s.avail_in ? Z_NO_FLUSH : Z_FINISH);
        if (rc == Z_STREAM_END) {
            size_t got = (size_t)s.total_out;
            deflateEnd(&s);
            return got;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) break;
    }
    deflateEnd(&s);
    return 0;
}

int cts_zipw_add(cts_zip_writer *w, const char *name, const void *data, size_t len, int level, cts_err *err) {
    if (w->finished) return cts_err_set(err, "zip writer: record '%s' added after the archive was finished", name);
    if (level < 0 || level > 9) return cts_err_set(err, "zip writer: invalid compression level %d", level);
    size_t rl = w->root ? strlen(w->root) + 1 : 0, nl = strlen(name);
    if (nl == 0 || rl + nl > 0xFFFF) return cts_err_set(err, "zip writer: invalid record name '%s'", name);
    char *full = malloc(rl + nl + 1);
    if (!full) return cts_err_oom(err, "zip writer", rl + nl);
    if (w->root) {
        memcpy(full, w->root, rl - 1);
        full[rl - 1] = '/';
    }
    memcpy(full + rl, name, nl + 1);
    if (cts_map_get(&w->names, full)) {
        cts_err_set(err, "zip writer: duplicate record '%s'", full);
        free(full);
        return -1;
    }
    if (w->nents == w->cap_ents) {
        size_t nc = w->cap_ents ? w->cap_ents * 2 : 16;
        cts_zipw_entry *p = realloc(w->ents, nc * sizeof *p);
        if (!p) {
            free(full);
            return cts_err_oom(err, "zip writer", nc);
        }
        w->ents = p;
        w->cap_ents = nc;
    }
    size_t fl = rl + nl;
    uint64_t cursor = w->len;
    bool big_size = len >= w->zip64_threshold, big_off = cursor >= w->zip64_offset_threshold;
    bool z64 = big_size || big_off;
    size_t z64_len = z64 ? 4 + (big_size ? 16 : 0) + (big_off ? 8 : 0) : 0;
    uint64_t start = cursor + LOCAL_HDR + fl + z64_len + 4;
    size_t pad = (size_t)((ALIGN - start % ALIGN) % ALIGN);
    size_t bound = len;
    if (level) bound = (size_t)deflateBound(NULL, (uLong)(len > ULONG_MAX ? ULONG_MAX : len)) + 64;
    if (bound < len) bound = len;
    if (reserve(w, LOCAL_HDR + fl + z64_len + 4 + pad + bound + 24, err)) {
        free(full);
        return -1;
    }
    size_t hdr = w->len;
    bool empty = len == 0;
    put32(w, SIG_LOCAL);
    put16(w, 0);                       /* version needed: patched below */
    put16(w, empty ? 0x0800 : 0x0808); /* UTF-8 names; sizes in a data descriptor */
    put16(w, 0);                       /* method: patched below */
    put32(w, 0);                       /* time, date */
    put32(w, 0);                       /* crc */
    put32(w, 0);                       /* compressed size */
    put32(w, 0);                       /* size */
    put16(w, (uint16_t)fl);
    put16(w, (uint16_t)(z64_len + 4 + pad));
    put(w, full, fl);
    size_t z64_at = w->len;
    if (z64) {
        put16(w, 1);
        put16(w, (uint16_t)(z64_len - 4));
        if (big_size) {
            put64(w, len);
            put64(w, 0); /* compressed size: patched below */
        }
        if (big_off) put64(w, cursor);
    }
    put16(w, 0x4246); /* 'FB' */
    put16(w, (uint16_t)pad);
    memset(w->buf + w->len, 'Z', pad);
    w->len += pad;
    uint32_t crc = crc_of(data, len);
    uint16_t method = CTS_ZIP_STORED;
    size_t csize = len;
    if (level && len) {
        int oom = 0;
        size_t got = deflate_to(data, len, w->buf + w->len, bound, level, &oom);
        if (oom) {
            free(full);
            w->len = hdr;
            return cts_err_oom(err, "deflate", len);
        }
        if (got && got < len) {
            method = CTS_ZIP_DEFLATED;
            csize = got;
        }
    }
    if (method == CTS_ZIP_STORED) put(w, data, len);
    else w->len += csize;
    set16(w->buf + hdr + 4, method ? 20 : 0);
    set16(w->buf + hdr + 8, method);
    if (big_size) set64(w->buf + z64_at + 12, csize);
    if (!empty) {
        put32(w, SIG_DESCRIPTOR);
        put32(w, crc);
        if (z64) {
            put64(w, csize);
            put64(w, len);
        } else {
            put32(w, (uint32_t)csize);
            put32(w, (uint32_t)len);
        }
    }
    cts_zipw_entry *e = &w->ents[w->nents];
    *e = (cts_zipw_entry){full, cursor, len, csize, crc, method, z64};
    if (cts_map_put(&w->names, full, (void *)1)) {
        free(full);
        w->len = hdr;
        return cts_err_oom(err, "zip writer", w->nents);
    }
    w->nents++;
    return 0;
}

int cts_zipw_finish(cts_zip_writer *w, cts_err *err) {
    if (w->finished) return 0;
    uint64_t thr = w->zip64_threshold, othr = w->zip64_offset_threshold;
    size_t need = Z64_EOCD_LEN + Z64_LOC_LEN + EOCD_LEN;
    for (size_t i = 0; i < w->nents; i++) need += CENTRAL_HDR + strlen(w->ents[i].name) + 28;
    if (reserve(w, need, err)) return -1;
    uint64_t cd_off = w->len;
    for (size_t i = 0; i < w->nents; i++) {
        const cts_zipw_entry *e = &w->ents[i];
        bool big_size = e->size >= thr, big_off = e->local_off >= othr;
        size_t nl = strlen(e->name);
        size_t xl = big_size || big_off ? 4 + (big_size ? 16 : 0) + (big_off ? 8 : 0) : 0;
        put32(w, SIG_CENTRAL);
        put16(w, 0);                       /* version made by */
        put16(w, e->method ? 20 : 0);      /* version needed */
        put16(w, e->size ? 0x0808 : 0x0800);
        put16(w, e->method);
        put32(w, 0); /* time, date */
        put32(w, e->crc);
        put32(w, big_size ? MAX32 : (uint32_t)e->csize);
        put32(w, big_size ? MAX32 : (uint32_t)e->size);
        put16(w, (uint16_t)nl);
        put16(w, (uint16_t)xl);
        put16(w, 0); /* comment */
        put16(w, 0); /* disk */
        put16(w, 0); /* internal attributes */
        put32(w, 0); /* external attributes */
        put32(w, big_off ? MAX32 : (uint32_t)e->local_off);
        put(w, e->name, nl);
        if (xl) {
            put16(w, 1);
            put16(w, (uint16_t)(xl - 4));
            if (big_size) {
                put64(w, e->size);
                put64(w, e->csize);
            }
            if (big_off) put64(w, e->local_off);
        }
    }
    uint64_t cd_size = w->len - cd_off, z64_off = w->len, n = w->nents;
    put32(w, SIG_Z64_EOCD);
    put64(w, Z64_EOCD_LEN - 12);
    put16(w, 0x031E); /* version made by, as miniz writes it */
    put16(w, 45);
    put32(w, 0);
    put32(w, 0);
    put64(w, n);
    put64(w, n);
    put64(w, cd_size);
    put64(w, cd_off);
    put32(w, SIG_Z64_LOC);
    put32(w, 0);
    put64(w, z64_off);
    put32(w, 1);
    uint16_t n16 = n >= 0xFFFF || n >= thr ? 0xFFFF : (uint16_t)n;
    put32(w, SIG_EOCD);
    put16(w, 0);
    put16(w, 0);
    put16(w, n16);
    put16(w, n16);
    put32(w, cd_size >= thr ? MAX32 : (uint32_t)cd_size);
    put32(w, cd_off >= othr ? MAX32 : (uint32_t)cd_off);
    put16(w, 0);
    w->finished = true;
    return 0;
}

uint8_t *cts_zipw_take(cts_zip_writer *w, size_t *len) {
    uint8_t *p = w->buf;
    *len = w->len;
    w->buf = NULL;
    w->len = w->cap = 0;
    return p;
}

int cts_zipw_write_file(const cts_zip_writer *w, const char *path, cts_err *err) {
    if (!w->finished) return cts_err_set(err, "zip writer: '%s' written before the archive was finished", path);
    return cts_write_file(path, w->buf, w->len, err);
}
