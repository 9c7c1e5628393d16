/* libFuzzer target: the output of `nvidia-smi --query-gpu=index,uuid,name
 * --format=csv,noheader` for --gpu auto, with CUDA_VISIBLE_DEVICES
 * (cli/detect.c's cli_gpu_select). The input: one flag byte (bit 0: a
 * CUDA_VISIBLE_DEVICES, the next line; bit 1: CUDA_DEVICE_ORDER=PCI_BUS_ID),
 * then nvidia-smi's output (at most 64 KiB, as cli_detect_gpu reads). A
 * success names a model and counts at least one GPU. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[65536], cvd[1100], name[256], src[1024];
    const char *cvdp = NULL, *order;
    size_t off = 1, len;
    unsigned count = 0;
    if (size == 0)
        return 0;
    order = data[0] & 2 ? "PCI_BUS_ID" : NULL;
    if (data[0] & 1) {
        const uint8_t *nl = memchr(data + 1, '\n', size - 1);
        len = nl ? (size_t)(nl - (data + 1)) : size - 1;
        if (len >= sizeof cvd)
            len = sizeof cvd - 1;
        memcpy(cvd, data + 1, len);
        cvd[len] = '\0';
        cvdp = cvd;
        off = nl ? (size_t)(nl - data) + 1 : size;
    }
    len = size - off < sizeof out - 1 ? size - off : sizeof out - 1;
    memcpy(out, data + off, len);
    out[len] = '\0';
    snprintf(src, sizeof src, "nvidia-smi");
    if (cli_gpu_select(out, "nvidia-smi", cvdp, order, name, sizeof name, src, sizeof src,
                       &count) == 0 &&
        (count == 0 || memchr(name, '\0', sizeof name) == NULL))
        abort();
    return 0;
}
