/* ecoest run: measure a command while it runs (docs/run.md). */
#ifndef ECOEST_CLI_RUN_H
#define ECOEST_CLI_RUN_H

/* ecoest run [OPTIONS] [--] CMD [ARGS...]. Returns the command's exit
   status (128 + signal when a signal ended it), or a sysexits status when
   the command could not be run (64 usage, 74 the log, 127 not found, 126
   not executable). */
int cli_run_main(int argc, char **argv);

#endif
