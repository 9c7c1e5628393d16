/* The cluster description: GreenAlgorithms4HPC's cluster_info.yaml, or
 * ecoest's richer form of the same file (docs/cluster.md). Read with libyaml
 * into a document, then walked once; hardware names and zones are resolved
 * here, once per partition. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "ecoest/jobs.h"
#include "internal.h"

#define CLUSTER_FILE_MAX (4u << 20)

struct est_cluster {
    est_cluster_partition dflt;
    int dflt_has_cpu;
    est_cluster_partition *parts;
    int *has_cpu;
    size_t n, cap;
    double memory_step_gb;
    char rss_unit; /* default_unit_RSS: 'K', 'M', 'G'; 0 when not given */
};

typedef struct ctx {
    yaml_document_t *doc;
    const char *path;
    const est_cluster_options *o;
    est_error *err;
} ctx;

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static unsigned long line_of(yaml_node_t *n)
{
    return n ? (unsigned long)n->start_mark.line + 1 : 0;
}

/* Looks a key up in a mapping: the value node, or NULL. */
static yaml_node_t *get(ctx *c, yaml_node_t *map, const char *key)
{
    yaml_node_pair_t *p;
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = scalar(yaml_document_get_node(c->doc, p->key));
        if (k && strcmp(k, key) == 0)
            return yaml_document_get_node(c->doc, p->value);
    }
    return NULL;
}

static int number(ctx *c, yaml_node_t *n, const char *key, double *out, double min)
{
    const char *s = scalar(n);
    if (!s || est_parse_double_str(out, s) != 0 || *out < min) {
        char ex[64];
        est__excerpt(ex, sizeof ex, s ? s : "", s ? strlen(s) : 0);
        return est__fail_at(c->err, EST_EPARSE, c->path, line_of(n), 0, NULL,
                            "%s: expected a number of at least %g, got \"%s\"", key, min,
                            ex);
    }
    return 0;
}

static int count(ctx *c, yaml_node_t *n, const char *key, unsigned *out)
{
    const char *s = scalar(n);
    if (!s || est_parse_count(out, s) != 0)
        return est__fail_at(c->err, EST_EPARSE, c->path, line_of(n), 0, NULL,
                            "%s: expected a whole number of at least 1", key);
    return 0;
}

static int text(ctx *c, yaml_node_t *n, const char *key, char *dst, size_t size)
{
    const char *s = scalar(n);
    if (!s || strlen(s) >= size)
        return est__fail_at(c->err, EST_EPARSE, c->path, line_of(n), 0, NULL,
                            "%s: expected a text of at most %zu bytes", key, size - 1);
    est__strlcpy(dst, s, size);
    return 0;
}

/* Resolves a partition's CPU or GPU name in the hardware database; a
   failure's message gets the file, line and partition in front, its input
   is the CPU or GPU model (its value the name, for est_hwdb_suggest). */
static int resolve_model(ctx *c, const est_cluster_partition *p, yaml_node_t *at, est_hwdb_kind kind,
                         const char *name, est_hwdb_match *m)
{
    int rc;
    if (!c->o->hwdb)
        return est__fail_at(c->err, EST_EINVAL, c->path, line_of(at), 0, NULL,
                            "partition %s: %s \"%s\" needs the hardware database", p->name,
                            kind == EST_HWDB_CPU ? "CPU" : "GPU", name);
    rc = est_hwdb_resolve(m, c->o->hwdb, kind, name, c->err);
    if (rc && c->err) {
        char msg[EST_ERROR_MESSAGE_MAX];
        if (c->err->value[0]) /* the name refused, not a failed allocation */
            c->err->input = kind == EST_HWDB_CPU ? EST_INPUT_CPU_MODEL : EST_INPUT_GPU_MODEL;
        est__strlcpy(msg, c->err->message, sizeof msg);
        est__snprintf_c(c->err->message, sizeof c->err->message, "%s:%lu: partition %s: %s",
                        c->path ? c->path : "cluster", line_of(at), p->name, msg);
    }
    return rc;
}

