/* ecoest: the command-line calculator. Dispatches to its subcommands. */
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
    /* The locale is never set: numbers are read and printed the C way. */
    if (argc > 1 && strcmp(argv[1], "hwdb") == 0)
        return cli_hwdb_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "carbon") == 0)
        return cli_carbon_main(argc - 1, argv + 1);
    return cli_estimate_main(argc, argv);
}
