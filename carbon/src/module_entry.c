/* The module the ecoest CLI loads (dlopen) when it needs the network. It has
 * no code of its own: it names libecoest-carbon.so as a dependency (which
 * names libecoest.so and libcurl), and dlsym on the module's handle finds
 * est_carbon_fetch there. The reference below keeps that dependency in a
 * link with --as-needed. */
#include "ecoest/carbon.h"

typedef int (*ecoest_carbon_fetch_fn)(est_carbon_series *, const est_carbon_options *, est_error *);
extern const ecoest_carbon_fetch_fn ecoest_carbon_module_fetch;
const ecoest_carbon_fetch_fn ecoest_carbon_module_fetch = est_carbon_fetch;
