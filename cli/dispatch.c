/* ecoest's dispatcher: the subcommand named by argv[1], else an estimate.
   Apart from main.c so that a test (the argument fuzzer, tests/fuzz/fuzz_cli.c)
   can run the whole command line in-process. */
#include <string.h>

#include "cli.h"
#include "live.h"
#include "run.h"

int cli_main(int argc, char **argv)
{
    int rc;
    /* The locale is never set: numbers are read and printed the C way.
       The network layer (libcurl) is loaded and initialised on first use,
       by this program, never by the libraries (live.c). */
    if (argc > 1 && strcmp(argv[1], "hwdb") == 0)
        rc = cli_hwdb_main(argc - 1, argv + 1);
    else if (argc > 1 && strcmp(argv[1], "carbon") == 0)
        rc = cli_carbon_main(argc - 1, argv + 1);
    else if (argc > 1 && strcmp(argv[1], "where") == 0)
        rc = cli_where_main(argc - 1, argv + 1);
    else if (argc > 1 && strcmp(argv[1], "when") == 0)
        rc = cli_when_main(argc - 1, argv + 1);
    else if (argc > 1 && strcmp(argv[1], "jobs") == 0)
        rc = cli_jobs_main(argc - 1, argv + 1);
    else if (argc > 1 && strcmp(argv[1], "run") == 0)
        rc = cli_run_main(argc - 1, argv + 1);
    else
        rc = cli_estimate_main(argc, argv);
    cli_live_shutdown();
    return rc;
}
