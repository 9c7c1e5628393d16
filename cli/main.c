/* ecoest: the command-line calculator. Dispatches to its subcommands. */
#include <string.h>

#include <curl/curl.h>

#include "cli.h"

int main(int argc, char **argv)
{
    int rc;
    /* The locale is never set: numbers are read and printed the C way.
       libcurl is initialised here, once, never by the libraries. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        cli_msg("cannot initialise libcurl");
        return CLI_EX_SOFTWARE;
    }
    if (argc > 1 && strcmp(argv[1], "hwdb") == 0)
        rc = cli_hwdb_main(argc - 1, argv + 1);
    else if (argc > 1 && strcmp(argv[1], "carbon") == 0)
        rc = cli_carbon_main(argc - 1, argv + 1);
    else
        rc = cli_estimate_main(argc, argv);
    curl_global_cleanup();
    return rc;
}
