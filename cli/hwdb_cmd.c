/* ecoest hwdb. (Stub until the hwdb issue lands.) */
#include <string.h>

#include "cli.h"

int cli_hwdb_main(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        puts("Usage: ecoest hwdb ... (not implemented yet)");
        return CLI_EX_OK;
    }
    cli_msg("hwdb: not implemented yet");
    return CLI_EX_USAGE;
}
