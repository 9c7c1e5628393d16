/* ecoest: the command-line calculator. Dispatches to its subcommands. */
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
    /* The locale is never set: numbers are read and printed the C way. */
    return cli_estimate_main(argc, argv);
}
