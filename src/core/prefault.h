/* prefault.h - cts's machine code mapped before the first call.
 *
 * The first call of a loaded model runs kernels that nothing ran before;
 * each new page of code costs a page fault (most of a tiny model's first
 * call: MyCell's was 20x its later calls).  cts_prefault_code asks the
 * kernel, once per process, to map every executable page of the object
 * that holds cts (the program it is linked into, or libcts.so) ahead of
 * time (MADV_POPULATE_READ; a no-op where the system lacks it).  Module
 * loading calls it. */
#ifndef CTS_CORE_PREFAULT_H
#define CTS_CORE_PREFAULT_H

#include <stdbool.h>

void cts_prefault_code(void);

#endif
