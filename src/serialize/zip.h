/* zip.h - zip archives in memory: a validating reader and PyTorch's writer.
 *
 * Reader.  cts_zip_open parses the central directory of a zip held in a
 * caller-owned buffer (which must outlive the cts_zip).  Everything is
 * checked once, at open: end records (classic and zip64), every central entry
 * and its local header (signature, name, method), that each record's data
 * lies inside the file, before the central directory, and that no two records
 * overlap.  After a successful open, reading a record can only fail on bad
 * compressed data or out-of-memory.  Stored and deflated records are
 * supported, with zip64 sizes/offsets and data descriptors; CRC-32 is not
 * checked on read (PyTorch does not check it, and 2.x torch.save may write 0)
 * but cts_zip_verify_crc does it on request.
 *
 *   cts_zip *z;
 *   if (cts_zip_open(&z, buf, len, &err)) ...;
 *   long i = cts_zip_find_record(z, "data.pkl");   // "<root>/data.pkl"
 *   void *p; size_t n;
 *   if (i < 0 || cts_zip_read(z, (size_t)i, &p, &n, &err)) ...;
 *   free(p);
 *   cts_zip_close(z);
 *
 * Archive root (torchscript-format.md 1.3): every record of a PyTorch archive
 * lives under one folder, named by the text before the first '/' of the
 * first central-directory entry.
 *
 * Writer.  cts_zip_writer produces the layout of PyTorch's writer (miniz
 * 2.1.0 as PyTorchStreamWriter drives it): records in the order added, local
 * header flags 0x0808 with a data descriptor (0x0800 and none for empty
 * records), data padded to 64-byte file offsets with the 'FB' extra field,
 * CRC-32 from zlib, zip64 extra fields for records that need them, and always
 * a zip64 end record and locator before the classic end record.  Output goes
 * to a growable memory buffer. */
#ifndef CTS_SERIALIZE_ZIP_H
#define CTS_SERIALIZE_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../core/hashmap.h"

/* ---- files ---- */

/* Reads a whole file into a malloc'd buffer.  Fails (with the path in the
 * message) if it cannot be opened or read, or is larger than max_bytes. */
int cts_read_file(const char *path, size_t max_bytes, void **out, size_t *len, cts_err *err);
/* Writes a file: a regular one is replaced whole (written beside it, then
 * renamed over it), anything else written in place. */
int cts_write_file(const char *path, const void *data, size_t len, cts_err *err);

/* ---- reader ---- */

#define CTS_ZIP_STORED 0
#define CTS_ZIP_DEFLATED 8

typedef struct cts_zip_entry {
    const char *name;   /* NUL-terminated, owned by the cts_zip */
    uint64_t size;      /* uncompressed bytes */
    uint64_t csize;     /* bytes stored in the file */
    uint64_t local_off; /* offset of the local header */
    uint64_t data_off;  /* offset of the record's (possibly compressed) data */
    uint32_t crc;
    uint16_t method;    /* CTS_ZIP_STORED or CTS_ZIP_DEFLATED */
    uint16_t flags;
} cts_zip_entry;

typedef struct cts_zip cts_zip;

/* Opens an archive over buf[0..len) (borrowed).  *out is NULL on error. */
int cts_zip_open(cts_zip **out, const void *buf, size_t len, cts_err *err);
void cts_zip_close(cts_zip *z);

size_t cts_zip_count(const cts_zip *z);
/* Entry i in central-directory order (i < count). */
const cts_zip_entry *cts_zip_entry_at(const cts_zip *z, size_t i);
const char *cts_zip_name(const cts_zip *z, size_t i);
/* Index of the entry with this exact name, or -1. */
long cts_zip_find(const cts_zip *z, const char *name);

/* The archive root folder (torchscript-format.md 1.3): the text before the
 * first '/' of the first central-directory entry.  NULL (with err set) when
 * the archive is empty or that entry is not inside a folder. */
const char *cts_zip_root(const cts_zip *z, cts_err *err);
/* Index of "<root>/<record>", or -1 (also when there is no valid root). */
long cts_zip_find_record(const cts_zip *z, const char *record);

/* Reads record i into a malloc'd buffer of entry->size bytes (at least 1
 * byte is allocated, so *out is non-NULL on success). */
int cts_zip_read(const cts_zip *z, size_t i, void **out, size_t *len, cts_err *err);
/* Reads record i into dst, which must hold cap >= entry->size bytes. */
int cts_zip_read_into(const cts_zip *z, size_t i, void *dst, size_t cap, cts_err *err);
/* Zero-copy view of a stored record inside the caller's buffer; an error for
 * a compressed record. */
int cts_zip_peek(const cts_zip *z, size_t i, const void **data, size_t *len, cts_err *err);
/* Recomputes the CRC-32 of record i and compares it with the directory's. */
int cts_zip_verify_crc(const cts_zip *z, size_t i, cts_err *err);

/* ---- writer ---- */

typedef struct cts_zipw_entry {
    char *name;          /* full name, root included */
    uint64_t local_off, size, csize;
    uint32_t crc;
    uint16_t method;
    bool zip64;          /* local header carries a zip64 extra */
} cts_zipw_entry;

typedef struct cts_zip_writer {
    uint8_t *buf;
    size_t len, cap;
    char *root;                /* "archive" -> names become "archive/<name>"; NULL: names as given */
    cts_zipw_entry *ents;
    size_t nents, cap_ents;
    cts_map names;             /* full names already written */
    bool finished;
    /* Sizes and counts (zip64_threshold) and offsets (zip64_offset_threshold)
     * at or above these use zip64 fields.  Both default to 0xFFFFFFFF, as
     * the format requires; tests lower them to exercise zip64 on small data.
     * (PyTorch's reader rejects a small file with forced zip64 offsets: its
     * sanity check reads the 0xFFFFFFFF placeholder as an offset.) */
    uint64_t zip64_threshold, zip64_offset_threshold;
} cts_zip_writer;

/* root may be NULL (record names are then written as given). */
int cts_zipw_init(cts_zip_writer *w, const char *root, cts_err *err);
void cts_zipw_free(cts_zip_writer *w);
/* Appends record "<root>/<name>".  level 0 stores; 1..9 deflates at that
 * level (kept stored if deflate does not shrink it).  Names must be unique. */
int cts_zipw_add(cts_zip_writer *w, const char *name, const void *data, size_t len, int level, cts_err *err);
/* Writes the central directory and end records; no records after this. */
int cts_zipw_finish(cts_zip_writer *w, cts_err *err);
/* Hands the finished archive to the caller (malloc'd) and empties w. */
uint8_t *cts_zipw_take(cts_zip_writer *w, size_t *len);
/* Writes the finished archive to a file. */
int cts_zipw_write_file(const cts_zip_writer *w, const char *path, cts_err *err);

#endif