static int resolve_cpu(ctx *c, est_cluster_partition *p, yaml_node_t *at)
{
    est_hwdb_match m;
    int rc = resolve_model(c, p, at, EST_HWDB_CPU, p->cpu_model, &m);
    if (rc)
        return rc;
    p->cpu_tdp_per_core_w = m.entry.tdp_w / (double)m.entry.cores;
    est__strlcpy(p->cpu_hwdb_model, m.entry.model, sizeof p->cpu_hwdb_model);
    /* 0 in the row: not known */
    p->cpu_die_area_cm2 = m.entry.die_area_cm2 > 0.0 ? m.entry.die_area_cm2 : EST_UNSET;
    if (!p->cores_per_node)
        p->cores_per_node = m.entry.cores;
    return 0;
}

static int resolve_gpu(ctx *c, est_cluster_partition *p, yaml_node_t *at)
{
    est_hwdb_match m;
    int rc = resolve_model(c, p, at, EST_HWDB_GPU, p->gpu_model, &m);
    if (rc)
        return rc;
    p->gpu_tdp_w = m.entry.tdp_w;
    p->gpu_die_area_cm2 = m.entry.die_area_cm2 > 0.0 ? m.entry.die_area_cm2 : EST_UNSET;
    if (p->gpu_idle_w < 0.0 && m.entry.idle_w >= 0.0)
        p->gpu_idle_w = m.entry.idle_w;
    return 0;
}

static int resolve_zone(ctx *c, est_cluster_partition *p, yaml_node_t *at)
{
    est_zone z;
    int rc;
    if (!c->o->zones)
        return est__fail_at(c->err, EST_EINVAL, c->path, line_of(at), 0, NULL,
                            "zone %s needs the zone table", p->zone);
    rc = est_zones_lookup(&z, c->o->zones, p->zone, c->err);
    if (rc) {
        if (c->err && c->err->value[0]) /* the code refused (its value) */
            c->err->input = EST_INPUT_ZONE;
        return rc;
    }
    p->ci_g_co2e_per_kwh = z.ci_g_co2e_per_kwh;
    return 0;
}

/* Reads one partition's mapping (either form) into p. */
static int partition(ctx *c, yaml_node_t *m, est_cluster_partition *p, int *has_cpu)
{
    yaml_node_t *n;
    int rc = 0;
    const char *type = scalar(get(c, m, "type"));
    int ga_gpu = type && est__strcasecmp_ascii(type, "GPU") == 0;
    if (!m || m->type != YAML_MAPPING_NODE)
        return est__fail_at(c->err, EST_EPARSE, c->path, line_of(m), 0, NULL,
                            "partition %s: expected a mapping of its properties", p->name);
    /* GreenAlgorithms4HPC's keys */
    if ((n = get(c, m, "TDP")) &&
        (rc = number(c, n, "TDP", ga_gpu ? &p->gpu_tdp_w : &p->cpu_tdp_per_core_w, 0.0)))
        return rc;
    if ((n = get(c, m, "TDP_CPU")) && (rc = number(c, n, "TDP_CPU", &p->cpu_tdp_per_core_w, 0.0)))
        return rc;
    /* ecoest's keys */
    if ((n = get(c, m, "cores_per_node")) && (rc = count(c, n, "cores_per_node", &p->cores_per_node)))
        return rc;
    if ((n = get(c, m, "cpu_tdp_per_core_w")) &&
        (rc = number(c, n, "cpu_tdp_per_core_w", &p->cpu_tdp_per_core_w, 0.0)))
        return rc;
    if ((n = get(c, m, "cpu")) && p->cpu_tdp_per_core_w <= 0.0) {
        if ((rc = text(c, n, "cpu", p->cpu_model, sizeof p->cpu_model)) ||
            (rc = resolve_cpu(c, p, n)))
            return rc;
    }
    if ((n = get(c, m, "gpu_idle_w")) && (rc = number(c, n, "gpu_idle_w", &p->gpu_idle_w, 0.0)))
        return rc;
    if ((n = get(c, m, "gpu_tdp_w")) && (rc = number(c, n, "gpu_tdp_w", &p->gpu_tdp_w, 0.0)))
        return rc;
    if ((n = get(c, m, "gpu")) && p->gpu_tdp_w < 0.0) {
        if ((rc = text(c, n, "gpu", p->gpu_model, sizeof p->gpu_model)) ||
            (rc = resolve_gpu(c, p, n)))
            return rc;
    }
    if ((n = get(c, m, "gpus_per_node")) && (rc = count(c, n, "gpus_per_node", &p->gpus_per_node)))
        return rc;
    if ((n = get(c, m, "memory_gb_per_node")) &&
        (rc = number(c, n, "memory_gb_per_node", &p->memory_gb_per_node, 0.0)))
        return rc;
    if ((n = get(c, m, "static_node_w")) &&
        (rc = number(c, n, "static_node_w", &p->static_node_w, 0.0)))
        return rc;
    if ((n = get(c, m, "pue")) && (rc = number(c, n, "pue", &p->pue, 1.0)))
        return rc;
    if ((n = get(c, m, "ci_g_co2e_per_kwh")) &&
        (rc = number(c, n, "ci_g_co2e_per_kwh", &p->ci_g_co2e_per_kwh, 0.0)))
        return rc;
    else if ((n = get(c, m, "zone"))) {
        if ((rc = text(c, n, "zone", p->zone, sizeof p->zone)) || (rc = resolve_zone(c, p, n)))
            return rc;
    }
    if (p->gpu_idle_w >= 0.0 && p->gpu_tdp_w >= 0.0 && p->gpu_idle_w > p->gpu_tdp_w)
        return est__fail_at(c->err, EST_EPARSE, c->path, line_of(m), 0, NULL,
                            "partition %s: gpu_idle_w %g is above gpu_tdp_w %g", p->name,
                            p->gpu_idle_w, p->gpu_tdp_w);
    *has_cpu = p->cpu_tdp_per_core_w > 0.0;
    return 0;
}

