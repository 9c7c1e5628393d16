/* The forecast policy of ecoest when: which forecast of the intensity a plan
 * of the greenest hour uses (Electricity Maps', or one made from history),
 * and the note that says why. Pure: the caller fetches (ecoest/carbon.h,
 * "the forecast policy"). */
#include <stdio.h>
#include <string.h>

#include "carbon_internal.h"

#define FP_LABEL "Electricity Maps' forecast"
#define FP_FALL_BACK "Falling back to the forecast from history."

/* Appends the fall back's sentence: ". " after a sentence without its full
   stop, " " after one with it. */
static void fall_back(est_carbon_forecast_policy *p)
{
    size_t n = strlen(p->note);
    snprintf(p->note + n, sizeof p->note - n, "%s" FP_FALL_BACK,
             n && p->note[n - 1] == '.' ? " " : ". ");
    p->step = EST_CARBON_FORECAST_FALL_BACK;
}

int est_carbon_forecast_decide(est_carbon_forecast_policy *out,
                               const est_carbon_forecast_policy_options *o, est_error *err)
{
    if (!out || !o)
        return est__fail(err, EST_EINVAL, "est_carbon_forecast_decide: NULL argument");
    memset(out, 0, sizeof *out);
    if (o->version < 1 || o->version > EST_CARBON_FORECAST_POLICY_OPTIONS_VERSION)
        return est__fail(err, EST_EINVAL, "est_carbon_forecast_decide: options version %u "
                         "(expected 1..%d)", o->version,
                         EST_CARBON_FORECAST_POLICY_OPTIONS_VERSION);
    if (o->mode != EST_CARBON_FORECAST_AUTO && o->mode != EST_CARBON_FORECAST_PROVIDER &&
        o->mode != EST_CARBON_FORECAST_HISTORY)
        return est__fail(err, EST_EINVAL, "est_carbon_forecast_decide: unknown mode %d",
                         (int)o->mode);
    if (o->provider != EST_CARBON_PROVIDER_NONE && o->provider != EST_CARBON_PROVIDER_RTE &&
        o->provider != EST_CARBON_PROVIDER_ELECTRICITYMAPS)
        return est__fail(err, EST_EINVAL, "est_carbon_forecast_decide: unknown provider %d",
                         (int)o->provider);
    out->mode = o->mode;
    out->provider = o->provider != EST_CARBON_PROVIDER_NONE ? o->provider
                                                            : est_carbon_provider_for_zone(o->zone);
    snprintf(out->label, sizeof out->label, "%s", FP_LABEL);
    /* 1. history asked for */
    if (o->mode == EST_CARBON_FORECAST_HISTORY) {
        out->step = EST_CARBON_FORECAST_FALL_BACK;
        return EST_OK;
    }
    /* 2. a provider without a forecast of the intensity */
    if (out->provider != EST_CARBON_PROVIDER_ELECTRICITYMAPS) {
        snprintf(out->note, sizeof out->note, "RTE publishes forecasts of the demand, not of "
                 "its carbon intensity: the forecast is made from RTE's own history");
        out->step = o->mode == EST_CARBON_FORECAST_PROVIDER ? EST_CARBON_FORECAST_FAIL
                                                            : EST_CARBON_FORECAST_FALL_BACK;
        out->code = out->step == EST_CARBON_FORECAST_FAIL ? EST_EINVAL : 0;
        return EST_OK;
    }
    /* 3. offline */
    if (o->offline) {
        snprintf(out->note, sizeof out->note, "offline: " FP_LABEL " was not asked for (a "
                 "forecast is never cached)");
        if (o->mode == EST_CARBON_FORECAST_PROVIDER) {
            out->step = EST_CARBON_FORECAST_FAIL;
            out->code = EST_ENODATA;
        } else {
            fall_back(out);
        }
        return EST_OK;
    }
    /* 4. no token (the provider mode asks anyway: the fetch says why not) */
    if (!o->has_token && o->mode == EST_CARBON_FORECAST_AUTO) {
        if (o->token_origin)
            snprintf(out->note, sizeof out->note, FP_LABEL " needs a token (%s): not asked for",
                     o->token_origin);
        else
            snprintf(out->note, sizeof out->note, FP_LABEL " needs a token: not asked for");
        out->step = EST_CARBON_FORECAST_FALL_BACK;
        return EST_OK;
    }
    /* 5. ask */
    out->step = EST_CARBON_FORECAST_ASK;
    return EST_OK;
}

int est_carbon_forecast_fetched(est_carbon_forecast_policy *p, int fetch_rc,
                                const est_error *fetch_err, est_error *err)
{
    const char *why;
    if (!p || p->step != EST_CARBON_FORECAST_ASK)
        return est__fail(err, EST_EINVAL, "est_carbon_forecast_fetched: expected a policy at "
                         "step ASK");
    if (fetch_rc == EST_OK) {
        p->step = EST_CARBON_FORECAST_USE;
        return EST_OK;
    }
    why = fetch_err && fetch_err->message[0] ? fetch_err->message : est_strerror(fetch_rc);
    if (fetch_rc == EST_EAUTH)
        snprintf(p->note, sizeof p->note, "Electricity Maps refused the forecast: the token has "
                 "no access to /carbon-intensity/forecast (it is not in the free tier). %s", why);
    else
        snprintf(p->note, sizeof p->note, FP_LABEL " failed: %s", why);
    if (p->mode == EST_CARBON_FORECAST_PROVIDER) {
        p->step = EST_CARBON_FORECAST_FAIL;
        p->code = fetch_rc;
    } else {
        fall_back(p);
    }
    return EST_OK;
}
