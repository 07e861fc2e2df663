/* coreduel/kernel.h: the C ABI of a native kernel, a shared library that CoreDuel's `native`
 * workload loads (`coreduel-cli run -w native -p library=/abs/libmykernel.so -p key=value ...`)
 * and runs under every model: sequential, threads, gil-threads, worker processes and MPI ranks.
 *
 * A kernel splits one job into tasks 0..count-1 and computes each task into bytes. CoreDuel
 * checksums those bytes in task order and shows a speedup only where a model's checksum equals
 * the sequential one, so task i must give the same bytes whoever computes it, whenever.
 *
 * The library exports (extern "C", default visibility):
 *
 *   required  coreduel_kernel_abi_version  the COREDUEL_KERNEL_ABI_VERSION it was built with;
 *                                          the loader refuses any other value
 *   required  coreduel_kernel_task_count   how many tasks the parameters make
 *   required  coreduel_kernel_compute      task i into the result buffer
 *   optional  coreduel_kernel_init         once per load, before anything else: a context
 *   optional  coreduel_kernel_fini         once per load, after everything else
 *
 * Every process that runs tasks loads the library itself (each worker process, each MPI rank)
 * and calls init there, with the same parameters; the engine may load it more than once (to
 * check the parameters, then to run), each load with its own init, context and fini. Within one
 * process compute is called from several threads at once with the same context: keep it
 * re-entrant (no unguarded globals). A kernel that crashes takes its process down: under
 * processes and mpi that fails the run and names the task, the worker and the signal; in the
 * engine's own process (sequential, threads, gil-threads; the sequential baseline always runs
 * there) it takes CoreDuel down, after one line naming the kernel, the signal and the task.
 *
 * Parameters are every `-p key=value` of the experiment except `library`, as text, sorted by
 * key. A kernel that does not know a key should fail init or task_count with a message.
 *
 * Errors: every function that can fail returns 0 on success and anything else on failure,
 * after writing a NUL-terminated message of at most `error_size` bytes into `error`.
 *
 * Compile against an installed CoreDuel:
 *   cc -shared -fPIC -O2 mykernel.c -o libmykernel.so $(pkg-config --cflags coreduel-kernel)
 */
#ifndef COREDUEL_KERNEL_H
#define COREDUEL_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Raised on every incompatible change of the functions or types below. */
#define COREDUEL_KERNEL_ABI_VERSION 1

#if defined(__GNUC__)
#define COREDUEL_KERNEL_EXPORT __attribute__((visibility("default")))
#else
#define COREDUEL_KERNEL_EXPORT
#endif

/* One `key=value` parameter. */
typedef struct coreduel_kernel_param {
    const char* key;
    const char* value;
} coreduel_kernel_param;

/* The parameters, sorted by key; valid for the whole load (until fini returns). */
typedef struct coreduel_kernel_params {
    const coreduel_kernel_param* items;
    size_t count;
} coreduel_kernel_params;

/* The value of `key`, or `fallback` when it was not given. */
static inline const char* coreduel_kernel_param_get(const coreduel_kernel_params* params,
                                                    const char* key, const char* fallback) {
    size_t i;
    for (i = 0; i < params->count; ++i)
        if (strcmp(params->items[i].key, key) == 0) return params->items[i].value;
    return fallback;
}

/* Required. Returns COREDUEL_KERNEL_ABI_VERSION (define it with COREDUEL_KERNEL_DEFINE_ABI). */
COREDUEL_KERNEL_EXPORT int coreduel_kernel_abi_version(void);

/* Optional. Called once per load before any other call; `*context` (NULL on entry) is passed
 * to every later call of this load. Returns 0, or non-zero with a message in `error`. */
COREDUEL_KERNEL_EXPORT int coreduel_kernel_init(const coreduel_kernel_params* params,
                                                void** context, char* error, size_t error_size);

/* Optional. Called once per load after the last call; frees what init made. */
COREDUEL_KERNEL_EXPORT void coreduel_kernel_fini(void* context);

/* Required. Sets `*count` (at least 1) to the number of tasks the parameters make.
 * Returns 0, or non-zero with a message in `error` (a bad parameter, say). */
COREDUEL_KERNEL_EXPORT int coreduel_kernel_task_count(void* context,
                                                      const coreduel_kernel_params* params,
                                                      uint64_t* count, char* error,
                                                      size_t error_size);

/* Required. Computes task `index` (0 <= index < count) into `result`, which has room for
 * `capacity` bytes, and sets `*size` to the bytes the result takes. When that is more than
 * `capacity`, return 0 with `*size` set: CoreDuel grows the buffer to `*size` bytes and calls
 * again for the same task. Returns 0, or non-zero with a message in `error`: the run fails,
 * naming the task. Called concurrently from several threads. */
COREDUEL_KERNEL_EXPORT int coreduel_kernel_compute(void* context,
                                                   const coreduel_kernel_params* params,
                                                   uint64_t index, unsigned char* result,
                                                   size_t capacity, size_t* size, char* error,
                                                   size_t error_size);

/* The one-line definition of the version function:  COREDUEL_KERNEL_DEFINE_ABI */
#define COREDUEL_KERNEL_DEFINE_ABI          \
    int coreduel_kernel_abi_version(void) { \
        return COREDUEL_KERNEL_ABI_VERSION; \
    }

/* The loader's view: the function types, for dlsym. */
typedef int (*coreduel_kernel_abi_version_fn)(void);
typedef int (*coreduel_kernel_init_fn)(const coreduel_kernel_params*, void**, char*, size_t);
typedef void (*coreduel_kernel_fini_fn)(void*);
typedef int (*coreduel_kernel_task_count_fn)(void*, const coreduel_kernel_params*, uint64_t*, char*,
                                             size_t);
typedef int (*coreduel_kernel_compute_fn)(void*, const coreduel_kernel_params*, uint64_t,
                                          unsigned char*, size_t, size_t*, char*, size_t);

#ifdef __cplusplus
}
#endif

#endif /* COREDUEL_KERNEL_H */