static void blank(est_cluster_partition *p, const char *name)
{
    memset(p, 0, sizeof *p);
    est__strlcpy(p->name, name, sizeof p->name);
    p->cpu_tdp_per_core_w = 0.0;
    p->gpu_tdp_w = EST_UNSET;
    p->gpu_idle_w = EST_UNSET;
    p->memory_gb_per_node = EST_UNSET;
    p->static_node_w = EST_UNSET;
    p->cpu_die_area_cm2 = EST_UNSET;
    p->gpu_die_area_cm2 = EST_UNSET;
    p->pue = EST_UNSET;
    p->ci_g_co2e_per_kwh = EST_UNSET;
}

/* The default partition from the options. */
static int default_partition(ctx *c, est_cluster *cl)
{
    est_cluster_partition *p = &cl->dflt;
    const est_cluster_options *o = c->o;
    int rc;
    blank(p, "*");
    if (o->cpu_tdp_per_core_w != EST_UNSET) {
        if (!(o->cpu_tdp_per_core_w > 0.0) || o->cpu_tdp_per_core_w > 10000.0)
            return est__fail(c->err, EST_EINVAL, "cpu_tdp_per_core_w: expected 0 < W <= 10000, got %g",
                             o->cpu_tdp_per_core_w);
        p->cpu_tdp_per_core_w = o->cpu_tdp_per_core_w;
    } else if (o->cpu_model) {
        est__strlcpy(p->cpu_model, o->cpu_model, sizeof p->cpu_model);
        if ((rc = resolve_cpu(c, p, NULL)))
            return rc;
    }
    if (o->gpu_tdp_w != EST_UNSET) {
        if (!(o->gpu_tdp_w > 0.0) || o->gpu_tdp_w > 10000.0)
            return est__fail(c->err, EST_EINVAL, "gpu_tdp_w: expected 0 < W <= 10000, got %g",
                             o->gpu_tdp_w);
        p->gpu_tdp_w = o->gpu_tdp_w;
    } else if (o->gpu_model) {
        est__strlcpy(p->gpu_model, o->gpu_model, sizeof p->gpu_model);
        if ((rc = resolve_gpu(c, p, NULL)))
            return rc;
    }
    if (o->pue != EST_UNSET) {
        if (!(o->pue >= 1.0) || o->pue > 10.0)
            return est__fail(c->err, EST_EINVAL, "pue: expected 1..10, got %g", o->pue);
        p->pue = o->pue;
    }
    if (o->zone) {
        est__strlcpy(p->zone, o->zone, sizeof p->zone);
        if ((rc = resolve_zone(c, p, NULL)))
            return rc;
    }
    if (o->ci_g_co2e_per_kwh != EST_UNSET &&
        (!(o->ci_g_co2e_per_kwh >= 0.0) || o->ci_g_co2e_per_kwh > EST_CI_MAX_G_CO2E_PER_KWH))
        return est__fail(c->err, EST_EINVAL, "ci_g_co2e_per_kwh: expected 0..%g, got %g",
                         EST_CI_MAX_G_CO2E_PER_KWH, o->ci_g_co2e_per_kwh);
    cl->dflt_has_cpu = p->cpu_tdp_per_core_w > 0.0;
    return 0;
}

