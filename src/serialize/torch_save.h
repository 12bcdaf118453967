/* torch_save.h - torch.save / torch.load files (the zip format of PyTorch >= 1.6).
 *
 * A torch.save file is a zip with one root folder holding data.pkl (a
 * Python pickle, protocol 2), one record data/<key> per storage, and
 * version ("3\n").  cts_torch_load reads tensors of every dtype cts has,
 * int, float, bool, str, None, tuples, lists, dicts (OrderedDicts, such as
 * state_dicts, become plain dicts; untagged containers get Any element
 * types), torch.device, torch.Size (a tuple) and torch.dtype (its c10
 * ScalarType integer).  CUDA tensors load on the CPU.  The legacy formats
 * (pre-1.6 pickle stream, tar) are rejected with a message naming them, and
 * so are TorchScript archives.
 *
 * cts_torch_save writes a file that PyTorch 1.13's torch.load reads back as
 * the same Python objects: tensors (dtype, shape, strides, storage sharing
 * and values kept), int, float, bool, str, None, tuples, lists, dicts. */
#ifndef CTS_SERIALIZE_TORCH_SAVE_H
#define CTS_SERIALIZE_TORCH_SAVE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../tensor/tensor.h"
#include "../value/value.h"
#include "zip.h"

/* Largest file cts_torch_load_file reads (64 GiB). */
#define CTS_TORCH_LOAD_MAX_FILE ((size_t)64 << 30)

/* Reads a torch.save file held in buf[0..len); *out gets a new reference. */
int cts_torch_load(const void *buf, size_t len, cv_value *out, cts_err *err);
int cts_torch_load_file(const char *path, cv_value *out, cts_err *err);

/* Writes v (borrowed) into w, an initialized, empty writer, and finishes it.
 * Lets the caller choose the root folder and writer settings. */
int cts_torch_save_to(cv_value v, cts_zip_writer *w, cts_err *err);
/* Writes v to a malloc'd buffer (root folder "archive", as torch.save to a
 * stream does). */
int cts_torch_save_mem(cv_value v, uint8_t **out, size_t *len, cts_err *err);
/* Writes v to path (root folder: the file's base name without its last
 * extension, as torch.save does). */
int cts_torch_save(cv_value v, const char *path, cts_err *err);

/* Record i of z as a new 64-byte-aligned storage of the record's size
 * (copied or inflated).  For loaders of both torch.save files and TorchScript
 * archives. */
ct_storage *cts_zip_read_storage(const cts_zip *z, size_t i, cts_err *err);

#endif
