/*
 * CPU feature detection (CPUID leaves 1 and 7, XGETBV for the AVX state). Detection runs
 * once; the answer is cached. Nothing here depends on secret data.
 */
#include "cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint32_t detect(void)
{
    unsigned int a, b, c, d;
    uint32_t f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) {
        return 0;
    }
    const int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    const int aes = (c >> 25) & 1, pclmul = (c >> 1) & 1;
    const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (aes && ssse3 && sse41) {
        f |= NOCRYPTO_HW_AESNI;
    }
    if (pclmul && ssse3 && sse41) {
        f |= NOCRYPTO_HW_PCLMUL;
    }
    int ymm = 0;
    if (osxsave && avx) {
        unsigned int lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        ymm = (lo & 6u) == 6u; /* XMM and YMM state enabled by the OS */
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (((b >> 29) & 1) && ssse3 && sse41) {
            f |= NOCRYPTO_HW_SHA;
        }
        if (((b >> 5) & 1) && ymm) {
            f |= NOCRYPTO_HW_AVX2;
        }
    }
    return f;
}
#else
static uint32_t detect(void)
{
    return 0;
}
#endif

static uint32_t detected;
static int detected_done;
static uint32_t allowed = 0xFFFFFFFFu;

uint32_t nocrypto_cpu_features(void)
{
    /* A benign race: every thread computes the same value. */
    if (!detected_done) {
        detected = detect();
        detected_done = 1;
    }
    return detected & allowed;
}

void nocrypto_cpu_restrict(uint32_t mask)
{
    allowed = mask;
}
