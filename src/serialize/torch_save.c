/* torch_save.c - reading and writing torch.save files. */
#include "torch_save.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pickle.h"
#include "pickle_write.h"

ct_storage *cts_zip_read_storage(const cts_zip *z, size_t i, cts_err *err) {
    const cts_zip_entry *e = cts_zip_entry_at(z, i);
    if (!e) {
        cts_err_set(err, "zip entry index %zu out of range", i);
        return NULL;
    }
    ct_storage *s = ct_storage_new((size_t)e->size, false, err);
    if (!s) return NULL;
    if (cts_zip_read_into(z, i, s->data, s->nbytes, err)) {
        ct_storage_release(s);
        return NULL;
    }
    return s;
}

/* ---- load ---- */

typedef struct load_ctx {
    const cts_zip *z;
} load_ctx;

static ct_storage *load_storage(void *ctx, const char *key, int scalar_type, int64_t numel, cts_err *err) {
    (void)scalar_type;
    (void)numel;
    load_ctx *c = ctx;
    size_t n = strlen(key) + 6;
    char *rec = malloc(n);
    if (!rec) {
        cts_err_oom(err, "record name", n);
        return NULL;
    }
    snprintf(rec, n, "data/%s", key);
    long i = cts_zip_find_record(c->z, rec);
    if (i < 0) {
        cts_err_set(err, "the archive has no record '%s/%s'", cts_zip_root(c->z, NULL), rec);
        free(rec);
        return NULL;
    }
    free(rec);
    return cts_zip_read_storage(c->z, (size_t)i, err);
}

static int sniff(const uint8_t *b, size_t len, cts_err *err) {
    if (len >= 4 && memcmp(b, "PK\3\4", 4) == 0) return 0;
    if (len >= 4 && b[0] == 0x80 && b[1] == 0x02 && b[2] == 0x8a && b[3] == 0x0a)
        return cts_err_set(err, "legacy torch.save format (a pickle stream, written by PyTorch < 1.6 or with "
                                "_use_new_zipfile_serialization=False) is not supported; re-save it with a newer "
                                "torch.save");
    if (len >= 262 && memcmp(b + 257, "ustar", 5) == 0)
        return cts_err_set(err, "legacy tar torch.save format (PyTorch < 0.4) is not supported");
    if (len >= 8 && memcmp(b + 4, "PTMF", 4) == 0)
        return cts_err_set(err, "this is a flatbuffer mobile module, not a torch.save file");
    if (len >= 8 && memcmp(b, "PYTORCH1", 8) == 0)
        return cts_err_set(err, "this is a preview-release PyTorch file, which is not supported");
    return cts_err_set(err, "not a torch.save file: no zip signature at the start");
}

int cts_torch_load(const void *buf, size_t len, cv_value *out, cts_err *err) {
    *out = cv_none();
    if (sniff(buf, len, err)) return -1;
    cts_zip *z;
    if (cts_zip_open(&z, buf, len, err)) return -1;
    int rc = -1;
    void *pkl = NULL;
    size_t pkl_len;
    if (!cts_zip_root(z, err)) goto done;
    if (cts_zip_find_record(z, "constants.pkl") >= 0) {
        cts_err_set(err, "this is a TorchScript archive (torch.jit.save), not a torch.save file; load it as a module");
        goto done;
    }
    long bo = cts_zip_find_record(z, "byteorder");
    if (bo >= 0) {
        const cts_zip_entry *e = cts_zip_entry_at(z, (size_t)bo);
        void *b;
        size_t n;
        if (cts_zip_read(z, (size_t)bo, &b, &n, err)) goto done;
        bool big = e->size == 3 && memcmp(b, "big", 3) == 0;
        free(b);
        if (big) {
            cts_err_set(err, "big-endian torch.save files are not supported");
            goto done;
        }
    }
    long i = cts_zip_find_record(z, "data.pkl");
    if (i < 0) {
        cts_err_set(err, "the archive has no record '%s/data.pkl'", cts_zip_root(z, NULL));
        goto done;
    }
    if (cts_zip_read(z, (size_t)i, &pkl, &pkl_len, err)) goto done;
    load_ctx ctx = {z};
    cts_unpickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.ctx = &ctx;
    cfg.load_storage = load_storage;
    if (cts_unpickle(pkl, pkl_len, &cfg, out, err)) {
        cts_err_prefix(err, "data.pkl: ");
        goto done;
    }
    rc = 0;
done:
    free(pkl);
    cts_zip_close(z);
    return rc;
}

int cts_torch_load_file(const char *path, cv_value *out, cts_err *err) {
    *out = cv_none();
    void *buf;
    size_t len;
    if (cts_read_file(path, CTS_TORCH_LOAD_MAX_FILE, &buf, &len, err)) return -1;
    int rc = cts_torch_load(buf, len, out, err);
    free(buf);
    if (rc) cts_err_prefix(err, "loading '%s': ", path);
    return rc;
}

/* ---- save ---- */

int cts_torch_save_to(cv_value v, cts_zip_writer *w, cts_err *err) {
    cts_pickler_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.dialect = CTS_PICKLE_PYTHON;
    cts_pickle_result r;
    if (cts_pickle(v, &cfg, &r, err)) return -1;
    int rc = cts_zipw_add(w, "data.pkl", r.data, r.len, 0, err);
    for (size_t i = 0; !rc && i < r.nstorages; i++) {
        char name[32];
        snprintf(name, sizeof name, "data/%zu", i);
        rc = cts_zipw_add(w, name, r.storages[i].storage->data, r.storages[i].nbytes, 0, err);
    }
    if (!rc) rc = cts_zipw_add(w, "version", "3\n", 2, 0, err);
    if (!rc) rc = cts_zipw_finish(w, err);
    cts_pickle_result_free(&r);
    return rc;
}

int cts_torch_save_mem(cv_value v, uint8_t **out, size_t *len, cts_err *err) {
    *out = NULL;
    *len = 0;
    cts_zip_writer w;
    if (cts_zipw_init(&w, "archive", err)) return -1;
    int rc = cts_torch_save_to(v, &w, err);
    if (!rc) *out = cts_zipw_take(&w, len);
    cts_zipw_free(&w);
    return rc;
}

int cts_torch_save(cv_value v, const char *path, cts_err *err) {
    /* root folder: base name without its last extension (PyTorchStreamWriter) */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot) n = (size_t)(dot - base);
    char *root = malloc(n + 1);
    if (!root) return cts_err_oom(err, "path", n);
    memcpy(root, base, n);
    root[n] = 0;
    cts_zip_writer w;
    int rc = cts_zipw_init(&w, n ? root : "archive", err);
    free(root);
    if (!rc) rc = cts_torch_save_to(v, &w, err);
    if (!rc) rc = cts_zipw_write_file(&w, path, err);
    cts_zipw_free(&w);
    if (rc) cts_err_prefix(err, "saving '%s': ", path);
    return rc;
}
