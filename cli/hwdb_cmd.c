/* ecoest hwdb: list, show, add, validate. (Stub until the hwdb issue.) */
#include "cli.h"

int cli_hwdb_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_msg("hwdb: not implemented yet");
    return CLI_EX_USAGE;
}
