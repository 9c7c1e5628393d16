/* ecoest: the command-line calculator. Dispatches to its subcommands
   (cli_main, dispatch.c). */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
