/*
 * ecoest/estimate.h - the whole public API of libestimate in one include.
 *
 *   common.h   error codes, est_error, strict number/time/duration parsers
 *   model.h    the energy and carbon model
 *   hwdb.h     the hardware database and name resolution
 *   zones.h    annual carbon intensity per zone
 *   intensity.h  carbon intensity series: window, daily and energy-weighted means
 *   samples.h  sample logs: integrator, readers, writer
 *   fs.h       atomic file writes, mkdir -p, XDG base folders
 *   pipeline.h one estimate from what a user knows: the call ecoest makes
 *   jobs.h     cluster accounting: sacct records, partitions, totals
 *   water.h    the water footprint: on-site (WUE) and off-site (generation)
 *   regions.h  platforms and cloud regions: PUE, WUE, zone
 *   embodied.h the manufacturing share of the hardware a job holds
 *   sites.h    the same job at several sites, ranked (ecoest where)
 *   greenest.h the greenest start time from an intensity series (ecoest when)
 *   power.h    the CPU power curves and the named memory power figures
 */
#ifndef ECOEST_ESTIMATE_H
#define ECOEST_ESTIMATE_H

#include "ecoest/common.h"
#include "ecoest/model.h"
#include "ecoest/hwdb.h"
#include "ecoest/zones.h"
#include "ecoest/intensity.h"
#include "ecoest/samples.h"
#include "ecoest/fs.h"
#include "ecoest/pipeline.h"
#include "ecoest/jobs.h"
#include "ecoest/water.h"
#include "ecoest/regions.h"
#include "ecoest/embodied.h"
#include "ecoest/sites.h"
#include "ecoest/greenest.h"
#include "ecoest/power.h"

#endif