static int grow(ctx *c, est_cluster *cl)
{
    if (cl->n == cl->cap) {
        size_t nc = cl->cap ? cl->cap * 2 : 8;
        est_cluster_partition *np = realloc(cl->parts, nc * sizeof *np);
        int *nh;
        if (!np)
            return est__fail(c->err, EST_ENOMEM, "out of memory");
        cl->parts = np;
        nh = realloc(cl->has_cpu, nc * sizeof *nh);
        if (!nh)
            return est__fail(c->err, EST_ENOMEM, "out of memory");
        cl->has_cpu = nh;
        cl->cap = nc;
    }
    return 0;
}

/* A partition's nodes: mapping, pattern -> the keys that differ on those
   nodes. Each pattern is an entry: the partition's values, then its own. */
static int node_patterns(ctx *c, est_cluster *cl, yaml_node_t *m, size_t self)
{
    yaml_node_t *nodes = get(c, m, "nodes");
    yaml_node_pair_t *pp;
    int rc;
    if (!nodes)
        return 0;
    if (nodes->type != YAML_MAPPING_NODE)
        return est__fail_at(c->err, EST_EPARSE, c->path, line_of(nodes), 0, NULL,
                            "partition %s: nodes: expected a mapping of node-name patterns",
                            cl->parts[self].name);
    for (pp = nodes->data.mapping.pairs.start; pp < nodes->data.mapping.pairs.top; pp++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, pp->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, pp->value);
        const char *pat = scalar(k);
        est_cluster_partition *p;
        if (!pat || !pat[0] || strlen(pat) >= sizeof p->node_pattern)
            return est__fail_at(c->err, EST_EPARSE, c->path, line_of(k), 0, NULL,
                                "partition %s: nodes: expected a node-name pattern",
                                cl->parts[self].name);
        if ((rc = grow(c, cl)))
            return rc;
        p = &cl->parts[cl->n];
        *p = cl->parts[self];
        est__strlcpy(p->node_pattern, pat, sizeof p->node_pattern);
        /* what the pattern gives replaces the partition's */
        if (get(c, v, "cpu") || get(c, v, "cpu_tdp_per_core_w") || get(c, v, "TDP_CPU"))
            p->cpu_tdp_per_core_w = 0.0, p->cpu_model[0] = '\0',
            p->cpu_hwdb_model[0] = '\0', p->cpu_die_area_cm2 = EST_UNSET;
        if (get(c, v, "gpu") || get(c, v, "gpu_tdp_w"))
            p->gpu_tdp_w = EST_UNSET, p->gpu_idle_w = EST_UNSET, p->gpu_model[0] = '\0',
            p->gpu_die_area_cm2 = EST_UNSET;
        if (get(c, v, "zone"))
            p->ci_g_co2e_per_kwh = EST_UNSET;
        if ((rc = partition(c, v, p, &cl->has_cpu[cl->n])))
            return rc;
        if (p->cpu_tdp_per_core_w <= 0.0) { /* the partition's CPU */
            p->cpu_tdp_per_core_w = cl->parts[self].cpu_tdp_per_core_w;
            p->cpu_die_area_cm2 = cl->parts[self].cpu_die_area_cm2;
        }
        if (p->ci_g_co2e_per_kwh == EST_UNSET)
            p->ci_g_co2e_per_kwh = cl->parts[self].ci_g_co2e_per_kwh;
        cl->has_cpu[cl->n] = p->cpu_tdp_per_core_w > 0.0;
        cl->n++;
    }
    return 0;
}

