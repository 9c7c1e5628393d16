/* est_carbon_day_fetch_source: a carbon source as the fetch of a day source
 * (ecoest/carbon.h). Apart from day_source.c, so that a program that
 * fetches its days another way (the ecoest CLI, through its module) does
 * not link the network part for the day source. */
#include "carbon_internal.h"

int est_carbon_day_fetch_source(void *user, const est_zone *zone, double start_unix_s,
                                double end_unix_s, est_intensity_answer *answer,
                                const est_carbon_summary **summary, est_error *err)
{
    const est_carbon_source *src = user;
    const est_carbon_window *before = est_carbon_source_last(src), *after;
    int rc = est_carbon_intensity(user, zone, start_unix_s, end_unix_s, answer, err);
    after = est_carbon_source_last(src);
    /* a new window is a new allocation: est_carbon_intensity frees the
       previous one only after making it */
    if (summary)
        *summary = after && after != before ? est_carbon_window_summary(after) : NULL;
    return rc;
}
