/* libFuzzer target: the sacct --parsable2 reader of ecoest jobs (the
 * library's est_jobs_read_buffer), with and without --skip-bad-rows. A read
 * that fails says why; every job handed out has sane figures. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ecoest/jobs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_job(void *user, const est_job *j)
{
    (void)user;
    if (!(j->elapsed_s >= 0.0) || !isfinite(j->elapsed_s))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int skip;
    for (skip = 0; skip < 2; skip++) {
        est_jobs_read_options o = EST_JOBS_READ_OPTIONS_INIT;
        est_jobs_reader *r = NULL;
        est_error e;
        o.skip_bad_rows = skip;
        if (est_jobs_reader_open(&r, &o, &e) != EST_OK)
            abort();
        e.message[0] = '\0';
        if (est_jobs_read_buffer(r, (const char *)data, size, "fuzz.txt", on_job, NULL, &e) !=
                EST_OK &&
            !e.message[0])
            abort();
        est_jobs_reader_free(r);
    }
    return 0;
}
