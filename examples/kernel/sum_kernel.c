/* sum_kernel: an example native kernel for CoreDuel (see include/coreduel/kernel.h).
 *
 * Task i runs a xorshift64 generator from a seed made of i for `steps` steps and sums the top
 * 24 bits of every value: pure integer work on registers, one long dependency chain that the
 * compiler can neither vectorise nor fold away. Its result is the sum, 8 bytes little-endian.
 *
 * Parameters: tasks (default 64), steps per task (default 8000000).
 *
 *   cc -shared -fPIC -O2 sum_kernel.c -o libsumkernel.so $(pkg-config --cflags coreduel-kernel)
 *   coreduel-cli run -w native -p library=$PWD/libsumkernel.so -p tasks=64 -n 1,2
 */
#include <coreduel/kernel.h>
#include <stdio.h>
#include <stdlib.h>

COREDUEL_KERNEL_DEFINE_ABI

/* Reads parameter `key` as a positive integer; 0 (with a message) when it is not one. */
static uint64_t positive(const coreduel_kernel_params* params, const char* key,
                         const char* fallback, char* error, size_t error_size) {
    const char* text = coreduel_kernel_param_get(params, key, fallback);
    char* end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (*text == '\0' || *text == '-' || *end != '\0' || v == 0) {
        snprintf(error, error_size, "sumkernel: '%s' must be a positive integer (got '%s')", key,
                 text);
        return 0;
    }
    return (uint64_t)v;
}

/* Refuses keys it does not know, so a typo is not silently ignored. */
static int known_keys(const coreduel_kernel_params* params, char* error, size_t error_size) {
    size_t i;
    for (i = 0; i < params->count; ++i) {
        const char* k = params->items[i].key;
        if (strcmp(k, "tasks") != 0 && strcmp(k, "steps") != 0) {
            snprintf(error, error_size, "sumkernel: unknown parameter '%s' (allowed: tasks, steps)",
                     k);
            return 0;
        }
    }
    return 1;
}

int coreduel_kernel_task_count(void* context, const coreduel_kernel_params* params, uint64_t* count,
                               char* error, size_t error_size) {
    (void)context;
    if (!known_keys(params, error, error_size)) return 1;
    if (positive(params, "steps", "8000000", error, error_size) == 0) return 1;
    *count = positive(params, "tasks", "64", error, error_size);
    return *count == 0;
}

int coreduel_kernel_compute(void* context, const coreduel_kernel_params* params, uint64_t index,
                            unsigned char* result, size_t capacity, size_t* size, char* error,
                            size_t error_size) {
    uint64_t steps = positive(params, "steps", "8000000", error, error_size);
    uint64_t x = 0x9E3779B97F4A7C15ull * (index + 1);
    uint64_t sum = 0;
    uint64_t k;
    int b;
    (void)context;
    if (steps == 0) return 1;
    *size = 8;
    if (capacity < 8) return 0; /* CoreDuel grows the buffer and asks again */
    for (k = 0; k < steps; ++k) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sum += x >> 40;
    }
    for (b = 0; b < 8; ++b) result[b] = (unsigned char)(sum >> (8 * b));
    return 0;
}
