/* Process-wide set-up of the network layer, for the program that owns the
 * process (the CLI calls it once, before any fetch). */
#include <curl/curl.h>

#include "ecoest/carbon.h"

int est_carbon_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? EST_OK : EST_ENET;
}

void est_carbon_global_cleanup(void) { curl_global_cleanup(); }