/* Reads the file's top level: defaults, memory step and the partitions. */
static int walk(ctx *c, est_cluster *cl)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc), *n, *parts;
    est_cluster_partition file_dflt = cl->dflt;
    yaml_node_pair_t *pp;
    int rc;
    if (!root || root->type != YAML_MAPPING_NODE)
        return est__fail_at(c->err, EST_EPARSE, c->path, line_of(root), 0, NULL,
                            "expected a mapping with partitions: at the top");
    /* file-wide values fill what the options left out */
    if (file_dflt.pue == EST_UNSET &&
        (((n = get(c, root, "pue")) || (n = get(c, root, "PUE"))) &&
         (rc = number(c, n, "PUE", &file_dflt.pue, 1.0))))
        return rc;
    if (file_dflt.ci_g_co2e_per_kwh == EST_UNSET && !file_dflt.zone[0]) {
        if ((n = get(c, root, "ci_g_co2e_per_kwh")) || (n = get(c, root, "CI"))) {
            if ((rc = number(c, n, "CI", &file_dflt.ci_g_co2e_per_kwh, 0.0)))
                return rc;
        } else if ((n = get(c, root, "zone"))) {
            if ((rc = text(c, n, "zone", file_dflt.zone, sizeof file_dflt.zone)) ||
                (rc = resolve_zone(c, &file_dflt, n)))
                return rc;
        }
    }
    if ((n = get(c, root, "granularity_memory_request")) &&
        (rc = number(c, n, "granularity_memory_request", &cl->memory_step_gb, 0.0)))
        return rc;
    if ((n = get(c, root, "default_unit_RSS"))) {
        /* the unit of a bare MaxRSS number; K, M or G, as it asserts */
        const char *u = scalar(n);
        if (!u || strlen(u) != 1 || !strchr("KMG", u[0]))
            return est__fail_at(c->err, EST_EPARSE, c->path, line_of(n), 0, NULL,
                                "default_unit_RSS: expected K, M or G, got \"%s\"",
                                u ? u : "");
        cl->rss_unit = u[0];
    }
    cl->dflt.pue = file_dflt.pue;
    cl->dflt.ci_g_co2e_per_kwh = file_dflt.ci_g_co2e_per_kwh;
    memcpy(cl->dflt.zone, file_dflt.zone, sizeof cl->dflt.zone);

    parts = get(c, root, "partitions");
    if (!parts || parts->type != YAML_MAPPING_NODE)
        return est__fail_at(c->err, EST_EPARSE, c->path, line_of(parts ? parts : root), 0,
                            NULL, "partitions: expected a mapping of partition names");
    for (pp = parts->data.mapping.pairs.start; pp < parts->data.mapping.pairs.top; pp++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, pp->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, pp->value);
        est_cluster_partition *p;
        const char *name = scalar(k);
        size_t self;
        if (!name || !name[0] || strlen(name) >= sizeof p->name)
            return est__fail_at(c->err, EST_EPARSE, c->path, line_of(k), 0, NULL,
                                "partitions: expected a partition name");
        if ((rc = grow(c, cl)))
            return rc;
        self = cl->n;
        p = &cl->parts[self];
        blank(p, name);
        if ((rc = partition(c, v, p, &cl->has_cpu[self])))
            return rc;
        if (!cl->has_cpu[cl->n])
            return est__fail_at(c->err, EST_EPARSE, c->path, line_of(k), 0, NULL,
                                "partition %s: no CPU power: give cpu (a model), "
                                "cpu_tdp_per_core_w, or GreenAlgorithms4HPC's TDP / TDP_CPU",
                                name);
        if (p->pue == EST_UNSET)
            p->pue = cl->dflt.pue;
        if (p->ci_g_co2e_per_kwh == EST_UNSET) {
            p->ci_g_co2e_per_kwh = cl->dflt.ci_g_co2e_per_kwh;
            memcpy(p->zone, cl->dflt.zone, sizeof p->zone);
        }
        cl->n++;
        if ((rc = node_patterns(c, cl, v, self)))
            return rc;
    }
    return 0;
}

