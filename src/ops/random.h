/* random.h - PyTorch 1.13's CPU random number generator.
 *
 * A cts_generator is PyTorch's CPUGeneratorImpl: an mt19937 engine seeded
 * from the low 32 bits of a 64-bit seed (the full seed is kept for
 * initial_seed), plus the cached second sample of the Box-Muller normal
 * transform.  Given the same seed, the random ops of ops/random.c draw the
 * same numbers in the same order as PyTorch 1.13 on an AVX2 x86 CPU, so
 * `torch.manual_seed(s); torch.randn(...)` gives the same tensor in both.
 *
 *   cts_generator *g = cts_generator_new(0);
 *   cts_generator_set_current(g);          // kernels on this thread use g
 *   ... run calls that use rand/randn/dropout ...
 *   cts_generator_set_current(NULL);       // back to the thread's default
 *   cts_generator_free(g);
 *
 * Per-thread state (the one exception to "no global mutable state"): the
 * kernels find their generator with cts_generator_current(), a thread-local
 * pointer.  When none was set, it is a thread-local default generator that
 * lives in thread-local storage (nothing is allocated) and is seeded with
 * PyTorch's default seed 67280421310721 on its first use in the thread, as
 * libtorch's default CPU generator is.  (The Python torch module instead
 * seeds its default generator at random when it is imported.)  A generator
 * is not locked: use one generator from one thread at a time. */
#ifndef CTS_OPS_RANDOM_H
#define CTS_OPS_RANDOM_H

#include <stdint.h>

#include "../core/error.h"
#include "../tensor/tensor.h"

typedef struct cts_generator cts_generator;

/* libtorch's default_rng_seed_val. */
#define CTS_DEFAULT_SEED 67280421310721ULL

/* A new generator seeded with seed (PyTorch: torch.Generator().manual_seed);
 * NULL when out of memory.  Free with cts_generator_free (NULL is fine). */
cts_generator *cts_generator_new(uint64_t seed);
void cts_generator_free(cts_generator *g);
/* Reseeds g and drops its cached normal sample (torch.manual_seed). */
void cts_generator_manual_seed(cts_generator *g, uint64_t seed);
/* The seed g was last seeded with (torch.initial_seed). */
uint64_t cts_generator_initial_seed(const cts_generator *g);

/* The generator the calling thread's kernels use: the one set with
 * cts_generator_set_current, else the thread's default generator. */
cts_generator *cts_generator_current(void);
/* Sets the calling thread's generator; the caller keeps ownership and must
 * keep g alive while it is current.  NULL returns to the default. */
void cts_generator_set_current(cts_generator *g);

/* Raw draws: 32 bits (CPUGeneratorImpl::random) and 64 bits made of two
 * 32-bit draws, the first the high half (random64). */
uint32_t cts_generator_random(cts_generator *g);
uint64_t cts_generator_random64(cts_generator *g);

/* In-place fills for other kernels (dropout, say), with PyTorch's checks
 * and element order; 0 or -1 with err set.  t must be float32 or float64
 * (bernoulli: any real dtype but half/bfloat16). */
int cts_random_uniform_(ct_tensor *t, double from, double to, cts_generator *g, cts_err *err);
int cts_random_normal_(ct_tensor *t, double mean, double std, cts_generator *g, cts_err *err);
int cts_random_bernoulli_(ct_tensor *t, double p, cts_generator *g, cts_err *err);

#endif
