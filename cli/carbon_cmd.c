/* ecoest carbon: zones and intensity series. (Stub until the carbon issue.) */
#include "cli.h"

int cli_carbon_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_msg("carbon: not implemented yet");
    return CLI_EX_USAGE;
}
