/* prefault.c - see prefault.h. */
#include "prefault.h"

#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

static int populate_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    uintptr_t self = (uintptr_t)data;
    bool mine = false;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && self >= lo && self < lo + ph->p_memsz) mine = true;
    }
    if (!mine) return 0;
#ifdef MADV_POPULATE_READ
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0) page = 4096;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) continue;
        uintptr_t lo = (info->dlpi_addr + ph->p_vaddr) & ~(uintptr_t)(page - 1);
        uintptr_t hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
        madvise((void *)lo, hi - lo, MADV_POPULATE_READ); /* best effort: older kernels say EINVAL */
    }
#endif
    return 1;
}

static void populate(void) { dl_iterate_phdr(populate_object, (void *)(uintptr_t)&cts_prefault_code); }

void cts_prefault_code(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, populate);
}
