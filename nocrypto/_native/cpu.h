/*
 * CPU feature detection for the kernels that have hardware paths.
 *
 * A kernel with a hardware path asks nocrypto_cpu_features() (cheap: a cached value) and
 * falls back to its portable constant-time C when a bit is missing. Tests, benchmarks and
 * `make ct` call nocrypto_cpu_restrict() to force the portable paths on a machine that has
 * the instructions, so that both paths are tested everywhere.
 */
#ifndef NOCRYPTO_CPU_H
#define NOCRYPTO_CPU_H

#include <stddef.h>
#include <stdint.h>

#define NOCRYPTO_HW_AESNI  0x01u /* AES-NI + SSSE3/SSE4.1 */
#define NOCRYPTO_HW_PCLMUL 0x02u /* PCLMULQDQ + SSSE3/SSE4.1 */
#define NOCRYPTO_HW_SHA    0x04u /* SHA extensions (SHA-NI) + SSSE3/SSE4.1 */
#define NOCRYPTO_HW_AVX2   0x08u /* AVX2 (with OS support for the YMM state) */

/* The features of this CPU, limited by the last nocrypto_cpu_restrict() mask. */
uint32_t nocrypto_cpu_features(void);

/* Allow only the features in mask (0: portable C everywhere; 0xFFFFFFFF: all). */
void nocrypto_cpu_restrict(uint32_t mask);

#endif /* NOCRYPTO_CPU_H */