static int load(ctx *c, est_cluster *cl, const char *path)
{
    char *data = NULL;
    size_t len;
    yaml_parser_t parser;
    yaml_document_t doc;
    int rc;
    if ((rc = est__read_file(path, CLUSTER_FILE_MAX, &data, &len, c->err)))
        return rc;
    if (!yaml_parser_initialize(&parser)) {
        free(data);
        return est__fail(c->err, EST_ENOMEM, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = est__fail_at(c->err, EST_EPARSE, path, (unsigned long)parser.problem_mark.line + 1,
                          0, NULL, "not valid YAML: %s",
                          parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        free(data);
        return rc;
    }
    c->doc = &doc;
    rc = walk(c, cl);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(data);
    return rc;
}

int est_cluster_open(est_cluster **cp, const char *path, const est_cluster_options *opts,
                     est_error *err)
{
    est_cluster_options o = EST_CLUSTER_OPTIONS_INIT;
    est_cluster *cl;
    ctx c;
    int rc;
    if (!cp)
        return est__fail(err, EST_EINVAL, "no cluster pointer given");
    *cp = NULL;
    if (opts) {
        if (opts->version < 1 || opts->version > EST_CLUSTER_OPTIONS_VERSION)
            return est__fail(err, EST_EINVAL, "cluster options version %u is not supported",
                             opts->version);
        o = *opts;
    }
    cl = calloc(1, sizeof *cl);
    if (!cl)
        return est__fail(err, EST_ENOMEM, "out of memory");
    cl->memory_step_gb = EST_UNSET;
    c.doc = NULL;
    c.path = path;
    c.o = &o;
    c.err = err;
    rc = default_partition(&c, cl);
    if (!rc && path)
        rc = load(&c, cl, path);
    if (!rc) {
        /* what nobody gave: the model's defaults */
        size_t i;
        if (cl->dflt.pue == EST_UNSET)
            cl->dflt.pue = EST_DEFAULT_PUE;
        if (cl->dflt.ci_g_co2e_per_kwh == EST_UNSET)
            cl->dflt.ci_g_co2e_per_kwh = EST_DEFAULT_CI_G_CO2E_PER_KWH;
        for (i = 0; i < cl->n; i++) {
            if (cl->parts[i].pue == EST_UNSET)
                cl->parts[i].pue = cl->dflt.pue;
            if (cl->parts[i].ci_g_co2e_per_kwh == EST_UNSET)
                cl->parts[i].ci_g_co2e_per_kwh = cl->dflt.ci_g_co2e_per_kwh;
            if (o.ci_g_co2e_per_kwh != EST_UNSET) {
                cl->parts[i].ci_g_co2e_per_kwh = o.ci_g_co2e_per_kwh;
                cl->parts[i].zone[0] = '\0';
            }
        }
        if (o.ci_g_co2e_per_kwh != EST_UNSET) {
            cl->dflt.ci_g_co2e_per_kwh = o.ci_g_co2e_per_kwh;
            cl->dflt.zone[0] = '\0';
        }
    }
    if (rc) {
        est_cluster_free(cl);
        return rc;
    }
    *cp = cl;
    return EST_OK;
}

void est_cluster_free(est_cluster *c)
{
    if (!c)
        return;
    free(c->parts);
    free(c->has_cpu);
    free(c);
}

size_t est_cluster_count(const est_cluster *c) { return c ? c->n : 0; }

const est_cluster_partition *est_cluster_at(const est_cluster *c, size_t i)
{
    return c && i < c->n ? &c->parts[i] : NULL;
}

const est_cluster_partition *est_cluster_find_node(const est_cluster *c, const char *name,
                                           const char *node, int *is_default)
{
    size_t i;
    if (!c)
        return NULL;
    if (name && node && node[0])
        for (i = 0; i < c->n; i++)
            if (c->parts[i].node_pattern[0] && strcmp(c->parts[i].name, name) == 0 &&
                fnmatch(c->parts[i].node_pattern, node, 0) == 0) {
                if (is_default)
                    *is_default = 0;
                return &c->parts[i];
            }
    return est_cluster_find(c, name, is_default);
}

const est_cluster_partition *est_cluster_find(const est_cluster *c, const char *name,
                                      int *is_default)
{
    size_t i;
    if (!c)
        return NULL;
    if (name)
        for (i = 0; i < c->n; i++)
            if (!c->parts[i].node_pattern[0] && strcmp(c->parts[i].name, name) == 0) {
                if (is_default)
                    *is_default = 0;
                return &c->parts[i];
            }
    if (is_default)
        *is_default = 1;
    return &c->dflt;
}

double est_cluster_memory_step_gb(const est_cluster *c)
{
    return c ? c->memory_step_gb : EST_UNSET;
}

char est_cluster_default_rss_unit(const est_cluster *c)
{
    return c ? c->rss_unit : '\0';
}
